"""The three tables of a report as text, in the two layouts real extractions show.

``cells``: one cell per line, each line indented by a tab, rows separated by blank
lines (samples 000, 001, 004). ``rows``: one row per line, cells separated by tabs,
merged label cells as empty cells (samples 002, 003). Labels come from
``generator.tables`` (the one definition of rows and columns).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.figures import Figures, Value
from generator.tables import (
    APPLICANT_GROUP,
    APPLICATION_COLUMN_KEYS,
    APPLICATION_COLUMNS,
    G_RESULTS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMN_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    Item,
    Row,
    application_rows,
)

IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class Style:
    """How one file prints its tables."""

    layout: str
    """cells | rows."""
    ascii_numbers: bool = False
    """Print row numbers as ``(一) 予以公开`` / ``1. 属于国家秘密`` instead of full width."""
    split_headers: bool = False
    """Break part 四's header cells over two lines (``结果`` / ``纠正``)."""
    noise: float = 0.0
    """Share of cells printed with a stray space or no-break space around them."""
    skip_rows: frozenset[str] = field(default_factory=frozenset)
    """Application rows lost in extraction."""
    no_proactive_body: bool = False
    """Part 二 keeps only its first header: the table body is missing."""
    fullwidth: bool = False
    """Print the tables' digits full width (０-９)."""


def _number(row: Row, ascii_numbers: bool) -> str:
    if not ascii_numbers:
        return row.number
    return row.number.replace("（", "(").replace("）", ") ").replace(".", ". ")


def _label(row: Row, style: Style) -> str:
    return _number(row, style.ascii_numbers) + row.label


def _group_label(group: str, style: Style) -> str:
    if not style.ascii_numbers:
        return group
    return group.replace("（", "(").replace("）", ") ")


def print_value(value: Value, *, signed: bool = False, text: str | None = None) -> str:
    """A cell as the report prints it (``""`` for a blank cell)."""
    if value is None:
        return ""
    if text is not None:
        return text
    if signed and isinstance(value, int):
        return f"{value:+d}"
    return str(value)


def _noisy(cell: str, rng: random.Random, style: Style) -> str:
    if cell and style.noise and rng.random() < style.noise:
        return rng.choice((cell + " ", "\u00a0" + cell, cell + "\u00a0", " " + cell))
    return cell


def _cells(values: list[str], rng: random.Random, style: Style) -> list[str]:
    return [_noisy(v, rng, style) for v in values]


# --- part 二 ------------------------------------------------------------------------------

def _articles(template: str) -> Iterator[tuple[str, list[Item]]]:
    """Part 二's sub-tables: article heading and its items, in order."""
    groups: dict[str, list[Item]] = {}
    for item in PROACTIVE_ITEMS[template]:
        groups.setdefault(item.article, []).append(item)
    yield from groups.items()


def _item_values(fig: Figures, item: Item) -> list[str]:
    out = []
    for col in item.columns:
        value = fig.proactive[item.key][col.key]
        text = fig.procurement_text if (item.key, col.key) == ("procurement", "amount") else None
        out.append(print_value(value, signed=fig.signed and col.key == "change", text=text))
    return out


def proactive_lines(fig: Figures, style: Style, rng: random.Random) -> list[str]:
    """Part 二's table lines (without the part heading)."""
    out: list[str] = []
    for n, (article, items) in enumerate(_articles(fig.template)):
        heads = [c.label for c in items[0].columns]
        if style.layout == "cells":
            out += [f"\t{article}", "", "\t信息内容", *(f"\t{h}" for h in heads), ""]
        else:
            pad = "\t" * len(heads)
            out += [f"{article}{pad}", "信息内容\t" + "\t".join(heads)]
        if style.no_proactive_body and n == 0:
            return out
        for item in items:
            values = _cells(_item_values(fig, item), rng, style)
            if style.layout == "cells":
                out += [f"\t{item.label}", *(f"\t{v}" for v in values), ""]
            else:
                out.append("\t".join([item.label, *values]))
    return out


# --- part 三 ------------------------------------------------------------------------------

def _application_header(style: Style) -> list[str]:
    others = [c.label for c in APPLICATION_COLUMNS if c.group == APPLICANT_GROUP]
    if style.layout == "cells":
        return ["\t" + IDENTITY_NOTE, "\t申请人情况", "", "\t", "\t自然人", f"\t{APPLICANT_GROUP}",
                "\t总计", "", "\t", "\t", *(f"\t{o}" for o in others), "\t", ""]
    return [IDENTITY_NOTE + "\t\t申请人情况\t\t\t\t\t\t总计\t",
            f"\t\t自然人\t{APPLICANT_GROUP}\t\t\t\t\t\t",
            "\t\t\t" + "\t".join(others) + "\t\t"]


def _row_labels(row: Row, style: Style, first_in_group: bool) -> list[str]:
    """The label cells before a row's numbers (merged cells printed empty)."""
    label = _label(row, style)
    if row.group is None:
        return [label] if style.layout == "cells" else [label, ""]
    if row.group == G_RESULTS:
        return [_group_label(G_RESULTS, style) if first_in_group else "", label]
    return ["", _group_label(row.group, style) if first_in_group else "", label]


def application_lines(fig: Figures, style: Style, rng: random.Random) -> list[str]:
    """Part 三's table lines (without the part heading)."""
    out = _application_header(style)
    seen: set[str] = set()
    for row in application_rows(fig.template):
        first = row.group is not None and row.group not in seen
        if row.group is not None:
            seen.add(row.group)
        if row.key in style.skip_rows:
            continue
        cells = fig.applications[row.key]
        values = _cells([print_value(cells[c]) for c in APPLICATION_COLUMN_KEYS], rng, style)
        labels = _row_labels(row, style, first)
        if style.layout == "cells":
            out += [f"\t{c}" for c in labels] + [f"\t{v}" for v in values] + [""]
        else:
            out.append("\t".join(labels + values))
    return out


# --- part 四 ------------------------------------------------------------------------------

def _review_heads(style: Style) -> list[str]:
    labels = [c.label for c in REVIEW_COLUMNS]
    if style.split_headers:
        return [f"{label[:2]}\n{label[2:]}" if label != "总计" else label for label in labels]
    return labels


def review_lines(fig: Figures, style: Style, rng: random.Random) -> list[str]:
    """Part 四's table lines (without the part heading)."""
    heads = _review_heads(style)
    direct, after = REVIEW_GROUPS[1].label, REVIEW_GROUPS[2].label
    values = [print_value(fig.reviews[g.key][c]) for g in REVIEW_GROUPS for c in REVIEW_COLUMN_KEYS]
    values = _cells(values, rng, style)
    if style.layout == "cells":
        return (["\t行政复议", "\t行政诉讼", "", *(f"\t{h}" for h in heads), f"\t{direct}",
                 f"\t{after}", "", *(["\t"] * 5), *(f"\t{h}" for h in heads * 2), "",
                 *(f"\t{v}" for v in values)])
    flat = [h.replace("\n", " ") for h in heads]
    return ["行政复议\t\t\t\t\t行政诉讼" + "\t" * 9,
            "\t".join(flat) + f"\t{direct}\t\t\t\t\t{after}\t\t\t\t",
            "\t" * 5 + "\t".join(flat * 2),
            "\t".join(values)]


def table_lines(fig: Figures, style: Style, rng: random.Random) -> tuple[list[str], ...]:
    """Parts 二, 三 and 四 as lists of lines, with full-width digits when asked."""
    parts = (proactive_lines(fig, style, rng), application_lines(fig, style, rng),
             review_lines(fig, style, rng))
    if style.fullwidth:
        return tuple([line.translate(FULLWIDTH) for line in part] for part in parts)
    return parts
