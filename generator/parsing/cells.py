"""Shared by the table parsers: fitting a row's cells to its columns and storing them.

Every problem with a cell becomes a finding naming the row, the column, the line
and what was found; the cell is then ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.findings import severity_of
from generator.model import Cell, Report, Unparsed
from generator.parsing.layout import LogicalRow, PrintedCell, has_number
from generator.parsing.text import BLANK, NUMBER, UNREADABLE, clean_line
from generator.tables import Column


def fit(cells: Sequence[PrintedCell], start: int, count: int) -> tuple[int, int]:
    """Where a row's values (``cells[start:]``) begin and end once surplus blank cells at
    the edges are trimmed (merged label cells, trailing tabs).

    The first ``count`` cells from the beginning fill the columns (``None`` where the row
    runs short); ``end - begin`` is how many cells the row really had, and the cells
    beyond ``count`` are surplus.
    """
    begin, end = start, len(cells)
    while end - begin > count and cells[end - 1].kind is BLANK:
        end -= 1
    while end - begin > count and cells[begin].kind is BLANK:
        begin += 1
    return begin, end


def finding(report: Report, code: str, message: str, line: int | None,
            path: str | None = None, lines: Sequence[str] | None = None) -> None:
    """Add a finding with its severity from the code table and the source text."""
    text = None
    if line is not None and lines is not None and 0 < line <= len(lines):
        text = clean_line(lines[line - 1])[:300]
    report.add(severity_of(code), code, message, line, path, text)


def store_row(report: Report, path: str, label: str, row: LogicalRow,
              columns: Sequence[Column], start: int, lines: Sequence[str]) -> dict[str, Cell]:
    """Read a row's values (its cells from position ``start``) into ``{column: number | None}``
    with findings for every doubt.

    ``path`` is the row's data path (``applications.granted``); a cell's path is
    ``path.column``, or the column key alone when ``path`` is empty. The columns are gone
    over by a plain loop with a counter for the cell: ``enumerate`` and ``zip(...,
    strict=True)`` cost more than the loop's body (a keyword argument makes ``zip`` parse
    its arguments the slow way); :func:`_keep_stray_numbers`, :func:`fit` and
    :func:`_row_plan` are called only when they have something to do.
    """
    cells, cell_lines = row.cells, row.cell_lines
    if start > 1 or (start and not cells[0].is_label):  # one label first: no stray number
        _keep_stray_numbers(report, label, row, start, path, lines)
    begin, end = start, len(cells)
    if end - begin > len(columns):  # only then has fit anything to trim
        begin, end = fit(cells, start, len(columns))
    if end - begin != len(columns):
        surplus = [i for i in range(begin + len(columns), end) if cells[i].text]
        extra = [cells[i].text for i in surplus]
        what = f"多出的内容“{'、'.join(extra)}”保留在未解析内容中" if extra else "缺少的单元格记为空"
        finding(report, "cell-count", f"{label}：该行有 {end - begin} 个单元格，模板应为 "
                f"{len(columns)} 个；{what}。", row.line, path or None, lines)
        report.unparsed.extend(_unparsed(cell_lines[i], cells[i].text, lines) for i in surplus)
    known = _ROW_PLANS.get(path)
    empty, plan = known[1] if known is not None and known[0] is columns else \
        _row_plan(path, columns)
    out = empty.copy()
    blanks: list[str] = []
    path_lines = report.lines
    index = begin
    for key, cell_path, column_label in plan:
        if index >= end:
            break
        value = cells[index].value
        line = cell_lines[index]
        index += 1
        path_lines[cell_path] = line
        out[key] = value.value
        kind = value.kind
        if kind is NUMBER and value.unit is None:
            continue
        if kind is BLANK:
            blanks.append(column_label)
        elif kind is UNREADABLE:
            finding(report, "cell-unreadable", f"{label} / {column_label}：应为数字，原文为"
                    f"“{value.printed}”，记为空。", line, cell_path, lines)
        elif value.unit is not None:
            report.proactive_text[cell_path] = value.printed
    if blanks:
        finding(report, "cell-blank", f"{label}：{len(blanks)} 个单元格为空（{'、'.join(blanks)}），"
                "记为未填报，不等于 0。", row.line, path or None, lines)
    return out


RowPlan = tuple[dict[str, Cell], tuple[tuple[str, str, str], ...]]
"""A row's cells before any is read (every column ``None``), and each column's key, cell
path and label (:func:`_row_plan`)."""
_ROW_PLANS: dict[str, tuple[Sequence[Column], RowPlan]] = {}
""":func:`_row_plan` made so far, by row path, with the columns they were made for."""
ROW_PLANS_LIMIT = 4096
"""Row paths remembered at most (the templates have a few dozen)."""


def _row_plan(path: str, columns: Sequence[Column]) -> RowPlan:
    """What :func:`store_row` reads a row at ``path`` with, when ``_ROW_PLANS`` does not
    hold it for ``columns``: the row with every column ``None``, copied for each row (a
    copy of a dictionary of the right size, whose values are then replaced, costs less
    than a dictionary grown key by key), and each column's key, cell path (``path.column``,
    or the column key alone when ``path`` is empty) and label. Made once per row path, so
    the strings (and their hashes, as keys of ``report.lines``) are not made again for
    every report."""
    prefix = path + "." if path else ""
    plan = (null_row(columns), tuple((column.key, prefix + column.key, column.label)
                                     for column in columns))
    if len(_ROW_PLANS) < ROW_PLANS_LIMIT:
        _ROW_PLANS[path] = (columns, plan)
    return plan


def _keep_stray_numbers(report: Report, label: str, row: LogicalRow, start: int, path: str,
                        lines: Sequence[str]) -> None:
    """Numbers printed before the row's label (before its values, at ``start``) fit no
    column: keep them and say so."""
    before = row.cells[:start]
    if not has_number(before):
        return
    stray = [i for i, c in enumerate(before) if not c.is_label and c.text and c.kind is NUMBER]
    if not stray:
        return
    shown = "、".join(before[i].text for i in stray)
    finding(report, "cell-count", f"{label}：行标签前的数字“{shown}”无法对应到任何列，"
            "保留在未解析内容中。", row.cell_lines[stray[0]], path or None, lines)
    for i in stray:
        report.unparsed.append(_unparsed(row.cell_lines[i], before[i].text, lines))


def _unparsed(line: int, text: str, lines: Sequence[str]) -> Unparsed:
    """A cell printed as ``text`` on ``line``, kept as its whole source line."""
    return Unparsed(line, lines[line - 1] if 0 < line <= len(lines) else text)


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
