"""Part 三: requests received and how they were handled.

Rows are found by their labels (tables.APPLICATION_ROWS), never by position, so a
label printed in another column, a lost header or shuffled rows still map right.
Columns follow the header when one is printed in another order.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from generator.model import Cell, Report, Unparsed
from generator.parsing.cells import finding, keep_unplaced, null_row, store_row
from generator.parsing.layout import LogicalRow, PrintedCell, any_text
from generator.parsing.text import label_key
from generator.tables import (
    APPLICATION_COLUMNS,
    APPLICATION_ROW_BY_KEY,
    APPLICATION_ROWS,
    GROUP_HEADINGS,
    Column,
    Row,
    application_rows,
)

HEADER_WORDS = ("申请人情况", "勾稽关系", "自然人", "法人或其他组织", "商业企业", "科研机构")
WHERE = "第三部分表格"


@lru_cache(maxsize=65536)
def match_row(label: str) -> Row | None:
    """The template row a printed label names, or ``None``."""
    key = label_key(label)
    if not key:
        return None
    for row in APPLICATION_ROWS:
        if row.key == "other":
            continue
        if row.exact:
            if key in row.match:
                return row
        elif any(m in key for m in row.match):
            return row
    if any(m in key for m in APPLICATION_ROWS_BY_KEY_OTHER.match):
        return APPLICATION_ROWS_BY_KEY_OTHER
    return None


APPLICATION_ROWS_BY_KEY_OTHER = next(r for r in APPLICATION_ROWS if r.key == "other")

_PATH = {row.key: f"applications.{row.key}" for row in APPLICATION_ROWS}
"""Each row's data path."""
_DISPLAY = {row.key: row.display for row in APPLICATION_ROWS}
"""Each row's label as messages show it (``Row.display``, worked out once)."""


def _is_header(labels: Sequence[PrintedCell]) -> bool:
    return any(_is_header_label(c.text) for c in labels)


@lru_cache(maxsize=4096)
def _is_header_label(text: str) -> bool:
    key = label_key(text)
    return any(w in key for w in HEADER_WORDS)


_GROUP_KEYS = frozenset(m for ms in GROUP_HEADINGS.values() for m in ms)


def _is_group_heading(labels: Sequence[PrintedCell]) -> bool:
    return all(label_key(c.text) in _GROUP_KEYS for c in labels)


def parse_applications(report: Report, rows: Sequence[LogicalRow], template: str,
                       lines: Sequence[str], heading_line: int | None) -> None:
    """Fill ``report.applications`` from the rows of part 三."""
    columns = APPLICATION_COLUMNS
    found: dict[str, dict[str, Cell]] = {}
    for row in rows:
        _place(report, row, columns, found, lines, template)
    _complete(report, found, template, heading_line, lines)


def _place(report: Report, row: LogicalRow, columns: tuple[Column, ...],
           found: dict[str, dict[str, Cell]], lines: Sequence[str], template: str) -> None:
    after_labels = row.values_after_labels()  # 0: the row has no label
    values = row.cells[after_labels:]
    has_values = any_text(values)
    if not after_labels:
        if has_values:
            keep_unplaced(report, row, lines, WHERE)
        return
    target, label = row.last_label(match_row)  # the most specific label that names a row
    if target is None or label is None or (not has_values and len(values) < len(columns)):
        labels = row.labels()
        if (_is_header(labels) or _is_group_heading(labels)) and not row.has_number():
            return
        keep_unplaced(report, row, lines, WHERE)
        return
    if template not in target.templates:
        printed = "、".join(v.text or "（空）" for v in values)
        finding(report, "template-mixed", f"“{target.display}”不属于 {template} 年模板，"
                f"该行数据（{printed}）保留在未解析内容中。", row.line,
                f"applications.{target.key}", lines)
        keep_unplaced(report, row, lines, WHERE, quiet=True)
        return
    if target.key in found:
        finding(report, "row-duplicate", f"“{target.display}”在表中出现了两次，保留第一次的数据。",
                row.line, f"applications.{target.key}", lines)
        keep_unplaced(report, row, lines, WHERE)
        return
    found[target.key] = store_row(report, _PATH[target.key], _DISPLAY[target.key], row,
                                  columns, row.values_after(label, len(columns)), lines)


def _complete(report: Report, found: dict[str, dict[str, Cell]], template: str,
              heading_line: int | None, lines: Sequence[str]) -> None:
    """Every row of the template present; missing ones null with a finding."""
    expected = list(_expected_rows(template))
    single_other = template == "2021" and "other" in found and not any(
        k in found for k in ("other_no_correction", "other_unpaid_fee", "other_misc"))
    if single_other:
        finding(report, "other-single-row", "本报告使用 2021 年模板，但把“（六）其他处理”印成一行；"
                "数据记在 other 下，三个子项记为空。", None, "applications.other", lines)
        expected.insert(expected.index(next(r for r in expected if r.key == "total_handled")),
                        APPLICATION_ROWS_BY_KEY_OTHER)
    if not found:
        finding(report, "table-missing", "第三部分（收到和处理政府信息公开申请情况）的表格缺失，"
                "所有单元格记为空。", heading_line, "applications", lines)
    for row in expected:
        if row.key not in found and found and not (single_other and row.key.startswith("other_")):
            finding(report, "row-missing", f"表中缺少“{row.display}”一行，该行单元格记为空。",
                    heading_line, f"applications.{row.key}", lines)
        report.applications[row.key] = (found[row.key] if row.key in found
                                        else null_row(APPLICATION_COLUMNS))
    _keep_rows_left_out(report, found, {r.key for r in expected}, lines)


@lru_cache(maxsize=8)
def _expected_rows(template: str) -> tuple[Row, ...]:
    """:func:`application_rows`, worked out once per template."""
    return application_rows(template)


def _keep_rows_left_out(report: Report, found: dict[str, dict[str, Cell]], kept: set[str],
                        lines: Sequence[str]) -> None:
    """A row read but not stored (（六）其他处理 as one row beside its own sub-rows): its
    cells go back to ``unparsed``, named in a finding, instead of vanishing."""
    for key in sorted(set(found) - kept):
        prefix = f"applications.{key}."
        numbers = sorted({report.lines.pop(p) for p in list(report.lines) if p.startswith(prefix)})
        printed = "、".join("空" if v is None else str(v) for v in found[key].values())
        display = APPLICATION_ROW_BY_KEY[key].display
        finding(report, "template-mixed", f"“{display}”与它在 {report.template} 年模板中的子项同时出现，"
                f"该行数据（{printed}）保留在未解析内容中。", numbers[0] if numbers else None,
                f"applications.{key}", lines)
        report.unparsed.extend(Unparsed(n, lines[n - 1]) for n in numbers)
