"""按年度: the list of years and, per year, every report's key figures.

A year's page that would grow past :data:`TABLE_BUDGET` lists the provinces instead,
each linking to ``years/<year>-<province code>.md`` with that province's reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from generator.rendering.catalog import Catalog, Entry
from generator.rendering.common import (
    TABLE_BUDGET,
    home_trail,
    key_rows,
    key_table_of,
    lead_tds,
    name_md,
    numbered,
    pager,
    paginate,
    region_names,
    totals,
    year_label,
    year_link,
    year_reports,
)
from generator.rendering.escape import md_text
from generator.rendering.figures import KEY_COLUMN_BY_KEY
from generator.rendering.markup import (
    LEGEND,
    WIDE,
    crumbs,
    figure_text,
    html_link,
    link,
    page,
    sortable,
)
from generator.rendering.urls import (
    UNKNOWN,
    YEARS_INDEX,
    report_page,
    year_page,
)

TABLE_INTRO = "每行一份年度报告，数字取自第三、四部分表格的“总计”；点击表头可排序。"
SUMMED = ("new_received", "granted", "partially_granted", "withheld", "review_total",
          "litigation_total")


def render_years_index(catalog: Catalog) -> str:
    """years/index.md: every year with its counts and totals."""
    return _index(catalog)


def render_year(catalog: Catalog, year: str) -> dict[str, str]:
    """years/<year>.md and, for a large year, its pages by province."""
    return _year(catalog, year)


def _totals_sentence(entries: list[Entry]) -> str:
    sums = totals(entries)
    parts = [f"{KEY_COLUMN_BY_KEY[k].label} {figure_text(sums[k][0])}" for k in SUMMED]
    return "合计" + "，".join(parts) + "（同一机关同一年度有多份报告时只计第一份）。"


def _index(catalog: Catalog) -> str:
    here = YEARS_INDEX
    blocks = ["# 按年度浏览", crumbs(here, home_trail(here) + [("按年度", None)]),
              "年度指报告统计的年度（报告通常在次年年初发布）。"]
    rows = []
    for year in catalog.years:
        entries = catalog.of_year(year)
        new = totals(entries)["new_received"][0]
        broken = sum(1 for e in entries if e.state == "broken")
        rows.append([year_link(here, year), str(len(entries)),
                     str(len({e.agency for e in entries})), figure_text(new), str(broken)])
    if rows:
        headers = ["年度", "报告数", "机关数", "新收申请合计", "数据不平衡的报告"]
        blocks.append(sortable(headers, rows, [False, True, True, True, True]))
    else:
        blocks.append("暂无报告。")
    meta = {**WIDE, "title": "按年度浏览", "description": "按统计年度浏览政府信息公开工作年度报告的主要数据"}
    return page(meta, blocks)


def _head(catalog: Catalog, year: str, here: str, entries: list[Entry],
          part: str | None = None) -> list[str]:
    return [_crumbs(catalog, year, here, part), _held(year, entries)]


def _crumbs(catalog: Catalog, year: str, here: str, part: str | None) -> str:
    trail = home_trail(here) + [("按年度", YEARS_INDEX)]
    if part is None:
        trail.append((year_label(year), None))
    else:
        trail += [(year_label(year), year_page(year)), (md_text(catalog.regions[part].name), None)]
    return crumbs(here, trail)


def _held(year: str, entries: list[Entry]) -> str:
    """What a page of the year holds: its agencies, reports and their totals."""
    agencies = len({e.agency for e in entries})
    what = "年度不明的报告" if year == UNKNOWN else f" {year} 年度报告"
    return f"本页收录 {agencies} 个机关的 {len(entries)} 份{what}。" + _totals_sentence(entries)


Rows = dict[str, str]
"""Each report's row of the year's comparison tables, by slug."""


def _rows(catalog: Catalog, here: str, entries: list[Entry]) -> Rows:
    """The row of every report of the year, made once: the year's page and its pages by
    province are in one folder, so a row (its links) is the same on each of them, and a
    large year's page is made whole first, then split, then paginated."""
    rows = key_rows(entries, lambda e: lead_tds(html_link(name_md(e.report), here, report_page(e.slug)),
                                               region_names(catalog, e)))
    return {e.slug: row for e, row in zip(entries, rows, strict=True)}


_LEAD = ["机关", "地区"]


def _table(rows: Rows, entries: Sequence[Entry]) -> str:
    return key_table_of(_LEAD, [rows[e.slug] for e in entries])


def _year(catalog: Catalog, year: str) -> dict[str, str]:
    here = year_page(year)
    entries = catalog.of_year(year)
    rows = _rows(catalog, here, entries)
    title = year_reports(year)
    meta = {"title": title, "description": f"{title}：各机关主要数据"}
    blocks = ["# " + title, *_head(catalog, year, here, entries), TABLE_INTRO + LEGEND]
    whole = page({**WIDE, **meta}, blocks + [_table(rows, entries)])
    if len(whole.encode("utf-8")) <= TABLE_BUDGET:
        return {here: whole}
    return _split(catalog, year, meta, blocks[:-1], entries, rows)


def _split(catalog: Catalog, year: str, meta: Mapping[str, object], blocks: list[str],
           entries: list[Entry], rows: Rows) -> dict[str, str]:
    here = year_page(year)
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[catalog.province(entry.agency)].append(entry)
    out: dict[str, str] = {}
    parts = []
    for code in sorted(groups, key=lambda c: (c == UNKNOWN, c)):
        part, items = year_page(year, code), groups[code]
        name = md_text(catalog.regions[code].name)
        new = totals(items)["new_received"][0]
        parts.append([link(name, here, part), str(len(items)), figure_text(new)])
        out.update(_part_pages(catalog, year, code, items, rows))
    table = sortable(["省级地区", "报告数", "新收申请合计"], parts, [False, True, True])
    out[here] = page({**WIDE, **meta}, blocks + ["报告较多，按省级地区分页：", table])
    return out


def _part_pages(catalog: Catalog, year: str, code: str, entries: list[Entry],
                rows: Rows) -> dict[str, str]:
    """One province's reports of the year: one page, or numbered pages when they are many
    (each page's table sorts on its own)."""
    first = year_page(year, code)
    held = _held(year, entries)

    def render(chunk: Sequence[Entry], number: int, count: int) -> str:
        return _part_page(catalog, year, code, held, _table(rows, chunk), (number, count))

    pages = paginate(entries, render, TABLE_BUDGET)
    return {numbered(first, n): text for n, text in enumerate(pages, 1)}


def _part_page(catalog: Catalog, year: str, code: str, held: str, table: str,
               place: tuple[int, int]) -> str:
    """Page ``place`` (number, count) of a province's reports of the year: ``held``, what
    all its pages hold (:func:`_held`), ``table``: the reports of this one."""
    first = year_page(year, code)
    here = numbered(first, place[0])
    region = catalog.regions[code].name
    title = f"{region} {year_reports(year)}"
    blocks = ["# " + md_text(title), _crumbs(catalog, year, here, code), held,
              pager(here, first, *place), TABLE_INTRO + LEGEND, table]
    page_title = title + (f"（第 {place[0]} 页）" if place[1] > 1 else "")
    return page({**WIDE, "title": page_title, "description": f"{title}：各机关主要数据"}, blocks)
