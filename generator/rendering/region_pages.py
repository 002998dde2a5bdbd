"""按地区: the list of provinces and one page per province, city and county present."""

from __future__ import annotations

from generator.rendering.catalog import Catalog, Entry, RegionNode
from generator.rendering.common import (
    home_trail,
    key_rows,
    key_table_of,
    lead_tds,
    place_path,
    region_names,
    region_trail,
    year_label,
)
from generator.rendering.escape import md_text
from generator.rendering.markup import (
    LEGEND,
    WIDE,
    crumbs,
    html_link,
    link,
    page,
    sortable,
)
from generator.rendering.urls import (
    REGIONS_INDEX,
    UNKNOWN,
    agency_page,
    region_page,
    report_page,
)

LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级"}


def render_regions_index(catalog: Catalog) -> str:
    """regions/index.md: the provinces."""
    return _index(catalog)


def render_region(catalog: Catalog, code: str) -> str:
    """regions/<code>.md: one province, city or county."""
    return _region(catalog, catalog.regions[code])


def _counts(catalog: Catalog, code: str) -> tuple[int, int, int]:
    """Agencies, reports, and reports whose figures don't add up, at and below ``code``."""
    agencies = catalog.descendants(code)
    entries = [e for a in agencies for e in catalog.agencies[a].entries]
    broken = sum(1 for e in entries if e.state == "broken")
    return len(agencies), len(entries), broken


def _region_table(catalog: Catalog, here: str, codes: list[str]) -> str:
    rows = []
    for code in codes:
        agencies, reports, broken = _counts(catalog, code)
        name = link(md_text(catalog.regions[code].name), here, region_page(code))
        rows.append([name, str(agencies), str(reports), str(broken)])
    headers = ["地区", "机关数", "报告数", "数据不平衡的报告"]
    return sortable(headers, rows, [False, True, True, True])


def _index(catalog: Catalog) -> str:
    here = REGIONS_INDEX
    provinces = [c for c, n in catalog.regions.items() if n.parent is None and c != UNKNOWN]
    if UNKNOWN in catalog.regions:
        provinces.append(UNKNOWN)
    blocks = ["# 按地区浏览", crumbs(here, home_trail(here) + [("按地区", None)]),
              "本站按行政区划整理年度报告：省级、市级、县级逐级展开（直辖市和省直辖县级行政区"
              "没有市级一层）。点击地区可查看其下级地区和各机关的主要数据。"]
    if provinces:
        blocks += [f"共 {len(provinces)} 个省级地区有报告。",
                   _region_table(catalog, here, provinces)]
    else:
        blocks.append("暂无报告。")
    return page({**WIDE, "title": "按地区浏览",
                 "description": "按省、市、县浏览政府信息公开工作年度报告"},
                blocks)


def _intro(catalog: Catalog, node: RegionNode) -> str:
    agencies, reports, _ = _counts(catalog, node.code)
    held = f"本站收录该地区及其下级地区 {agencies} 个机关的 {reports} 份年度报告。"
    if node.code == UNKNOWN:
        return "以下机关的报告未能识别所属行政区（或行政区划代码无效），地区一栏为报告中能读出的部分。" + held
    parents = "".join(md_text(n.name) for n in catalog.chain(node.code)[:-1])
    where = f"，属{parents}" if parents else ""
    level = LEVEL_NAMES.get(node.level, "")
    return (f"{md_text(node.name)}（{level}行政区，行政区划代码 {node.code}）{where}。{held}")


def _region(catalog: Catalog, node: RegionNode) -> str:
    here = region_page(node.code)
    name = md_text(node.name)
    blocks = ["# " + name,
              crumbs(here, home_trail(here) + region_trail(catalog, node.code, last_link=False)),
              _intro(catalog, node)]
    if node.children:
        blocks += ["## 下级地区", _region_table(catalog, here, node.children)]
    if node.agencies:
        latest = [catalog.agencies[a].latest for a in node.agencies]
        blocks += ["## 本级机关" if node.children else "## 机关",
                   "各机关最近一年报告的主要数据，数字取自表格的“总计”。" + LEGEND,
                   _agency_table(catalog, here, latest, node.code == UNKNOWN)]
    meta = {"title": node.name,
            "description": f"{node.name}的政府信息公开工作年度报告：下级地区与各机关主要数据",
            "search": {"summary": _search_summary(catalog, node)}}
    return page({**WIDE, **meta}, blocks)


def _search_summary(catalog: Catalog, node: RegionNode) -> str:
    """The line under the region's name in search results (山西省 › 临汾市 · 下级地区 3 个 ·
    本级机关 5 个): which of the places of that name it is."""
    parts = [place_path(catalog, node.code)]
    if node.children:
        parts.append(f"下级地区 {len(node.children)} 个")
    if node.agencies:
        parts.append(f"{'本级机关' if node.children else '机关'} {len(node.agencies)} 个")
    return " · ".join(parts)


def _agency_table(catalog: Catalog, here: str, latest: list[Entry], unknown: bool) -> str:
    lead = ["机关", "年度"] + (["地区"] if unknown else [])

    def cells(entry: Entry) -> str:
        name = md_text(catalog.agencies[entry.agency].name)
        out = lead_tds(html_link(name, here, agency_page(entry.agency)),
                       html_link(year_label(entry.year), here, report_page(entry.slug)))
        return out + (lead_tds(region_names(catalog, entry)) if unknown else "")

    return key_table_of(lead, key_rows(latest, cells))
