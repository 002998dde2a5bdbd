"""Narrative parts (一 总体情况, 五 问题, 六 其他事项): paragraphs and sub-headings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.model import Part, Section
from generator.parsing.text import LINE_SPACE, clean_line, nfkc

_SUB_HEADING = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]")
_WORD = re.compile(r"(?![一二三四五六七八九十])[\u4e00-\u9fff]")
"""An ideograph that is not a numeral: no numbering (（一）) reaches past it."""
MAX_SUB_HEADING = 40
_STOPS = "。：:；;"


def split_sub_heading(line: str) -> tuple[str, str] | None:
    """``（一）主动公开情况`` -> heading, ``""``; a long numbered paragraph -> heading, rest.

    A line starting with （一） is a sub-heading when it is short, or when its first
    sentence is short (``（一）不断健全完善公开制度。根据……``): that sentence is the
    heading, the rest its first paragraph.
    """
    if line[:1] not in "(（" or not _SUB_HEADING.match(nfkc(_numbering_part(line))):
        return None
    if len(line) <= MAX_SUB_HEADING:
        return line, ""
    for i, char in enumerate(line[:MAX_SUB_HEADING]):
        if char in _STOPS:
            return line[: i + 1], line[i + 1:].strip()
    return None


def _numbering_part(line: str) -> str:
    """``line`` up to its first ideograph that is not a numeral, where a numbering ends.

    Only this part needs NFKC to test for a numbering: an ideograph is its own NFKC form
    and never composes with its neighbours, so the rest normalises apart from it.
    Normalising a whole paragraph costs about 0.3 µs per character.
    """
    word = _WORD.search(line)
    return line if word is None else line[:word.start()]


def build_section(heading: str | None, line: int | None,
                  body: Sequence[tuple[int, str]]) -> Section:
    """A section from its heading and its (line number, raw text) lines."""
    section = Section(heading=heading, line=line)
    paragraphs: list[str] = []
    intro: list[str] = []
    current: Part | None = None
    current_text: list[str] = []
    for number, raw in body:
        # clean_line and split_sub_heading inlined for the common line (no bookmark, no
        # opening bracket): a call per line cost more than the rest of the loop.
        text = clean_line(raw) if "[bookmark:" in raw else raw.strip(LINE_SPACE)
        if not text:
            continue
        paragraphs.append(text)
        split = split_sub_heading(text) if text[0] in "(（" else None
        if split is not None:
            if current is not None:
                current.text = "\n".join(current_text)
                section.parts.append(current)
            current, current_text = Part(split[0], "", number), [split[1]] if split[1] else []
        elif current is None:
            intro.append(text)
        else:
            current_text.append(text)
    if current is not None:
        current.text = "\n".join(current_text)
        section.parts.append(current)
    section.text = "\n".join(paragraphs)
    section.intro = "\n".join(intro)
    return section
