"""Sidecar corrections (NAME.meta.yaml): small sidecar -> expected report changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Correction, Finding, Region, Report, Severity, Source
from generator.parsing.sidecar import SCHEMA, apply_sidecar, cell_paths, sidecar_path


def make_report() -> Report:
    """A small 2021-template report of 繁峙县人民政府办公室."""
    return Report(
        source=Source("reports/x.txt", "0" * 64),
        agency="繁峙县人民政府办公室",
        agency_key="140924/人民政府办公室",
        year=2021,
        region=Region("山西省", "忻州市", "繁峙县", None, "140924", "county", "government"),
        template="2021",
        applications={"granted": {"natural_person": 0, "total": 0}},
        review={"upheld": 0, "total": None},
        lines={"applications.granted.total": 40},
    )


def run(tmp_path: Path, text: str, report: Report | None = None) -> Report:
    report = report or make_report()
    reports = tmp_path / "reports"
    reports.mkdir(exist_ok=True)
    side = sidecar_path(reports / "x.txt")
    side.write_text(text, encoding="utf-8")
    apply_sidecar(report, side, tmp_path)
    return report


def by_code(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def invalid(report: Report) -> list[str]:
    found = by_code(report, "sidecar-invalid")
    assert all(f.severity is Severity.ERROR for f in found)
    return [f.message for f in found]


def test_sidecar_path() -> None:
    assert sidecar_path(Path("a/b/x.txt")) == Path("a/b/x.meta.yaml")
    assert sidecar_path(Path("x.pdf")) == Path("x.meta.yaml")


def test_schema_keys() -> None:
    assert [o.key for o in SCHEMA] == ["source_url", "retrieved", "agency", "year", "region",
                                        "reason", "reasons", "corrections"]


def test_override_cell(tmp_path: Path) -> None:
    report = run(tmp_path, "corrections:\n"
                           "  - path: applications.granted.total\n"
                           "    value: 7\n"
                           "    reason: 原表合计漏印\n")
    assert report.applications["granted"]["total"] == 7
    assert report.corrections == [Correction("applications.granted.total", 0, 7, "原表合计漏印",
                                             "reports/x.meta.yaml")]
    [note] = by_code(report, "correction-applied")
    assert note.severity is Severity.INFO
    assert (note.line, note.path) == (40, "applications.granted.total")
    assert "原表合计漏印" in note.message
    assert invalid(report) == []


def test_cell_to_null_and_review_cell(tmp_path: Path) -> None:
    report = run(tmp_path, "reason: 核对原件\n"
                           "corrections:\n"
                           "  - {path: applications.granted.natural_person, value: null}\n"
                           "  - {path: review.total, value: 3.0}\n")
    assert report.applications["granted"]["natural_person"] is None
    assert report.review["total"] == 3 and isinstance(report.review["total"], int)
    assert [c.reason for c in report.corrections] == ["核对原件", "核对原件"]


def test_override_agency_with_reason(tmp_path: Path) -> None:
    report = run(tmp_path, "agency: 隰县人民政府\nreasons:\n  agency: 原文首行印错\n")
    assert report.agency == "隰县人民政府"
    assert report.region.code == "141031"
    assert report.agency_key == "141031/人民政府"
    assert report.corrections[0] == Correction("agency", "繁峙县人民政府办公室", "隰县人民政府",
                                               "原文首行印错", "reports/x.meta.yaml")
    assert "region.code" in [c.path for c in report.corrections]
    assert invalid(report) == []


def test_override_needs_a_reason(tmp_path: Path) -> None:
    report = run(tmp_path, "agency: 隰县人民政府\nyear: 2022\n")
    assert (report.agency, report.year) == ("繁峙县人民政府办公室", 2021)
    messages = invalid(report)
    assert len(messages) == 2
    assert "reasons.agency" in messages[0] and "reason" in messages[0]
    assert report.corrections == []


def test_default_reason_covers_year(tmp_path: Path) -> None:
    report = run(tmp_path, "year: 2022\nreason: 标题年份有误\n")
    assert report.year == 2022
    assert report.corrections == [Correction("year", 2021, 2022, "标题年份有误",
                                             "reports/x.meta.yaml")]


def test_source_url_and_retrieved(tmp_path: Path) -> None:
    report = run(tmp_path, "source_url: https://www.fanshi.gov.cn/a/1.html\nretrieved: 2023-03-01\n")
    assert report.source.url == "https://www.fanshi.gov.cn/a/1.html"
    assert report.source.retrieved == "2023-03-01"
    assert report.findings == []


def test_unknown_key_suggestion(tmp_path: Path) -> None:
    report = run(tmp_path, "retrieved: 2023-03-01\nsource_ur: https://example.gov.cn/\n")
    assert invalid(report) == [
        'reports/x.meta.yaml:2: 未知的键 "source_ur"（是否应为 "source_url"？），已忽略。']
    assert report.source.url is None
    assert report.source.retrieved == "2023-03-01"


def test_unknown_nested_key(tmp_path: Path) -> None:
    report = run(tmp_path, "corrections:\n"
                           "  - path: applications.granted.total\n"
                           "    value: 7\n"
                           "    reson: 漏印\n")
    [message] = [m for m in invalid(report) if "reson" in m]
    assert message.startswith("reports/x.meta.yaml:4: ")
    assert '"corrections[0].reson"' in message and '"reason"' in message
    assert report.applications["granted"]["total"] == 0


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("year: 二〇二二\nreason: x\n", '"year"', "整数年份"),
        ("reason: x\ncorrections:\n  - {path: review.total, value: '7'}\n",
         '"corrections[0].value"', "数字"),
        ("retrieved: 2023-02-30\n", '"retrieved"', "YYYY-MM-DD"),
        ("source_url: javascript:alert(1)\n", '"source_url"', "http://"),
        ("corrections: {path: review.total}\n", '"corrections"', "列表"),
        ("region: {code: 12345}\nreason: x\n", '"region.code"', "行政区划代码"),
    ],
)
def test_bad_value(tmp_path: Path, text: str, key: str, expected: str) -> None:
    before = make_report()
    report = run(tmp_path, text)
    [message] = invalid(report)
    assert key in message and expected in message and "实际为" in message
    assert report.corrections == []
    assert (report.year, report.source.url, report.review) == (
        before.year, before.source.url, before.review)


def test_invalid_yaml(tmp_path: Path) -> None:
    report = run(tmp_path, "reason: x\ncorrections: [\n  {path: review.total, value: 1}\n")
    [message] = invalid(report)
    assert message.startswith("reports/x.meta.yaml:")
    assert "YAML" in message and "整个文件未生效" in message
    assert report.corrections == []


def test_path_the_template_lacks(tmp_path: Path) -> None:
    report = run(tmp_path, "reason: x\ncorrections:\n"
                           "  - {path: applications.other.total, value: 1}\n"
                           "  - {path: applications.granted.totl, value: 1}\n")
    first, second = invalid(report)
    assert "2021 年模板" in first and "2019 年模板" in first
    assert '"applications.granted.total"' in second
    assert report.corrections == []


def test_cells_of_a_report_without_template(tmp_path: Path) -> None:
    report = make_report()
    report.template = None
    assert cell_paths(report) == ()
    run(tmp_path, "reason: x\ncorrections: [{path: review.total, value: 1}]\n", report)
    assert "模板不明" in invalid(report)[0]


def test_region_by_code_drops_stale_region_findings(tmp_path: Path) -> None:
    report = make_report()
    report.agency = "鼓楼区人民政府"
    report.region = Region(county="鼓楼区", level="county", kind="government")
    report.add(Severity.WARNING, "region-ambiguous", "鼓楼区 可能是：……")
    run(tmp_path, "region: {code: 350102}\nreasons: {region: 本区属福州市}\n", report)
    assert report.region == Region("福建省", "福州市", "鼓楼区", None, "350102", "county",
                                   "government")
    assert report.agency_key == "350102/人民政府"
    assert by_code(report, "region-ambiguous") == []
    assert {c.path for c in report.corrections} == {
        "region.province", "region.city", "region.code"}


def test_region_by_names(tmp_path: Path) -> None:
    report = run(tmp_path, "region: {city: 福州市, county: 鼓楼区}\nreason: x\n")
    assert report.region.code == "350102"
    report = run(tmp_path, "region: {county: 鼓楼区}\nreason: x\n")
    [message] = invalid(report)
    assert "320106" in message and "region.code" in message
    assert report.region.code == "140924"


def test_region_code_and_names_must_agree(tmp_path: Path) -> None:
    report = run(tmp_path, "region: {code: '141031', county: 繁峙县}\nreason: x\n")
    [message] = invalid(report)
    assert '"region.county"' in message and "隰县" in message
    assert report.region.code == "140924"


def test_duplicate_key(tmp_path: Path) -> None:
    report = run(tmp_path, "year: 2022\nyear: 2023\nreason: x\n")
    assert report.year == 2022
    assert "不止一次" in invalid(report)[0]


def test_missing_file_does_not_raise(tmp_path: Path) -> None:
    report = make_report()
    apply_sidecar(report, tmp_path / "missing.meta.yaml", tmp_path)
    assert "无法读取" in invalid(report)[0]


@pytest.mark.parametrize(
    "text",
    ["", "- a\n- b\n", "just text\n", "!!python/object/apply:os.system ['true']\n",
     "year: !!int abc\n", "? [a, b]\n: 1\n", "a: b: c\n", "---\na: 1\n---\nb: 2\n",
     "corrections: [1, [2], null]\n", "region: 5\n", "reasons: {agency: 7}\nagency: x\n"],
)
def test_never_raises(tmp_path: Path, text: str) -> None:
    report = run(tmp_path, text)
    assert report.corrections == []
    assert (report.agency, report.year) == ("繁峙县人民政府办公室", 2021)
