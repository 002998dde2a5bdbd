"""The hostile content built into a site (MkDocs --strict included): nothing breaks the
build, nothing is written outside its folders, nothing is injected, nothing is lost."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.checking.duplicates import mark_duplicates
from generator.model import Report, Source
from generator.site.dictionary import user_dictionary
from generator.site.mkdocs_config import DICTIONARY_FILE
from tests.hostile import payloads as hx
from tests.hostile.conftest import HostileBuild
from tests.hostile.site import (
    DUPLICATE_AGENCY,
    DUPLICATES,
    FULL_WIDTH_BACK,
    JINJA_AGENCY,
    LONG_AGENCY,
    PIPE_AGENCY,
    SECRET,
    UNIDENTIFIED,
    hostile_files,
    scan_html,
    shown,
)

pytestmark = pytest.mark.slow

SAFE_PATH = re.compile(r"[A-Za-z0-9._/-]+")


@pytest.fixture(scope="module")
def built(hostile_build: HostileBuild) -> HostileBuild:
    assert hostile_build.code == 0, hostile_build.stderr[-2000:]
    return hostile_build


@pytest.fixture(scope="module")
def reports(built: HostileBuild) -> dict[str, dict[str, Any]]:
    """Published JSON of every report, by source path (relative to content/)."""
    data = json.loads((built.docs / "data" / "reports.json").read_text(encoding="utf-8"))
    return {r["source"]["path"]: r for r in data}


@pytest.fixture(scope="module")
def slugs(built: HostileBuild) -> dict[str, str]:
    """Report slug by source path, from the per-report JSON files."""
    out = {}
    for path in (built.docs / "data" / "reports").glob("*.json"):
        out[json.loads(path.read_text(encoding="utf-8"))["source"]["path"]] = path.stem
    return out


def html(built: HostileBuild, page: str) -> str:
    return (built.site / page).read_text(encoding="utf-8")


def report_html(built: HostileBuild, slugs: dict[str, str], name: str) -> str:
    return html(built, f"reports/{slugs['reports/' + name]}.html")


# --- the build --------------------------------------------------------------------------

def test_build_exits_0_with_strict_mkdocs_and_no_traceback(built: HostileBuild) -> None:
    assert "Traceback" not in built.stderr
    assert "解析程序出错" not in built.stderr, "a report crashed the parser"


def test_every_report_file_is_published(built: HostileBuild, reports: dict[str, Any],
                                        slugs: dict[str, str]) -> None:
    expected = {f"reports/{n}" for n in hostile_files() if n.endswith(".txt")} | {"reports/leak.txt"}
    assert set(reports) == expected
    assert set(slugs) == expected
    assert len(set(slugs.values())) == len(expected)
    for slug in slugs.values():
        assert (built.site / "reports" / f"{slug}.html").is_file()
        assert (built.docs / "originals" / f"{slug}.txt").is_file()


def test_agencies_never_share_a_page_by_accident(built: HostileBuild, reports: dict[str, Any],
                                                slugs: dict[str, str]) -> None:
    """Names that differ only in case, that look like paths or hold spaces each keep their
    own agency page; full-width letters are the same name (NFKC), so one agency."""
    pages = {p.stem for p in (built.docs / "agencies").glob("*.md")}
    by_name: dict[str, set[str]] = {}
    for source, data in reports.items():
        agency = slugs[source].split("-")[0] + "-" + slugs[source].split("-")[1]
        assert agency in pages, source
        page = (built.site / "agencies" / f"{agency}.html").read_text(encoding="utf-8")
        assert f"../reports/{slugs[source]}.html" in page, source
        if data["agency"]:
            by_name.setdefault(data["agency_key"], set()).add(agency)
    assert all(len(agencies) == 1 for agencies in by_name.values()), by_name
    names = {reports[f"reports/agency-names/{n}.txt"]["agency_key"]: n
             for n in range(len(hx.PATH_AGENCIES))}
    keys = [reports[f"reports/agency-names/{n}.txt"]["agency_key"] for n in range(len(hx.PATH_AGENCIES))]
    upper, lower, wide = (keys[hx.PATH_AGENCIES.index(a)] for a in
                          ("ABC县人民政府", "abc县人民政府", "ＡＢＣ县人民政府"))
    assert upper != lower and upper == wide
    assert len(names) == len(hx.PATH_AGENCIES) - 1


def test_mkdocs_ran_in_strict_mode(built: HostileBuild) -> None:
    """A warning of MkDocs (a bad link, a missing file) would have failed the build."""
    assert "strict: true" in (built.build_dir / "mkdocs.yml").read_text(encoding="utf-8")
    assert (built.site / "404.html").is_file() and (built.site / "search").is_dir()


def test_nothing_is_written_outside_the_output_folders(built: HostileBuild) -> None:
    allowed = {"content", "build", "site", "outside"}
    assert {p.name for p in built.root.iterdir()} == allowed
    changed = [p for p in built.content.rglob("*") if p.lstat().st_mtime >= built.started]
    assert changed == [], "the build changed the content folder"
    assert sorted(p.name for p in (built.root / "outside").iterdir()) == ["secret.txt"]
    assert built.beside == []
    for name in hx.PATH_AGENCIES:
        assert not Path("/", name).exists() and not Path("/etc", Path(name).name).exists()


def test_generated_paths_are_plain_ascii(built: HostileBuild) -> None:
    for folder in (built.docs, built.site):
        for path in folder.rglob("*"):
            rel = path.relative_to(folder).as_posix()
            assert SAFE_PATH.fullmatch(rel), rel


def test_symbolic_link_out_of_the_content_is_not_published(built: HostileBuild,
                                                           reports: dict[str, Any]) -> None:
    """Regression: reports/leak.txt -> a file outside content/ was published whole."""
    for folder in (built.docs, built.site):
        for path in folder.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path
    leak = reports["reports/leak.txt"]
    assert any(f["code"] == "decode-failed" and "符号链接" in f["message"] for f in leak["findings"])
    assert str(built.root) not in json.dumps(reports, ensure_ascii=False)


def test_search_dictionary_is_the_fixed_one(built: HostileBuild) -> None:
    """No report can add or break a line of the jieba dictionary."""
    text = (built.build_dir / DICTIONARY_FILE).read_text(encoding="utf-8")
    assert text == user_dictionary()
    for line in text.splitlines():
        assert re.fullmatch(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,30} \d+ (ns|nt)", line)


# --- nothing injected -------------------------------------------------------------------

def test_no_page_carries_a_live_payload(built: HostileBuild) -> None:
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) > 50
    dangers = {p.relative_to(built.site).as_posix(): scan_html(p.read_text(encoding="utf-8")).dangers
               for p in pages}
    assert {k: v for k, v in dangers.items() if v} == {}


def test_scanner_sees_live_payloads() -> None:
    """The check above is only as good as its scanner: it must flag each live form."""
    live = [
        f'<img src=x onerror="window.{hx.CANARY}x=1">',
        '<a href=" JavaScript:alert(1)">x</a>',
        f'<b id="{hx.MARKER_ID}x">x</b>',
        f"<script>window.{hx.CANARY}x=1</script>",
        '<iframe srcdoc="x"></iframe>',
        "<style>body{display:none}</style>",
    ]
    for snippet in live:
        assert scan_html(f"<html><body>{snippet}</body></html>").dangers, snippet
    assert scan_html("<p>&lt;script&gt;window.__hx_x=1&lt;/script&gt;</p>").dangers == []


def test_markup_report_shows_every_payload_literally(built: HostileBuild,
                                                     slugs: dict[str, str]) -> None:
    scan = scan_html(report_html(built, slugs, "markup/every-field.txt"))
    for where in ("overview", "problems", "other"):
        for payload in hx.markup_payloads(where):
            assert shown(payload) in scan.visible, payload
    for text in (hx.SUB_HEADING, hx.CELL, "1|2", "window.__hx_row=1", hx.TITLE):
        assert shown(text) in scan.visible, text
    for line in hx.BLOCK_LINES:
        assert line.strip() in scan.visible, line
    assert "{{ 7*7 }}" in scan.visible and "{% raw %}" in scan.visible


def test_printed_part_heading_stays_in_the_data(reports: dict[str, Any]) -> None:
    """Pages name the six parts by the template's words; the heading as printed (here with
    markup after 总体情况) is kept in the data."""
    data = reports["reports/markup/every-field.txt"]
    assert data["sections"]["overview"]["heading"] == hx.HEADING


def test_titles_and_breadcrumbs_show_the_name_as_text(built: HostileBuild,
                                                      slugs: dict[str, str]) -> None:
    slug = slugs["reports/markup/every-field.txt"]
    agency_page = html(built, f"agencies/{slug.rsplit('-', 1)[0]}.html")
    for page in (report_html(built, slugs, "markup/every-field.txt"), agency_page):
        scan = scan_html(page)
        assert hx.AGENCY[:20] in scan.title.translate(FULL_WIDTH_BACK)
        assert hx.AGENCY in scan.visible.translate(FULL_WIDTH_BACK)


@pytest.mark.parametrize("page", ["years/2021.html", "regions/unknown.html"])
def test_names_in_tables_stay_in_their_cell(built: HostileBuild, page: str) -> None:
    text = html(built, page)
    scan = scan_html(text)
    assert PIPE_AGENCY in scan.visible
    assert "{{7*7}}" in scan.visible.translate(FULL_WIDTH_BACK) and "49县" not in scan.visible
    for table in re.findall(r"<table.*?</table>", text, re.DOTALL):
        widths = {len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr.*?</tr>", table,
                                                                          re.DOTALL)}
        assert len(widths) <= 2, widths  # a header row may span; no row grows a cell


def test_template_syntax_in_a_name_is_not_evaluated(built: HostileBuild, slugs: dict[str, str],
                                                    reports: dict[str, Any]) -> None:
    assert reports["reports/markup/jinja-agency.txt"]["agency"] == JINJA_AGENCY
    scan = scan_html(report_html(built, slugs, "markup/jinja-agency.txt"))
    assert JINJA_AGENCY in scan.title.translate(FULL_WIDTH_BACK)
    assert JINJA_AGENCY in scan.visible.translate(FULL_WIDTH_BACK)


def test_corrected_name_like_a_long_path_is_data(built: HostileBuild, slugs: dict[str, str],
                                                reports: dict[str, Any]) -> None:
    assert reports["reports/markup/long-name.txt"]["agency"] == LONG_AGENCY
    slug = slugs["reports/markup/long-name.txt"]
    assert SAFE_PATH.fullmatch(slug) and len(slug) < 40
    scan = scan_html(report_html(built, slugs, "markup/long-name.txt"))
    assert "../../../etc/长长长" in scan.visible and "/etc/passwd县人民政府" in scan.visible
    assert len(scan.title) < 200


def test_sidecar_payloads_are_shown_as_text(built: HostileBuild, slugs: dict[str, str],
                                           reports: dict[str, Any]) -> None:
    data = reports["reports/markup/corrected.txt"]
    assert data["agency"].startswith("<script>")
    assert data["source"]["url"] is None
    scan = scan_html(report_html(built, slugs, "markup/corrected.txt"))
    assert f"window.{hx.CANARY}side_agency=1" in scan.visible
    assert "{{ 7*7 }}" in scan.visible


def test_address_that_breaks_out_of_its_attribute_stays_in_it(built: HostileBuild,
                                                             slugs: dict[str, str]) -> None:
    page = report_html(built, slugs, "markup/address.txt")
    assert scan_html(page).dangers == []
    assert f'"><script>window.{hx.CANARY}href=1' not in page


def test_search_index_holds_no_markup_from_reports(built: HostileBuild) -> None:
    """Material puts the index's title and text into the results as HTML."""
    index = json.loads((built.site / "search" / "entries.json").read_text(encoding="utf-8"))
    tag = re.compile(r"<\s*(script|img|svg|iframe|details|style|a\s|b\s|div\s)", re.IGNORECASE)
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key, "")
            assert not tag.search(value), (doc["location"], value[:200])
            assert not re.search(r"\son\w+\s*=", value), (doc["location"], value[:200])


def test_downloads_keep_the_text_as_data(built: HostileBuild, reports: dict[str, Any]) -> None:
    assert reports["reports/markup/every-field.txt"]["agency"] == hx.AGENCY
    rows = list(csv.DictReader(io.StringIO(
        (built.docs / "data" / "applications.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(reports)
    assert hx.AGENCY in {r["agency"] for r in rows}


# --- duplicates, unidentified, broken bytes -------------------------------------------------

def test_two_reports_of_one_agency_and_year_are_both_kept_and_reported(
        built: HostileBuild, reports: dict[str, Any], slugs: dict[str, str]) -> None:
    first, second = (reports[f"reports/{n}"] for n in DUPLICATES)
    assert first["agency"] == second["agency"] == DUPLICATE_AGENCY
    assert first["applications"]["new_received"]["total"] == 4
    assert second["applications"]["new_received"]["total"] == 6
    for data, other in ((first, DUPLICATES[1]), (second, DUPLICATES[0])):
        dup = [f for f in data["findings"] if f["code"] == "duplicate-report"]
        assert len(dup) == 1 and other in dup[0]["message"]
    agency = slugs[f"reports/{DUPLICATES[0]}"].rsplit("-", 1)[0]
    page = html(built, f"agencies/{agency}.html")
    for name in DUPLICATES:
        assert f"../reports/{slugs['reports/' + name]}.html" in page


def test_unidentified_reports_are_published_under_unknown(
        built: HostileBuild, reports: dict[str, Any], slugs: dict[str, str]) -> None:
    unknown = html(built, "regions/unknown.html")
    for name in UNIDENTIFIED:
        data = reports[f"reports/{name}"]
        assert data["agency"] is None and data["year"] is None
        assert {"agency-unknown", "year-unknown"} <= {f["code"] for f in data["findings"]}
        assert not any(f["code"] == "duplicate-report" for f in data["findings"])
        slug = slugs[f"reports/{name}"]
        assert slug.endswith("unknown") or "-unknown-" in slug
        page = report_html(built, slugs, name)
        assert "未识别" in scan_html(page).visible
        assert slug.rsplit("-unknown", 1)[0] in unknown


@pytest.mark.parametrize("name", ["bytes/gbk.txt", "bytes/gb18030.txt", "bytes/utf16-le.txt",
                                  "bytes/utf16-be.txt", "bytes/mixed-eol.txt", "bytes/nul.txt",
                                  "bytes/big.txt"])
def test_readable_encodings_give_the_full_data(reports: dict[str, Any], name: str) -> None:
    data = reports[f"reports/{name}"]
    assert data["year"] == 2021 and data["agency"].endswith("人民政府")
    assert data["applications"]["granted"]["total"] == 4
    assert data["region"]["code"], data["region"]


@pytest.mark.parametrize("name", ["bytes/binary.txt", "bytes/empty.txt", "bytes/long-line.txt",
                                  "bytes/truncated.txt"])
def test_broken_files_get_a_page_with_their_findings(built: HostileBuild, reports: dict[str, Any],
                                                     slugs: dict[str, str], name: str) -> None:
    data = reports[f"reports/{name}"]
    assert data["findings"]
    visible = scan_html(report_html(built, slugs, name)).visible
    for finding in data["findings"]:
        assert finding["message"][:20] in visible, finding["code"]


def test_mark_duplicates_skips_unknowns_and_runs_once() -> None:
    def report(path: str, agency: str | None, year: int | None) -> Report:
        r = Report(Source(path, "0"), agency=agency, year=year)
        r.agency_key = f"k/{agency}" if agency else "unknown/unknown"
        return r

    group = [report("a.txt", "甲局", 2021), report("b.txt", "甲局", 2021),
             report("c.txt", "甲局", 2022), report("d.txt", None, None), report("e.txt", None, None)]
    assert mark_duplicates(group) == 2
    assert mark_duplicates(group) == 0
    assert [len(r.findings) for r in group] == [1, 1, 0, 0, 0]
