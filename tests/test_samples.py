"""Every hand-checked figure of expected.yaml, nulls included, from the real samples."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model import Report, Severity
from generator.parsing.applications import match_row
from generator.parsing.proactive import match_item
from generator.pipeline import load_report
from generator.tables import (
    APPLICATION_COLUMN_KEYS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMN_KEYS,
    application_rows,
)
from tests.samples import CONTENT, expected, sample_path

CASES = expected()
IDS = [c["file"][:3] for c in CASES]


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {c["file"]: load_report(sample_path(c["file"]), CONTENT) for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_metadata(case: dict[str, Any], reports: dict[str, Report]) -> None:
    report = reports[case["file"]]
    assert report.agency == case["agency"]
    assert report.year == case["year"]
    assert report.template == str(case["template"])
    province, city, county = case["region"]
    assert (report.region.province, report.region.city, report.region.county) == \
        (province, city, county)
    if "published" in case:
        assert report.published == str(case["published"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_proactive(case: dict[str, Any], reports: dict[str, Report]) -> None:
    report = reports[case["file"]]
    template = str(case["template"])
    items = PROACTIVE_ITEMS[template]
    assert list(report.proactive) == [i.key for i in items]
    if case["proactive"] is None:
        assert all(v is None for cols in report.proactive.values() for v in cols.values())
        return
    for label, columns in case["proactive"].items():
        item = match_item(label, template)
        assert item is not None, label
        for column_label, value in columns.items():
            column = next(c for c in item.columns if c.label == column_label)
            got = report.proactive[item.key][column.key]
            if isinstance(value, str):
                assert report.proactive_text[f"proactive.{item.key}.{column.key}"] == value
                assert got == float(value.rstrip("万"))
            else:
                assert got == value and type(got) is type(value), (label, column_label)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_applications(case: dict[str, Any], reports: dict[str, Report]) -> None:
    report = reports[case["file"]]
    rows = application_rows(str(case["template"]))
    assert list(report.applications) == [r.key for r in rows]
    listed = {}
    for label, values in case["applications"].items():
        row = match_row(label.split()[-1])
        assert row is not None, label
        listed[row.key] = values
    for row in rows:
        got = [report.applications[row.key][c] for c in APPLICATION_COLUMN_KEYS]
        want = listed.get(row.key, [0] * 7)
        if want is None:
            want = [None] * 7
        assert got == want, row.key


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_review_and_litigation(case: dict[str, Any], reports: dict[str, Report]) -> None:
    report = reports[case["file"]]
    for group in ("review", "litigation_direct", "litigation_after_review"):
        got = [getattr(report, group)[c] for c in REVIEW_COLUMN_KEYS]
        assert got == case[group], group


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_sample_contradicts_itself(case: dict[str, Any], reports: dict[str, Report]) -> None:
    report = reports[case["file"]]
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


def test_inferred_values_never_fill_cells(reports: dict[str, Report]) -> None:
    report = reports["002_920749c33098c28e.txt"]
    assert report.applications["new_received"]["total"] is None
    inferred = {i.path: i.value for i in report.inferred}
    assert inferred["applications.new_received.total"] == 5
    assert any(f.code == "value-inferred" for f in report.findings)


def test_losses_are_warnings(reports: dict[str, Report]) -> None:
    codes = {f.code for f in reports["002_920749c33098c28e.txt"].findings}
    assert {"table-missing", "row-missing", "cell-blank", "section-missing"} <= codes


def test_nothing_of_the_source_is_lost(reports: dict[str, Report]) -> None:
    """Every non-blank line is in a section, a table cell, the metadata or unparsed."""
    for report in reports.values():
        path = sample_path(report.source.path.split("/")[-1])
        lines = path.read_text(encoding="utf-8").splitlines()
        used = set(report.lines.values()) | {u.line for u in report.unparsed}
        texts = "\n".join(s.text for s in report.sections.values())
        headings = {s.heading for s in report.sections.values()}
        for number, line in enumerate(lines, 1):
            text = line.strip(" \t\u3000\u00a0").replace("[bookmark: _GoBack]", "")
            if not text or number in used or text in headings:
                continue
            assert text in texts or _in_table(report, number), (report.source.path, number, line)


def _in_table(report: Report, number: int) -> bool:
    """Table header lines (labels only) are the template's and are recognised, not kept.

    A line holding a number must be in a cell or in ``unparsed``: never dropped.
    """
    from generator.parsing.text import CellKind, parse_cell

    path = sample_path(report.source.path.split("/")[-1])
    line = path.read_text(encoding="utf-8").splitlines()[number - 1]
    return all(parse_cell(part).kind is not CellKind.NUMBER for part in line.split("\t"))
