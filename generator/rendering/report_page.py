"""The page of one report: its data in the official layout, its text, its findings."""

from __future__ import annotations

import re

from generator.model import Head, Report, Section
from generator.rendering.catalog import Catalog, Entry, agency_name
from generator.rendering.cells import CellNotes
from generator.rendering.common import (
    agency_link,
    kind_label,
    level_label,
    name_md,
    name_parts,
    place_links,
    region_crumbs,
    summary_sentence,
    year_label,
)
from generator.rendering.escape import clean, html_paragraphs, md_text
from generator.rendering.markup import LEGEND, SEP, bullet_list, link, page
from generator.rendering.official import applications_table, proactive_table, review_table
from generator.rendering.report_notes import (
    corrections_block,
    findings_block,
    findings_count,
    inferred_block,
    unparsed_block,
)
from generator.rendering.urls import UNKNOWN, agency_page, original_txt, report_json, report_page
from generator.tables import PROACTIVE_ITEMS, SECTIONS, SectionDef

HEADING_MAX = 60
"""Sub-headings longer than this (characters) are shown as a bold paragraph instead."""
TEMPLATE_FALLBACK = "2021"
_HEX = re.compile(r"[0-9a-f]{64}")


def report_title(report: Head, year: str, short: bool = False) -> str:
    """Raw title: ``<agency> 2021 年政府信息公开工作年度报告`` (``short``: ``… 2021 年度报告``)."""
    name = agency_name(report)
    if year == UNKNOWN:
        return f"{name} 年度不明的" + ("报告" if short else "政府信息公开工作年度报告")
    return f"{name} {year} 年度报告" if short else f"{name} {year} 年政府信息公开工作年度报告"


def render_report(catalog: Catalog, entry: Entry) -> str:
    """The Markdown page of one report."""
    report, here = catalog.full(entry), report_page(entry.slug)
    template = report.template if report.template in PROACTIVE_ITEMS else None
    notes = CellNotes.of(report)
    blocks = [
        "# " + md_text(report_title(report, entry.year)),
        _trail(catalog, entry),
        summary_sentence(entry, name_md(report)),
        findings_count(report),
        "## 基本信息",
        _info(catalog, entry, report, template),
    ]
    blocks += _narrative_blocks(report.sections.get("preamble"), "## 前言", optional=True)
    for sdef in SECTIONS:
        blocks += _section(report, notes, sdef, template)
    blocks += _narrative_blocks(report.sections.get("closing"), "## 落款", optional=True)
    blocks += [findings_block(report), inferred_block(report), corrections_block(report),
               unparsed_block(report, here, original_txt(entry.slug))]
    meta = {"title": report_title(report, entry.year, short=True),
            "description": report_title(report, entry.year) + "：统计表、正文、核验结果与原文下载"}
    return page(meta, blocks)


def _trail(catalog: Catalog, entry: Entry) -> str:
    here = report_page(entry.slug)
    tail = [(name_md(entry.report), agency_page(entry.agency)), (year_label(entry.year), None)]
    return region_crumbs(catalog, here, catalog.agencies[entry.agency].region, tail)


def _info(catalog: Catalog, entry: Entry, report: Report, template: str | None) -> str:
    here = report_page(entry.slug)
    region = report.region
    place = SEP.join(place_links(catalog, here, catalog.agencies[entry.agency].region))
    items = [
        f"**发布机关**：{link(name_md(report), here, agency_page(entry.agency))}",
        f"**所属地区**：{place}（{md_text(level_label(region.level))}，"
        f"{md_text(kind_label(region.kind))}）",
    ]
    parts = name_parts(report)
    if parts:
        items.append("**名称要素**：" + " · ".join(md_text(p) for p in parts))
    items += [
        f"**统计年度**：{year_label(entry.year)}",
        f"**报告模板**：{_template_text(template)}",
        f"**发布日期**：{md_text(report.published) if report.published else '原文未注明'}",
        f"**下载**：{link('原文（纯文本）', here, original_txt(entry.slug))}，"
        f"{link('结构化数据（JSON）', here, report_json(entry.slug))}",
    ]
    items += _source_items(report)
    items += _siblings(catalog, entry)
    return bullet_list(items)


def _template_text(template: str | None) -> str:
    if template is None:
        return f"未能确定，以下表格按 {TEMPLATE_FALLBACK} 年模板的格式展示"
    return f"{template} 年模板"


def _source_items(report: Report) -> list[str]:
    src = report.source
    out = []
    if src.url:
        out.append(f"**发布网址**：{md_text(src.url)}")
    if src.retrieved:
        out.append(f"**获取日期**：{md_text(src.retrieved)}")
    if _HEX.fullmatch(src.sha256 or ""):  # plain hex digits: shown as they are
        out.append(f"**原文 SHA-256**：{src.sha256}")
    elif sha := clean(src.sha256 or ""):
        out.append(f"**原文 SHA-256**：{md_text(sha)}")
    return out


SIBLINGS_SHOWN = 20
"""At most this many other reports of the same agency and year are linked by name."""


def _siblings(catalog: Catalog, entry: Entry) -> list[str]:
    """Links to the agency's other reports of this year (none when agency or year is
    unknown: those reports share a page only for want of a name)."""
    report = entry.report
    if not (report.agency and report.agency_key) or report.year is None:
        return []
    here = report_page(entry.slug)
    others = [e for e in catalog.agencies[entry.agency].entries
              if e.year == entry.year and e.slug != entry.slug]
    if not others:
        return []
    links = "，".join(link(f"{md_text(e.report.source.path)}", here, report_page(e.slug))
                     for e in others[:SIBLINGS_SHOWN])
    if len(others) > SIBLINGS_SHOWN:
        links += f" 等 {len(others)} 份（见{agency_link(here, entry)}）"
    return [f"**同一机关同一年度的其他报告**：{links}"]


def _section(report: Report, notes: CellNotes, sdef: SectionDef,
             template: str | None) -> list[str]:
    heading = f"## {sdef.number}、{sdef.heading}"
    tpl = template or TEMPLATE_FALLBACK
    if sdef.key == "proactive":
        return [heading, LEGEND, proactive_table(notes, tpl)]
    if sdef.key == "applications":
        return [heading, applications_table(notes, tpl)]
    if sdef.key == "review":
        return [heading, review_table(notes)]
    return _narrative_blocks(report.sections.get(sdef.key), heading)


SECTION_MAX = 20_000
"""Longest narrative part shown on a page, in characters; the rest is in the original."""


def _narrative_blocks(section: Section | None, heading: str, optional: bool = False) -> list[str]:
    """A narrative part: its intro, then each sub-heading with its paragraphs."""
    if section is None or not (section.text.strip() or section.intro.strip() or section.parts):
        return [] if optional else [heading, "原文中未找到这一部分。"]
    if len(section.text) > SECTION_MAX:
        note = (f"（这一部分原文共 {len(section.text)} 字，页面只显示前 {SECTION_MAX} 字；"
                "全文见本页“基本信息”中的原文下载。）")
        return [heading, html_paragraphs(section.text[:SECTION_MAX]), note]
    if not section.parts:
        return [heading, html_paragraphs(section.text)]
    blocks = [heading, html_paragraphs(section.intro)]
    for part in section.parts:
        blocks += [_sub_heading(part.heading), html_paragraphs(part.text)]
    return blocks


def _sub_heading(text: str) -> str:
    """A sub-heading as ``###``, or as a bold paragraph when it is very long."""
    cleaned = clean(text)
    if not cleaned:
        return ""
    if len(cleaned) > HEADING_MAX:
        return f"**{md_text(cleaned)}**"
    return "### " + md_text(cleaned)
