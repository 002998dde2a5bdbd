"""Rendering given hostile reports: bounded Markdown that MkDocs can build in linear time.

The injection side (every payload shown as text) is checked on the built site
(test_build_hostile.py, test_browser_hostile.py); here are the rendering-only cases.
"""

from __future__ import annotations

from generator.checking import check_report
from generator.model import Report
from generator.parsing import parse_text
from generator.reading import decode_bytes
from generator.rendering import render_site
from tests.hostile import payloads as hx

LONGEST_LINE = 20_000
"""Longest Markdown line (one paragraph) a report page may hold. Python-Markdown stashes
each character reference of a paragraph and re-scans the paragraph for each: the time
grows with the square of the paragraph (a 250 KB source line took 60 s in MkDocs, 500 KB
took 290 s, 10 MB would take days)."""


def report_of(data: bytes, name: str) -> Report:
    report = parse_text(decode_bytes(data, name))
    check_report(report)
    return report


def report_pages(report: Report) -> dict[str, str]:
    return {p: t for p, t in render_site([report]).items() if p.startswith("reports/")}


def test_hostile_report_renders_every_page() -> None:
    pages = render_site([report_of(hx.hostile_text().encode(), "markup.txt")])
    assert any(p.startswith("reports/") for p in pages)
    assert any(p.startswith("agencies/") for p in pages)


def test_a_very_long_source_line_gives_bounded_paragraphs() -> None:
    """Regression: one 200 KB line used to become one paragraph (quadratic in MkDocs)."""
    report = report_of(hx.one_huge_line(200_000), "long-line.txt")
    for path, text in report_pages(report).items():
        longest = max(len(line) for line in text.splitlines())
        assert longest <= LONGEST_LINE, (path, longest)
