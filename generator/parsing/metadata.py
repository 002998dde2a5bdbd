"""The report's title, issuing agency, statistics year and publication date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.parsing.text import compact, nfkc

TITLE_WORDS = ("年度报告", "年报", "工作报告")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年(?:度)?")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计期|时限为|期限为|期限自|统计时间)"
                     r"[^0-9]{0,6}((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日")
_DATE_LINE = re.compile(r"^((?:19|20)\d\d)\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?$")
_AGENCY_TAIL = re.compile(r"(关于|发布|印发)$")
_AGENCY_SUFFIXES = ("政府", "办公室", "办公厅", "局", "委员会", "委", "厅", "院", "署", "中心",
                    "街道办事处", "办事处", "管委会", "管理委员会", "室", "所", "站", "会", "部",
                    "队", "处", "馆", "社", "公司", "银行")
_NOT_IN_DATE = re.compile(r"(?![年月日])[\u4e00-\u9fff]")
"""An ideograph a date line cannot hold. Ideographs (U+4E00-U+9FFF) are their own NFKC
form and never compose with a neighbour, so a line holding one is no date whatever
its other characters normalise to."""
MAX_AGENCY = 40
HEAD_LINES = 15
MAX_RAW = 1000
"""A title, agency or date line is never longer than this (spaces included): longer lines
are not normalised at all (a megabyte-long line would take seconds)."""


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    title_line: int | None = None
    agency: str | None = None
    agency_line: int | None = None
    year: int | None = None
    year_line: int | None = None
    published: str | None = None
    published_line: int | None = None


def _is_title(line: str) -> bool:
    if "公" not in line or len(line) > MAX_RAW:
        return False
    text = compact(line)
    return "政府信息公开" in text and any(w in text for w in TITLE_WORDS) and len(text) <= 80


def find_title(lines: Sequence[str]) -> int | None:
    """Index of the title line among the first lines, or ``None``."""
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if _is_title(line):
            return index
        seen += 1
        if seen >= HEAD_LINES:
            break
    return None


def _clean_agency(text: str) -> str | None:
    if len(text) > MAX_RAW:
        return None
    name = compact(text).strip("：:，,。")
    name = _AGENCY_TAIL.sub("", name)
    if not name or len(name) > MAX_AGENCY or not re.search(r"[\u4e00-\u9fff]", name):
        return None
    if any(w in name for w in TITLE_WORDS) or "政府信息公开" in name:
        return None
    return name


def looks_like_agency(text: str) -> bool:
    name = _clean_agency(text)
    return name is not None and name.endswith(_AGENCY_SUFFIXES)


def _agency_from_title(lines: Sequence[str], title: int) -> tuple[str | None, int | None]:
    text = nfkc(lines[title])
    m = _YEAR_IN_TITLE.search(text)
    prefix = text[: m.start()] if m else text.split("政府信息公开")[0]
    name = _clean_agency(prefix)
    if name:
        return name, title + 1
    if m:
        between = text[m.end():].split("政府信息公开")[0]
        name = _clean_agency(between)
        if name and looks_like_agency(name):
            return name, title + 1
    for index in range(title - 1, -1, -1):
        if lines[index].strip():
            name = _clean_agency(lines[index])
            return (name, index + 1) if name else (None, None)
    return None, None


def find_year(lines: Sequence[str], title: int | None) -> tuple[int | None, int | None]:
    """The year the statistics cover: from the title, else from the stated period."""
    if title is not None:
        m = _YEAR_IN_TITLE.search(nfkc(lines[title]))
        if m:
            return int(m.group(1)), title + 1
    for index, line in enumerate(lines[:60]):
        m = _PERIOD.search(nfkc(line))
        if m:
            return int(m.group(1)), index + 1
    return None, None


@lru_cache(maxsize=4096)
def parse_date(line: str) -> str | None:
    """An ISO date when the whole line is a date (2022年1月24日, 2022-01-24)."""
    if len(line) > MAX_RAW or _NOT_IN_DATE.search(line):
        return None
    m = _DATE_LINE.match(compact(line))
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def closing_lines(lines: Sequence[str]) -> list[int]:
    """Indexes of a trailing signature: an agency line and/or a date line at the end."""
    found: list[int] = []
    index = len(lines) - 1
    while index >= 0 and len(found) < 3:
        line = lines[index]
        if not line.strip():
            index -= 1
            continue
        is_date = parse_date(line) is not None
        if is_date and not any(parse_date(lines[i]) for i in found):
            found.append(index)
        elif found and looks_like_agency(line):
            found.append(index)
            break
        else:
            break
        index -= 1
    return sorted(found)


def read_metadata(lines: Sequence[str]) -> Metadata:
    meta = Metadata()
    title = find_title(lines)
    if title is not None:
        meta.title = " ".join(lines[title].split())
        meta.title_line = title + 1
        meta.agency, meta.agency_line = _agency_from_title(lines, title)
    meta.year, meta.year_line = find_year(lines, title)
    closing = closing_lines(lines)
    for index in closing:
        date = parse_date(lines[index])
        if date:
            meta.published, meta.published_line = date, index + 1
        elif meta.agency is None:
            meta.agency, meta.agency_line = _clean_agency(lines[index]), index + 1
    if meta.published is None:
        for index, line in enumerate(lines[:HEAD_LINES]):
            date = parse_date(line)
            if date:
                meta.published, meta.published_line = date, index + 1
                break
    if meta.agency is None:
        for index, line in enumerate(lines[:3]):
            if looks_like_agency(line):
                meta.agency, meta.agency_line = _clean_agency(line), index + 1
                break
    return meta
