"""The page of one agency: where it sits, its key figures across the years, its reports."""

from __future__ import annotations

from generator.rendering.catalog import Agency, Catalog, Entry
from generator.rendering.common import (
    key_rows,
    key_table_of,
    kind_label,
    lead_tds,
    level_label,
    name_parts,
    place_links,
    place_path,
    region_crumbs,
    summary_sentence,
    year_label,
)
from generator.rendering.escape import md_text
from generator.rendering.markup import (
    LEGEND,
    SEP,
    bullet_list,
    html_link,
    link,
    page,
)
from generator.rendering.report_notes import findings_summary
from generator.rendering.urls import agency_page, report_page

SEARCH_BOOST = 2
"""Search boost of agency pages (front matter ``search.boost``)."""


def render_agency(catalog: Catalog, agency: Agency) -> str:
    """The Markdown page of one agency."""
    here = agency_page(agency.slug)
    latest = agency.latest
    name = md_text(agency.name)
    blocks = [
        "# " + name,
        region_crumbs(catalog, here, agency.region, [(name, None)]),
        _intro(catalog, agency),
        summary_sentence(latest, name),
        "## 历年主要数据",
        "每行一份年度报告，数字取自第三、四部分表格的“总计”。" + LEGEND,
        key_table_of(["年度"], key_rows(agency.entries, lambda e: lead_tds(
            html_link(year_label(e.year), here, report_page(e.slug))))),
        "## 年度报告",
        bullet_list(_report_item(here, e) for e in agency.entries),
    ]
    meta = {"title": agency.name, "description": f"{agency.name}历年政府信息公开工作年度报告与主要数据",
            "search": {"boost": SEARCH_BOOST, "summary": _search_summary(catalog, agency)}}
    return page(meta, blocks)


def _search_summary(catalog: Catalog, agency: Agency) -> str:
    """The line under the agency's name in search results: where it is and which years
    it reported (北京市 › 朝阳区 · 3 份报告（2019—2021 年）), which tells apart agencies
    of the same name in different places."""
    years = sorted({e.year for e in agency.entries if e.year != "unknown"})
    span = f"（{years[0]}—{years[-1]} 年）" if len(years) > 1 else (f"（{years[0]} 年）" if years else "")
    place = place_path(catalog, agency.region, agency.latest.report)
    return f"{place} · {len(agency.entries)} 份报告{span}"


def _intro(catalog: Catalog, agency: Agency) -> str:
    here = agency_page(agency.slug)
    region = agency.latest.report.region
    place = SEP.join(place_links(catalog, here, agency.region))
    years = sorted({e.year for e in agency.entries if e.year != "unknown"})
    span = f"（{years[0]}—{years[-1]} 年）" if len(years) > 1 else ""
    lines = [
        f"**所属地区**：{place}",
        f"**层级与类型**：{md_text(level_label(region.level))}，{md_text(kind_label(region.kind))}",
        f"**收录报告**：{len(agency.entries)} 份{span}",
    ]
    parts = name_parts(agency.latest.report)
    if parts:
        lines.append("**名称要素**：" + " · ".join(md_text(p) for p in parts))
    others = [n for n in agency.names if n != agency.name]
    if others:
        lines.append("**报告中出现的其他名称**：" + "；".join(md_text(n) for n in others))
    return bullet_list(lines)


def _report_item(here: str, entry: Entry) -> str:
    text = f"{year_label(entry.year)}政府信息公开工作年度报告"
    note = findings_summary(entry.report)
    suffix = f"（{md_text(entry.report.source.path)}）" if not entry.primary else ""
    found = f"：核验发现 {note}" if note else ""
    return link(text, here, report_page(entry.slug)) + suffix + found
