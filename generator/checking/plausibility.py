"""Values that are printed but cannot be right: negative counts, amounts in odd units."""

from __future__ import annotations

from generator.findings import severity_of
from generator.model import Cell, Report
from generator.tables import REVIEW_GROUPS, SIGNED_COLUMNS

MAX_AMOUNT_10K_YUAN = 1_000_000
"""An amount in 万元 above this (100 亿元) is implausible for one body's fees or purchases."""


def check_plausibility(report: Report) -> None:
    """Negative counts, fractional counts, amounts in implausible units."""
    for table in ("proactive", "applications"):
        rows: dict[str, dict[str, Cell]] = getattr(report, table)
        for row, cols in rows.items():
            _check_row(report, f"{table}.", row, cols)
    for group in REVIEW_GROUPS:
        _check_row(report, "", group.key, getattr(report, group.key))
    _check_amounts(report)


def _check_row(report: Report, table: str, row: str, cols: dict[str, Cell]) -> None:
    """One row's cells, in the order :func:`~generator.checking.identities.flat_cells` lists
    them; a cell's path (``table`` + ``row.column``) is only made for a value that is flagged."""
    for column, value in cols.items():
        if value is None or (type(value) is int and value >= 0):
            continue
        _check_value(report, f"{table}{row}.{column}", column, value)


def _check_value(report: Report, path: str, column: str, value: int | float) -> None:
    """A negative count, or a fractional one, at ``path``."""
    if value < 0 and column not in SIGNED_COLUMNS:
        report.add(severity_of("value-negative"), "value-negative",
                   f"{path} 为负数（{value}），计数不应为负。", report.lines.get(path), path)
    elif isinstance(value, float) and not column.startswith("amount") and \
            not value.is_integer():
        report.add(severity_of("value-implausible"), "value-implausible",
                   f"{path} 为小数（{value}），件数应为整数。", report.lines.get(path), path)


def _check_amounts(report: Report) -> None:
    fees = report.proactive.get("fees", {}).get("amount_10k_yuan")
    if fees is not None and fees > MAX_AMOUNT_10K_YUAN:
        path = "proactive.fees.amount_10k_yuan"
        report.add(severity_of("value-implausible"), "value-implausible",
                   f"行政事业性收费金额为 {fees} 万元（超过 100 亿元），可能单位有误。",
                   report.lines.get(path), path)
    path = "proactive.procurement.amount"
    amount = report.proactive.get("procurement", {}).get("amount")
    printed = report.proactive_text.get(path)
    if amount is None:
        return
    in_10k = printed is not None and "万" in printed
    yuan = amount * 10_000 if in_10k else amount
    if yuan > MAX_AMOUNT_10K_YUAN * 10_000:
        shown = printed or str(amount)
        report.add(severity_of("value-implausible"), "value-implausible",
                   f"政府集中采购总金额印为“{shown}”，折合约 {yuan / 1e8:,.0f} 亿元，"
                   "与一个机关的采购规模不符，可能单位有误。", report.lines.get(path), path)
