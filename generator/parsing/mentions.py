"""Division names found in a string, and how reading them left to right narrows a place.

``scan`` finds every full division name (at each character a name can end with — 县, 区,
市, 旗, 州, 省, 盟 — the longest name ending there, by dictionary lookup) and the short
forms (山西, 福州) in what no full name covers. ``narrow`` reads the full names left to
right: a unit under the current candidates replaces them (临汾市 then 尧都区), a unit above
them filters them (鼓楼区 … 福州市), an unrelated name is ignored. ``filter_by_short`` keeps
the candidates a short name points at. Used by :mod:`generator.parsing.region`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from generator import gazetteer
from generator.gazetteer import Division

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A division name found in a string."""

    start: int
    end: int
    name: str
    divisions: tuple[Division, ...]
    short: bool
    """A short form (山西, 福州): a hint, never a unit by itself."""

    @property
    def weak(self) -> bool:
        """A two-character county name (城区, 吉县): too common to start a chain in prose."""
        return len(self.name) <= 2


@dataclass(slots=True)
class Chain:
    """The candidates the names narrowed down to, and the mentions that did it."""

    candidates: tuple[Division, ...] = ()
    used: list[Mention] = field(default_factory=list)

    @property
    def end(self) -> int:
        """Where the last used mention ends (0 if none)."""
        return self.used[-1].end if self.used else 0


def normalise(text: str) -> str:
    """NFKC and no whitespace: how agency names are compared."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


_TEXT_SPACES = (" ", "\u3000", "\t", "\xa0")


def squash(text: str) -> str:
    """Drop spaces from report text (much cheaper than NFKC, which names do not need)."""
    for space in _TEXT_SPACES:
        if space in text:
            text = text.replace(space, "")
    return text


@dataclass(frozen=True, slots=True)
class Lexicon:
    full: dict[str, tuple[Division, ...]]
    by_last: dict[str, tuple[int, ...]]
    """Last character of a full name -> the lengths of names ending in it, longest first."""
    endings: re.Pattern[str]
    """Any last character of a full name (县, 区, 市, 旗, 州, 省, 盟)."""
    short: dict[str, tuple[Division, ...]]
    by_first: dict[str, tuple[int, ...]]
    """First character of a short name -> their lengths, longest first."""


def _lengths(names: Sequence[str], pick: int) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = defaultdict(set)
    for name in names:
        out[name[pick]].add(len(name))
    return {c: tuple(sorted(n, reverse=True)) for c, n in out.items()}


@cache
def lexicon() -> Lexicon:
    """The name tables the scans use, built once."""
    full, short = gazetteer.all_names(), gazetteer.all_short_names()
    by_last = _lengths(list(full), -1)
    return Lexicon(
        full=full,
        by_last=by_last,
        endings=re.compile("[" + "".join(sorted(by_last)) + "]"),
        short=short,
        by_first=_lengths(list(short), 0),
    )


def scan_full(text: str) -> list[Mention]:
    """Full division names in ``text``: at each name-ending character (县, 区, 市 ...)
    the longest name ending there that does not overlap the previous one."""
    lex = lexicon()
    out: list[Mention] = []
    floor = 0
    for hit in lex.endings.finditer(text):
        end = hit.end()
        for size in lex.by_last[hit.group()]:
            start = end - size
            if start < floor:
                continue
            divisions = lex.full.get(text[start:end])
            if divisions is not None:
                out.append(Mention(start, end, text[start:end], divisions, False))
                floor = end
                break
    return out


def scan_short(text: str, taken: Sequence[Mention]) -> list[Mention]:
    """Short names (山西, 福州) in the parts of ``text`` no full name covers."""
    lex = lexicon()
    covered = {i for m in taken for i in range(m.start, m.end)}
    out: list[Mention] = []
    i = 0
    while i < len(text):
        found = None
        for size in lex.by_first.get(text[i], ()):
            word = text[i : i + size]
            if word in lex.short and not covered.intersection(range(i, i + size)):
                found = Mention(i, i + size, word, lex.short[word], True)
                break
        if found is None:
            i += 1
            continue
        out.append(found)
        i = found.end
    return out


def scan(text: str) -> list[Mention]:
    """Full and short division names in ``text``, in order."""
    full = scan_full(text)
    return sorted(full + scan_short(text, full), key=lambda m: m.start)


def related(below: Division, above: Division) -> bool:
    return gazetteer.is_within(below, above)


def narrow(mentions: Sequence[Mention], allow_weak_start: bool) -> Chain:
    """Narrow the candidates along the full names, left to right (step 1)."""
    chain = Chain()
    for m in mentions:
        if m.short:
            continue
        if not chain.candidates:
            if m.weak and not allow_weak_start:
                continue
            chain.candidates = m.divisions
            chain.used.append(m)
            continue
        below = tuple(d for d in m.divisions if any(related(d, c) for c in chain.candidates))
        above = tuple(c for c in chain.candidates if any(related(c, d) for d in m.divisions))
        same = tuple(c for c in chain.candidates if c in m.divisions)
        narrowed = below or above or same
        if narrowed:
            chain.candidates = narrowed
            chain.used.append(m)
    return chain


def filter_by_short(candidates: tuple[Division, ...], mentions: Sequence[Mention]) -> tuple[
        Division, ...]:
    """Keep the candidates under a short name printed in the agency name (step 2)."""
    for m in mentions:
        if not m.short or len(candidates) < 2:
            continue
        kept = tuple(
            c for c in candidates
            if any(c == d or related(c, d) for d in m.divisions)
        )
        if kept:
            candidates = kept
    return candidates
