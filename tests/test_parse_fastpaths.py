"""Property tests: the parser's fast paths give what the plain code they replace gives.

Each fast path skips or reorders work where that is provably equivalent (the reason is
in its docstring); these tests hold the fast path to a straightforward reference over
lines made of the characters that matter to it (white space of every kind, numerals,
separators, ideographs, tabs).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checking import _check, check_report
from generator.checking.identities import identity_plan, read_terms, read_values, report_tables
from generator.checking.plausibility import check_plausibility
from generator.model import Cell
from generator.parsing import _numbered, parse_text
from generator.parsing.layout import extended, is_row_layout, logical_rows, read_cell
from generator.parsing.sections import candidate_lines, find_sections, heading_of
from generator.parsing.text import CellKind, is_labelish, parse_cell
from generator.reading import decode_bytes
from tests.conftest import sample_reports

HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项")
SPACES = (" ", "\t", "\u3000", "\u00a0", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2003",
          "\u200b", "\ufeff", "")
PIECES = SPACES + ("一", "二", "六", "七", "1", "6", "7", "１", "６", "、", ".", "．", ",", "，",
                   "总体情况", "主动公开", "第二十条", "0", "12", "\r")

line_text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    st.tuples(st.sampled_from(SPACES), st.sampled_from(HEADINGS), st.sampled_from(SPACES))
    .map("".join),
)
report_lines = st.lists(line_text, max_size=30)

_CANDIDATE = re.compile(r"^[ \t\u3000\u00a0]*[一二三四五六1-6１-６]", re.M)


def reference_candidates(lines: Sequence[str]) -> list[int]:
    """The candidates as one multi-line regular-expression search found them before."""
    text = "\n".join(lines)
    found: list[int] = []
    index, position = 0, 0
    for match in _CANDIDATE.finditer(text):
        index += text.count("\n", position, match.start())
        position = match.start()
        found.append(index)
    return found


@settings(max_examples=400)
@given(report_lines)
def test_candidates_keep_every_heading(lines: list[str]) -> None:
    """Every line the reference found is a candidate, and every other candidate is no
    heading, so :func:`find_sections` finds the same parts."""
    lines = [line.replace("\n", "") for line in lines]
    found = candidate_lines(lines)
    reference = reference_candidates(lines)
    assert set(reference) <= set(found)
    assert found == sorted(found)
    assert all(heading_of(lines[i]) is None for i in set(found) - set(reference))
    assert all(heading_of(line) is None for i, line in enumerate(lines) if i not in found)


def test_find_sections_reads_the_headings() -> None:
    lines = ["标题", *(f"\u3000{h}" if i % 2 else h for i, h in enumerate(HEADINGS)), "\t1"]
    assert [s.line for s in find_sections(lines)] == [2, 3, 4, 5, 6, 7]


cell_text = st.lists(st.sampled_from(SPACES + ("0", "12", "+1", "3.5", "万", "无", "—", "自然人", "a")),
                     max_size=6).map("".join)


@settings(max_examples=300)
@given(cell_text, cell_text)
def test_cells_are_read_stripped(printed: str, more: str) -> None:
    """A cell strips the text it is given (callers used to strip it first) and reads what
    it holds from the stripped text, also when extended (:func:`extended`)."""
    cell = read_cell(printed)
    text = printed.strip(" \u3000\u00a0")
    assert (cell.text, cell.value) == (text, parse_cell(text))
    assert cell.kind is cell.value.kind
    assert cell.is_label == (is_labelish(text) and cell.value.kind is not CellKind.NUMBER)
    stripped_more = more.strip(" \u3000\u00a0")
    cell = extended(cell, stripped_more)
    assert (cell.text, cell.value) == (text + stripped_more, parse_cell(text + stripped_more))


CELL_SPACE = " \u3000\u00a0"
table_line = st.lists(st.sampled_from(("\t", "\t", " ", "\u3000", "0", "12", "3.5", "自然人", "商业",
                                       "企业", "无", "")), max_size=7).map("".join)


def reference_rows(lines: list[tuple[int, str]]) -> list[tuple[list[str], list[int], list[int]]]:
    """Each row's cell texts, each cell's line and the row's lines, read the plain way: no
    remembered lines, every line of the cell-per-line layout through the general case."""
    if reference_row_layout(lines):
        return [([cell.strip(CELL_SPACE) for cell in text.split("\t")],
                 [number] * (text.count("\t") + 1), [number])
                for number, text in lines if text and not text.isspace()]
    rows: list[tuple[list[str], list[int], list[int]]] = []
    cells: list[str] = []
    cell_lines: list[int] = []
    numbers: list[int] = []
    for number, text in lines:
        if "\t" not in text and not text.strip(CELL_SPACE):
            if cells:
                rows.append((cells, cell_lines, numbers))
                cells, cell_lines, numbers = [], [], []
            continue
        numbers.append(number)
        body = text.lstrip(CELL_SPACE)
        if body.startswith("\t") or not cells:
            parts = body[1:].split("\t") if body.startswith("\t") else [text]
        else:
            first, *parts = body.split("\t")
            first = first.strip(CELL_SPACE)
            if CellKind.NUMBER in (parse_cell(first).kind, parse_cell(cells[-1]).kind):
                parts.insert(0, first)
            else:
                cells[-1] = (cells[-1] + first).strip(CELL_SPACE)
        cells.extend(part.strip(CELL_SPACE) for part in parts)
        cell_lines.extend([number] * len(parts))
    if cells:
        rows.append((cells, cell_lines, numbers))
    return rows


def reference_row_layout(lines: list[tuple[int, str]]) -> bool:
    """Most non-blank lines hold a tab between two cells, tested line by line."""
    content = [text for _, text in lines if text and not text.isspace()]
    inner = [text for text in content if "\t" in text[1:] and "\t" in text.strip("\t" + CELL_SPACE)]
    return bool(content) and len(inner) * 2 >= len(content)


@settings(max_examples=400)
@given(st.lists(st.one_of(table_line, st.sampled_from(("\n", "\t\n\t", "a\n\tb"))), max_size=20))
def test_layout_found_as_line_by_line(texts: list[str]) -> None:
    """The layout test that counts tabs over the joined lines first agrees with the test
    line by line, also for lines holding a line break (which no report line does)."""
    assert is_row_layout(texts) == reference_row_layout(list(enumerate(texts, 1)))


@settings(max_examples=400)
@given(st.lists(table_line, max_size=20), st.integers(0, 20))
def test_rows_read_as_the_plain_code_reads_them(texts: list[str], seen: int) -> None:
    """Rows made from remembered lines and cells hold the cells, and the lines, the plain
    reading gives: when the first ``seen`` lines were read before (rows of known lines
    beside rows read line by line), and again when every line is remembered."""
    expected = reference_rows(list(enumerate(texts, 1)))
    logical_rows(texts[:seen])
    for _ in range(2):
        rows = logical_rows(texts)
        assert [([c.text for c in row.cells], list(row.cell_lines), row.lines)
                for row in rows] == expected
        assert all(c.value == parse_cell(c.text) for row in rows for c in row.cells)


@given(st.lists(table_line, max_size=20), st.integers(1, 500))
def test_rows_numbered_from_the_first_line(texts: list[str], first: int) -> None:
    """A table starting at line ``first`` has every line number moved by ``first - 1``."""
    shifted = [([c.text for c in row.cells], [n - first + 1 for n in row.cell_lines],
                [n - first + 1 for n in row.lines]) for row in logical_rows(texts, first)]
    assert shifted == [([c.text for c in row.cells], list(row.cell_lines), row.lines)
                       for row in logical_rows(texts)]


@given(st.lists(st.just("x"), max_size=8), st.integers(-3, 10), st.integers(-3, 10),
       st.sampled_from((1, 2)))
def test_numbered_lines(lines: list[str], start: int, stop: int, step: int) -> None:
    """A range of indexes gives what the comprehension gave, or raises as it raised."""
    lines = [f"{line}{i}" for i, line in enumerate(lines)]
    indexes = range(start, stop, step)
    try:
        expected: list[tuple[int, str]] | None = [(i + 1, lines[i]) for i in indexes]
    except IndexError:
        expected = None
    try:
        got: list[tuple[int, str]] | None = _numbered(lines, indexes)
    except IndexError:
        got = None
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.lists(st.tuples(st.integers(0, 10**6),
                                                 st.sampled_from((None, 0, 1, -1, 2.5)))))
def test_identities_read_at_once(pick: int, changes: list[tuple[int, Cell]]) -> None:
    """All identities' terms read at once are each identity's terms as read alone, and
    checking with them gives the findings the identity-by-identity check gives."""
    paths = sample_reports()
    report = parse_text(decode_bytes(paths[pick % len(paths)].read_bytes(), "x.txt"))
    rows = [row for table in (report.applications, report.proactive) for row in table.values()]
    for where, value in changes:
        if rows:
            row = rows[where % len(rows)]
            row[sorted(row)[where % len(row)]] = value
    plan = identity_plan(report)
    tables = report_tables(report)
    values = read_values(plan.reads, tables)
    for identity, (start, split, end) in zip(plan.identities, plan.bounds, strict=True):
        assert values[start:end] == read_terms(identity, tables)
        assert split - start == len(identity.left)
    reference = copy.deepcopy(report)
    check_report(report)
    for identity in plan.identities:
        _check(reference, identity, report_tables(reference))
    check_plausibility(reference)
    assert report == reference

