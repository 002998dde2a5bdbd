"""An intact sample re-laid out into the other text layout, rows shuffled, reads the same.

The tests re-lay the tables themselves: cell-per-line <-> tab-separated rows, and the
rows of every table (after its header) in a shuffled order.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from generator.parsing import parse_text
from generator.parsing.layout import LogicalRow, is_row_layout, logical_rows
from generator.parsing.sections import find_sections
from generator.reading import decode_bytes
from tests.samples import sample_path

INTACT = ["000_108c735e6ce59796.txt", "001_dfcf094cd729cac8.txt",
          "003_ba856e7fbea35249.txt", "004_21996add86cab06c.txt"]
DATA_KEYS = ("agency", "year", "template", "region", "proactive", "applications", "review",
             "litigation_direct", "litigation_after_review", "inferred")


def _emit(rows: list[LogicalRow], as_rows: bool) -> list[str]:
    out: list[str] = []
    for row in rows:
        cells = [c.text for c in row.cells]
        if as_rows:
            out.append("\t".join(cells))
        else:
            out.extend("\t" + c for c in cells)
            out.append("")
    return out


def _shuffle(rows: list[LogicalRow], rng: random.Random) -> list[LogicalRow]:
    """Keep the header (rows before the first row holding a number); shuffle the rest."""
    first = next((i for i, r in enumerate(rows)
                  if any(c.text[:1].isdigit() for c in r.cells[r.values_after_labels():])),
                 len(rows))
    head, body = rows[:first], rows[first:]
    rng.shuffle(body)
    return head + body


def relayout(lines: list[str], seed: int) -> tuple[list[str], bool]:
    """The same report with every table in the other layout and its rows shuffled."""
    rng = random.Random(seed)
    spans = find_sections(lines)
    out: list[str] = []
    cursor = 0
    target_rows = True
    for span in spans:
        if not span.definition.table:
            continue
        region = lines[span.start:span.end]
        target_rows = not is_row_layout(region)
        rows = _shuffle(logical_rows(region, span.start + 1), rng)
        out.extend(lines[cursor:span.start])
        out.extend(_emit(rows, target_rows))
        out.append("")
        cursor = span.end
    out.extend(lines[cursor:])
    return out, target_rows


def _data(lines: list[str]) -> dict[str, Any]:
    source = decode_bytes("\n".join(lines).encode("utf-8"), "x.txt")
    report = parse_text(source)
    from generator.checking import check_report

    check_report(report)
    data = report.to_dict()
    return {k: data[k] for k in DATA_KEYS}


@pytest.mark.parametrize("name", INTACT)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_layout_and_shuffled_rows_read_the_same(name: str, seed: int) -> None:
    lines = sample_path(name).read_text(encoding="utf-8").splitlines()
    changed, _ = relayout(lines, seed)
    assert changed != lines
    assert _layouts(changed) == [not layout for layout in _layouts(lines)]
    assert _data(changed) == _data(lines)


def _layouts(lines: list[str]) -> list[bool]:
    """For each table part: is it laid out one row per line?"""
    return [is_row_layout(lines[s.start:s.end])
            for s in find_sections(lines) if s.definition.table]
