"""Cell values and the key figures shown in comparison tables.

A cell is a number or ``None`` (blank: shown as "—", never 0). A value the checker
inferred stays apart from the printed cells. Key figures are read from the 总计
column; a figure that sums several rows is *partial* when some of them are blank.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.errors import UsageError
from generator.model import Head, Number, Report
from generator.tables import (
    APPLICATION_ROWS,
    G_OTHER,
    G_REJECTED,
    G_UNAVAILABLE,
    G_WITHHELD,
    REVIEW_GROUPS,
)

TOTAL = "total"
_TABLES = frozenset({"applications", "proactive"} | {g.key for g in REVIEW_GROUPS})
IDENTITY_BROKEN = "identity-broken"
UNVERIFIABLE = frozenset({"identity-unverifiable", "value-inferred"})
"""Codes that say an identity could not be checked (a term was blank)."""


def as_number(value: object) -> Number | None:
    """``value`` if it is a finite number (not a bool), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def format_number(value: Number) -> str:
    """A number as plain digits: no exponent, no thousands separator, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@functools.cache
def _route(path: str) -> tuple[str, tuple[str, ...]]:
    """(the report's table attribute, keys below it) of a data path; no attribute ("")
    where the path names no cell of a table."""
    parts = path.split(".")
    return (parts[0] if parts[0] in _TABLES and len(parts) > 1 else ""), tuple(parts[1:])


def cell_value(report: Report, path: str) -> object:
    """The raw value at a data path (``applications.granted.total``), or ``None``."""
    attr, keys = _route(path)
    node: object = getattr(report, attr, None) if attr else None
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def inferred_values(report: Report) -> dict[str, Number]:
    """Path -> inferred value (the first one given for a path)."""
    out: dict[str, Number] = {}
    for item in report.inferred:
        value = as_number(item.value)
        if value is not None and item.path not in out:
            out[item.path] = value
    return out


@dataclass(frozen=True, slots=True)
class Figure:
    """One key figure of one report."""

    value: Number | None
    """The printed value (or the sum of the printed terms); ``None`` when blank."""
    partial: bool = False
    """Some terms of the sum are blank: ``value`` is the sum of the others."""
    inferred: Number | None = None
    """When ``value`` is blank: the value inferred for it, if any."""


_FIGURES: dict[tuple[int | None, bool, int | None], Figure] = {}
"""Figures of whole numbers already made: most repeat (blank, 0, small counts), and a
frozen figure can be shared (making one costs more than the rest of its sum)."""


def shared_figure(value: Number | None, partial: bool, inferred: Number | None) -> Figure:
    """``Figure(value, partial, inferred)``, shared with an equal one made before when
    both numbers are ``int`` or ``None`` (a float is never shared: 1.0 and -0.0 would
    meet 1 and 0.0)."""
    if isinstance(value, float) or isinstance(inferred, float):
        return Figure(value, partial, inferred)
    key = (value, partial, inferred)
    figure = _FIGURES.get(key)
    if figure is None:
        figure = _FIGURES[key] = Figure(value, partial, inferred)
    return figure


class StoredFigures(Mapping[str, "Figure"]):
    """Key figures as a stored summary holds them (rows ``[value, partial, inferred]`` in
    :data:`KEY_COLUMNS` order), made into figures when first read: a rebuild decodes ten
    thousand summaries, and only the pages it renders again show their figures.

    Rows that cannot be made into figures (a damaged cache) raise :class:`UsageError`
    when read, as a damaged cache entry does (``cache.entry_parts``)."""

    __slots__ = ("_figures", "_rows")

    def __init__(self, rows: Sequence[Sequence[Any]]) -> None:
        if len(rows) != len(_KEY_NAMES):
            raise ValueError("summary with a wrong number of key figures")
        self._rows = rows
        self._figures: dict[str, Figure] | None = None

    def _made(self) -> dict[str, Figure]:
        if self._figures is None:
            try:
                self._figures = figures_from_rows(self._rows)
            except (TypeError, ValueError) as exc:
                raise UsageError(f"缓存中的关键数字无法读取（{exc}），请用 --no-cache 重新构建") from exc
        return self._figures

    def __getitem__(self, key: str) -> Figure:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_KEY_NAMES)

    def __len__(self) -> int:
        return len(_KEY_NAMES)


def figures_from_rows(rows: Sequence[Sequence[Any]]) -> dict[str, Figure]:
    """Key figures by key from their stored rows, ``[value, partial, inferred]`` in
    :data:`KEY_COLUMNS` order, as :func:`shared_figure` makes them (a rebuild decodes ten
    thousand reports' figures: one made before is found with a single lookup).
    ``ValueError`` if there are not as many rows as key figures."""
    if len(rows) != len(_KEY_NAMES):
        raise ValueError("summary with a wrong number of key figures")
    known = _FIGURES.get
    out: dict[str, Figure] = {}
    for name, (value, partial, inferred) in zip(_KEY_NAMES, rows, strict=True):
        figure = None
        if type(value) is not float and type(inferred) is not float:
            figure = known((value, partial, inferred))
        out[name] = figure if figure is not None else shared_figure(value, bool(partial),
                                                                     inferred)
    return out


def _numbers(report: Report, paths: tuple[str, ...]) -> list[Number | None]:
    """``as_number(cell_value(report, p))`` for every path (``cell_value`` unrolled: this
    makes 30 cells a report; an ``int``, what most cells hold, taken as it is)."""
    out: list[Number | None] = []
    for path in paths:
        attr, keys = _route(path)
        node: object = getattr(report, attr, None) if attr else None
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        out.append(node if type(node) is int else as_number(node))
    return out


def sum_figure(report: Report, paths: tuple[str, ...], inferred: dict[str, Number]) -> Figure:
    """The sum of the cells at ``paths`` as a :class:`Figure`."""
    values = _numbers(report, paths)
    known = [v for v in values if v is not None]
    if known:
        return shared_figure(_add(known), len(known) < len(values), None)
    guesses = [inferred.get(p) for p in paths]
    if paths and all(g is not None for g in guesses):
        return shared_figure(None, False, _add([g for g in guesses if g is not None]))
    return shared_figure(None, False, None)


def _add(values: list[Number]) -> Number:
    """Sum that stays ``int`` for ints and avoids float noise otherwise (a sum of numbers
    is an ``int`` exactly when every one of them is: a ``float`` makes it a ``float``)."""
    total = sum(values)
    return total if type(total) is int else round(math.fsum(values), 6)


@functools.cache
def _rows(group: str) -> tuple[str, ...]:
    return tuple(f"applications.{r.key}.{TOTAL}" for r in APPLICATION_ROWS if r.group == group)


def _other_paths(report: Report) -> tuple[str, ...]:
    """（六）其他处理: the single row where the report has it, else the sub-rows."""
    if "other" in report.applications:
        return (f"applications.other.{TOTAL}",)
    return _rows(G_OTHER)


def _app(key: str) -> Callable[[Report], tuple[str, ...]]:
    paths = (f"applications.{key}.{TOTAL}",)
    return lambda _report: paths


def _group(group: str) -> Callable[[Report], tuple[str, ...]]:
    return lambda _report: _rows(group)


def _review(column: str, *groups: str) -> Callable[[Report], tuple[str, ...]]:
    paths = tuple(f"{g}.{column}" for g in groups)
    return lambda _report: paths


_LITIGATION = ("litigation_direct", "litigation_after_review")


@dataclass(frozen=True, slots=True)
class KeyColumn:
    """A column of the comparison tables."""

    key: str
    label: str
    """Column heading."""
    description: str
    """How it is computed, for the data dictionary."""
    paths: Callable[[Report], tuple[str, ...]]


KEY_COLUMNS: tuple[KeyColumn, ...] = (
    KeyColumn("new_received", "新收申请", "一、本年新收申请数（总计列）", _app("new_received")),
    KeyColumn("carried_over", "上年结转", "二、上年结转申请数（总计列）", _app("carried_over")),
    KeyColumn("granted", "予以公开", "（一）予以公开（总计列）", _app("granted")),
    KeyColumn("partially_granted", "部分公开", "（二）部分公开（总计列）",
              _app("partially_granted")),
    KeyColumn("withheld", "不予公开", "（三）不予公开 1–8 项之和（总计列）", _group(G_WITHHELD)),
    KeyColumn("unavailable", "无法提供", "（四）无法提供 1–3 项之和（总计列）",
              _group(G_UNAVAILABLE)),
    KeyColumn("rejected", "不予处理", "（五）不予处理 1–5 项之和（总计列）", _group(G_REJECTED)),
    KeyColumn("other", "其他处理", "（六）其他处理（2021 年模板为 1–3 项之和）（总计列）",
              _other_paths),
    KeyColumn("carry_forward", "结转下年度", "四、结转下年度继续办理（总计列）",
              _app("carry_forward")),
    KeyColumn("review_total", "行政复议", "行政复议总计", _review(TOTAL, "review")),
    KeyColumn("review_corrected", "复议纠正", "行政复议结果纠正", _review("corrected", "review")),
    KeyColumn("litigation_total", "行政诉讼", "行政诉讼总计（直接起诉与复议后起诉之和）",
              _review(TOTAL, *_LITIGATION)),
    KeyColumn("litigation_corrected", "诉讼纠正", "行政诉讼结果纠正（两类之和）",
              _review("corrected", *_LITIGATION)),
)
KEY_COLUMN_BY_KEY = {c.key: c for c in KEY_COLUMNS}
_KEY_NAMES = tuple(c.key for c in KEY_COLUMNS)


def key_figures(report: Report) -> dict[str, Figure]:
    """Every key figure of ``report``, by :data:`KEY_COLUMNS` key."""
    inferred = inferred_values(report)
    return {c.key: sum_figure(report, c.paths(report), inferred) for c in KEY_COLUMNS}


def identity_state(report: Head) -> str:
    """``broken`` (an identity fails), ``unverifiable`` (one could not be checked) or ``ok``."""
    codes = {f.code for f in report.findings}
    if IDENTITY_BROKEN in codes:
        return "broken"
    if codes & UNVERIFIABLE:
        return "unverifiable"
    return "ok"
