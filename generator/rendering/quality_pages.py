"""数据质量: every finding of every report, by severity and code, linked to its report.

When the page would grow past :data:`PAGE_BUDGET`, the lists move to one page per
province (``quality/<code>.md``) and the index keeps the counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.findings import CODE_BY_NAME, CODES
from generator.model import SEVERITY_ORDER, Finding, Severity
from generator.rendering.catalog import Catalog, Entry
from generator.rendering.cells import SEVERITY_LABEL, code_title, severity_of
from generator.rendering.common import (
    PAGE_BUDGET,
    home_trail,
    name_md,
    numbered,
    pager,
    paginate,
    year_label,
)
from generator.rendering.escape import clean, md_text
from generator.rendering.markup import bullet_list, crumbs, link, page, sortable, wrapped
from generator.rendering.urls import QUALITY_INDEX, UNKNOWN, quality_page, report_page

TITLE = "数据质量"
INTRO = (
    "每份报告都经过自动核验：表格自身的勾稽关系（如“新收 + 上年结转 = 办理结果总计 + "
    "结转下年度”，“总计 = 各类申请人之和”），缺失的部分、表格和行，空白或无法识别的单元格等。"
    "结果分三级：**错误**表示报告自相矛盾（相关各项均已填写而关系不成立）；"
    "**警告**表示内容缺失或异常；**提示**表示某项核验无法进行，或读取时作了处理。"
)
_CODE_ORDER = {c.code: n for n, c in enumerate(CODES)}


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: Entry
    finding: Finding
    item: str = ""
    """Its line in the lists (:func:`_item`): made once, as the lists are written whole,
    then by province and page; every page of them is in ``quality/``, so a line (its
    link) is the same on each."""


def render_quality(catalog: Catalog) -> dict[str, str]:
    """quality/index.md and, when large, quality/<province code>.md."""
    hits = _hits(catalog)
    head = _head(catalog, hits)
    whole = page(_meta(), head + _lists(hits))
    if len(whole.encode("utf-8")) <= PAGE_BUDGET:
        return {QUALITY_INDEX: whole}
    groups: dict[str, list[_Hit]] = defaultdict(list)
    for hit in hits:
        groups[catalog.province(hit.entry.agency)].append(hit)
    out: dict[str, str] = {}
    for code, items in groups.items():
        out.update(_parts(catalog, code, items))
    out[QUALITY_INDEX] = page(_meta(), head + _provinces(catalog, groups))
    return out


def _meta() -> dict[str, object]:
    return {"title": TITLE, "description": "各报告自动核验发现的问题：错误、警告与提示"}


def _code_key(code: str) -> tuple[int, str]:
    return (_CODE_ORDER.get(code, len(_CODE_ORDER)), code)


def _hits(catalog: Catalog) -> list[_Hit]:
    hits = [_Hit(e, f, _item(e, f))
            for e in catalog.entries for f in e.report.findings]

    def key(h: _Hit) -> tuple[object, ...]:
        line = h.finding.line if isinstance(h.finding.line, int) else 2**31
        return (SEVERITY_ORDER[severity_of(h.finding)], _code_key(str(h.finding.code)),
                catalog.entry_order(h.entry), line, str(h.finding.message))

    return sorted(hits, key=key)


def _head(catalog: Catalog, hits: list[_Hit]) -> list[str]:
    here = QUALITY_INDEX
    by_sev: dict[Severity, set[str]] = defaultdict(set)
    for hit in hits:
        by_sev[severity_of(hit.finding)].add(hit.entry.slug)
    total = len(catalog.entries)
    clean_count = total - len({h.entry.slug for h in hits})
    summary = (f"共 {total} 份报告：{len(by_sev[Severity.ERROR])} 份有错误，"
               f"{len(by_sev[Severity.WARNING])} 份有警告，{clean_count} 份未发现任何问题。")
    blocks = ["# " + TITLE, crumbs(here, home_trail(here) + [(TITLE, None)]), INTRO, summary]
    if hits:
        blocks += ["## 各类问题统计", _stats(hits)]
    return blocks


def _stats(hits: list[_Hit]) -> str:
    count: dict[str, int] = defaultdict(int)
    reports: dict[str, set[str]] = defaultdict(set)
    severity: dict[str, Severity] = {}
    for hit in hits:
        code = str(hit.finding.code)
        count[code] += 1
        reports[code].add(hit.entry.slug)
        severity.setdefault(code, severity_of(hit.finding))
    rows = [[SEVERITY_LABEL[severity[c]], md_text(code_title(c)), md_text(c),
             str(len(reports[c])), str(count[c])]
            for c in sorted(count, key=lambda c: (SEVERITY_ORDER[severity[c]], _code_key(c)))]
    return sortable(["级别", "问题", "代码", "涉及报告", "条数"], rows,
                    [False, False, False, True, True])


def _lists(hits: list[_Hit]) -> list[str]:
    blocks: list[str] = []
    for sev in Severity:
        mine = [h for h in hits if severity_of(h.finding) == sev]
        if not mine:
            continue
        blocks.append(f"## {SEVERITY_LABEL[sev]}")
        codes = sorted({str(h.finding.code) for h in mine}, key=_code_key)
        for code in codes:
            blocks += _code_block(code, [h for h in mine if str(h.finding.code) == code])
    return blocks


def _code_block(code: str, hits: list[_Hit]) -> list[str]:
    known = CODE_BY_NAME.get(code)
    title = known.title if known else code
    blocks = [f"### {md_text(title)}（{md_text(code)}）"]
    if known:
        blocks.append(md_text(known.meaning) + f"共 {len(hits)} 条。")
    blocks.append(wrapped(bullet_list(h.item for h in hits)))
    return blocks


def _item(entry: Entry, f: Finding) -> str:
    here = QUALITY_INDEX
    text = f"{name_md(entry.report)} {year_label(entry.year)}"
    where = f"第 {f.line} 行，" if isinstance(f.line, int) else ""
    return f"{link(text, here, report_page(entry.slug))}：{where}{md_text(clean(str(f.message)))}"


def _provinces(catalog: Catalog, groups: dict[str, list[_Hit]]) -> list[str]:
    here = QUALITY_INDEX
    rows = []
    for code in sorted(groups, key=lambda c: (c == UNKNOWN, c)):
        counts = {s: 0 for s in Severity}
        for hit in groups[code]:
            counts[severity_of(hit.finding)] += 1
        name = link(md_text(catalog.regions[code].name), here, quality_page(code))
        rows.append([name] + [str(counts[s]) for s in Severity])
    headers = ["省级地区"] + [SEVERITY_LABEL[s] for s in Severity]
    return ["## 按地区查看", "问题较多，按省级地区分页列出：",
            sortable(headers, rows, [False, True, True, True])]


def _parts(catalog: Catalog, code: str, hits: list[_Hit]) -> dict[str, str]:
    """One province's findings: one page, or numbered pages when they are many."""
    first = quality_page(code)

    def render(chunk: Sequence[_Hit], number: int, count: int) -> str:
        return _part(catalog, code, list(chunk), len(hits), number, count)

    pages = paginate(hits, render, PAGE_BUDGET)
    return {numbered(first, n): text for n, text in enumerate(pages, 1)}


def _part(catalog: Catalog, code: str, hits: list[_Hit], total: int, number: int,
          count: int) -> str:
    first = quality_page(code)
    here = numbered(first, number)
    name = catalog.regions[code].name
    trail = home_trail(here) + [(TITLE, QUALITY_INDEX), (md_text(name), None)]
    blocks = ["# " + md_text(f"{name} {TITLE}"), crumbs(here, trail),
              f"{md_text(name)}各机关报告中自动核验发现的问题，共 {total} 条。",
              pager(here, first, number, count)]
    title = f"{name} {TITLE}" + (f"（第 {number} 页）" if count > 1 else "")
    return page({"title": title, "description": f"{name}各报告自动核验发现的问题"},
                blocks + _lists(hits))
