"""The identities the templates state or imply (report-format.md).

Each identity is ``left terms = right terms`` over cell paths. With every term
printed it holds or is broken (an error). With exactly one term null it cannot be
verified (info) and the null term's value is offered in ``report.inferred``; with
more than one null it cannot be verified at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, groupby, repeat
from operator import itemgetter, ne, sub

from generator.model import Cell, Number, Report
from generator.tables import (
    APPLICANT_KEYS,
    APPLICATION_COLUMNS,
    APPLICATION_ROW_BY_KEY,
    OTHER_SUBROWS,
    OUTCOME_KEYS_2019,
    OUTCOME_KEYS_2021,
    REVIEW_COLUMN_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    application_rows,
)

TOLERANCE = 1e-6


Term = tuple[str, str, str]
"""A cell path split into table, row and column: ``("applications", "granted", "total")``;
a review group's cell has the table ``""`` and the group as its row (``("", "review", "total")``)."""

Read = tuple[str, tuple[str, ...], tuple[str, ...]]
"""Consecutive terms in one table: the table, then the rows and the columns of the terms
(parallel tuples), so their cells are read with one ``map`` (:func:`read_terms`)."""


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    """In Chinese, for messages: e.g. 自然人列：新收 + 上年结转 = 总计 + 结转下年度."""
    left: tuple[str, ...]
    right: tuple[str, ...]
    reads: tuple[Read, ...] = field(init=False, repr=False, compare=False)
    """The terms of ``left`` then ``right``, split once (:func:`split_path`) and grouped
    by table, so a check reads the report's nested tables without a path per cell."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads", group_reads(map(split_path, self.left + self.right)))


def split_path(path: str) -> Term:
    """A cell path as its :data:`Term`: ``applications.granted.total`` or ``review.total``."""
    parts = path.split(".")
    if len(parts) == 2:
        return "", parts[0], parts[1]
    table, row, column = parts
    return table, row, column


def group_reads(terms: Iterable[Term]) -> tuple[Read, ...]:
    """``terms`` in order, runs in the same table grouped into one :data:`Read`."""
    reads: list[Read] = []
    for table, group in groupby(terms, key=itemgetter(0)):
        run = list(group)
        reads.append((table, tuple(t[1] for t in run), tuple(t[2] for t in run)))
    return tuple(reads)


_NO_ROW: dict[str, Cell] = {}
"""What a row the report does not have reads as: every cell missing."""


def read_terms(identity: Identity, tables: dict[str, dict[str, dict[str, Cell]]]) -> list[Cell]:
    """The printed value of each term of ``identity`` (``left`` then ``right``), ``None``
    where the cell or its row is missing; ``tables`` is :func:`report_tables`."""
    values: list[Cell] = []
    for table, rows, columns in identity.reads:
        values.extend(map(dict.get, map(tables[table].get, rows, repeat(_NO_ROW)), columns))
    return values


def read_values(reads: tuple[Read, ...],
                tables: dict[str, dict[str, dict[str, Cell]]]) -> list[Cell]:
    """:func:`read_terms` over any run of :data:`Read` (:attr:`IdentityPlan.reads`)."""
    values: list[Cell] = []
    for table, rows, columns in reads:
        values.extend(map(dict.get, map(tables[table].get, rows, repeat(_NO_ROW)), columns))
    return values


@dataclass(frozen=True, slots=True)
class IdentityPlan:
    """Every identity a report's tables must satisfy, with all their terms read at once."""

    identities: tuple[Identity, ...]
    reads: tuple[Read, ...]
    """The terms of every identity in turn (``left`` then ``right``), grouped by table."""
    bounds: tuple[tuple[int, int, int], ...]
    """Each identity's terms among the values read: where ``left`` starts, where ``right``
    starts, where it ends."""
    cells: tuple[Read, ...] = ()
    """Every cell ``reads`` names, each once (a cell is a term of two or three identities)."""
    order: tuple[int, ...] = ()
    """For each term of ``reads``, its cell's place in ``cells`` (:func:`plan_values`)."""
    starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """Where each identity's ``left`` starts (``bounds`` by column, for :func:`broken_sums`)."""
    splits: tuple[int, ...] = field(init=False, repr=False, compare=False)
    ends: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts, splits, ends = zip(*self.bounds, strict=True) if self.bounds else ((), (), ())
        object.__setattr__(self, "starts", tuple(starts))
        object.__setattr__(self, "splits", tuple(splits))
        object.__setattr__(self, "ends", tuple(ends))


def plan_values(plan: IdentityPlan, tables: dict[str, dict[str, dict[str, Cell]]]) -> list[Cell]:
    """``read_values(plan.reads, tables)``, each cell read once and put at each of its
    terms (a third fewer reads of the report's tables)."""
    cells = read_values(plan.cells, tables)
    return list(map(cells.__getitem__, plan.order))


def broken_sums(plan: IdentityPlan, values: list[Cell]) -> list[int] | None:
    """The indices of ``plan``'s identities whose two sides differ, ``values`` being their
    terms read (:func:`read_values`), when all are ``int`` (else ``None``). Each side's sum
    is the difference of two running totals: exact for ``int``, so no tolerance (a
    ``float`` sum would depend on the order of its terms: then ``None``, as for a blank
    term)."""
    try:
        totals = list(accumulate(values, initial=0))
    except TypeError:  # a blank term
        return None
    if type(totals[-1]) is not int:  # a float term made every later total a float
        return None
    at = totals.__getitem__
    lefts = map(sub, map(at, plan.splits), map(at, plan.starts))
    rights = map(sub, map(at, plan.ends), map(at, plan.splits))
    return list(compress(range(len(plan.identities)), map(ne, lefts, rights)))


def identity_plan(report: Report) -> IdentityPlan:
    """The identities of ``report`` (:func:`application_identities`, then
    :func:`review_identities` when it has a review row), made once per shape."""
    with_review = bool(report.review or report.litigation_direct or report.litigation_after_review)
    if not report.applications:
        return _identity_plan(None, False, with_review)
    return _identity_plan(report.template or "2021", "other" in report.applications, with_review)


@lru_cache(maxsize=16)
def _identity_plan(template: str | None, has_other: bool, with_review: bool) -> IdentityPlan:
    identities = _application_identities(template, has_other) if template is not None else ()
    if with_review:
        identities += review_identities()
    bounds: list[tuple[int, int, int]] = []
    start = 0
    for identity in identities:
        end = start + len(identity.left) + len(identity.right)
        bounds.append((start, start + len(identity.left), end))
        start = end
    terms = [split_path(p) for identity in identities for p in identity.left + identity.right]
    places = {term: place for place, term in enumerate(dict.fromkeys(terms))}
    return IdentityPlan(identities, group_reads(terms), tuple(bounds), group_reads(places),
                        tuple(places[term] for term in terms))


def report_tables(report: Report) -> dict[str, dict[str, dict[str, Cell]]]:
    """The report's tables by the first item of a :data:`Term`: each a dict of rows, a row
    a dict of cells by column (the review groups are the rows of table ``""``)."""
    return {"applications": report.applications, "proactive": report.proactive,
            "": {group.key: getattr(report, group.key) for group in REVIEW_GROUPS}}


def _label(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "applications":
        return APPLICATION_ROW_BY_KEY[parts[1]].display
    column = next(c.label for c in REVIEW_COLUMNS if c.key == parts[1])
    group = next(g.label for g in REVIEW_GROUPS if g.key == parts[0])
    return f"{group}{column}"


def application_identities(report: Report) -> tuple[Identity, ...]:
    """The identities of the report's part 三 table (they depend on its shape only)."""
    if not report.applications:
        return ()
    return _application_identities(report.template or "2021", "other" in report.applications)


@lru_cache(maxsize=8)
def _application_identities(template: str, has_other: bool) -> tuple[Identity, ...]:
    return tuple(_build_application_identities(template, has_other))


def _build_application_identities(template: str, has_other: bool) -> Iterator[Identity]:
    """Per column: received + carried = total + forward; total = sum of outcomes. Per row:
    总计 = sum of applicant columns."""
    if template == "2021" and not has_other:
        outcomes = OUTCOME_KEYS_2021
    elif template == "2021":
        outcomes = tuple(k for k in OUTCOME_KEYS_2021 if k not in OTHER_SUBROWS) + ("other",)
    else:
        outcomes = OUTCOME_KEYS_2019
    for column in APPLICATION_COLUMNS:
        c = column.key
        yield Identity(f"{column.label}列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
                       (f"applications.new_received.{c}", f"applications.carried_over.{c}"),
                       (f"applications.total_handled.{c}", f"applications.carry_forward.{c}"))
        yield Identity(f"{column.label}列：（七）总计 = （一）至（六）各项之和",
                       (f"applications.total_handled.{c}",),
                       tuple(f"applications.{k}.{c}" for k in outcomes))
    rows = [r.key for r in application_rows(template)]
    if has_other and "other" not in rows:
        rows.append("other")
    for key in rows:
        yield Identity(f"{_label('applications.' + key)}：总计 = 各类申请人之和",
                       (f"applications.{key}.total",),
                       tuple(f"applications.{key}.{c}" for c in APPLICANT_KEYS))


def review_identities() -> tuple[Identity, ...]:
    """In each group, 总计 = 维持 + 纠正 + 其他 + 尚未审结 (built once)."""
    return _REVIEW_IDENTITIES


def _build_review_identities() -> Iterator[Identity]:
    for group in REVIEW_GROUPS:
        parts = tuple(f"{group.key}.{c}" for c in REVIEW_COLUMN_KEYS if c != "total")
        yield Identity(f"{group.label}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                       (f"{group.key}.total",), parts)


_REVIEW_IDENTITIES = tuple(_build_review_identities())


def flat_cells(report: Report) -> dict[str, Cell]:
    """Every table cell of the report by its data path."""
    out: dict[str, Cell] = {}
    for table in ("proactive", "applications"):
        rows: dict[str, dict[str, Cell]] = getattr(report, table)
        for row, cols in rows.items():
            _add_row(out, f"{table}.{row}.", cols)
    for group in REVIEW_GROUPS:
        _add_row(out, f"{group.key}.", getattr(report, group.key))
    return out


def _add_row(out: dict[str, Cell], prefix: str, cols: dict[str, Cell]) -> None:
    """One row's cells into ``out``, each under ``prefix`` + its column."""
    for col, value in cols.items():
        out[prefix + col] = value


def total(values: list[Number]) -> Number:
    result: Number = 0
    for v in values:
        result += v
    return round(result, 6) if isinstance(result, float) else result


def solve(identity: Identity, values: dict[str, Cell]) -> tuple[str, Number] | None:
    """The value of the one null term that makes the identity hold."""
    missing = [p for p in identity.left + identity.right if values[p] is None]
    if len(missing) != 1:
        return None
    gap = missing[0]
    left = total([v for p in identity.left if (v := values[p]) is not None])
    right = total([v for p in identity.right if (v := values[p]) is not None])
    value = right - left if gap in identity.left else left - right
    value = round(value, 6) if isinstance(value, float) else value
    return gap, value
