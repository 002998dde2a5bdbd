"""Part 二: proactive disclosure, and the template it reveals.

The column labels of part 二 decide the template (report-format.md): a 2019 column
is never stored under a 2021 key, because each item's columns come from the one
template detected.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from generator.model import Report
from generator.parsing.cells import finding, keep_unplaced, store_row
from generator.parsing.layout import LogicalRow, any_text
from generator.parsing.text import compact_joined, label_key
from generator.tables import PROACTIVE_ITEMS, TEMPLATE_MARKERS, Item

WHERE = "第二部分表格"
HEADER_WORDS = ("信息内容", "第二十条")


def count_markers(lines: Sequence[str]) -> dict[str, int]:
    """How many of each template's part-二 labels the lines print."""
    text = compact_joined(lines)
    return {t: sum(1 for m in markers if m in text) for t, markers in TEMPLATE_MARKERS.items()}


@lru_cache(maxsize=65536)
def match_item(label: str, template: str) -> Item | None:
    key = label_key(label)
    for item in PROACTIVE_ITEMS[template]:
        if key in item.match:
            return item
    return None


_MARKERS = {m for ms in TEMPLATE_MARKERS.values() for m in ms}
"""Every template's part-二 labels."""


def _is_header(row: LogicalRow) -> bool:
    labels = row.labels()
    if any(w in label_key(c.text) for c in labels for w in HEADER_WORDS):
        return True
    markers = _MARKERS
    return bool(labels) and all(any(m in label_key(c.text) for m in markers) or
                                "采购" in c.text or "收费金额" in c.text for c in labels)


def parse_proactive(report: Report, rows: Sequence[LogicalRow], template: str,
                    lines: Sequence[str], heading_line: int | None) -> None:
    """Fill ``report.proactive`` for ``template``; every item present, null if lost."""
    found: dict[str, dict[str, int | float | None]] = {}

    def names(text: str) -> Item | None:
        return match_item(text, template)

    for row in rows:
        item, named_by = row.last_label(names)
        if item is None or named_by is None:
            labels = row.labels()
            if not labels and not any_text(row.cells):
                continue
            if not labels or not _is_header(row) or row.has_number():
                keep_unplaced(report, row, lines, WHERE)
            continue
        if item.key in found:
            finding(report, "row-duplicate", f"“{item.label}”在第二部分表格中出现了两次，保留第一次。",
                    row.line, f"proactive.{item.key}", lines)
            keep_unplaced(report, row, lines, WHERE, quiet=True)
            continue
        found[item.key] = store_row(report, f"proactive.{item.key}", item.label, row, item.columns,
                                    row.values_after(named_by, len(item.columns)), lines)
    _complete(report, found, template, heading_line, lines)


def _complete(report: Report, found: dict[str, dict[str, int | float | None]], template: str,
              heading_line: int | None, lines: Sequence[str]) -> None:
    items = PROACTIVE_ITEMS[template]
    if not found:
        finding(report, "table-missing", "第二部分（主动公开政府信息情况）的表格内容缺失，"
                "所有单元格记为空。", heading_line, "proactive", lines)
    for item in items:
        if item.key not in found and found:
            finding(report, "row-missing", f"第二部分表格缺少“{item.label}”一行，该行单元格记为空。",
                    heading_line, f"proactive.{item.key}", lines)
        report.proactive[item.key] = found.get(item.key, {c.key: None for c in item.columns})
