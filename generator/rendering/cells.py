"""One table cell of a report page, with its marks.

A cell shows the printed number; a blank one "—" (tooltip 未填报), never 0. An
inferred value is shown apart, marked ``(推算 N)``; a corrected value carries
``(已更正)`` with the printed value and the reason; a cell a finding is about gets
the class ``finding finding-<severity>`` and the finding in its tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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
        return cls(report, inferred, dict(corrections), exact)

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
    if (type(value) is int and text is None and colspan == 1 and path not in notes.exact
            and path not in notes.corrections):
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
