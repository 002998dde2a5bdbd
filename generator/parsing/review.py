"""Part 四: administrative reviews and lawsuits, 15 cells in one row.

The header rows (行政复议 / 行政诉讼, 未经复议直接起诉 / 复议后起诉, 结果维持 ...) are
recognised and skipped; the data row is the row of 15 cells without labels, or the
cells after the labels of a header row that holds numbers (a lost line break joined
the header to the data).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from generator.model import Cell, Report
from generator.parsing.cells import finding, keep_unplaced, store_row
from generator.parsing.layout import LogicalRow, any_text, has_number
from generator.parsing.text import label_key
from generator.tables import REVIEW_COLUMNS, REVIEW_GROUPS, Column

WHERE = "第四部分表格"
HEADER_WORDS = ("行政复议", "行政诉讼", "直接起诉", "复议后起诉", "结果维持", "结果纠正", "维持",
                "纠正", "其他结果", "尚未审结", "总计")


def _is_header(row: LogicalRow) -> bool:
    return all(_is_header_label(c.text) for c in row.labels())


@lru_cache(maxsize=4096)
def _is_header_label(text: str) -> bool:
    key = label_key(text)
    return any(w in key for w in HEADER_WORDS)


def _all_columns() -> tuple[Column, ...]:
    return tuple(Column(f"{g.key}.{c.key}", f"{g.label} {c.label}") for g in REVIEW_GROUPS
                 for c in REVIEW_COLUMNS)


ALL_COLUMNS = _all_columns()
"""The 15 cells of the data row, as ``group.column``."""


def parse_review(report: Report, rows: Sequence[LogicalRow], lines: Sequence[str],
                 heading_line: int | None) -> None:
    """Fill ``review``, ``litigation_direct`` and ``litigation_after_review``."""
    data: LogicalRow | None = None
    start = 0
    for row in rows:
        values = 0
        if row.labels():
            if not row.has_number() and _is_header(row):
                continue
            values = row.values_after_labels()
            if not _is_header(row) or data is not None or not has_number(row.cells[values:]):
                keep_unplaced(report, row, lines, WHERE)
                continue
        if not any_text(row.cells[values:]):
            continue
        if data is None:
            data, start = row, values
        else:
            keep_unplaced(report, row, lines, WHERE)
    cells: dict[str, Cell] = {}
    if data is None:
        finding(report, "table-missing", "第四部分（行政复议、行政诉讼情况）的表格数据缺失，"
                "所有单元格记为空。", heading_line, "review", lines)
    else:
        cells = store_row(report, "", "行政复议、行政诉讼", data, ALL_COLUMNS, start, lines)
    for group in REVIEW_GROUPS:
        setattr(report, group.key, {c.key: cells.get(f"{group.key}.{c.key}") for c in REVIEW_COLUMNS})
