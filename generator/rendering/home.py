"""首页: what the site is, the totals, the latest year at a glance, the ways in."""

from __future__ import annotations

from collections.abc import Mapping

from generator.rendering.catalog import Catalog, Entry
from generator.rendering.common import (
    key_table,
    region_names,
    report_link,
    totals,
    year_label,
    year_reports,
)
from generator.rendering.figures import KEY_COLUMNS
from generator.rendering.markup import LEGEND, bullet_list, figure_text, link, md_table, page
from generator.rendering.urls import (
    DICTIONARY,
    HOME,
    QUALITY_INDEX,
    REGIONS_INDEX,
    UNKNOWN,
    YEARS_INDEX,
    year_page,
)

TOP = 10
"""Agencies shown in the latest year's table."""

INTRO = (
    "本站收录各级行政机关依照《中华人民共和国政府信息公开条例》发布的政府信息公开工作年度报告，"
    "把报告中的三张统计表（主动公开、依申请公开、行政复议和行政诉讼）整理成统一的结构化数据，"
    "逐份核验表格的勾稽关系，并提供原文和数据下载。表中空白的单元格显示为“—”（未填报），不记为 0。"
)

HAND_WRITTEN = {"about.md": ("关于本站", "本站的来源、方法和局限"),
                "data.md": ("数据下载与说明", "下载全部数据，了解数据格式")}


def render_home(catalog: Catalog, pages: Mapping[str, str]) -> str:
    """index.md."""
    blocks = ["# 政府信息公开工作年度报告", INTRO, "## 概况", _totals(catalog)]
    latest = next((y for y in catalog.years if y != UNKNOWN), None)
    if latest is not None:
        blocks += _latest(catalog, latest)
    blocks += ["## 从这里开始", _ways(pages)]
    meta = {"title": "首页", "description": "政府信息公开工作年度报告的数据、原文与核验结果"}
    return page(meta, blocks)


def _totals(catalog: Catalog) -> str:
    if not catalog.entries:
        return "暂无报告。"
    years = [y for y in catalog.years if y != UNKNOWN]
    provinces = [c for c, n in catalog.regions.items() if n.parent is None and c != UNKNOWN]
    span = f"，统计年度 {years[-1]}—{years[0]} 年" if len(years) > 1 else (
        f"，统计年度 {years[0]} 年" if years else "")
    return (f"共收录 {len(catalog.agencies)} 个机关的 {len(catalog.entries)} 份报告，"
            f"涉及 {len(provinces)} 个省级地区、{len(catalog.regions)} 个地区"
            f"{span}（共 {len(years)} 个年度）。")


def _latest(catalog: Catalog, year: str) -> list[str]:
    entries = catalog.of_year(year)
    sums = totals(entries)
    rows = [[c.label, figure_text(sums[c.key][0]), str(sums[c.key][1])] for c in KEY_COLUMNS]
    table = md_table(["指标", "合计", "填报的报告数"], rows, [False, True, True])
    top = _top(entries)
    here = HOME
    return [
        f"## {year_label(year)}概览",
        f"{year_label(year)}共有 {len(entries)} 份报告。各项合计如下（同一机关同一年度有多份报告时"
        "只计第一份；未填报的不计入）：",
        table,
        f"新收申请最多的 {len(top)} 个机关：" + LEGEND,
        key_table(top, ["机关", "地区"], lambda e: [report_link(here, e), region_names(catalog, e)]),
        f"全部机关见{link(year_reports(year), here, year_page(year))}。",
    ]


def _top(entries: list[Entry]) -> list[Entry]:
    def key(entry: Entry) -> tuple[bool, float]:
        value = entry.figures["new_received"].value
        return (value is None, -(value or 0))

    return sorted((e for e in entries if e.primary), key=key)[:TOP]


def _ways(pages: Mapping[str, str]) -> str:
    here = HOME
    items = [
        f"{link('按地区', here, REGIONS_INDEX)}：从省到市、县，查看各地区的机关及其主要数据。",
        f"{link('按年度', here, YEARS_INDEX)}：每个年度各机关的主要数据，可按任一列排序。",
        f"{link('数据质量', here, QUALITY_INDEX)}：自动核验发现的问题，如数字对不上的表格。",
        f"{link('数据字典', here, DICTIONARY)}：每个字段、每一行和每一列的含义。",
    ]
    for name, (label, text) in HAND_WRITTEN.items():
        if name in pages:
            items.append(f"{link(label, here, name)}：{text}。")
    return bullet_list(items)
