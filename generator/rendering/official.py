"""The three tables of a report in the official layout, as HTML with merged cells.

The layout is drawn from ``generator.tables`` and is the same for every report of
a template, whatever the source looked like. Tables are wrapped in
``<div class="report-table report-<kind>" data-search-exclude>``, out of search; the
table has the class ``official`` (styled by the site's CSS, not as a theme table).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from generator.rendering.cells import CellNotes, cell_td
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
    Item,
    application_rows,
)

IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
CONTENT = "信息内容"
OTHER_AS_ONE = "原文合为一行（未分项）"


def _get(table: object, key: str) -> object:
    """``table[key]`` when ``table`` is a dict, else ``None``."""
    return table.get(key) if isinstance(table, dict) else None


@functools.lru_cache(maxsize=1024)
def th(label: str, rowspan: int = 1, colspan: int = 1) -> str:
    """A header cell with a (trusted) label."""
    return element("th", html_text(label), rowspan=rowspan, colspan=colspan)


def wrap_table(kind: str, rows: list[str], official: bool = True) -> str:
    """The rows as one table, one row per line, no blank line (one raw HTML block).

    ``official`` tables get the class ``official``; others none, so the theme styles
    them as ordinary tables.
    """
    body = "\n".join(f"<tr>{r}</tr>" for r in rows)
    table = '<table class="official">' if official else "<table>"
    return (f'<div class="report-table report-{kind}" data-search-exclude>\n'
            f'{table}\n{body}\n</table>\n</div>')


# --- Part 二 --------------------------------------------------------------------------

def proactive_table(notes: CellNotes, template: str) -> str:
    """Part 二: one sub-table per article (第二十条第（X）项), in one HTML table."""
    items = PROACTIVE_ITEMS[template]
    width = 1 + max(len(i.columns) for i in items)
    rows: list[str] = []
    for article, group in groupby(items, key=lambda i: i.article):
        members = list(group)
        rows.append(th(article, colspan=width))
        rows.append(th(CONTENT) + _spread(members[0].columns, width - 1, _header))
        rows += [_item_row(notes, item, width - 1) for item in members]
    return wrap_table("proactive", rows)


def _header(_col: Column, span: int) -> str:
    return th(_col.label, colspan=span)


def _spread(columns: tuple[Column, ...], width: int, cell: Callable[[Column, int], str]) -> str:
    """Cells for ``columns`` over ``width`` slots: the last one takes the rest."""
    out = []
    for n, col in enumerate(columns):
        span = width - len(columns) + 1 if n == len(columns) - 1 else 1
        out.append(cell(col, span))
    return "".join(out)


def _item_row(notes: CellNotes, item: Item, width: int) -> str:
    def value(col: Column, span: int) -> str:
        path = f"proactive.{item.key}.{col.key}"
        value = _get(notes.report.proactive.get(item.key), col.key)
        return cell_td(notes, path, value, span, notes.report.proactive_text.get(path))

    return th(item.label) + _spread(item.columns, width, value)


# --- Part 三 --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Line:
    key: str
    group: str | None
    """None (top level), G_RESULTS, or a sub-group heading such as （三）不予公开."""
    label: str


def _lines(notes: CellNotes, template: str) -> list[_Line]:
    out = [_Line(r.key, r.group, r.full_label) for r in application_rows(template)]
    if template == "2021" and "other" in notes.report.applications:
        at = max(i for i, line in enumerate(out) if line.group == G_OTHER) + 1
        out.insert(at, _Line("other", G_OTHER, OTHER_AS_ONE))
    return out


def applications_table(notes: CellNotes, template: str) -> str:
    """Part 三 with the official three-row header and nested row headings."""
    lines = _lines(notes, template)
    results = [ln for ln in lines if ln.group is not None]
    rows = _applications_header()
    for n, line in enumerate(lines):
        heads = ""
        if line.group is None:
            heads = th(line.label, colspan=3)
        else:
            if line is results[0]:
                heads += th(G_RESULTS, rowspan=len(results))
            heads += _result_heads(lines, n)
        row = notes.report.applications.get(line.key)
        cells = "".join(cell_td(notes, f"applications.{line.key}.{c.key}", _get(row, c.key))
                        for c in APPLICATION_COLUMNS)
        rows.append(heads + cells)
    return wrap_table("applications", rows)


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
    cells = "".join(cell_td(notes, f"{g.key}.{c.key}", _get(getattr(notes.report, g.key), c.key))
                    for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)
    return wrap_table("review", [top, middle, labels, cells])
