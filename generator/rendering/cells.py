"""One table cell of a report page, with its marks.

A cell shows the printed number; a blank one "—" (tooltip 未填报), never 0. An
inferred value is shown apart, marked ``(推算 N)``; a corrected value carries
``(已更正)`` with the printed value and the reason; a cell a finding is about gets
the class ``finding finding-<severity>`` and the finding in its tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import cast

from generator.findings import CODE_BY_NAME
from generator.model import SEVERITY_ORDER, Correction, Finding, Inferred, Report, Severity
from generator.rendering.escape import clean, html_text
from generator.rendering.figures import as_number, format_number
from generator.rendering.markup import element, inferred_html, null_html

SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def severity_of(finding: Finding) -> Severity:
    """The finding's severity (``info`` for anything unexpected)."""
    return finding.severity if isinstance(finding.severity, Severity) else Severity.INFO


def code_title(code: str) -> str:
    """The Chinese title of a finding code, or the code itself (raw)."""
    known = CODE_BY_NAME.get(code)
    return known.title if known is not None else code


def finding_title(finding: Finding) -> str:
    """The Chinese title of the finding's code (raw)."""
    return code_title(str(finding.code))


def value_text(value: object) -> str:
    """Any printed or corrected value as plain text (raw): number, 未填报 or its text."""
    if value is None:
        return "未填报"
    number = as_number(value)
    return format_number(number) if number is not None else str(value)


@dataclass(slots=True)
class CellNotes:
    """What is known about the report's cells besides their values."""

    report: Report
    inferred: dict[str, Inferred] = field(default_factory=dict)
    corrections: dict[str, list[Correction]] = field(default_factory=dict)
    exact: frozenset[str] = frozenset()
    """Paths some finding is about exactly."""
    marked: frozenset[str] = frozenset()
    """Paths some finding is about exactly or that have a correction: a cell holding
    an ``int`` at any other path is shown as the bare number."""

    @classmethod
    def of(cls, report: Report) -> CellNotes:
        """Index the report's inferred values and corrections by path."""
        inferred: dict[str, Inferred] = {}
        for item in report.inferred:
            if as_number(item.value) is not None:
                inferred.setdefault(item.path, item)
        corrections: dict[str, list[Correction]] = defaultdict(list)
        for corr in report.corrections:
            corrections[corr.path].append(corr)
        exact = frozenset(f.path for f in report.findings if isinstance(f.path, str))
        return cls(report, inferred, dict(corrections), exact, exact | frozenset(corrections))

    def findings(self, path: str, blank: bool) -> list[Finding]:
        """Findings to mark on the cell at ``path``.

        A finding about the cell itself always; one about its row (or a larger part,
        but not a whole table) only when the cell is ``blank``. Inferred values and
        corrections have marks of their own, so their findings are not repeated.
        """
        return [f for f in self.report.findings
                if f.code not in _OWN_MARK and _about(f.path, path, blank)]


_OWN_MARK = frozenset({"value-inferred", "correction-applied"})


def _about(fpath: object, path: str, blank: bool) -> bool:
    if not isinstance(fpath, str) or "." not in fpath:
        return False
    return path == fpath or (blank and path.startswith(fpath + "."))


def cell_td(notes: CellNotes, path: str, value: object, colspan: int = 1,
            text: str | None = None) -> str:
    """The ``<td>`` for the cell at ``path`` holding ``value``.

    ``text`` replaces a number's printed form (e.g. an amount printed with its unit).
    """
    if type(value) is int and text is None and colspan == 1 and path not in notes.marked:
        return f"<td>{value}</td>"
    css: list[str] = []
    content = _content(notes, path, value, text, css)
    content += _corrections(notes.corrections.get(path, []), css)
    found = sorted(notes.findings(path, value is None),
                   key=lambda f: SEVERITY_ORDER[severity_of(f)])
    title = None
    if found:
        css += ["finding", f"finding-{severity_of(found[0]).value}"]
        title = "；".join(f"{finding_title(f)}：{clean(f.message).rstrip('。')}" for f in found)
        line = notes.report.lines.get(path)
        title += f"（原文第 {line} 行）" if isinstance(line, int) else ""
    return element("td", content, css=css, title=title, colspan=colspan)


@dataclass(frozen=True, slots=True)
class CellRow:
    """Where the data cells of one table row are, the same for every report."""

    keys: tuple[str, ...]
    """The key of each cell's value in the row's dict."""
    paths: tuple[str, ...]
    """Each cell's data path."""
    spans: tuple[int, ...]
    """Each cell's colspan."""
    path_set: frozenset[str] = frozenset()
    plain: bool = False
    """Every span is 1."""
    take: Callable[[dict[str, object]], tuple[object, ...]] = field(init=False, repr=False)
    """The values of the cells from the row's dict, in order (``KeyError`` when one is
    missing): one C call for the whole row."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "take", _taker(self.keys))

    @classmethod
    def of(cls, cells: Sequence[tuple[str, str, int]]) -> CellRow:
        """The row of ``(key, path, colspan)`` cells."""
        paths = tuple(c[1] for c in cells)
        spans = tuple(c[2] for c in cells)
        return cls(tuple(c[0] for c in cells), paths, spans, frozenset(paths),
                   all(s == 1 for s in spans))


def _taker(keys: tuple[str, ...]) -> Callable[[dict[str, object]], tuple[object, ...]]:
    """``row -> (row[k] for k in keys)`` as a tuple (``itemgetter`` gives one for two keys
    or more, the bare value for one)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda row: (row[key],)
    return itemgetter(*keys)


_NO_VALUES: dict[str, object] = {}
NO_TEXTS: Mapping[str, str] = {}
_INT_ONLY = {int}


class _PlainCells(dict[int, str]):
    """``<td>n</td>`` by ``int`` n: the small ones made once, others when asked."""

    def __missing__(self, number: int) -> str:
        return f"<td>{number}</td>"


_PLAIN = _PlainCells({n: f"<td>{n}</td>" for n in range(1024)})


def row_tds(notes: CellNotes, row: object, cells: CellRow,
            texts: Mapping[str, str] = NO_TEXTS) -> str:
    """The ``<td>`` of each of ``cells``, each holding ``row[key]`` (every one blank when
    ``row`` is not a dict), as :func:`cell_td` writes it; ``texts``: the printed forms
    of numbers, by path.

    A row of plain numbers (``int``), none of them marked or printed otherwise, is the
    bare numbers (what :func:`cell_td` gives each of them), written in one go.
    """
    get = row.get if isinstance(row, dict) else _NO_VALUES.get
    values = list(map(get, cells.keys))
    if cells.plain and _all_ints(values) and _unmarked(notes, cells.path_set, texts):
        return "".join(map(_PLAIN.__getitem__, cast("list[int]", values)))
    return "".join(cell_td(notes, path, value, span, texts.get(path))
                   for path, value, span in zip(cells.paths, values, cells.spans, strict=True))


def plain_numbers(notes: CellNotes, table: Mapping[str, object],
                  segments: Iterable[tuple[str, CellRow]], paths: frozenset[str],
                  texts: Mapping[str, str] = NO_TEXTS) -> list[int] | None:
    """The value of every cell of ``segments`` (``row[key]`` for ``row`` the dict at
    ``table[segment key]``), in order, when each is a plain number: an ``int`` in a cell
    no finding is about, not corrected, without a printed form. :func:`cell_td` shows
    such a value as the number alone (in its colspan). ``None`` otherwise (also for a row
    that is a ``dict`` subclass, so ``take`` never calls a ``__missing__``).

    ``paths``: every cell's path."""
    if not _unmarked(notes, paths, texts):
        return None
    values: list[object] = []
    try:
        for key, cells in segments:
            row = table.get(key)
            if type(row) is not dict:  # a dict of another kind too: row_tds writes it alike
                return None
            values += cells.take(row)
    except KeyError:  # a cell without a value: blank, not a plain number
        return None
    return cast("list[int]", values) if _all_ints(values) else None


def _unmarked(notes: CellNotes, paths: frozenset[str], texts: Mapping[str, str]) -> bool:
    """Whether no cell at ``paths`` has a finding about it exactly, a correction or a
    printed form of its number (then :func:`cell_td` shows an ``int`` there bare)."""
    return notes.marked.isdisjoint(paths) and (not texts or texts.keys().isdisjoint(paths))


def _all_ints(values: Iterable[object]) -> bool:
    """Whether there are values and every one is an ``int`` (not a bool)."""
    return set(map(type, values)) == _INT_ONLY


def _content(notes: CellNotes, path: str, value: object, text: str | None,
             css: list[str]) -> str:
    if value is None:
        css.append("null")
        guess = notes.inferred.get(path)
        if guess is None:
            return null_html()
        css.append("inferred")
        return f"{null_html()} {inferred_html(guess.value, clean(guess.rule))}"
    number = as_number(value)
    if text is not None:
        return html_text(text)
    if number is None:
        css.append("odd")
        return html_text(str(value))
    return format_number(number)


def _corrections(corrections: list[Correction], css: list[str]) -> str:
    if not corrections:
        return ""
    css.append("corrected")
    title = "；".join(
        f"已更正：原为 {value_text(c.printed)}，更正为 {value_text(c.value)}。理由：{clean(c.reason)}"
        for c in corrections
    )
    return " " + element("span", "(已更正)", css=("correction",), title=title)
