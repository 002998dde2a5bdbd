"""Sample reports turned into narrative templates for the synthetic corpus.

A seed report is cut at its six part headings. Its narrative (preamble, parts 一,
五, 六) is kept; every mention of its own agency, region, unit (全区, 县委 ...), years,
web address and phone number becomes a placeholder, so the text can be filled in
for any other agency, place and year. Tables are not taken from the seeds: the
corpus writes its own (see ``bench.tables_text``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.places import Place, all_places, is_ambiguous, region_names

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
"""Placeholders are ``\\ue000NAME\\ue001`` (private-use characters no report contains)."""

HEADING = re.compile(
    r"^[\s\u3000]*(?P<num>[一二三四五六1-6１-６])\s*[、.．]\s*"
    r"(?P<title>总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况"
    r"|政府信息公开行政复议|存在的主要问题|其他需要报告的事项)"
)
PART_KEYS = {"总体情况": "overview", "主动公开政府信息情况": "proactive",
             "收到和处理政府信息公开申请情况": "applications", "政府信息公开行政复议": "review",
             "存在的主要问题": "problems", "其他需要报告的事项": "other"}
YEAR = re.compile(r"(20\d\d)(\s*年)")
URL = re.compile(r"www\.[a-z0-9.-]+\.(?:gov\.)?cn")
PHONE = re.compile(r"0\d{2,3}-\d{7,8}")
POSTCODE = re.compile(r"(邮编[：:]\s*)\d{6}")
DATE_LINE = re.compile(r"^\s*20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
UNIT_LOOKBEHIND = "社园景小街片城地专辖山矿新湾"
"""Characters before 区 that make a word of its own (社区, 园区 ...), not the unit."""


def mark(name: str) -> str:
    """The placeholder for ``name``."""
    return f"{MARK_OPEN}{name}{MARK_CLOSE}"


@dataclass(frozen=True, slots=True)
class Seed:
    """One sample report as narrative templates."""

    name: str
    """The seed's file name."""
    preamble: tuple[str, ...]
    """Paragraphs between the title and part 一 (may be empty)."""
    overview: tuple[str, ...]
    problems: tuple[str, ...]
    other: tuple[str, ...]


def read_text(path: Path) -> str:
    """A seed's text (UTF-8, else GB18030)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _find_parts(lines: list[str]) -> dict[str, int]:
    """Line index of each part heading (first occurrence)."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if m and len(line.strip()) < 40:
            found.setdefault(PART_KEYS[m.group("title")], i)
    return found


def _paragraphs(lines: list[str]) -> tuple[str, ...]:
    """Non-blank lines, stripped of trailing space, tabs and signature lines dropped."""
    return tuple(line.rstrip() for line in lines
                 if line.strip() and "\t" not in line and not DATE_LINE.match(line))


def _is_signature(line: str) -> bool:
    """A closing line naming the issuer or the date of publication."""
    text = line.strip()
    return bool(DATE_LINE.match(text)) or (
        len(text) < 30 and text.endswith(("政府", "办公室", "局", "委员会", "中心")))


def _seed_place(text: str, head: str) -> Place | None:
    """The seed's own county- or city-level place: the one its heading names."""
    candidates = [p for p in all_places() if p.name in head and len(p.name) >= 2]
    if not candidates:
        return None
    candidates.sort(key=lambda p: (p.level != "county", -len(p.name), p.code))
    for place in candidates:
        if not is_ambiguous(place) or (place.city and place.city in text):
            return place
    return candidates[0]


def _self_kind(head: str) -> str:
    """government | office | department, from the seed's heading."""
    if "人民政府办公室" in head or "政府办公室" in head:
        return "office"
    if "人民政府" in head:
        return "government"
    return "department"


def _name_rules(place: Place, kind: str) -> list[tuple[str, str]]:
    """Literal replacements for the seed's own name, its region names and their stems."""
    rules = [(place.name, mark("COUNTY")), (place.province, mark("PROVINCE"))]
    if kind == "office":
        for prefix in {"", place.province, place.city or "", place.province + (place.city or "")}:
            rules.append((prefix + place.name + "人民政府办公室", mark("AGENCY")))
    if place.city:
        rules.append((place.city, mark("CITY")))
        if len(place.city) >= 3:
            rules.append((place.city[:-1], mark("CITY_STEM")))
    if len(place.name) >= 3:
        rules.append((place.name[:-1], mark("COUNTY_STEM")))
    stem = place.province.removesuffix("省").removesuffix("市")
    if len(stem) >= 2 and stem != place.province:
        rules.append((stem, mark("PROVINCE_STEM")))
    return rules


def _self_rules(unit: str, kind: str) -> list[tuple[str, str]]:
    """Replacements for the seed's words about itself and its unit (区/县)."""
    rules: list[tuple[str, str]] = []
    if kind == "office":
        rules += [(f"{unit}人民政府办公室", mark("SELF")), (f"{unit}政府办公室", mark("SELF")),
                  ("人民政府办公室", mark("SELF")), ("政府办公室", mark("SELF")),
                  (f"{unit}政府办", mark("SELF")), ("政府办", mark("SELF")),
                  ("我办", "我" + mark("SELF_CHAR"))]
    elif kind == "government":
        rules += [(f"{unit}人民政府", mark("SELF")), (f"我{unit}", "我" + mark("SELF_CHAR"))]
    for word in ("全{}", "我{}", "本{}", "{}委", "{}政府", "{}直", "{}长", "{}、乡", "市、{}",
                 "{}级", "{}域", "{}两级", "{}政务"):
        rules.append((word.format(unit), word.format(mark("U"))))
    return rules


def _compile(rules: list[tuple[str, str]], unit: str) -> Callable[[str], str]:
    """One pass of longest-first literal replacement (no chained substitutions)."""
    table = dict(rules)
    keys = sorted(table, key=lambda k: (-len(k), k))
    guard = f"(?<![{UNIT_LOOKBEHIND}])" if unit == "区" else ""
    pattern = re.compile(guard + "(?:" + "|".join(re.escape(k) for k in keys) + ")")

    def replace(text: str) -> str:
        return pattern.sub(lambda m: table[m.group(0)], text)

    return replace


def _templatise(lines: tuple[str, ...], sub: Callable[[str], str], year: int) -> tuple[str, ...]:
    """Apply the replacements, then years (as offsets from the seed's year) and contacts."""
    out = []
    for line in lines:
        text = sub(line)
        text = YEAR.sub(lambda m: mark(f"Y{int(m.group(1)) - year:+d}") + m.group(2), text)
        text = URL.sub(mark("URL"), text)
        text = PHONE.sub(mark("PHONE"), text)
        text = POSTCODE.sub(lambda m: m.group(1) + mark("POSTCODE"), text)
        out.append(text)
    return tuple(out)


def _seed_year(text: str) -> int:
    """The year the seed's statistics cover: the first year named in its title area."""
    m = re.search(r"(20\d\d)\s*年(?:度)?\s*(?:政府信息公开|政务公开)", text)
    if m is None:
        m = YEAR.search(text)
    return int(m.group(1)) if m else 2021


def load_seed(path: Path) -> Seed | None:
    """A seed from one report file, or ``None`` when its parts cannot be found."""
    text = read_text(path)
    lines = text.splitlines()
    parts = _find_parts(lines)
    if not {"overview", "proactive", "problems", "other"} <= parts.keys():
        return None
    head = "\n".join(lines[: parts["overview"]])
    place = _seed_place(text, head)
    if place is None:
        return None
    unit = place.suffix
    kind = _self_kind(head)
    rules = _name_rules(place, kind) + _self_rules(unit, kind)
    sub = _compile(rules, unit)
    year = _seed_year(text)
    header = [ln for ln in lines[: parts["overview"]] if len(ln.strip()) > 40]
    end5 = parts["other"]
    body6 = [ln for ln in lines[end5 + 1:] if not _is_signature(ln)]
    return Seed(
        name=path.name,
        preamble=_templatise(_paragraphs(header), sub, year),
        overview=_templatise(_paragraphs(lines[parts["overview"] + 1: parts["proactive"]]),
                             sub, year),
        problems=_templatise(_paragraphs(lines[parts.get("problems", end5) + 1: end5]), sub, year),
        other=_templatise(_paragraphs(body6), sub, year)[:3],
    )


def load_seeds(folder: Path) -> list[Seed]:
    """Every usable seed under ``folder`` (``*.txt``, recursively), sorted by path."""
    seeds = [load_seed(p) for p in sorted(folder.rglob("*.txt"))]
    return [s for s in seeds if s is not None]


def region_names_in(text: str) -> list[str]:
    """Region names that occur in ``text`` (for checking a filled-in text)."""
    return [n for n in region_names() if n in text]
