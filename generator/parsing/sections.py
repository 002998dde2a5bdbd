"""Finding the six numbered parts of a report and the lines each one spans."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import itemgetter

from generator.parsing.text import label_key, nfkc
from generator.tables import SECTIONS, SectionDef

_TOP_NUMBER = re.compile(r"^[\s\u3000\u00a0]*(?:[一二三四五六][、.．,，\s]|[1-6１-６]\s*[、.．,，\s])")
MAX_HEADING = 40
_HEAD_CHARS = frozenset("一二三四五六123456１２３４５６")


@dataclass(slots=True)
class SectionSpan:
    definition: SectionDef
    heading: str
    line: int
    """1-based line of the heading."""
    start: int
    """Index (0-based) of the first line after the heading."""
    end: int
    """Index (0-based, exclusive) of the line where the next part starts."""


@lru_cache(maxsize=16384)
def heading_of(line: str) -> SectionDef | None:
    """The part a line is the heading of, if it is one.

    A heading is a short line with a top-level number (一、 / 1、 / 1.) followed by
    a part's title: ``二、上年结转政府信息公开申请数量`` is a table row, not a heading,
    because its words are no part's title.
    """
    stripped = line.lstrip(" \t\u3000\u00a0")
    if not stripped or stripped[0] not in _HEAD_CHARS or len(line) > 2 * MAX_HEADING:
        return None
    if not _TOP_NUMBER.match(line):
        return None
    text = nfkc(line).strip()
    if not text or len(text) > MAX_HEADING:
        return None
    key = label_key(text)
    for definition in SECTIONS:
        if any(key.startswith(m) for m in definition.match):
            return definition
    return None


def candidate_lines(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines whose first non-blank character is a top-level number: every
    line :func:`heading_of` can accept, and a few more that it rejects.

    ``str.lstrip()`` without an argument strips every white-space character, the four
    :func:`heading_of` strips among them, so it keeps every line that test keeps. The
    lines are stripped, cut to their first character and tested by a chain of ``map``
    calls that ``compress`` turns into indexes, all in C: no bytecode runs per line (a
    multi-line regular-expression search, which tries to match at every character, costs
    twice a loop over the lines).
    """
    return list(compress(count(), map(_HEAD_CHARS.__contains__,
                                      map(_first_char, map(str.lstrip, lines)))))


_first_char = itemgetter(slice(0, 1))
"""A string's first character, or ``""`` (which :data:`_HEAD_CHARS` does not hold)."""


_ORDER = {definition.key: index for index, definition in enumerate(SECTIONS)}
"""Each part's place in :data:`SECTIONS`, by key: a lookup instead of ``SECTIONS.index``,
which compares the dataclasses field by field."""


def find_sections(lines: Sequence[str]) -> list[SectionSpan]:
    """The parts found, in text order; a part found twice keeps its first heading."""
    found: list[SectionSpan] = []
    seen: set[str] = set()
    for index in candidate_lines(lines):
        line = lines[index]
        definition = heading_of(line)
        if definition is None or definition.key in seen:
            continue
        if found and _ORDER[definition.key] < _ORDER[found[-1].definition.key]:
            continue
        seen.add(definition.key)
        found.append(SectionSpan(definition, line.strip(" \t\u3000\u00a0"), index + 1,
                                 index + 1, len(lines)))
    for before, after in zip(found, found[1:], strict=False):
        before.end = after.line - 1
    return found
