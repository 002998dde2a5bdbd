"""One parser or checker rule per test: small input -> expected output."""

from __future__ import annotations

import codecs

import pytest

from generator.checking import check_report
from generator.model import Report, Severity
from generator.parsing import parse_text
from generator.parsing.text import CellKind, parse_cell
from generator.reading import decode_bytes, split_lines
from tests.minireport import (
    GRANTED,
    ZEROS,
    application_lines,
    default_cells,
    mini_report,
    proactive_lines,
    review_lines,
)
from tests.samples import sample_path


def parse(text: str | bytes) -> Report:
    data = text.encode("utf-8") if isinstance(text, str) else text
    report = parse_text(decode_bytes(data, "t.txt"))
    check_report(report)
    return report


def codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def errors(report: Report) -> list[str]:
    return [f.message for f in report.findings if f.severity is Severity.ERROR]


# --- reading ---------------------------------------------------------------------------

def test_lines_split_on_cr_lf_and_cr_only() -> None:
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f\n") == ["a", "b", "c", "d\x0ce\u2028f"]


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_encodings_give_the_same_data(codec: str) -> None:
    text = sample_path("003_ba856e7fbea35249.txt").read_text(encoding="utf-8")
    base = parse(text).to_dict()
    other = parse(text.encode(codec)).to_dict()
    for key in ("agency", "year", "applications", "proactive", "review", "sections"):
        assert other[key] == base[key]


def test_utf16_has_bom_detected() -> None:
    data = codecs.BOM_UTF16_LE + mini_report().encode("utf-16-le")
    assert parse(data).applications["granted"]["total"] == 4


def test_undecodable_file_still_yields_a_report() -> None:
    report = parse(bytes(range(256)) * 40)
    assert "decode-failed" in codes(report)
    assert report.template is None and report.applications == {}


def test_empty_file() -> None:
    report = parse(b"")
    assert {"agency-unknown", "year-unknown"} <= codes(report)


# --- cells ------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value", "kind"), [
    ("12", 12, CellKind.NUMBER),
    ("１２", 12, CellKind.NUMBER),
    ("\u00a00", 0, CellKind.NUMBER),
    ("\u3000 7 ", 7, CellKind.NUMBER),
    ("+0", 0, CellKind.NUMBER),
    ("-4", -4, CellKind.NUMBER),
    ("829.9459", 829.9459, CellKind.NUMBER),
    ("1,234", 1234, CellKind.NUMBER),
    ("33633789.63万", 33633789.63, CellKind.NUMBER),
    ("", None, CellKind.BLANK),
    ("\u00a0", None, CellKind.BLANK),
    ("—", None, CellKind.UNREADABLE),
    ("无", None, CellKind.UNREADABLE),
])
def test_cell_values(raw: str, value: object, kind: CellKind) -> None:
    cell = parse_cell(raw)
    assert (cell.value, cell.kind) == (value, kind)
    assert type(cell.value) is type(value)


def test_glued_unit_keeps_printed_text() -> None:
    assert parse_cell("33633789.63万").unit == "万"


def test_full_width_digits_in_a_table() -> None:
    fw = {"granted": ["３", "１", "０", "０", "０", "０", "４"]}
    report = parse(mini_report(cells=fw))
    assert report.applications["granted"]["total"] == 4
    assert errors(report) == []


def test_blank_cells_are_null_never_zero() -> None:
    report = parse(mini_report(cells={"rejected_duplicate": ["0", "", "", "", "", "", ""]}))
    assert report.applications["rejected_duplicate"] == {
        "natural_person": 0, "commercial": None, "research": None, "public_interest": None,
        "legal_services": None, "other_org": None, "total": None}
    assert "cell-blank" in codes(report)


def test_unreadable_cell_is_null_with_its_text_in_the_finding() -> None:
    report = parse(mini_report(cells={"rejected_duplicate": ["—"] + ["0"] * 6}))
    assert report.applications["rejected_duplicate"]["natural_person"] is None
    finding = next(f for f in report.findings if f.code == "cell-unreadable")
    assert "—" in finding.message and finding.line is not None


# --- structure --------------------------------------------------------------------------

def test_row_label_in_the_wrong_column() -> None:
    lines = application_lines("2021", default_cells("2021"))
    lines = ["2.重复申请\t\t" + "\t".join(ZEROS) + "\t" if "重复申请" in x else x for x in lines]
    report = parse(mini_report(applications=lines))
    assert report.applications["rejected_duplicate"]["total"] == 0
    assert "line-unplaced" not in codes(report)


def test_missing_header_still_reads_rows() -> None:
    lines = application_lines("2021", default_cells("2021"), header=False)
    report = parse(mini_report(applications=lines))
    assert report.applications["granted"]["natural_person"] == 3
    assert errors(report) == []


def test_missing_table_body() -> None:
    header = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"
    report = parse(mini_report(proactive=["第二十条第（一）项", header]))
    assert "table-missing" in codes(report)
    assert report.template == "2021"
    assert all(v is None for cols in report.proactive.values() for v in cols.values())


def test_missing_row_is_null_with_a_warning() -> None:
    lines = application_lines("2021", default_cells("2021"), drop=["rejected_excessive"])
    report = parse(mini_report(applications=lines))
    assert report.applications["rejected_excessive"] == dict.fromkeys(report.applications["granted"])
    assert "row-missing" in codes(report)


def test_unknown_row_is_kept_in_unparsed() -> None:
    lines = application_lines("2021", default_cells("2021")) + ["莫名其妙的一行\t1\t2\t3"]
    report = parse(mini_report(applications=lines))
    assert any("莫名其妙" in u.text for u in report.unparsed)
    assert "line-unplaced" in codes(report)


def test_artifact_line_is_cleaned() -> None:
    report = parse(mini_report(extra_overview=["[bookmark: _GoBack]二是开设专栏。"]))
    assert "二是开设专栏。" in report.sections["overview"].text
    assert "bookmark" not in report.sections["overview"].text
    assert "artifact-removed" in codes(report)


# --- templates ---------------------------------------------------------------------------

def test_2019_template_detected_and_keys_never_mixed() -> None:
    report = parse(mini_report("2019"))
    assert report.template == "2019"
    assert "other" in report.applications and "other_misc" not in report.applications
    assert set(report.proactive["regulations"]) == {"created", "published", "total_public"}
    assert "procurement" in report.proactive


def test_2021_template_detected() -> None:
    report = parse(mini_report("2021"))
    assert report.template == "2021"
    assert "other" not in report.applications
    assert set(report.proactive["regulations"]) == {"issued", "repealed", "in_force"}


def test_2021_report_with_single_other_row() -> None:
    cells = default_cells("2021")
    lines = [x for x in application_lines("2021", cells) if not x.startswith("（六）其他处理\t")]
    index = next(i for i, x in enumerate(lines) if x.startswith("（七）"))
    lines.insert(index, "（六）其他处理\t" + "\t".join(ZEROS))
    report = parse(mini_report(applications=lines))
    assert report.applications["other"]["total"] == 0
    assert report.applications["other_misc"]["total"] is None
    assert "other-single-row" in codes(report)
    assert errors(report) == []


def test_template_guessed_from_year_when_part_two_is_lost() -> None:
    report = parse(mini_report("2019", proactive=[]))
    assert report.template == "2019"
    assert "template-guessed" in codes(report)


def test_signed_numbers_in_2019_table() -> None:
    values = {"licensing": ["205", "-4", "45241"], "other_services": ["52", "+0", "1752"]}
    report = parse(mini_report("2019", proactive=proactive_lines("2019", values)))
    assert report.proactive["licensing"]["change"] == -4
    assert report.proactive["other_services"]["change"] == 0
    assert "value-negative" not in codes(report)


# --- identities ---------------------------------------------------------------------------

def test_all_identities_hold_in_the_mini_report() -> None:
    report = parse(mini_report())
    assert errors(report) == []
    assert "identity-unverifiable" not in codes(report)


def test_column_identity_broken() -> None:
    report = parse(mini_report(cells={"carry_forward": ["0", "0", "0", "0", "0", "0", "0"],
                                      "carried_over": ["1", "0", "0", "0", "0", "0", "1"]}))
    assert any("本年新收 + 上年结转" in m for m in errors(report))


def test_total_is_sum_of_outcomes_broken() -> None:
    cells = {"total_handled": ["3", "1", "0", "0", "0", "0", "4"],
             "granted": ["2", "1", "0", "0", "0", "0", "3"]}
    report = parse(mini_report(cells=cells))
    assert any("（一）至（六）各项之和" in m for m in errors(report))


def test_row_total_is_sum_of_applicants_broken() -> None:
    report = parse(mini_report(cells={"granted": ["3", "1", "0", "0", "0", "0", "5"]}))
    assert any("总计 = 各类申请人之和" in m for m in errors(report))


def test_review_total_broken_and_intact() -> None:
    broken = parse(mini_report(review=review_lines(["1", "1", "0", "0", "3"] + ["0"] * 10)))
    assert any("行政复议：总计" in m for m in errors(broken))
    intact = parse(mini_report(review=review_lines(["1", "1", "0", "0", "2"] + ["0"] * 10)))
    assert errors(intact) == []


def test_one_null_term_is_inferred_not_filled() -> None:
    report = parse(mini_report(cells={"granted": GRANTED[:6] + [""]}))
    assert report.applications["granted"]["total"] is None
    assert {i.path: i.value for i in report.inferred}["applications.granted.total"] == 4
    assert errors(report) == []


def test_two_null_terms_cannot_be_verified() -> None:
    report = parse(mini_report(review=review_lines(["", "", "0", "0", "0"] + ["0"] * 10)))
    assert "identity-unverifiable" in codes(report)
    assert not [i for i in report.inferred if i.path.startswith("review.")]


# --- metadata -------------------------------------------------------------------------------

def test_agency_year_and_date() -> None:
    report = parse(mini_report(agency="繁峙县公安局", year=2022))
    assert (report.agency, report.year, report.published) == ("繁峙县公安局", 2022, "2023-01-20")
    assert report.sections["closing"].text.startswith("繁峙县公安局")


def test_agency_on_the_title_line() -> None:
    text = mini_report().replace("繁峙县人民政府办公室\n2021年", "繁峙县人民政府办公室 2021 年", 1)
    assert parse(text).agency == "繁峙县人民政府办公室"


def test_year_from_statistics_period_when_title_has_none() -> None:
    text = mini_report(year=2021).replace("2021年政府信息公开工作年度报告",
                                          "政府信息公开工作年度报告\n本报告统计期限自2021年1月1日起至2021年12月31日止。")
    assert parse(text).year == 2021


def test_not_a_report_keeps_all_text() -> None:
    report = parse("这是一份会议通知。\n请准时参加。\n")
    assert "not-a-report" in codes(report)
    assert "请准时参加。" in report.sections["preamble"].text


def test_surplus_cells_are_kept_and_named() -> None:
    lines = application_lines("2021", default_cells("2021"))
    lines = [x + "\t99" if x.startswith("（五）不予处理\t2.重复申请") else x for x in lines]
    report = parse(mini_report(applications=lines))
    assert report.applications["rejected_duplicate"]["total"] == 0
    finding = next(f for f in report.findings if f.code == "cell-count")
    assert "99" in finding.message
    assert any(u.text.endswith("\t99") for u in report.unparsed)


def test_agency_after_the_year_in_the_title() -> None:
    text = mini_report(agency="").replace("\n2021年政府信息公开工作年度报告",
                                          "\n2021年环县市场监督管理局政府信息公开工作年度报告", 1)
    assert parse(text).agency == "环县市场监督管理局"
