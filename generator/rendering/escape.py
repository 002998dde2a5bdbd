"""Escaping untrusted text for the generated pages.

Every string that comes from a report or a sidecar file (agency names, headings,
narrative, cells, unparsed lines, finding texts, reasons) is untrusted. It must be
shown literally: never a heading, list, link, image, HTML tag, template tag or any
other construct of Markdown, its extensions, HTML or the theme.

The approach is one rule, applied the same way in every context: every ASCII
punctuation character becomes a numeric HTML character reference (``<`` ->
``&#60;``). Markdown and all its extensions only react to ASCII punctuation; a
character reference is inert for them, and the browser shows the original
character. Control characters, lone surrogates and line breaks are cleaned first.

Page titles need more: MkDocs and Material print them unescaped into the header
and the navigation, and through ``striptags`` (which *decodes* references) into
``<title>``. So :func:`title_text` replaces the five HTML-special characters by
their full-width forms, leaving nothing that any of those contexts could decode
into markup, and :func:`front_matter` writes the values double-quoted, escaped for YAML.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Mapping
from itertools import repeat

REPLACEMENT = "\ufffd"

_SPACES = {0x09: " ", 0x0B: " ", 0x0C: " "}
_BREAKS = {0x0A: " ", 0x0D: " ", 0x85: " ", 0x2028: " ", 0x2029: " "}
_INVISIBLE = (
    [c for c in range(0x20) if c not in _SPACES and c not in _BREAKS]
    + [0x7F]
    + [c for c in range(0x80, 0xA0) if c != 0x85]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
    + list(range(0xD800, 0xE000))
)

_CLEAN: dict[int, str] = {**_SPACES, **_BREAKS, **{c: REPLACEMENT for c in _INVISIBLE}}
"""Controls, bidi overrides and lone surrogates -> U+FFFD; breaks and tabs -> space."""

_ENTITIES: dict[int, str] = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
"""Every ASCII punctuation character -> its numeric character reference."""

_CLEAN_FOUND = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CLEAN)) + "]")
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
"""Regular expressions that find what the tables above replace: most strings hold none
of it, and a search is far quicker than ``str.translate`` with a dict, character by
character."""


def _entity(match: re.Match[str]) -> str:
    return _ENTITIES[ord(match.group(0))]


def _references(s: str) -> str:
    """``s`` with every ASCII punctuation character as a character reference."""
    return _PUNCTUATION.sub(_entity, s)

_FULL_WIDTH: dict[int, str] = {
    ord("<"): "＜", ord(">"): "＞", ord("&"): "＆", ord('"'): "＂", ord("'"): "＇",
}

_HTML_SPECIAL = re.compile("[" + "".join(map(chr, _FULL_WIDTH)) + "]")
"""Finds what :data:`_FULL_WIDTH` replaces (``str.translate`` with a dict is slow)."""

_ASCII_RUNS = re.compile(r"[ ]{2,}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EDGE = " \t\u3000\u00a0"

TITLE_MAX = 80
"""Longest title kept whole (characters); longer ones are cut with an ellipsis."""


def clean(s: str) -> str:
    """``s`` on one line: controls and lone surrogates replaced, ends trimmed.

    Tabs, line breaks (also U+2028, U+2029, U+0085) become spaces; runs of ASCII
    spaces become one; leading and trailing spaces (also U+3000) are removed. A value
    that is not a string (a sidecar may give a number where text was expected) is
    shown as ``str`` gives it.
    """
    if not isinstance(s, str):
        s = str(s)
    if _CLEAN_FOUND.search(s):
        s = s.translate(_CLEAN)
    if "  " in s:
        s = _ASCII_RUNS.sub(" ", s)
    return s.strip(_EDGE)


def md_text(s: str) -> str:
    """``s`` for Markdown flow (a paragraph, a heading, a table cell, a link text).

    The result is one line; every Markdown, extension or HTML construct in ``s`` is
    neutralised, so ``s`` is shown literally.
    """
    return _escaped(s) if type(s) is str and len(s) <= _REMEMBERED else _references(clean(s))


def html_text(s: str) -> str:
    """``s`` for raw HTML: element content and (double-quoted) attribute values.

    Also inert for Markdown, in case ``md_in_html`` processes the block.
    """
    return _escaped(s) if type(s) is str and len(s) <= _REMEMBERED else _references(clean(s))


_REMEMBERED = 100
"""Longest string (characters) whose escaped form is remembered."""


@functools.lru_cache(maxsize=1 << 14)
def _escaped(s: str) -> str:
    """:func:`md_text` (and :func:`html_text`) of a ``str``, remembered: names, places
    and labels recur on many pages. Only for ``str`` itself: values of other types that
    compare equal (``1``, ``1.0``, ``True``) are shown differently."""
    return _references(clean(s))


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of ``text`` (split on CR LF, CR and LF), each cleaned."""
    if _CLEAN_IN_LINES.search(text) or "  " in text:
        return [p for line in _LINE_BREAK.split(text) if (p := clean(line))]
    return list(filter(None, map(str.strip, text.splitlines(), repeat(_EDGE))))


_CLEAN_IN_LINES = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(_CLEAN) if c not in (0x0A, 0x0D)) + "]")
"""What :func:`clean` replaces in a line. When ``text`` has none of it, nor two spaces in
a row, each of its lines is clean once its ends are trimmed; and its only line breaks are
CR, LF and CR LF (``str.splitlines`` splits on those and on characters of this set)."""


PARAGRAPH_MAX = 2_000
"""Longest paragraph written, in characters: Python-Markdown's time grows with the square
of a paragraph's length (its escaped characters), so a longer source line is split."""


def _pieces(text: str) -> list[str]:
    """The paragraphs of ``text``, a line longer than :data:`PARAGRAPH_MAX` cut in several;
    each piece cleaned (:func:`clean` gives a clean string back as it is; a cut piece is
    cleaned again, as it may start or end with a space)."""
    paras = paragraphs(text)
    if len(text) <= PARAGRAPH_MAX:  # no line is longer than the whole text
        return paras
    pieces: list[str] = []
    for para in paras:
        if len(para) <= PARAGRAPH_MAX:
            pieces.append(para)
        else:
            pieces.extend(clean(para[i:i + PARAGRAPH_MAX])
                          for i in range(0, len(para), PARAGRAPH_MAX))
    return pieces


def html_paragraphs(text: str, css: str = "narrative") -> str:
    """``text`` as one raw HTML block: ``<div class="css">``, each source line an escaped
    ``<p>``; no blank line inside, so Python-Markdown passes it through. Empty if no text.

    The pieces are escaped in one go, joined by line breaks (a clean piece has none, and
    escaping makes none), which then become the ``</p>`` ``<p>`` between them.
    """
    body = _clean_body(text)
    if body is None:
        pieces = _pieces(text)
        body = _references("\n".join(pieces)).replace("\n", "</p>\n<p>") if pieces else ""
    return f'<div class="{css}">\n<p>{body}</p>\n</div>' if body else ""


class _NeedsCleaning(Exception):
    """Raised by :func:`_clean_entity`: the text holds a character :func:`clean` replaces."""


_PUNCTUATION_OR_UNCLEAN = re.compile(
    "[" + re.escape(string.punctuation)
    + "".join(re.escape(chr(c)) for c in sorted(_CLEAN) if c not in (0x0A, 0x0D)) + "]")
"""What :data:`_PUNCTUATION` and :data:`_CLEAN_IN_LINES` find, in one set."""


def _clean_entity(match: re.Match[str]) -> str:
    """The character reference of an ASCII punctuation character; :class:`_NeedsCleaning`
    for any other character (one that :func:`clean` replaces)."""
    entity = _ENTITIES.get(ord(match.group(0)))
    if entity is None:
        raise _NeedsCleaning
    return entity


def _clean_body(text: str) -> str | None:
    """The body of :func:`html_paragraphs` (its escaped paragraphs, ``</p>`` ``<p>``
    between them; empty if none) when ``text`` is one that :func:`paragraphs` splits with
    ``str.splitlines`` alone and none of its lines is cut; ``None`` for any other text.

    Escaping and that splitting commute (a reference holds no line break or space and
    replaces no character they act on), so it escapes first, finding in the same pass
    whether ``text`` holds a character to clean: one scan of the text instead of two.
    """
    if len(text) > PARAGRAPH_MAX or "  " in text:
        return None
    try:
        escaped = _PUNCTUATION_OR_UNCLEAN.sub(_clean_entity, text)
    except _NeedsCleaning:
        return None
    return "</p>\n<p>".join(filter(None, map(str.strip, escaped.splitlines(), repeat(_EDGE))))


def md_paragraphs(text: str) -> str:
    """``text`` as Markdown: each source line its own escaped paragraph.

    A line longer than :data:`PARAGRAPH_MAX` becomes several paragraphs.
    """
    return "\n\n".join(map(_references, _pieces(text)))


def title_text(s: str, limit: int = TITLE_MAX) -> str:
    """``s`` safe as a page title or description printed raw by the theme.

    HTML-special characters become their full-width forms (``<`` -> ``＜``), so the
    value is the same text escaped or not, in ``<title>``, the header, the
    navigation, a ``content`` attribute and the search index.
    """
    out = clean(s)
    if _HTML_SPECIAL.search(out):
        out = out.translate(_FULL_WIDTH)
    if len(out) > limit:
        out = out[: limit - 1].rstrip(_EDGE) + "…"
    return out


def front_matter(meta: Mapping[str, object]) -> str:
    """A YAML front-matter block (``---`` ... ``---``) for ``meta``, then a blank line.

    String values at the top level are passed through :func:`title_text`; nested
    values must be trusted (e.g. ``{"boost": 2}``).
    """
    data = {k: title_text(v) if isinstance(v, str) else v for k, v in meta.items()}
    return f"---\n{safe_yaml(data)}---\n\n"


def safe_yaml(data: Mapping[str, object]) -> str:
    """``data`` as block YAML, one line per scalar, every string double-quoted.

    Written here rather than by ``yaml.safe_dump``: it is the same for the values pages
    use (strings, numbers, booleans, lists of them, one level of mapping), twenty times
    quicker, and cannot depend on the machine (libyaml's emitter writes some characters
    differently). ``tests/test_escape.py`` reads it back with PyYAML.
    """
    lines: list[str] = []
    for key, value in data.items():
        lines.extend(_yaml_entry(_yaml_key(key), value, ""))
    return "\n".join(lines) + "\n" if lines else ""


_YAML_KEY = re.compile(r"[a-z_][a-z0-9_]*")
_YAML_ESCAPED = re.compile(
    "[^\\x20\\x21\\x23-\\x5b\\x5d-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd"
    "\\U00010000-\\U0010ffff]")
"""Characters a double-quoted YAML scalar may not hold as they are: the quote, the
backslash, and those outside YAML 1.1's printable set or that it takes for line breaks
(U+0085, U+2028, U+2029); also U+FEFF."""
_YAML_SHORT = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _yaml_key(key: object) -> str:
    if type(key) is str:
        return _str_key(key)
    text = str(key)
    return text if _YAML_KEY.fullmatch(text) else _yaml_string(text)


@functools.lru_cache(maxsize=256)
def _str_key(key: str) -> str:
    """:func:`_yaml_key` of a ``str`` key, remembered (pages use a handful of keys)."""
    return key if _YAML_KEY.fullmatch(key) else _yaml_string(key)


def _yaml_escape(match: re.Match[str]) -> str:
    c = match.group(0)
    if c in _YAML_SHORT:
        return _YAML_SHORT[c]
    n = ord(c)
    return f"\\x{n:02X}" if n < 0x100 else f"\\u{n:04X}" if n < 0x10000 else f"\\U{n:08X}"


def _yaml_string(text: str) -> str:
    if _YAML_ESCAPED.search(text) is None:  # nearly always: no substitution to set up
        return f'"{text}"'
    return '"' + _YAML_ESCAPED.sub(_yaml_escape, text) + '"'


def _yaml_scalar(value: object) -> str:
    if type(value) is str:  # the usual cases first, written as below
        return _yaml_string(value)
    if type(value) is int:
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if not math.isfinite(value):
            return "-.inf" if value < 0 else ".inf"
        mantissa, e, exponent = repr(value).partition("e")
        return mantissa + ("" if "." in mantissa else ".0") + e + exponent  # YAML 1.1 wants a dot
    if isinstance(value, str):
        return _yaml_string(value)
    raise TypeError(f"front matter: cannot write a {type(value).__name__} value")


_PLAIN_SCALARS = frozenset({int, float, bool, type(None)})
"""Types :func:`_yaml_entry` writes as a scalar, found without an ABC ``isinstance``."""


def _yaml_entry(key: str, value: object, indent: str) -> list[str]:
    """The lines of ``key: value`` at ``indent`` (value a scalar, list or mapping)."""
    if type(value) is str:  # the usual cases first (no ABC check), written as below
        return [f"{indent}{key}: {_yaml_string(value)}"]
    if type(value) in _PLAIN_SCALARS:
        return [f"{indent}{key}: {_yaml_scalar(value)}"]
    if type(value) is list and value:
        return [f"{indent}{key}:", *[f"{indent}- {_yaml_scalar(item)}" for item in value]]
    if (type(value) is dict or isinstance(value, Mapping)) and value:
        out = [f"{indent}{key}:"]
        for sub, item in value.items():
            out.extend(_yaml_entry(_yaml_key(sub), item, indent + "  "))
        return out
    if isinstance(value, list | tuple) and value:
        return [f"{indent}{key}:", *(f"{indent}- {_yaml_scalar(item)}" for item in value)]
    if isinstance(value, Mapping | list | tuple):
        return [f"{indent}{key}: {'{}' if isinstance(value, Mapping) else '[]'}"]
    return [f"{indent}{key}: {_yaml_scalar(value)}"]
