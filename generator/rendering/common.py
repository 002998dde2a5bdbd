"""Pieces several pages share: labels, breadcrumbs, comparison tables, summaries."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from generator.model import Head, Region
from generator.rendering.catalog import UNKNOWN_AGENCY, Catalog, Entry, agency_name
from generator.rendering.escape import clean, md_text
from generator.rendering.figures import KEY_COLUMNS, Figure
from generator.rendering.markup import (
    SEP,
    crumb_parts,
    element,
    figure_html,
    figure_text,
    link,
    sortable_head,
    sortable_with,
    table_cells,
)
from generator.rendering.urls import (
    HOME,
    REGIONS_INDEX,
    UNKNOWN,
    agency_page,
    region_page,
    report_page,
    year_page,
)

T = TypeVar("T")

SIZE_LIMIT = 100_000
"""Pages (UTF-8 bytes) larger than this are split by province."""

PAGE_BUDGET = 70_000
"""Markdown bytes a page of lists may hold: its HTML (theme chrome) stays under 100 KB."""

TABLE_BUDGET = 75_000
"""Bytes a page that is mostly a comparison table may hold: the table is written as HTML
(:func:`generator.rendering.markup.sortable`), so it keeps its size in the built page;
the theme adds about 15 KB."""


def paginate(items: Sequence[T], render: Callable[[Sequence[T], int, int], str],
             budget: int = PAGE_BUDGET) -> list[str]:
    """``render(chunk, page number, page count)`` over as few pages as keep each page
    within ``budget`` bytes; one page when everything fits."""
    pages = 1
    while True:
        size = max(1, -(-len(items) // pages))
        chunks = [items[i:i + size] for i in range(0, len(items), size)] or [items]
        out = [render(c, n, len(chunks)) for n, c in enumerate(chunks, 1)]
        biggest = max(len(o.encode("utf-8")) for o in out)
        if biggest <= budget or size == 1:
            return out
        pages = max(pages + 1, -(-pages * biggest // budget))


def numbered(path: str, number: int) -> str:
    """Page ``number`` of a paginated page: ``x.md``, ``x-2.md``, ``x-3.md`` …"""
    return path if number == 1 else f"{path[:-3]}-{number}.md"


def pager(here: str, path: str, number: int, count: int) -> str:
    """``第 2/3 页：1 · 2 · 3`` with links to the other pages of ``path``."""
    if count == 1:
        return ""
    links = [str(n) if n == number else link(str(n), here, numbered(path, n))
             for n in range(1, count + 1)]
    return f"第 {number}/{count} 页：" + " · ".join(links)

LEVELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}
KINDS = {"government": "人民政府及其办公室", "department": "政府部门"}
IDENTITY = {
    "broken": ("不平衡", "表格自身的勾稽关系不成立"),
    "unverifiable": ("无法核验", "勾稽关系中有未填报的项目，无法核验"),
    "ok": ("平衡", "表格的勾稽关系均成立"),
}


def year_label(year: str) -> str:
    """``2021 年`` or ``年度不明``."""
    return "年度不明" if year == UNKNOWN else f"{year} 年"


def year_reports(year: str) -> str:
    """``2021 年度报告`` or ``年度不明的报告``."""
    return "年度不明的报告" if year == UNKNOWN else f"{year} 年度报告"


def level_label(value: object) -> str:
    """Chinese name of a region level (raw); unknown values as given."""
    if isinstance(value, str) and value in LEVELS:
        return LEVELS[value]
    return clean(str(value)) if value else "未识别"


def kind_label(value: object) -> str:
    """Chinese name of an agency kind (raw); unknown values as given."""
    if isinstance(value, str) and value in KINDS:
        return KINDS[value]
    return clean(str(value)) if value else "未识别"


def name_md(report: Head) -> str:
    """The agency's name, escaped for Markdown."""
    return md_text(agency_name(report))


def name_parts(report: Head) -> list[str]:
    """The agency name cut into the region names it starts with and the rest (raw).

    Shown on pages so that each part is findable by search on its own.
    """
    rest = agency_name(report)
    if rest == UNKNOWN_AGENCY:
        return []
    region: Region = report.region
    parts: list[str] = []
    for name in (region.province, region.city, region.county, region.township):
        if isinstance(name, str) and name and rest.startswith(name) and len(rest) > len(name):
            parts.append(name)
            rest = rest[len(name):]
    return parts + [rest] if parts else []


def home_trail(page: str) -> list[tuple[str, str | None]]:
    """The first breadcrumb."""
    return [("首页", HOME)] if page != HOME else [("首页", None)]


def region_trail(catalog: Catalog, code: str, last_link: bool = True) -> list[tuple[str, str | None]]:
    """Breadcrumbs 按地区 › province › city › county for the node ``code``."""
    chain = catalog.chain(code)
    trail: list[tuple[str, str | None]] = [_BY_REGION]
    for node in chain:
        target = region_page(node.code) if last_link or node is not chain[-1] else None
        trail.append((md_text(node.name), target))
    return trail


def place_links(catalog: Catalog, here: str, code: str) -> tuple[str, ...]:
    """The crumbs of ``region_trail(catalog, code)[1:]`` from the page ``here``: the places
    from the province down to ``code``, linked. Made once per region and folder: every
    agency and report page shows its region's twice, and links from the pages of one
    folder are alike."""
    key = (here.rpartition("/")[0], code)
    links = catalog.places.get(key)
    if links is None:
        links = catalog.places[key] = tuple(crumb_parts(here, region_trail(catalog, code)[1:]))
    return links


def region_crumbs(catalog: Catalog, here: str, code: str,
                  tail: Sequence[tuple[str, str | None]]) -> str:
    """``crumbs(here, home_trail(here) + region_trail(catalog, code) + tail)``."""
    head = crumb_parts(here, [*home_trail(here), _BY_REGION])
    return SEP.join([*head, *place_links(catalog, here, code), *crumb_parts(here, tail)])


_BY_REGION = ("按地区", REGIONS_INDEX)


def place_names(catalog: Catalog, code: str, report: Head | None = None) -> list[str]:
    """The raw names of a region, province first; for an unidentified region the places
    its ``report`` names (none without one)."""
    if code != UNKNOWN:
        return [node.name for node in catalog.chain(code)]
    if report is None:
        return []
    region = report.region
    return [n for n in (region.province, region.city, region.county) if isinstance(n, str)]


def region_names(catalog: Catalog, entry: Entry) -> str:
    """The agency's region as plain escaped text: 山西省 临汾市 尧都区."""
    names = place_names(catalog, catalog.agencies[entry.agency].region, entry.report)
    return md_text(" ".join(names)) if names else "未识别"


def place_path(catalog: Catalog, code: str, report: Head | None = None) -> str:
    """A region as raw text (山西省 › 临汾市 › 尧都区), for the search summary."""
    return " › ".join(place_names(catalog, code, report)) or "地区未识别"


def report_link(page: str, entry: Entry, text_md: str | None = None) -> str:
    """A link to the report's page; by default its agency name."""
    return link(text_md or name_md(entry.report), page, report_page(entry.slug))


def agency_link(page: str, entry: Entry) -> str:
    """A link to the agency's page, with the agency name."""
    return link(name_md(entry.report), page, agency_page(entry.agency))


def year_link(page: str, year: str) -> str:
    """A link to a year's page."""
    return link(year_label(year), page, year_page(year))


def identity_md(entry: Entry) -> str:
    """The 勾稽关系 cell: 不平衡 / 无法核验 / 平衡, with a tooltip."""
    return _identity_html(entry.state)


@functools.cache
def _identity_html(state: str) -> str:
    """:func:`identity_md` of a state (three of them, on every row of every table)."""
    text, title = IDENTITY[state]
    return element("span", text, css=(f"identity-{state}",), title=title)


KEY_HEADERS = [c.label for c in KEY_COLUMNS] + ["勾稽关系"]


def key_table(entries: Sequence[Entry], lead: Sequence[str],
              lead_cells: Callable[[Entry], list[str]]) -> str:
    """A sortable comparison table: ``lead`` columns, the key figures, 勾稽关系
    (:func:`sortable` of those cells)."""
    aligns = [""] * len(lead)
    return key_table_of(lead, key_rows(entries, lambda e: table_cells(lead_cells(e), aligns)))


def key_rows(entries: Sequence[Entry], lead_html: Callable[[Entry], str]) -> list[str]:
    """The rows (``<tr>`` … ``</tr>``) of :func:`key_table`, one per entry, its lead cells
    given as HTML (``<td>`` …: :func:`lead_tds`); apart, for the pages of many rows (an
    entry's row in several tables, its links written as HTML at once)."""
    return ["<tr>" + lead_html(e) + key_cells(e) + "</tr>" for e in entries]


def lead_tds(*cells_html: str) -> str:
    """The lead cells of a :func:`key_rows` row: as :func:`table_cells` writes cells of
    HTML (``inline_html`` leaves them as they are; links made by ``html_link``)."""
    return "".join([f"<td>{cell}</td>" for cell in cells_html])


def key_table_of(lead: Sequence[str], rows: Iterable[str]) -> str:
    """:func:`key_table` of rows made by :func:`key_rows` (``lead``: the lead headers)."""
    return sortable_with(_key_head(tuple(lead)), rows)


@functools.lru_cache(maxsize=16)
def _key_head(lead: tuple[str, ...]) -> str:
    """The head of a :func:`key_table` with these lead headers (a handful of them)."""
    return sortable_head((*lead, *KEY_HEADERS), (*[""] * len(lead), *_KEY_ALIGNS))


_KEY_ALIGNS = [' class="n"'] * len(KEY_COLUMNS) + [""]


def key_cells(entry: Entry) -> str:
    """The key figure cells and the 勾稽关系 cell of the entry's row in :func:`key_table`
    (as :func:`table_cells` writes them); made once per entry, as a report is in several
    tables (and a paginated one is written more than once)."""
    if entry.key_cells is None:
        cells = [figure_html(entry.figures[c.key]) for c in KEY_COLUMNS] + [identity_md(entry)]
        entry.key_cells = table_cells(cells, _KEY_ALIGNS)
    return entry.key_cells


def summary_sentence(entry: Entry, subject_md: str) -> str:
    """One indexed sentence with the key figures, e.g. "2021 年，某局新收申请 16 件……"."""
    figures = entry.figures
    texts = [figure_text(figures[key]) for key in _SENTENCE_KEYS]
    return _SENTENCE.format(year_label(entry.year), subject_md, *texts)


_SENTENCE = (
    "{}，{}新收政府信息公开申请 {}，上年结转 {}；予以公开 {}，部分公开 {}，不予公开 {}，"
    "无法提供 {}，不予处理 {}，其他处理 {}，结转下年度 {}。行政复议 {}（复议结果纠正 {}），"
    "行政诉讼 {}（诉讼结果纠正 {}）。"
)
""":func:`summary_sentence`: year, subject, then the figures of :data:`_SENTENCE_KEYS`."""
_SENTENCE_KEYS = ("new_received", "carried_over", "granted", "partially_granted", "withheld",
                  "unavailable", "rejected", "other", "carry_forward", "review_total",
                  "review_corrected", "litigation_total", "litigation_corrected")


def totals(entries: Iterable[Entry]) -> dict[str, tuple[Figure, int]]:
    """Sum of each key figure over the primary reports: (sum, number of reports giving it)."""
    out: dict[str, tuple[Figure, int]] = {}
    figures = [e.figures for e in entries if e.primary]
    for col in KEY_COLUMNS:
        values = [f[col.key].value for f in figures]
        known = [v for v in values if v is not None]
        out[col.key] = (Figure(sum(known) if known else None), len(known))
    return out
