"""The three tables of a report in the official layout, as HTML with merged cells.

The layout is drawn from ``generator.tables`` and is the same for every report of
a template, whatever the source looked like. Tables are wrapped in
``<div class="report-table report-<kind>" data-search-exclude>``, out of search; the
table has the class ``official`` (styled by the site's CSS, not as a theme table).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from generator.rendering.cells import NO_TEXTS, CellNotes, CellRow, plain_numbers, row_tds
from generator.rendering.escape import html_text
from generator.rendering.markup import element
from generator.tables import (
    APPLICATION_COLUMNS,
    G_OTHER,
    G_RESULTS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Column,
    application_rows,
)

IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
CONTENT = "信息内容"
OTHER_AS_ONE = "原文合为一行（未分项）"


Segment = tuple[str, CellRow]
"""Data cells of a row: the key of their values in the report's table, and the cells."""


@dataclass(frozen=True, slots=True)
class _Row:
    """One row of a table's layout, the same for every report of a template: its
    heading cells, then its data cells (none in a header row)."""

    heads: str
    """The row's ``<th>`` cells (trusted labels), before its data cells."""
    data: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class _Layout:
    """A whole table, the same for every report of a template, written once with a
    ``%s`` slot for each data segment (``by_segment``) and a ``%d`` slot for the number
    in each data cell (``by_number``), filled with ``%``."""

    segments: tuple[Segment, ...]
    by_segment: str
    by_number: str
    paths: frozenset[str]
    """Every data cell's path."""

    @classmethod
    def of(cls, kind: str, rows: Sequence[_Row]) -> _Layout:
        """The layout of ``rows`` in a table of ``kind`` (:func:`wrap_table`)."""
        segments = tuple(seg for row in rows for seg in row.data)
        heads = [row.heads.replace("%", "%%") for row in rows]
        by_segment = [h + "%s" * len(row.data) for h, row in zip(heads, rows, strict=True)]
        by_number = [h + "".join(_number_slot(span) for _, cells in row.data for span in cells.spans)
                     for h, row in zip(heads, rows, strict=True)]
        return cls(segments, wrap_table(kind, by_segment), wrap_table(kind, by_number),
                   frozenset(path for _, cells in segments for path in cells.paths))

    def render(self, notes: CellNotes, table: Mapping[str, object],
               texts: Mapping[str, str] = NO_TEXTS) -> str:
        """The table of a report whose values are in ``table`` (row key -> dict);
        ``texts``: printed forms of numbers by path (see :func:`cell_td`)."""
        numbers = plain_numbers(notes, table, self.segments, self.paths, texts)
        if numbers is not None:
            return self.by_number % tuple(numbers)
        return self.by_segment % tuple([row_tds(notes, table.get(key), cells, texts)
                                        for key, cells in self.segments])


def _number_slot(span: int) -> str:
    """A slot for a plain number as :func:`cell_td` writes it in a cell of ``span`` columns
    (``%d`` of an ``int`` is its ``str``)."""
    return "<td>%d</td>" if span == 1 else f'<td colspan="{span}">%d</td>'


@functools.lru_cache(maxsize=1024)
def th(label: str, rowspan: int = 1, colspan: int = 1) -> str:
    """A header cell with a (trusted) label."""
    return element("th", html_text(label), rowspan=rowspan, colspan=colspan)


def wrap_table(kind: str, rows: list[str], official: bool = True) -> str:
    """The rows as one table, one row per line, no blank line (one raw HTML block).

    ``official`` tables get the class ``official``; others none, so the theme styles
    them as ordinary tables.
    """
    body = "<tr>" + "</tr>\n<tr>".join(rows) + "</tr>" if rows else ""
    table = '<table class="official">' if official else "<table>"
    return (f'<div class="report-table report-{kind}" data-search-exclude>\n'
            f'{table}\n{body}\n</table>\n</div>')


# --- Part 二 --------------------------------------------------------------------------

def proactive_table(notes: CellNotes, template: str) -> str:
    """Part 二: one sub-table per article (第二十条第（X）项), in one HTML table."""
    report = notes.report
    return _proactive_layout(template).render(notes, report.proactive, report.proactive_text)


@functools.cache
def _proactive_layout(template: str) -> _Layout:
    """Part 二's rows for ``template``: per article a heading row, a column header row,
    then a row per item."""
    items = PROACTIVE_ITEMS[template]
    width = 1 + max(len(i.columns) for i in items)
    rows: list[_Row] = []
    for article, group in groupby(items, key=lambda i: i.article):
        members = list(group)
        rows.append(_Row(th(article, colspan=width)))
        heads = [th(col.label, colspan=span) for col, span in _spread(members[0].columns, width - 1)]
        rows.append(_Row(th(CONTENT) + "".join(heads)))
        rows += [_Row(th(item.label), ((item.key, CellRow.of(
                     [(col.key, f"proactive.{item.key}.{col.key}", span)
                      for col, span in _spread(item.columns, width - 1)])),))
                 for item in members]
    return _Layout.of("proactive", rows)


def _spread(columns: tuple[Column, ...], width: int) -> list[tuple[Column, int]]:
    """``columns`` with their spans over ``width`` slots: the last one takes the rest."""
    last = len(columns) - 1
    return [(col, width - last if n == last else 1) for n, col in enumerate(columns)]


# --- Part 三 --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Line:
    key: str
    group: str | None
    """None (top level), G_RESULTS, or a sub-group heading such as （三）不予公开."""
    label: str


def _lines(template: str, other: bool) -> list[_Line]:
    """The rows of ``template``, with the single （六） row ``other`` when a 2021 report has it."""
    out = [_Line(r.key, r.group, r.full_label) for r in application_rows(template)]
    if template == "2021" and other:
        at = max(i for i, line in enumerate(out) if line.group == G_OTHER) + 1
        out.insert(at, _Line("other", G_OTHER, OTHER_AS_ONE))
    return out


def applications_table(notes: CellNotes, template: str) -> str:
    """Part 三 with the official three-row header and nested row headings."""
    values = notes.report.applications
    layout = _applications_layout(template, template == "2021" and "other" in values)
    return layout.render(notes, values)


@functools.cache
def _applications_layout(template: str, other: bool) -> _Layout:
    """Part 三's rows for ``template`` (``other``: with the single （六） row): the
    header, then a row per line with its nested headings."""
    lines = _lines(template, other)
    results = [ln for ln in lines if ln.group is not None]
    rows = [_Row(h) for h in _applications_header()]
    for n, line in enumerate(lines):
        heads = ""
        if line.group is None:
            heads = th(line.label, colspan=3)
        else:
            if line is results[0]:
                heads += th(G_RESULTS, rowspan=len(results))
            heads += _result_heads(lines, n)
        cells = CellRow.of([(c.key, f"applications.{line.key}.{c.key}", 1)
                            for c in APPLICATION_COLUMNS])
        rows.append(_Row(heads, ((line.key, cells),)))
    return _Layout.of("applications", rows)


def _result_heads(lines: list[_Line], n: int) -> str:
    line = lines[n]
    if line.group == G_RESULTS:
        return th(line.label, colspan=2)
    first = n == 0 or lines[n - 1].group != line.group
    span = sum(1 for other in lines if other.group == line.group)
    return (th(line.group or "", rowspan=span) if first else "") + th(line.label)


def _applications_header() -> list[str]:
    top = th(IDENTITY_NOTE, rowspan=3, colspan=3) + th(APPLICANTS, colspan=len(APPLICATION_COLUMNS))
    middle = ""
    for group, cols in groupby(APPLICATION_COLUMNS, key=lambda c: c.group):
        members = list(cols)
        if group is None:
            middle += "".join(th(c.label, rowspan=2) for c in members)
        else:
            middle += th(group, colspan=len(members))
    bottom = "".join(th(c.label) for c in APPLICATION_COLUMNS if c.group is not None)
    return [top, middle, bottom]


# --- Part 四 --------------------------------------------------------------------------

def review_table(notes: CellNotes) -> str:
    """Part 四: 行政复议 and the two kinds of 行政诉讼, five cells each, in one row."""
    report = notes.report
    return _review_layout().render(notes, {g.key: getattr(report, g.key) for g in REVIEW_GROUPS})


@functools.cache
def _review_layout() -> _Layout:
    """Part 四: three header rows (groups and their parent, sub-groups, columns), then
    every group's cells in one row."""
    width = len(REVIEW_COLUMNS)
    top = middle = ""
    for parent, groups in groupby(REVIEW_GROUPS, key=lambda g: g.parent):
        members = list(groups)
        if parent is None:
            top += "".join(th(g.label, rowspan=2, colspan=width) for g in members)
        else:
            top += th(parent, colspan=width * len(members))
            middle += "".join(th(g.label, colspan=width) for g in members)
    labels = "".join(th(c.label) for _ in REVIEW_GROUPS for c in REVIEW_COLUMNS)
    cells = tuple((g.key, CellRow.of([(c.key, f"{g.key}.{c.key}", 1) for c in REVIEW_COLUMNS]))
                  for g in REVIEW_GROUPS)
    return _Layout.of("review", [_Row(top), _Row(middle), _Row(labels), _Row("", cells)])
