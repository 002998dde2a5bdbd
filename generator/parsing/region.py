"""Where a report's issuer sits: its administrative division, and a stable agency key.

``resolve_region`` reads the division out of the agency name, in four steps:

1. **Names in the agency name** (:mod:`generator.parsing.mentions`). Every full division
   name printed in it is found (at
   each character a name can end with — 县, 区, 市, 旗, 州, 省, 盟 — the longest name
   ending there, by dictionary lookup). Read left to right,
   each name narrows the candidates: a unit under the current candidates replaces
   them (临汾市 then 尧都区), a unit above them filters them (鼓楼区 … 福州市); a name
   unrelated to the chain is part of the agency's own name (太原市城区管理局: 城区 is
   not under 太原市) and is ignored. The most specific unit wins.
2. **Short names in the agency name** (北京朝阳区) filter what is still ambiguous.
3. **Hints in the text.** When several units share the name (鼓楼区: 南京, 徐州, 福州,
   开封), the text is searched for the names of each candidate's city and province only:
   ``福州市鼓楼区`` beside each other weighs 3, the city (or municipality) 2, the
   province 1, per occurrence. The strongest candidate wins and an info finding
   ``region-inferred`` says which line decided; a tie leaves only what is certain
   (the county's name, a shared province) with ``code`` ``None`` and a
   ``region-ambiguous`` warning that lists the candidates.
4. **The first lines of the text** (title, preamble) when the agency name names no unit
   (or no agency is known); a chain found there is reported as ``region-inferred``.
   Otherwise the region stays empty with a ``region-unknown`` warning.

A township (乡, 镇, 街道, 苏木) printed right after the county (``隰县黄土镇人民政府``) sets
``township`` and level ``township``; the national list has no township codes, so
``code`` stays the county's.

``kind`` is ``government`` when what follows the region names is a people's government
or its office (人民政府, 人民政府办公室/办公厅, 政府办, a 街道办事处), else ``department``.

Cost: a few dozen dictionary lookups on the agency name; the text is only searched,
for a handful of names, when the name is ambiguous, and its first lines only when
the name names no unit. About 30 µs per report in the common case and 100–200 µs
when the text has to be searched (the five seed reports, one core).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator import gazetteer
from generator.findings import severity_of
from generator.gazetteer import Division
from generator.model import Finding, Region
from generator.parsing.mentions import (
    filter_by_short,
    narrow,
    normalise,
    scan,
    scan_full,
    squash,
)
from generator.parsing.text import clean_line

HEAD_LINES = 10
"""Non-blank lines at the top of the text searched when the agency names no unit."""
HEAD_CHARS = 300
"""Characters of each of those lines searched."""
SHORT_LINE = 60
"""A head line this short is a title or a name, not prose: a two-character county name
(城区, 环县) may start a chain there."""

_GOVERNMENT = re.compile(r"(?:(?:人民政府|政府)(?:办公室|办公厅|办)?|街道办事处)$")
_TOWNSHIP = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{1,10}?(?:街道|镇|乡|苏木))"
    r"(?:人民政府(?:办公室)?|政府|办事处|街道办事处)?"
)
_W_ADJACENT, _W_PARENT, _W_PROVINCE = 3, 2, 1


def _forms(division: Division) -> tuple[str, ...]:
    """The names a text may use for ``division``: short ones first, then the full name."""
    return (*gazetteer.short_names(division), division.name)


def _stem(division: Division) -> str:
    """The shortest form: every other form starts with it, so counting it counts all."""
    shorts = gazetteer.short_names(division)
    return shorts[0] if shorts else division.name


@dataclass(frozen=True, slots=True)
class _Evidence:
    score: int
    index: int | None
    """Offset in the text of ``hint``."""
    hint: str | None
    """The strongest hint found: the name beside its city, else the city, else the province."""


def _evidence(candidate: Division, text: str) -> _Evidence:
    """How strongly ``text`` points at ``candidate`` (step 3)."""
    above = gazetteer.ancestors(candidate)
    if not above:
        return _Evidence(0, None, None)
    probes = [(form + candidate.name, _W_ADJACENT) for form in _forms(above[0])]
    probes += [(_stem(a), _W_PARENT if i == 0 else _W_PROVINCE) for i, a in enumerate(above)]
    score, hint = 0, None
    for probe, weight in probes:
        count = text.count(probe)
        score += weight * count
        if count and hint is None:
            hint = probe
    return _Evidence(score, text.find(hint) if hint else None, hint)


def _join(lines: Sequence[str]) -> str:
    return squash("\n".join(lines))


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def region_of(division: Division) -> Region:
    """The region one division gives (``kind`` and ``township`` left empty)."""
    return Region(
        province=division.province,
        city=division.city,
        county=division.name if division.level == "county" else None,
        code=division.code,
        level=division.level,
    )


def _certain(candidates: Sequence[Division]) -> Region:
    """What all candidates share: names only, no code."""
    first = candidates[0]

    def shared(values: set[str | None]) -> str | None:
        return values.pop() if len(values) == 1 else None

    levels = {c.level for c in candidates}
    return Region(
        province=shared({c.province for c in candidates}),
        city=shared({c.city for c in candidates}),
        county=first.name if levels == {"county"} else None,
        level=shared(set(levels)),
    )


def _describe(candidates: Sequence[Division]) -> str:
    return "、".join(f"{c.path}({c.code})" for c in candidates)


def _finding(code: str, message: str, line: int | None = None,
             text: str | None = None) -> Finding:
    return Finding(severity_of(code), code, message, line, None, text)


def _text_line(lines: Sequence[str], line: int | None) -> str | None:
    """The line's text as every finding shows it (``clean_line``, at most 300 characters)."""
    if line is None or not 0 < line <= len(lines):
        return None
    return clean_line(lines[line - 1])[:300]


def _agency_line(agency: str | None, lines: Sequence[str]) -> int | None:
    """1-based line where the agency name is printed first (among the first lines)."""
    if not agency:
        return None
    target = normalise(agency)
    for index, line in enumerate(lines[:40]):
        if target in squash(line):
            return index + 1
    return None


def _decide(candidates: tuple[Division, ...], lines: Sequence[str], at_line: int | None,
            findings: list[Finding]) -> Region:
    """One candidate: its region. Several: weigh the text's hints (step 3)."""
    if len(candidates) == 1:
        return region_of(candidates[0])
    text = _join(lines)
    evidence = {c.code: _evidence(c, text) for c in candidates}
    best = max(e.score for e in evidence.values())
    top = tuple(c for c in candidates if evidence[c.code].score == best) if best else candidates
    name = candidates[0].name
    if len(top) == 1:
        winner, ev = top[0], evidence[top[0].code]
        line = _line_of(text, ev.index) if ev.index is not None else None
        findings.append(_finding(
            "region-inferred",
            f"{name} 有多个同名行政区（{_describe(candidates)}），"
            f"根据正文中的“{ev.hint}”判定为 {winner.path}({winner.code})。",
            line, _text_line(lines, line)))
        return region_of(winner)
    findings.append(_finding(
        "region-ambiguous",
        f"{name} 可能是：{_describe(top)}；正文中没有足以区分的地名，未给出行政区划代码。",
        at_line, _text_line(lines, at_line)))
    return _certain(top)


def _head_candidates(lines: Sequence[str]) -> tuple[int, tuple[Division, ...]] | None:
    """The most specific division named in the text's first lines, and its 0-based line.

    In a line of prose (longer than ``SHORT_LINE``) a two-character county name (城区, 吉县)
    counts only when a city or province printed before it leads to it: alone it is too
    often a word there.
    """
    best: tuple[int, tuple[Division, ...]] | None = None
    seen = 0
    for index, raw in enumerate(lines):
        line = squash(raw[:HEAD_CHARS])
        if not line:
            continue
        mentions = scan_full(line)
        chain = narrow(mentions, allow_weak_start=len(line) <= SHORT_LINE)
        if chain.candidates:
            candidates = filter_by_short(chain.candidates, mentions)
            if best is None or candidates[0].depth > best[1][0].depth:
                best = (index, candidates)
        seen += 1
        if seen >= HEAD_LINES:
            break
    return best


def _from_head(lines: Sequence[str], findings: list[Finding], named: bool) -> Region | None:
    """Look for a division in the text's first lines (step 4)."""
    found = _head_candidates(lines)
    if found is None:
        return None
    index, candidates = found
    sub: list[Finding] = []
    region = _decide(candidates, lines, index + 1, sub)
    if region.code is not None and not sub:
        findings.append(_finding(
            "region-inferred",
            f"{'发布机关名称中没有行政区名称' if named else '发布机关不明'}，"
            f"根据第 {index + 1} 行判定为 "
            f"{candidates[0].path}({region.code})。",
            index + 1, lines[index].strip()))
    findings.extend(sub)
    return region


def agency_kind(agency: str | None) -> str | None:
    """``government`` for a people's government or its office, else ``department``.

    Government: a name ending in 人民政府, 人民政府办公室/办公厅, 政府办, 政府 or
    街道办事处 (隰县人民政府, 黄土镇人民政府); ``None`` when the agency is unknown.
    """
    if not agency:
        return None
    return "government" if _GOVERNMENT.search(normalise(agency)) else "department"


def _apply_township(region: Region, rest: str) -> None:
    """Fill ``township`` when ``rest`` (the agency name after its region names) is a
    乡/镇/街道 government or office (``黄土镇人民政府``, ``XX街道办事处``).

    Anything else after the township's name (``城乡规划局``) is not a township.
    """
    no_districts = (region.level == "city" and region.code is not None
                    and not gazetteer.children(region.code))
    if region.level != "county" and not no_districts:
        return
    match = _TOWNSHIP.fullmatch(rest)
    if match is not None:
        region.township = match.group("name")
        region.level = "township"


def resolve_region(agency: str | None, lines: Sequence[str]) -> tuple[Region, list[Finding]]:
    """The region of the body named ``agency``, using ``lines`` (the report's text) for hints.

    Returns the region (``kind`` filled whenever the agency is known) and the findings:
    ``region-inferred`` (info), ``region-ambiguous`` or ``region-unknown`` (warnings).
    """
    findings: list[Finding] = []
    name = normalise(agency) if agency else ""
    mentions = scan(name)
    chain = narrow(mentions, allow_weak_start=True)
    region: Region | None
    if chain.candidates:
        candidates = filter_by_short(chain.candidates, mentions)
        region = _decide(candidates, lines, _agency_line(agency, lines), findings)
    else:
        region = _from_head(lines, findings, bool(name))
    if region is None:
        region = Region()
        where = f"发布机关名称“{agency}”和正文开头" if agency else "发布机关不明，正文开头"
        findings.append(_finding(
            "region-unknown",
            f"{where}都没有可识别的行政区名称，所属行政区不明。",
            _agency_line(agency, lines)))
    _apply_township(region, name[chain.end:])
    region.kind = agency_kind(agency)
    return region, findings


def _prefixes(region: Region) -> list[str]:
    """Names a region may be printed with at the start of an agency name, longest first."""
    names = {n for n in (region.province, region.city, region.county) if n}
    division = gazetteer.by_code(region.code) if region.code else None
    if division is not None:
        for unit in (division, *gazetteer.ancestors(division)):
            names.update(_forms(unit))
    return sorted(names, key=lambda n: (-len(n), n))


def agency_key(agency: str | None, region: Region) -> str:
    """Stable identity of an agency across years: ``<division code>/<name without region>``.

    ``山西省隰县人民政府`` and ``隰县 人民政府`` (code 141031) both give ``141031/人民政府``.
    Without a code: ``unknown/<whole normalised name>``; without an agency: ``unknown/unknown``.
    The key may contain Chinese: it is data, not a path.
    """
    name = normalise(agency) if agency else ""
    if not name:
        return "unknown/unknown"
    if region.code is None:
        return f"unknown/{name}"
    rest, prefixes = name, _prefixes(region)
    stripped = True
    while stripped:
        stripped = False
        for prefix in prefixes:
            if rest.startswith(prefix) and len(rest) > len(prefix):
                rest, stripped = rest[len(prefix):], True
                break
    return f"{region.code}/{rest}"
