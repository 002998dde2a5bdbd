"""Broken and hostile report files through reading, parsing and checking.

Each case: the pipeline does not raise, the report exists, and what could not be
read is named in a finding (never dropped in silence). Markup is kept as data,
character for character: escaping is the renderer's job, and it gets the text as
printed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from generator import reading
from generator.model import Report, Severity
from generator.parsing.layout import logical_rows
from generator.parsing.text import clean_line
from generator.pipeline import load_report
from generator.reading import decode_bytes, split_lines
from tests.hostile import payloads as hx
from tests.minireport import application_lines, default_cells, mini_report, review_lines


def load(tmp_path: Path, data: bytes | str, name: str = "r.txt", sidecar: str | None = None) -> Report:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if sidecar is not None:
        path.with_name(path.stem + ".meta.yaml").write_text(sidecar, encoding="utf-8")
    return load_report(path, tmp_path)


def codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def assert_findings_point_at_lines(report: Report, lines: list[str]) -> None:
    """Every finding's line is a real line, and its text (if any) is that line, cleaned."""
    for f in report.findings:
        if f.line is None:
            continue
        assert 1 <= f.line <= len(lines), (f.code, f.line, len(lines))
        if f.text is not None:
            assert f.text == clean_line(lines[f.line - 1])[:300], (f.code, f.line)




# --- markup in every field is kept literally ----------------------------------------------

def test_markup_in_every_field_is_kept_as_printed(tmp_path: Path) -> None:
    report = load(tmp_path, hx.hostile_text())
    assert report.agency == hx.AGENCY
    assert report.title == hx.TITLE
    assert report.year == 2021 and report.template == "2021"
    assert report.sections["overview"].heading == hx.HEADING
    assert report.sections["overview"].parts[0].heading == hx.SUB_HEADING
    for key, where in (("overview", "overview"), ("problems", "problems"), ("other", "other")):
        text = report.sections[key].text
        for payload in hx.markup_payloads(where):
            assert payload in text.splitlines(), (key, payload)
    for line in hx.BLOCK_LINES:
        assert clean_line(line) in report.sections["problems"].text.splitlines()


def test_markup_in_a_cell_is_an_unreadable_cell_with_its_text(tmp_path: Path) -> None:
    report = load(tmp_path, hx.hostile_text())
    dup = report.applications["rejected_duplicate"]
    assert dup["natural_person"] is None and dup["total"] == 0
    messages = [f.message for f in report.findings if f.code == "cell-unreadable"]
    assert any(hx.CELL in m for m in messages)
    assert any("“1|2”" in m for m in messages)


def test_markup_row_in_a_table_is_kept_in_unparsed(tmp_path: Path) -> None:
    report = load(tmp_path, hx.hostile_text())
    assert [u.text for u in report.unparsed] == [hx.ROW]
    unplaced = next(f for f in report.findings if f.code == "line-unplaced")
    assert "window.__hx_row=1" in unplaced.message


def test_hostile_report_findings_point_at_real_lines(tmp_path: Path) -> None:
    text = hx.hostile_text()
    report = load(tmp_path, text)
    assert_findings_point_at_lines(report, split_lines(text))


def test_hostile_sidecar_values_stay_data(tmp_path: Path) -> None:
    report = load(tmp_path, hx.hostile_text(), sidecar=hx.hostile_sidecar())
    assert report.source.url is None, "a javascript: address must be refused"
    assert report.agency is not None and report.agency.startswith("<script>")
    invalid = [f.message for f in report.findings if f.code == "sidecar-invalid"]
    assert any("source_url" in m for m in invalid)
    assert any("window.__hx_side_path=1" in m for m in invalid)
    assert any("hx-side-key" in m for m in invalid)
    reasons = [c.reason for c in report.corrections]
    assert any("{{ 7*7 }}" in r for r in reasons)


def test_sidecar_address_that_breaks_out_of_an_attribute_is_kept_as_text(tmp_path: Path) -> None:
    report = load(tmp_path, mini_report(), sidecar=hx.url_sidecar())
    assert report.source.url is not None and "<script>" in report.source.url


def test_file_names_that_are_not_utf8_are_shown_escaped(tmp_path: Path) -> None:
    """Regression: a report (or sidecar) whose name is not UTF-8 crashed the build when
    its path was written out."""
    name = os.fsdecode(b"\xff\xfe-bad.txt")
    (tmp_path / name).write_text(mini_report(), encoding="utf-8")
    (tmp_path / os.fsdecode(b"\xff\xfe-bad.meta.yaml")).write_text("bogus: 1\n", encoding="utf-8")
    report = load_report(tmp_path / name, tmp_path)
    assert report.source.path == "\\xff\\xfe-bad.txt"
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")
    assert any(f.message.startswith("\\xff\\xfe-bad.meta.yaml") for f in report.findings)


@pytest.mark.parametrize("side", [
    b"\xff\xfe\x00b\x00a\x00d",                    # not UTF-8
    b"- just\n- a list\n",                          # not a mapping
    b"agency: [unclosed\n",                         # not YAML
    b"\t\tagency: tab\n",                           # tabs YAML refuses
    b"corrections:\n  - path: applications.granted.total\n    value: .inf\n",
    b"corrections:\n  - {path: applications.granted.total, value: 1e999, reason: x}\n",
    b"year: 99999999999999999999999999\nreason: x\n",
    b"year: ../../etc\nreason: x\n",
    b"region: {code: '../../etc'}\nreason: x\n",
    b"!!python/object/apply:os.system ['echo hacked']\n",
    b"",
])
def test_broken_sidecar_is_a_finding_never_a_crash(tmp_path: Path, side: bytes) -> None:
    report_path = tmp_path / "r.txt"
    report_path.write_text(mini_report(), encoding="utf-8")
    (tmp_path / "r.meta.yaml").write_bytes(side)
    report = load_report(report_path, tmp_path)
    assert report.applications["granted"]["total"] == 4
    assert report.year == 2021
    if side.strip():
        assert "sidecar-invalid" in codes(report)


ALIAS_BOMB = "\n".join(
    ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    + [f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefg", "bcdefgh", strict=True)]
) + "\n"
"""Eight levels of YAML aliases, nine each: 43 million nodes when walked, 300 bytes on disk."""


def test_sidecar_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """Regression: the sidecar reader walked YAML aliases once per reference, so this
    300-byte file took minutes and gigabytes (run in a child with a memory limit)."""
    import subprocess
    import sys
    (tmp_path / "r.txt").write_text(mini_report(), encoding="utf-8")
    (tmp_path / "r.meta.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    code = ("import resource,sys;from pathlib import Path;"
            "resource.setrlimit(resource.RLIMIT_AS,(700*2**20,700*2**20));"
            "from generator.pipeline import load_report;"
            f"r=load_report(Path({str(tmp_path / 'r.txt')!r}));"
            "sys.exit(0 if any(f.code=='sidecar-invalid' for f in r.findings) else 3)")
    try:
        done = subprocess.run([sys.executable, "-c", code], timeout=8, capture_output=True,
                              cwd=Path(__file__).resolve().parents[2], check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("the sidecar took more than 8 s")
    assert done.returncode == 0, done.stderr.decode()[-300:]


# --- encodings and bytes ----------------------------------------------------------------

REFERENCE = mini_report(cells={"new_received": ["3", "1", "0", "0", "0", "0", "4"]})
"""The report every encoding case must read to the same data."""


def data_of(report: Report) -> dict[str, object]:
    d = report.to_dict()
    return {k: d[k] for k in ("agency", "year", "template", "published", "proactive",
                              "applications", "review", "litigation_direct",
                              "litigation_after_review", "sections")}


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "utf-8-sig", "utf-16-le-bom",
                                   "utf-16-be-bom", "utf-16", "utf-32"])
def test_encodings_read_to_the_same_data(tmp_path: Path, codec: str) -> None:
    base = load(tmp_path, REFERENCE)
    other = load(tmp_path, hx.encoded(REFERENCE, codec), name="enc.txt")
    assert data_of(other) == data_of(base)
    assert "decode-failed" not in codes(other)


def test_mixed_line_endings_count_lines_like_an_editor(tmp_path: Path) -> None:
    report = load(tmp_path, hx.mixed_line_endings(REFERENCE))
    assert data_of(report) == data_of(load(tmp_path, REFERENCE, name="lf.txt"))
    assert report.lines == load(tmp_path, REFERENCE, name="lf2.txt").lines


def test_stray_nul_bytes_are_removed_with_a_note(tmp_path: Path) -> None:
    report = load(tmp_path, hx.with_nuls(REFERENCE))
    assert "artifact-removed" in codes(report)
    assert report.applications == load(tmp_path, REFERENCE, name="clean.txt").applications


@pytest.mark.parametrize(("name", "data"), [
    ("binary", hx.binary_blob()),
    ("mostly-nul", b"\x00" * 4000 + "报告".encode()),
    ("random-latin", bytes(range(128, 256)) * 50),
])
def test_unreadable_bytes_give_a_report_with_an_error(tmp_path: Path, name: str, data: bytes) -> None:
    report = load(tmp_path, data, name=f"{name}.txt")
    assert "decode-failed" in codes(report)
    assert any(f.severity is Severity.ERROR for f in report.findings)
    assert {"agency-unknown", "year-unknown"} <= codes(report)
    assert report.source.path == f"{name}.txt"


def test_empty_file_is_an_unidentified_report(tmp_path: Path) -> None:
    report = load(tmp_path, b"")
    assert {"agency-unknown", "year-unknown"} <= codes(report)
    assert report.agency is None and report.year is None


@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16-le-bom"])
@pytest.mark.parametrize("cut", [1, 2, 3])
def test_file_cut_inside_its_last_character_is_still_read(codec: str, cut: int) -> None:
    """Regression: a download cut off mid-character made the whole file undecodable."""
    data = hx.encoded(REFERENCE, codec)
    source = decode_bytes(data[: len(data) - 40 - cut], "t.txt")
    assert source.error is None
    assert source.lines[0] == "繁峙县人民政府办公室"


@pytest.mark.parametrize("bad", [b"\xff", b"\xb0\xa1", b"\xe9", b"\xed\xa0\x80"])
def test_utf8_file_with_a_few_broken_bytes_is_read(tmp_path: Path, bad: bytes) -> None:
    """Regression: one stray byte in a UTF-8 file made the whole file undecodable."""
    data = REFERENCE.encode("utf-8")
    at = data.index("五、".encode())
    report = load(tmp_path, data[:at] + bad + data[at:])
    assert report.source.encoding == "utf_8"
    assert data_of(report)["applications"] == data_of(load(tmp_path, REFERENCE, name="ok.txt"))[
        "applications"]
    assert "\ufffd" in report.sections["overview"].text + "".join(
        u.text for u in report.unparsed) + (report.sections["problems"].heading or "")


def test_ten_megabyte_report_parses_in_seconds(tmp_path: Path) -> None:
    data = hx.big_report()
    assert len(data) >= 10 * 1024 * 1024 - 1000
    started = time.perf_counter()
    report = load(tmp_path, data)
    assert time.perf_counter() - started < 20
    assert report.applications["granted"]["total"] == 4 and report.year == 2021


def test_ten_megabyte_single_line_parses_in_seconds(tmp_path: Path) -> None:
    """Regression: a 10 MB line was normalised (NFKC) seven times: 17 s."""
    started = time.perf_counter()
    report = load(tmp_path, hx.one_huge_line())
    assert time.perf_counter() - started < 20
    assert "not-a-report" in codes(report)


def test_file_over_the_size_limit_is_an_error_not_a_hang(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    report = load(tmp_path, REFERENCE)
    assert "decode-failed" in codes(report)
    assert "过大" in next(f.message for f in report.findings if f.code == "decode-failed")


def test_file_cut_off_in_the_middle_of_a_table(tmp_path: Path) -> None:
    text = hx.truncated_in_table()
    report = load(tmp_path, text)
    assert report.applications["new_received"]["total"] == 4
    assert report.applications["granted"]["total"] == 4
    assert {"row-missing", "section-missing", "table-missing"} <= codes(report)
    assert all(v is None for v in report.review.values())
    assert_findings_point_at_lines(report, split_lines(text))


# --- identification ---------------------------------------------------------------------

def test_report_without_agency_or_year_is_kept_with_findings(tmp_path: Path) -> None:
    lines = mini_report().replace("2021年", "").splitlines()
    text = "\n".join(lines[1:-2]) + "\n"
    report = load(tmp_path, text)
    assert report.agency is None and report.year is None
    assert {"agency-unknown", "year-unknown"} <= codes(report)
    assert report.applications["granted"]["total"] == 4
    assert report.agency_key


def test_word_among_the_numbers_keeps_every_number_in_its_column(tmp_path: Path) -> None:
    """Regression: “无” in a cell was read as the row's label; the number before it was
    dropped without a finding and the rest moved one column left."""
    report = load(tmp_path, mini_report(cells={"rejected_duplicate":
                                                ["7", "无", "3", "0", "0", "0", "10"]}))
    assert report.applications["rejected_duplicate"] == {
        "natural_person": 7, "commercial": None, "research": 3, "public_interest": 0,
        "legal_services": 0, "other_org": 0, "total": 10}
    unreadable = next(f for f in report.findings if f.code == "cell-unreadable")
    assert "“无”" in unreadable.message and unreadable.path == "applications.rejected_duplicate.commercial"


def test_number_before_the_row_label_is_named(tmp_path: Path) -> None:
    """A number printed before the label (a swapped line) fits no column: it is kept."""
    text = mini_report().replace("\t2.重复申请\t", "\t9\t2.重复申请\t")
    report = load(tmp_path, text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "\t9\t2.重复申请" in t)
    stray = [f for f in report.findings if f.code == "cell-count" and "“9”" in f.message]
    assert stray and stray[0].line == line
    assert any(u.line == line for u in report.unparsed)


# --- regressions found by the property tests (test_properties.py) -------------------------

def test_review_header_joined_to_its_data_row_keeps_the_numbers(tmp_path: Path) -> None:
    """Regression: a header row holding numbers was skipped as a header, all 15 lost."""
    rows = review_lines([str(n) for n in (1, 0, 0, 0, 1) * 3])
    joined = [*rows[:2], rows[2] + "\t" + rows[3]]
    report = load(tmp_path, mini_report(review=joined))
    assert report.review == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert report.litigation_after_review["total"] == 1


def test_single_other_row_beside_its_sub_rows_is_kept(tmp_path: Path) -> None:
    """Regression: （六）其他处理 printed as one row *and* with its 2021 sub-rows was read,
    then left out of the data without a trace."""
    lines = application_lines("2021", default_cells("2021"))
    at = next(i for i, t in enumerate(lines) if "逾期不补正" in t)
    lines.insert(at, "（六）其他处理\t" + "\t".join(["8", "0", "0", "0", "0", "0", "8"]))
    text = mini_report(applications=lines)
    report = load(tmp_path, text)
    number = text.splitlines().index(lines[at]) + 1
    assert "other" not in report.applications
    assert any(u.line == number for u in report.unparsed)
    mixed = next(f for f in report.findings if f.path == "applications.other")
    assert mixed.line == number and "8" in mixed.message


@pytest.mark.parametrize(("lines", "cells"), [
    (["\t予以公开", "3", "\t1"], ["予以公开", "3", "1"]),
    (["\t0", " \t\t（四）无法提供"], ["0", "", "（四）无法提供"]),
    (["\t12", "元"], ["12", "元"]),
    (["\t商业", "企业", "\t科研机构"], ["商业企业", "科研机构"]),
])
def test_a_number_is_never_glued_to_words_across_lines(lines: list[str], cells: list[str]) -> None:
    """Regression: in the cell-per-line layout a number line without its tab was glued to
    the label above ("予以公开3"), and words after a number swallowed it."""
    rows = logical_rows(lines)
    assert [c.text for r in rows for c in r.cells] == cells


def test_region_finding_text_is_the_cleaned_line(tmp_path: Path) -> None:
    """Regression: region findings showed the line stripped, not cleaned (a Word bookmark
    stayed in, a control character at the end was cut)."""
    text = mini_report(agency="城区人民政府办公室").replace(
        "城区人民政府办公室", "城区人民政府办公室[bookmark: _GoBack]\x1c", 1)
    report = load(tmp_path, text)
    region = [f for f in report.findings if f.code.startswith("region") and f.line]
    assert region
    assert_findings_point_at_lines(report, split_lines(text))
