"""Normalising report text: labels for matching, cells into numbers.

Two kinds of normalisation, kept apart:

- :func:`clean_line` for text shown to readers: strips word-processor artefacts and
  surrounding white space (full-width and no-break spaces included), keeps the rest.
- :func:`label_key` for matching labels: NFKC (full-width digits and brackets to
  ASCII), numbering removed, white space and punctuation removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from generator.model import Number

ARTIFACT = re.compile(r"\[bookmark:[^\]]*\]")
"""Word-processor bookmarks that leak into extracted text, e.g. ``[bookmark: _GoBack]``."""

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LABELISH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z]")
_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]"
    r"|\d+\s*[、.．](?!\d))\s*"
)
_DROP = re.compile(r"[\s\u3000\u00a0\u200b\"“”‘’'、，,。.．:：;；()（）\[\]【】《》<>〈〉·•\-—_/／]+")
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


LINE_SPACE = " \t\u3000\u00a0\u200b\ufeff\x0b\x0c"
"""What :func:`clean_line` strips from both ends of a line."""


def clean_line(line: str) -> str:
    """Reader-facing text of a line: artefacts removed, outer white space stripped."""
    if "[bookmark:" in line:
        line = ARTIFACT.sub("", line)
    return line.strip(LINE_SPACE)


def has_artifact(line: str) -> bool:
    return "[bookmark:" in line


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def strip_numbering(text: str) -> str:
    """Drop one leading numbering such as 一、 / （一） / (一) / 1. / 1、."""
    return _NUMBERING.sub("", text, count=1)


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A label reduced for matching: NFKC, numbering, spaces and punctuation removed."""
    text = nfkc(text)
    return _DROP.sub("", strip_numbering(text))


def compact(text: str) -> str:
    """NFKC with all white space removed (numbering kept)."""
    return _SPACES.sub("", nfkc(text))


def compact_joined(lines: Sequence[str]) -> str:
    """``compact("".join(lines))``, normalised line by line with each line's form cached
    (table lines repeat from report to report).

    Lines normalise apart when each starts where NFKC never joins a character to what
    comes before it: with a character below U+0300 (ASCII, tab, Latin) or an ideograph.
    Otherwise the joined text is normalised as a whole.
    """
    if all(_starts_apart(line) for line in lines):
        return "".join(map(_compact_line, lines))
    return compact("".join(lines))


def _starts_apart(line: str) -> bool:
    """Whether ``line`` starts where NFKC cannot join it to the text before it."""
    return not line or line[0] < "\u0300" or "\u4e00" <= line[0] <= "\u9fff"


@lru_cache(maxsize=16384)
def _compact_line(line: str) -> str:
    return compact(line)


@lru_cache(maxsize=65536)
def is_labelish(text: str) -> bool:
    """A cell holding words (a row or column label) rather than a number."""
    return bool(_LABELISH.search(text))


# --- cells ------------------------------------------------------------------------------

class CellKind(StrEnum):
    NUMBER = "number"
    BLANK = "blank"
    UNREADABLE = "unreadable"


NUMBER, BLANK, UNREADABLE = CellKind.NUMBER, CellKind.BLANK, CellKind.UNREADABLE
"""The kinds as module constants, for hot code: on Python 3.11 ``CellKind.NUMBER`` goes
through ``EnumType.__getattr__`` and costs about ten times a global's lookup."""


@dataclass(frozen=True, slots=True)
class CellValue:
    """What one printed cell holds."""

    kind: CellKind
    value: Number | None
    printed: str
    """The cell's text as printed (outer white space stripped)."""
    unit: str | None = None
    """A unit glued to the number (万, 元, 件 ...), kept with the printed text."""


_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_WITH_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万元|万|亿元|亿|元|件|条|个|项|次)$")


def parse_number(text: str) -> Number | None:
    """``"+0"`` -> 0, ``"-4"`` -> -4, ``"829.9459"`` -> 829.9459, ``"1,234"`` -> 1234."""
    m = _NUMBER.match(text)
    if not m:
        return None
    sign, whole, frac = m.groups()
    digits = whole.replace(",", "")
    if frac:
        value: Number = float(sign + digits + frac)
        return value
    return int(sign + digits)


@lru_cache(maxsize=65536)
def parse_cell(raw: str) -> CellValue:
    """Classify and read one table cell."""
    printed = raw.strip(" \t\u3000\u00a0\u200b\ufeff")
    text = _SPACES.sub("", nfkc(printed))
    if not text:
        return CellValue(BLANK, None, printed)
    number = parse_number(text)
    if number is not None:
        return CellValue(NUMBER, number, printed)
    m = _WITH_UNIT.match(text)
    if m:
        value = parse_number(m.group(1))
        return CellValue(NUMBER, value, printed, m.group(2))
    return CellValue(UNREADABLE, None, printed)
