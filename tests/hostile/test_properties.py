"""Property tests: the samples mutated the way extraction and editing break files.

Lines are dropped, duplicated, swapped, split and joined; tabs and spaces are
changed; digits are changed; cells are replaced by words; marks and control
characters are put into lines. For every mutant:

- parsing and checking never raise;
- every finding points at a real line, and its text is that line's cleaned text;
- every number that stood in a source table is still there: in a cell read from its
  line, in ``unparsed`` with its line, in a finding on its line that prints it, or in
  a narrative section (a table line that lost its heading is shown as text).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from generator.checking import check_report
from generator.checking.identities import flat_cells
from generator.model import Number, Report
from generator.parsing import parse_text
from generator.parsing.sections import find_sections
from generator.parsing.text import CellKind, clean_line, parse_cell
from generator.reading import decode_bytes
from tests.conftest import sample_reports

Line = tuple[str, bool]
"""A line's text and whether it comes from a table line of the original."""

KINDS = ("drop", "duplicate", "swap", "split", "join", "space", "digit", "word", "noise")
NOISE = ("[bookmark: _GoBack]", "\x1c", "\x0b", "\x0c", "\u2028", "\u200b", "\ufeff", "\x00", "\ufffd")
"""What extraction leaves in a line: word-processor marks, control and invisible characters."""
WORDS = ("无", "—", "/", "-", "空", "0件", "１２", "3.5", "+1", "1,234")
SPACES = ("\t", " ", "\u3000", "", "\t\t", "\u00a0")
DIGITS = "0123456789０１２３４５６７８９"


@dataclass(frozen=True, slots=True)
class Sample:
    name: str
    lines: tuple[Line, ...]


@cache
def samples() -> tuple[Sample, ...]:
    out = []
    for path in sample_reports():
        lines = decode_bytes(path.read_bytes(), path.name).lines
        table: set[int] = set()
        for span in find_sections(lines):
            if span.definition.table:
                table.update(range(span.start, span.end))
        out.append(Sample(path.name, tuple((t, i in table) for i, t in enumerate(lines))))
    return tuple(out)


Op = tuple[str, int, int, int]
ops = st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 10**6),
                st.integers(0, 10**6))


def _pick(lines: list[Line], a: int, want_table: bool) -> int:
    """An index: among table lines when ``want_table`` (if there are any), else any line."""
    pool = [i for i, (_, t) in enumerate(lines) if t] if want_table else []
    pool = pool or list(range(len(lines)))
    return pool[a % len(pool)]


def apply(lines: list[Line], op: Op) -> None:
    """Mutate ``lines`` in place by one operation."""
    kind, a, b, c = op
    if not lines:
        return
    i = _pick(lines, a, want_table=c % 4 != 0)
    text, table = lines[i]
    if kind == "drop":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i + 1, lines[i])
    elif kind == "swap":
        j = min(len(lines) - 1, i + 1 + b % 4)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "split":
        at = b % (len(text) + 1)
        lines[i:i + 1] = [(text[:at], table), (text[at:], table)]
    elif kind == "join" and i + 1 < len(lines):
        nxt, nxt_table = lines[i + 1]
        lines[i:i + 2] = [(text + SPACES[b % len(SPACES)] + nxt, table or nxt_table)]
    elif kind == "space":
        lines[i] = (_respace(text, b, c), table)
    elif kind == "digit":
        lines[i] = (_redigit(text, b, c), table)
    elif kind == "word":
        lines[i] = (_reword(text, b, c), table)
    elif kind == "noise":
        at = b % (len(text) + 1)
        lines[i] = (text[:at] + NOISE[c % len(NOISE)] + text[at:], table)


def _respace(text: str, b: int, c: int) -> str:
    spots = [k for k, ch in enumerate(text) if ch in "\t \u3000"]
    new = SPACES[c % len(SPACES)]
    if spots and b % 3:
        k = spots[b % len(spots)]
        return text[:k] + new + text[k + 1:]
    return (new + text) if b % 2 else (text + new)


def _redigit(text: str, b: int, c: int) -> str:
    spots = [k for k, ch in enumerate(text) if ch.isdigit()]
    if not spots:
        return text
    k = spots[b % len(spots)]
    digit = DIGITS[c % len(DIGITS)]
    return text[:k] + digit + text[k + (0 if c % 5 == 0 else 1):]


def _reword(text: str, b: int, c: int) -> str:
    parts = text.split("\t")
    numeric = [k for k, p in enumerate(parts) if parse_cell(p).kind is CellKind.NUMBER]
    if not numeric:
        return text
    parts[numeric[b % len(numeric)]] = WORDS[c % len(WORDS)]
    return "\t".join(parts)


def parse(lines: list[Line]) -> tuple[Report, list[Line]]:
    """The mutant's report, and its lines as decoded (stray NULs removed)."""
    data = ("\n".join(t for t, _ in lines) + "\n").encode("utf-8")
    source = decode_bytes(data, "mutant.txt")
    assert source.lines == [t.replace("\x00", "") for t, _ in lines]
    report = parse_text(source)
    check_report(report)
    return report, [(t, table) for t, (_, table) in zip(source.lines, lines, strict=True)]


def misplaced_findings(report: Report, lines: list[str]) -> list[str]:
    bad = []
    for f in report.findings:
        if f.line is None:
            continue
        if not 1 <= f.line <= len(lines):
            bad.append(f"{f.code}: line {f.line} of {len(lines)}")
        elif f.text is not None and f.text != clean_line(lines[f.line - 1])[:300]:
            bad.append(f"{f.code}: line {f.line} text {f.text!r} is not {lines[f.line - 1]!r}")
    return bad


def lost_numbers(report: Report, lines: list[Line]) -> list[str]:
    """Numbers of table lines that are nowhere in the data and in no finding on their line."""
    cells = flat_cells(report)
    read: dict[int, Counter[Number]] = defaultdict(Counter)
    for path, line in report.lines.items():
        value = cells.get(path)
        if value is not None:
            read[line][value] += 1
    unparsed = {u.line for u in report.unparsed}
    shown: set[str] = set()
    for section in report.sections.values():
        shown.update(section.text.split("\n"))
    said: dict[int, list[str]] = defaultdict(list)
    for f in report.findings:
        if f.line is not None:
            said[f.line].append(f.message)
    lost = []
    for number, (text, table) in enumerate(lines, 1):
        if not table or number in unparsed or clean_line(text) in shown:
            continue
        for part in text.split("\t"):
            cell = parse_cell(part)
            if cell.kind is not CellKind.NUMBER or cell.value is None:
                continue
            if read[number][cell.value] > 0:
                read[number][cell.value] -= 1
            elif not any(cell.printed in message for message in said[number]):
                lost.append(f"line {number}: {cell.printed!r} in {text!r}")
    return lost


@given(st.integers(0, 10**6), st.lists(ops, min_size=1, max_size=6))
def test_mutated_samples_lose_nothing(which: int, mutations: list[Op]) -> None:
    sample = samples()[which % len(samples())]
    lines = list(sample.lines)
    for op in mutations:
        apply(lines, op)
    report, decoded = parse(lines)
    assert misplaced_findings(report, [t for t, _ in decoded]) == []
    assert lost_numbers(report, decoded) == []


def test_unmutated_samples_lose_nothing() -> None:
    for sample in samples():
        report, decoded = parse(list(sample.lines))
        assert misplaced_findings(report, [t for t, _ in decoded]) == [], sample.name
        assert lost_numbers(report, decoded) == [], sample.name
