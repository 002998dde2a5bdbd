"""A cache entry made from the report itself (its CSV rows, its JSON without copies, its
``lines`` sorted by the encoder) is what the report's published JSON form gives; the
identities whose sums are taken at once are those checked one by one before."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import jsoncodec
from generator.checking import _to_check, each_to_check
from generator.checking.identities import (
    broken_sums,
    identity_plan,
    plan_values,
    read_values,
    report_tables,
)
from generator.model import Report, Severity
from generator.pipeline import load_report
from generator.site.cache import _split, encoded, entry_to_bytes
from generator.site.csvrows import csv_rows, report_csv_rows
from tests.conftest import sample_reports


def variants(report: Report) -> Iterator[Report]:
    """``report`` and copies with what the CSV writer must quote or show apart: text with
    commas, quotes and formulas, blank identity, floats, negatives, large numbers, a
    finding of each severity, a row of part 三 that is not a table."""
    yield report
    odd = copy.deepcopy(report)
    odd.agency, odd.published, odd.year = '=HYPERLINK("x"),"县"', None, None
    odd.region.city = "a\r\nb"
    odd.source.path = "-a,b.txt"
    rows = list(odd.applications)
    for row, value in zip(rows, (2.5, 3.0, -4, 10**20, True, None), strict=False):
        odd.applications[row]["total"] = value
    for severity in Severity:
        odd.add(severity, "x", "y")
    yield odd
    big = copy.deepcopy(report)
    for cells in big.applications.values():
        for column in cells:
            cells[column] = 999 + len(column)
    big.review["total"] = -1
    yield big
    empty = copy.deepcopy(report)
    empty.applications = {}
    yield empty


def reports() -> list[Report]:
    return [variant for path in sample_reports() for variant in variants(load_report(path))]


@pytest.mark.parametrize("report", reports())
def test_csv_rows_from_the_report_are_those_of_its_json_form(report: Report) -> None:
    assert report_csv_rows(report) == csv_rows(report.to_dict())


@pytest.mark.parametrize("report", reports())
def test_entry_parts_are_the_published_json_of_the_report(report: Report) -> None:
    data = report.to_dict()
    lines = data.pop("lines")
    assert list(lines) == sorted(report.lines) and report.bulk_dict() == data
    stored, index = entry_to_bytes(report, "文本\n")
    bulk, stored_lines, text = _split(stored)
    assert (bulk, stored_lines, text) == (jsoncodec.dumps_bytes(data),
                                         jsoncodec.dumps_bytes(lines), "文本\n".encode())
    assert jsoncodec.loads(index)["c"] == csv_rows(report.to_dict())


def test_lines_sorted_by_either_encoder_come_in_one_order() -> None:
    lines = {"b.x": 1, "a.z": 2, "a.Z": 3, "é": 4, "a.y": 5, "县": 6, "a_b": 7, "a.b.c": 8}
    ordered = {k: lines[k] for k in sorted(lines)}
    assert jsoncodec.dumps_bytes(lines, sort_keys=True) == jsoncodec.dumps_bytes(ordered)
    with_surrogate = {**lines, "\udc80": 9}  # orjson refuses it: the standard library sorts
    assert jsoncodec.dumps_bytes(with_surrogate, sort_keys=True) == jsoncodec.dumps_bytes(
        {k: with_surrogate[k] for k in sorted(with_surrogate)})


@pytest.mark.parametrize("report", reports())
def test_identities_checked_at_once_are_those_checked_one_by_one(report: Report) -> None:
    plan = identity_plan(report)
    values = read_values(plan.reads, report_tables(report))
    assert plan_values(plan, report_tables(report)) == values
    assert _to_check(plan, values) == each_to_check(plan, values)
    whole = [v if type(v) is int else 0 for v in values]
    found = broken_sums(plan, whole)
    assert found is not None and found == each_to_check(plan, whole)
    assert broken_sums(plan, [*whole, 0.5]) is None
    assert broken_sums(plan, [None, *whole]) is None


def test_summary_index_keeps_lines_with_unicode_line_breaks(tmp_path: Path) -> None:
    from generator.site.cache import SummaryIndex

    lines = {"a" * 64: '{"s":{"agency":"某局\u2028\u001c\u0085"},"d":"x","c":["1","2"]}',
             "b" * 64: '{"s":{"agency":"\udc80"},"d":"y","c":["3","4"]}'}
    index = SummaryIndex(tmp_path / "index.txt")
    for key, line in lines.items():
        index.note(key, encoded(line))
    index.save(lines)
    assert SummaryIndex(tmp_path / "index.txt").lines == {k: encoded(v) for k, v in lines.items()}


def test_summary_index_is_written_again_only_when_its_lines_change(tmp_path: Path) -> None:
    from generator.site.cache import SummaryIndex

    file = tmp_path / "index.txt"
    first = SummaryIndex(file)
    first.note("a" * 64, b'{"s":1}')
    first.note("b" * 64, b'{"s":2}')
    first.save(["a" * 64, "b" * 64])
    written = file.stat().st_mtime_ns, file.stat().st_ino
    SummaryIndex(file).save(["b" * 64, "a" * 64])  # the same lines: not written
    assert (file.stat().st_mtime_ns, file.stat().st_ino) == written
    again = SummaryIndex(file)
    again.note("b" * 64, b'{"s":3}')  # a line changed: written
    again.save(["a" * 64, "b" * 64])
    assert SummaryIndex(file).lines == {"a" * 64: b'{"s":1}', "b" * 64: b'{"s":3}'}
    fewer = SummaryIndex(file)
    fewer.save(["a" * 64])  # an entry no longer used: written without it
    assert SummaryIndex(file).lines == {"a" * 64: b'{"s":1}'}
