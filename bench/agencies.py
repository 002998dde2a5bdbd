"""Who publishes a synthetic report: agency kinds, names and the words they use for themselves."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.places import Place, cities, counties, is_ambiguous

DEPARTMENTS: tuple[tuple[str, str, float], ...] = (
    ("公安局", "police", 2.0), ("教育局", "edu", 1.0), ("卫生健康局", "health", 1.2),
    ("自然资源局", "natres", 2.0), ("市场监督管理局", "market", 1.5),
    ("人力资源和社会保障局", "hrss", 1.0), ("财政局", "finance", 0.8), ("民政局", "civil", 0.6),
    ("住房和城乡建设局", "housing", 1.8), ("交通运输局", "transport", 0.8),
    ("农业农村局", "agri", 0.6), ("水利局", "water", 0.5), ("司法局", "justice", 0.4),
    ("应急管理局", "emergency", 0.5), ("退役军人事务局", "veterans", 0.3),
    ("医疗保障局", "medins", 0.6), ("统计局", "stats", 0.2), ("审计局", "audit", 0.2),
    ("文化和旅游局", "culture", 0.4), ("发展和改革局", "ndrc", 0.8), ("林业局", "forestry", 0.4),
    ("商务局", "commerce", 0.3), ("行政审批服务管理局", "approval", 1.5),
    ("生态环境局", "eco", 0.8),
)
"""County-level departments: name, file-name slug, how busy (1.0: a county office)."""

CITY_RENAMES = {"卫生健康局": "卫生健康委员会", "发展和改革局": "发展和改革委员会"}
"""Departments a prefecture names differently."""

TOWNS: tuple[str, ...] = (
    "城关镇", "东关镇", "西关镇", "南关镇", "北关镇", "新城镇", "太平镇", "永安镇", "和平镇",
    "长安镇", "龙泉镇", "石桥镇", "河口镇", "大庄镇", "白沙镇", "青山镇", "桥头镇", "黄土镇",
    "马庄乡", "李家庄乡", "王家庄乡", "红旗乡", "胜利乡", "新华乡", "杨树乡", "柳林乡",
)
"""Township names common enough to occur in many counties."""

KINDS = (("government", 15), ("office", 20), ("department", 55), ("township", 10))


@dataclass(frozen=True, slots=True)
class Agency:
    """One publishing body and the words its report uses for itself."""

    name: str
    """The full name as printed in the title."""
    kind: str
    """government | office | department | township."""
    place: Place
    town: str | None
    level: str
    """city | county | township."""
    slug: str
    """ASCII part of the file name."""
    busy: float
    """Scale of its figures."""
    unit: str
    """The character for its own unit (县, 区, 市, 镇 ...)."""
    self_name: str
    """What it calls itself in running text (县政府办公室, 县公安局 ...)."""
    self_char: str
    """The 办 of 我办, 局 of 我局 ..."""

    @property
    def region_kind(self) -> str:
        return "department" if self.kind == "department" else "government"


def _prefix(place: Place, rng: random.Random) -> str:
    """The parent names a report puts before an ambiguous (or, at times, any) name."""
    parent = place.city or (place.province if place.province != place.name else "")
    if is_ambiguous(place):
        return parent if parent else place.province
    return parent if parent and rng.random() < 0.3 else ""


def _department(rng: random.Random, city_level: bool) -> tuple[str, str, float]:
    name, slug, busy = rng.choice(DEPARTMENTS)
    return (CITY_RENAMES.get(name, name) if city_level else name), slug, busy


def make_agency(rng: random.Random) -> Agency:
    """A random agency at a random real place (a county, one time in seven a prefecture)."""
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    city_level = kind != "township" and rng.random() < 1 / 7
    place = rng.choice(cities() if city_level else counties())
    base = _prefix(place, rng) + place.name
    unit = place.suffix
    if kind == "government":
        return Agency(base + "人民政府", kind, place, None, place.level, "gov", 1.3, unit,
                      f"{unit}人民政府", unit)
    if kind == "office":
        return Agency(base + "人民政府办公室", kind, place, None, place.level, "office", 1.0,
                      unit, f"{unit}政府办公室", "办")
    if kind == "department":
        dept, slug, busy = _department(rng, city_level)
        return Agency(base + dept, kind, place, None, place.level, slug, busy, unit,
                      unit + dept, dept[-1])
    town = rng.choice(TOWNS)
    n = TOWNS.index(town)
    return Agency(base + town + "人民政府", kind, place, town, "township", f"town{n:02d}", 0.15,
                  town[-1], town + "人民政府", town[-1])
