"""Shared by the table parsers: fitting a row's cells to its columns and storing them.

Every problem with a cell becomes a finding naming the row, the column, the line
and what was found; the cell is then ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.findings import severity_of
from generator.model import Cell, Report, Unparsed
from generator.parsing.layout import LogicalRow, SourceCell
from generator.parsing.text import BLANK, NUMBER, UNREADABLE, clean_line
from generator.tables import Column


def is_blank(cell: SourceCell) -> bool:
    return cell.kind is BLANK


def fit(values: Sequence[SourceCell],
        count: int) -> tuple[list[SourceCell | None], int, list[SourceCell]]:
    """Trim surplus blank cells at the edges (merged label cells, trailing tabs).

    Returns exactly ``count`` cells (``None`` where the row ran short), how many
    cells the row really had after trimming, and the cells beyond ``count``.
    """
    if len(values) == count:
        return list(values), count, []
    cells = list(values)
    while len(cells) > count and cells and is_blank(cells[-1]):
        cells.pop()
    while len(cells) > count and cells and is_blank(cells[0]):
        cells.pop(0)
    had = len(cells)
    padded: list[SourceCell | None] = list(cells[:count])
    padded.extend([None] * (count - len(padded)))
    return padded, had, cells[count:]


def finding(report: Report, code: str, message: str, line: int | None,
            path: str | None = None, lines: Sequence[str] | None = None) -> None:
    """Add a finding with its severity from the code table and the source text."""
    text = None
    if line is not None and lines is not None and 0 < line <= len(lines):
        text = clean_line(lines[line - 1])[:300]
    report.add(severity_of(code), code, message, line, path, text)


def store_row(report: Report, path: str, label: str, row: LogicalRow,
              columns: Sequence[Column], values: Sequence[SourceCell],
              lines: Sequence[str]) -> dict[str, Cell]:
    """Read a row's cells into ``{column: number | None}`` with findings for every doubt.

    ``path`` is the row's data path (``applications.granted``); a cell's path is
    ``path.column``, or the column key alone when ``path`` is empty.
    """
    _keep_stray_numbers(report, label, row, values, path, lines)
    fitted, had, surplus = fit(values, len(columns))
    if had != len(columns):
        extra = [c.text for c in surplus if c.text]
        what = f"多出的内容“{'、'.join(extra)}”保留在未解析内容中" if extra else "缺少的单元格记为空"
        finding(report, "cell-count", f"{label}：该行有 {had} 个单元格，模板应为 {len(columns)} 个；"
                f"{what}。", row.line, path or None, lines)
        report.unparsed.extend(_unparsed(extra_cell, lines) for extra_cell in surplus
                               if extra_cell.text)
    out: dict[str, Cell] = {}
    blanks: list[str] = []
    cell_lines = report.lines
    for column, cell, cell_path in zip(columns, fitted, cell_paths(path, columns), strict=True):
        key = column.key
        if cell is None:
            out[key] = None
            continue
        value = cell.value
        cell_lines[cell_path] = cell.line
        out[key] = value.value
        kind = value.kind
        if kind is NUMBER and value.unit is None:
            continue
        if kind is BLANK:
            blanks.append(column.label)
        elif kind is UNREADABLE:
            finding(report, "cell-unreadable", f"{label} / {column.label}：应为数字，原文为"
                    f"“{value.printed}”，记为空。", cell.line, cell_path, lines)
        elif value.unit is not None:
            report.proactive_text[cell_path] = value.printed
    if blanks:
        finding(report, "cell-blank", f"{label}：{len(blanks)} 个单元格为空（{'、'.join(blanks)}），"
                "记为未填报，不等于 0。", row.line, path or None, lines)
    return out


_CELL_PATHS: dict[str, tuple[Sequence[Column], tuple[str, ...]]] = {}
""":func:`cell_paths` made so far, by row path, with the columns they were made for."""
CELL_PATHS_LIMIT = 4096
"""Row paths remembered at most (the templates have a few dozen)."""


def cell_paths(path: str, columns: Sequence[Column]) -> tuple[str, ...]:
    """Each column's cell path in the row at ``path``: ``path.column``, or the column key
    alone when ``path`` is empty. Made once per row path, so the strings (and their
    hashes, as keys of ``report.lines``) are not made again for every report."""
    known = _CELL_PATHS.get(path)
    if known is not None and known[0] is columns:
        return known[1]
    prefix = path + "." if path else ""
    paths = tuple(prefix + column.key for column in columns)
    if len(_CELL_PATHS) < CELL_PATHS_LIMIT:
        _CELL_PATHS[path] = (columns, paths)
    return paths


def _keep_stray_numbers(report: Report, label: str, row: LogicalRow, values: Sequence[SourceCell],
                        path: str, lines: Sequence[str]) -> None:
    """Numbers printed before the row's label fit no column: keep them and say so."""
    before = len(row.cells) - len(values)
    if values and before >= 0 and row.cells[before] is values[0]:
        others: Sequence[SourceCell] = row.cells[:before]
    else:
        taken = {id(c) for c in values}
        others = [c for c in row.cells if id(c) not in taken]
    stray = [c for c in others if not c.is_label and c.text
             and c.kind is NUMBER]
    if not stray:
        return
    shown = "、".join(c.text for c in stray)
    finding(report, "cell-count", f"{label}：行标签前的数字“{shown}”无法对应到任何列，"
            "保留在未解析内容中。", stray[0].line, path or None, lines)
    for cell in stray:
        report.unparsed.append(_unparsed(cell, lines))


def _unparsed(cell: SourceCell, lines: Sequence[str]) -> Unparsed:
    text = lines[cell.line - 1] if 0 < cell.line <= len(lines) else cell.text
    return Unparsed(cell.line, text)


def null_row(columns: Sequence[Column]) -> dict[str, Cell]:
    return {c.key: None for c in columns}


def keep_unplaced(report: Report, row: LogicalRow, lines: Sequence[str], where: str,
                  quiet: bool = False) -> None:
    """A table row that matches nothing: keep its lines and (unless ``quiet``) say so."""
    for number in sorted(set(row.lines)):
        text = lines[number - 1]
        if text.strip():
            report.unparsed.append(Unparsed(number, text))
    if quiet:
        return
    shown = " | ".join(c.text for c in row.cells if c.text)[:120]
    finding(report, "line-unplaced", f"{where}中的一行无法对应到模板的任何行：“{shown}”，"
            "原文保留在未解析内容中。", row.line, None, lines)
