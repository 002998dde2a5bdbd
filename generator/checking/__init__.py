"""Checking: identities and plausibility -> findings and inferred values.

Runs after parsing and after the publisher's corrections, so a corrected report
is checked as corrected. Adds findings; never changes a cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.checking.identities import (
    TOLERANCE,
    Identity,
    IdentityPlan,
    broken_sums,
    identity_plan,
    plan_values,
    read_terms,
    report_tables,
    solve,
    total,
)
from generator.checking.plausibility import check_plausibility
from generator.findings import severity_of
from generator.model import Cell, Inferred, Report

__all__ = ["check_report"]


def check_report(report: Report) -> None:
    """Check every identity and plausibility rule of ``report``.

    The terms of all identities are read at once (:func:`identity_plan`); an identity
    whose terms are all printed and hold is done with, the others are checked one by
    one by :func:`_check`, which reads their terms again and finds the same values.
    """
    if report.template is None:
        return
    plan = identity_plan(report)
    tables = report_tables(report)
    values = plan_values(plan, tables)
    for index in _to_check(plan, values):
        _check(report, plan.identities[index], tables)
    check_plausibility(report)


def _to_check(plan: IdentityPlan, values: list[Cell]) -> list[int]:
    """The indices of the identities of ``plan`` that have a blank term or do not hold
    (``values``: their terms as read). When every term is an ``int`` (nearly always),
    all sums are taken at once (:func:`broken_sums`)."""
    found = broken_sums(plan, values)
    return each_to_check(plan, values) if found is None else found


def each_to_check(plan: IdentityPlan, values: list[Cell]) -> list[int]:
    """:func:`_to_check` one identity at a time, its sides summed apart (a blank term, a
    ``float``)."""
    out: list[int] = []
    for index, (start, split, end) in enumerate(plan.bounds):
        left, right = values[start:split], values[split:end]
        if None in left or None in right or \
                abs(sum(left) - sum(right)) > TOLERANCE:  # type: ignore[arg-type]
            out.append(index)
    return out


def _fmt(values: Iterable[Cell]) -> str:
    return " + ".join("空" if v is None else _num(v) for v in values)


def _num(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def _shown(identity: Identity, values: dict[str, Cell]) -> str:
    """The identity with its values, for a message: 名称（2 + 0 对比 2 + 空）."""
    return (f"{identity.name}（{_fmt(values[p] for p in identity.left)} 对比 "
            f"{_fmt(values[p] for p in identity.right)}）")


def _check(report: Report, identity: Identity,
           tables: dict[str, dict[str, dict[str, Cell]]]) -> None:
    """One identity: holds, broken, or unverifiable (with the one blank term inferred)."""
    printed = read_terms(identity, tables)
    if None not in printed:
        split = len(identity.left)
        if abs(sum(printed[:split]) - sum(printed[split:])) <= TOLERANCE:  # type: ignore[arg-type]
            return
    values = dict(zip(identity.left + identity.right, printed, strict=True))
    line = next((report.lines[p] for p in identity.left + identity.right if p in report.lines),
                None)
    nulls = [p for p, v in values.items() if v is None]
    if not nulls:
        left = total([v for p in identity.left if (v := values[p]) is not None])
        right = total([v for p in identity.right if (v := values[p]) is not None])
        if abs(left - right) > TOLERANCE:
            shown = _shown(identity, values)
            _add(report, "identity-broken", f"勾稽关系不成立：{shown}，左边 {_num(left)}，"
                 f"右边 {_num(right)}。", line, identity.left[0])
        return
    if len(values) == len(nulls):
        return
    shown = _shown(identity, values)
    solved = solve(identity, values)
    if solved is None:
        _add(report, "identity-unverifiable", f"无法核验：{shown}，有 {len(nulls)} 项为空。",
             line, nulls[0])
        return
    path, value = solved
    if value < 0:
        _add(report, "identity-unverifiable", f"无法核验：{shown}；按此关系空白项应为 {_num(value)}，"
             "为负数，数据之间有矛盾。", line, path)
        return
    _infer(report, identity, shown, path, value, line)


def _infer(report: Report, identity: Identity, shown: str, path: str, value: int | float,
           line: int | None) -> None:
    existing = next((i for i in report.inferred if i.path == path), None)
    if existing is not None:
        if existing.value != value:
            _add(report, "identity-unverifiable", f"无法核验：{shown}；按此关系空白项应为 "
                 f"{_num(value)}，与另一关系推算的 {_num(existing.value)} 不一致。", line, path)
        return
    report.inferred.append(Inferred(path, value, identity.name))
    _add(report, "value-inferred", f"无法直接核验：{shown}。按此关系推算空白项为 {_num(value)}"
         "（仅供参考，原表该格为空）。", line, path)


def _add(report: Report, code: str, message: str, line: int | None, path: str | None) -> None:
    report.add(severity_of(code), code, message, line, path)
