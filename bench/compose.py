"""Assemble one synthetic report's text: title, narrative from the seeds, tables, signature."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bench.agencies import Agency
from bench.seeds import MARK_CLOSE, MARK_OPEN, Seed

TOKEN = re.compile(f"{MARK_OPEN}([A-Z_]+|Y[+-]\\d+){MARK_CLOSE}")
NARRATIVE_COUNT = re.compile(r"(?<![第〔\d.])(\d+)(?=\s*余?(?:条|件|个|项|次|家|人))")
CN_DIGITS = "一二三四五六"
PART_TITLES = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
               "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
               "其他需要报告的事项")
TITLE_STYLES = (("stacked", 20), ("stacked-tight", 20), ("spaced", 15), ("province-line", 10),
                ("one-line", 20), ("year-first", 15))


@dataclass(frozen=True, slots=True)
class Narrative:
    """The seeds each narrative part is taken from."""

    preamble: Seed | None
    overview: Seed
    problems: Seed
    other: Seed

    def names(self) -> list[str]:
        seeds = [self.preamble, self.overview, self.problems, self.other]
        return [s.name if s else "" for s in seeds]


def _stem(name: str) -> str:
    return name[:-1] if len(name) >= 3 else name


def token_values(agency: Agency, year: int, rng: random.Random) -> dict[str, str]:
    """What each placeholder of the seeds becomes for this agency."""
    place = agency.place
    county = place.name
    city = place.city or ""
    if place.level == "city":
        county, city = place.name, ""
    province_stem = place.province.removesuffix("省").removesuffix("市")
    return {
        "AGENCY": agency.name, "SELF": agency.self_name, "SELF_CHAR": agency.self_char,
        "U": agency.unit, "COUNTY": county, "COUNTY_STEM": _stem(county), "CITY": city,
        "CITY_STEM": _stem(city) if city else province_stem, "PROVINCE": place.province,
        "PROVINCE_STEM": province_stem,
        "URL": f"www.{place.province_slug}{place.code[2:]}.gov.cn",
        "PHONE": f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}",
        "POSTCODE": f"{place.code[:2]}{rng.randint(0, 9999):04d}",
        **{f"Y{d:+d}": str(year + d) for d in range(-3, 4)},
    }


def fill(lines: tuple[str, ...], values: dict[str, str], rng: random.Random) -> list[str]:
    """Seed lines with placeholders filled in and narrative counts varied."""
    out = []
    for line in lines:
        text = TOKEN.sub(lambda m: values.get(m.group(1), ""), line)
        text = NARRATIVE_COUNT.sub(lambda m: str(int(int(m.group(1)) * rng.uniform(0.3, 3.0))),
                                   text)
        out.append(text)
    return out


def title_lines(agency: Agency, year: int, style: str) -> list[str]:
    """The issuer and title lines in one of the styles the samples show."""
    name = agency.name
    if style == "stacked":
        return [name, "", f"{year}年政府信息公开工作年度报告"]
    if style == "stacked-tight":
        return [name, f"{year}年度政府信息公开工作年度报告"]
    if style == "spaced":
        return ["", "", f"{name} {year} 年度政府信息公开工作年度报告"]
    if style == "province-line":
        first = name if name.startswith(agency.place.province) else agency.place.province + name
        return ["", "", first, "", f"{name} {year} 年政府信息公开工作年报"]
    if style == "one-line":
        return [f"{name}{year}年政府信息公开工作年度报告"]
    return [f"{year}年{name}政府信息公开工作年度报告"]


def heading(n: int, style: str) -> str:
    """Part heading ``n`` (0-5) in one of the printed styles."""
    text = f"{CN_DIGITS[n]}、{PART_TITLES[n]}"
    if style == "indented" and n >= 2:
        return "\u3000\u3000" + text
    if style == "digit" and n == 0:
        return f"1、 {PART_TITLES[0]}"
    return text


def signature(agency: Agency, year: int, rng: random.Random) -> tuple[list[str], str]:
    """Closing issuer and date lines, and the ISO date they print."""
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    pad = " " * 19 if rng.random() < 0.4 else ""
    lines = ["", "", pad + agency.name, f"{pad}{year + 1}年{month}月{day}日"]
    return lines, f"{year + 1}-{month:02d}-{day:02d}"


def compose(agency: Agency, year: int, narrative: Narrative, tables: tuple[list[str], ...],
            rng: random.Random) -> tuple[str, str | None]:
    """The report's full text and the publication date it prints (or ``None``)."""
    values = token_values(agency, year, rng)
    style = rng.choices(["plain", "indented", "digit"], weights=[70, 15, 15])[0]
    title = rng.choices([s for s, _ in TITLE_STYLES], weights=[w for _, w in TITLE_STYLES])[0]
    out = title_lines(agency, year, title)
    if narrative.preamble is not None:
        out += fill(narrative.preamble.preamble, values, rng)
    out += ["", heading(0, style), *fill(narrative.overview.overview, values, rng), ""]
    for n, lines in enumerate(tables, start=1):
        out += [heading(n, style), *lines, ""]
    out += [heading(4, style), *fill(narrative.problems.problems, values, rng)]
    out += [heading(5, style), *fill(narrative.other.other, values, rng)]
    published = None
    if rng.random() < 0.6:
        closing, published = signature(agency, year, rng)
        out += closing
    return "\n".join(out) + "\n", published
