"""Parsing: decoded text lines -> a :class:`generator.model.Report`.

``parse_text`` finds the title and metadata, the six parts, reads the three tables
by their labels and the narrative parts with their sub-headings, resolves the
region, and keeps every line it could not place in ``report.unparsed``. It never
raises for anything inside the text; problems become findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.model import Report, Section, Source
from generator.parsing.applications import match_row, parse_applications
from generator.parsing.cells import finding
from generator.parsing.layout import LogicalRow, logical_rows
from generator.parsing.metadata import Metadata, closing_lines, read_metadata
from generator.parsing.narrative import build_section
from generator.parsing.proactive import count_markers, match_item, parse_proactive
from generator.parsing.region import agency_key, resolve_region
from generator.parsing.review import parse_review
from generator.parsing.sections import SectionSpan, find_sections
from generator.parsing.text import has_artifact
from generator.reading import SourceText
from generator.tables import SECTIONS

__all__ = ["parse_text"]


def parse_text(source: SourceText) -> Report:
    """Parse one decoded report."""
    report = Report(source=Source(source.path, source.sha256, encoding=source.encoding))
    lines = source.lines
    if source.error is not None:
        finding(report, "decode-failed", f"{source.path}：{source.error}。", None)
    if source.nul_removed:
        finding(report, "artifact-removed", f"删除了 {source.nul_removed} 个空字符（NUL）。", None)
    _note_artifacts(report, lines)
    meta = read_metadata(lines)
    _apply_metadata(report, meta, lines)
    spans = find_sections(lines)
    closing = closing_lines(lines) if spans else []
    report.template = _detect_template(report, spans, lines) if lines else None
    if report.template is not None:
        _parse_parts(report, spans, lines, closing)
    _resolve_region(report, lines)
    report.unparsed = sorted({(u.line, u.text): u for u in report.unparsed}.values(),
                             key=lambda u: u.line)
    return report


def _note_artifacts(report: Report, lines: Sequence[str]) -> None:
    if "[bookmark:" not in "\n".join(lines):  # one search instead of one per line
        return
    for index, line in enumerate(lines):
        if has_artifact(line):
            finding(report, "artifact-removed", "删除了文字处理软件留下的书签标记"
                    "（如“[bookmark: _GoBack]”），它不是报告正文。", index + 1, None, lines)


def _apply_metadata(report: Report, meta: Metadata, lines: Sequence[str]) -> None:
    report.title = meta.title
    report.agency = meta.agency
    report.year = meta.year
    report.published = meta.published
    if meta.agency is None:
        finding(report, "agency-unknown", "未能从标题、首行或落款确定发布机关，报告归入“未识别”。",
                meta.title_line, "agency", lines)
    if meta.year is None:
        finding(report, "year-unknown", "未能从标题或统计期限确定报告年度，报告归入“年度不明”。",
                meta.title_line, "year", lines)


def _detect_template(report: Report, spans: Sequence[SectionSpan],
                     lines: Sequence[str]) -> str:
    """2019 or 2021, from part 二's column labels; from the year when they are lost."""
    proactive = next((s for s in spans if s.definition.key == "proactive"), None)
    scope = lines[proactive.start:proactive.end] if proactive else lines
    counts = count_markers(scope)
    if counts["2019"] == counts["2021"] == 0:
        guess = "2019" if report.year is not None and report.year < 2021 else "2021"
        finding(report, "template-guessed", f"第二部分表头缺失，无法判断模板；按统计年度推定为 "
                f"{guess} 年模板。", proactive.line if proactive else None, "template", lines)
        return guess
    template = "2021" if counts["2021"] >= counts["2019"] else "2019"
    if counts["2019"] and counts["2021"]:
        finding(report, "template-mixed", f"第二部分同时出现两个模板的表头（2019 年模板 "
                f"{counts['2019']} 处，2021 年模板 {counts['2021']} 处），按 {template} 年模板读取。",
                proactive.line if proactive else None, "template", lines)
    return template


def _parse_parts(report: Report, spans: Sequence[SectionSpan], lines: Sequence[str],
                 closing: Sequence[int]) -> None:
    template = report.template or "2021"
    by_key = {s.definition.key: s for s in spans}
    first = spans[0].line - 1 if spans else len(lines)
    _keep_section(report, "preamble", None, None, lines, range(0, first))
    bodies = {d.key: _body(by_key.get(d.key), closing) for d in SECTIONS}
    rows = {d.key: _table_rows(lines, bodies[d.key]) for d in SECTIONS if d.table}
    _move_stray_rows(rows, template)
    for definition in SECTIONS:
        span = by_key.get(definition.key)
        heading_line = span.line if span else None
        if span is None and spans:
            finding(report, "section-missing", f"未找到第{definition.number}部分"
                    f"“{definition.heading}”的标题。", None, definition.key, lines)
        if definition.key == "proactive":
            parse_proactive(report, rows["proactive"], template, lines, heading_line)
        elif definition.key == "applications":
            parse_applications(report, rows["applications"], template, lines, heading_line)
        elif definition.key == "review":
            parse_review(report, rows["review"], lines, heading_line)
        else:
            _keep_section(report, definition.key, span.heading if span else None, heading_line,
                          lines, bodies[definition.key])
    if closing:
        _keep_section(report, "closing", None, None, lines, closing)
    if not spans:
        finding(report, "not-a-report", "文中找不到年度报告六个部分的任何标题；全文保留在“前言”中。",
                None, None, lines)


def _table_rows(lines: Sequence[str], body: range) -> list[LogicalRow]:
    """The rows of the table in the part whose lines are at ``body`` (:func:`_body`)."""
    return logical_rows(lines[body.start:body.stop], body.start + 1)


def _body(span: SectionSpan | None, closing: Sequence[int]) -> range:
    """Line indexes of a part: to the next part, or to the closing signature."""
    if span is None:
        return range(0)
    if closing and span.start <= closing[0] < span.end:
        return range(span.start, closing[0])
    return range(span.start, span.end)


def _move_stray_rows(rows: dict[str, list[LogicalRow]], template: str) -> None:
    """Rows of part 三's table that ended up under part 二 (its heading was lost).

    Part 三's rows are in line order as :func:`logical_rows` made them; they are sorted
    again only when rows were moved in.
    """
    kept: list[LogicalRow] = []
    moved = False
    for row in rows["proactive"]:
        if _names_application_row(row, template):
            rows["applications"].append(row)
            moved = True
        else:
            kept.append(row)
    rows["proactive"] = kept
    if moved:
        rows["applications"].sort(key=lambda r: r.line)


def _names_application_row(row: LogicalRow, template: str) -> bool:
    """No label names an item of part 二, and one names a row of part 三.

    One pass over the cells, which stops at the first label naming an item (most rows of
    part 二 start with one).
    """
    names_row = False
    for cell in row.cells:
        if cell.is_label:
            if match_item(cell.text, template) is not None:
                return False
            if not names_row and match_row(cell.text) is not None:
                names_row = True
    return names_row


def _keep_section(report: Report, key: str, heading: str | None, line: int | None,
                  lines: Sequence[str], indexes: Sequence[int] | range) -> None:
    body = _numbered(lines, indexes)
    section: Section = build_section(heading, line, body)
    report.sections[key] = section


def _numbered(lines: Sequence[str], indexes: Sequence[int] | range) -> list[tuple[int, str]]:
    """``(line number, text)`` of the lines at ``indexes``.

    A range of consecutive indexes inside ``lines`` (every part's body) is read with one
    ``enumerate`` of a slice, in C (a ``zip`` with ``strict=True`` parses its keyword the
    slow way), instead of a tuple made by a comprehension step per line;
    anything else, or a range reaching outside ``lines`` (whose ``lines[i]`` raises),
    the plain way.
    """
    if isinstance(indexes, range) and indexes.step == 1 \
            and 0 <= indexes.start <= indexes.stop <= len(lines):
        return list(enumerate(lines[indexes.start:indexes.stop], indexes.start + 1))
    return [(i + 1, lines[i]) for i in indexes]


def _resolve_region(report: Report, lines: Sequence[str]) -> None:
    region, findings = resolve_region(report.agency, lines)
    report.region = region
    report.findings.extend(findings)
    report.agency_key = agency_key(report.agency, region)
