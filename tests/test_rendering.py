"""Rendering: hand-built reports in, Markdown pages out.

Reports are built directly from the model, so these tests do not depend on the
parser; the golden test at the end (skipped until the parser is importable) runs
the samples through the real pipeline.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from generator.errors import UsageError
from generator.findings import CODES
from generator.model import (
    Correction,
    Finding,
    Inferred,
    Part,
    Region,
    Report,
    Section,
    Severity,
    Source,
    Unparsed,
)
from generator.rendering import quality_pages, render_site, year_pages
from generator.rendering.escape import md_text
from generator.rendering.urls import (
    agency_page,
    agency_slug,
    assign_slugs,
    original_txt,
    region_page,
    report_json,
    report_page,
    year_page,
)
from generator.tables import (
    APPLICATION_COLUMN_KEYS,
    APPLICATION_ROWS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMN_KEYS,
    REVIEW_GROUPS,
    application_rows,
)

HOSTILE = "<script>alert(1)</script>[点我](http://evil.example)![图](x.png)# **粗** `码` {{ x }}"
NULL_MARK = '<span class="null" title="未填报">—</span>'


def make_report(path: str = "reports/shanxi/fanshi-2021.txt", *, agency: str = "繁峙县人民政府办公室",
                key: str = "140924/人民政府办公室", year: int | None = 2021,
                code: str | None = "140924", province: str | None = "山西省",
                city: str | None = "忻州市", county: str | None = "繁峙县",
                template: str = "2021") -> Report:
    """A complete report of ``template`` whose cells are all 0, with some narrative."""
    report = Report(
        source=Source(path, hashlib.sha256(path.encode()).hexdigest()),
        agency=agency, agency_key=key, year=year, template=template,
        region=Region(province, city, county, None, code, "county", "government"),
    )
    report.proactive = {i.key: {c.key: 0 for c in i.columns} for i in PROACTIVE_ITEMS[template]}
    report.applications = {r.key: dict.fromkeys(APPLICATION_COLUMN_KEYS, 0)
                           for r in application_rows(template)}
    for group in REVIEW_GROUPS:
        setattr(report, group.key, dict.fromkeys(REVIEW_COLUMN_KEYS, 0))
    report.sections = {
        "overview": Section("一、总体情况", "总体段落。\n（一）主动公开\n主动公开段落。",
                            [Part("（一）主动公开", "主动公开段落。\n第二段。")], "总体段落。"),
        "problems": Section("五、存在的主要问题及改进情况", "问题段落。"),
        "other": Section("六、其他需要报告的事项", "其他段落。"),
    }
    return report


def hostile_report() -> Report:
    """Every untrusted string of a report set to markup."""
    report = make_report("reports/evil/<b>x</b>.txt", agency=HOSTILE + "公安局", key=HOSTILE,
                         code="1409245", province=HOSTILE, city=HOSTILE, county=HOSTILE)
    report.region.level = HOSTILE
    report.region.kind = HOSTILE
    report.published = HOSTILE
    report.source.url = "javascript:alert(1)"
    report.source.sha256 = HOSTILE
    report.sections = {
        key: Section(HOSTILE, HOSTILE + "\n" + HOSTILE, [Part(HOSTILE, HOSTILE + "\n- 列表")],
                     HOSTILE)
        for key in ("preamble", "overview", "problems", "other", "closing")
    }
    report.applications["granted"]["total"] = None
    report.inferred = [Inferred("applications.granted.total", 0, HOSTILE)]
    report.corrections = [Correction("applications.new_received.total", HOSTILE, 0, HOSTILE,
                                     HOSTILE)]
    report.unparsed = [Unparsed(3, HOSTILE)]
    report.findings = [Finding(Severity.ERROR, "identity-broken", HOSTILE, 7,
                               "applications.new_received.total", HOSTILE),
                       Finding(Severity.WARNING, HOSTILE, HOSTILE, None, HOSTILE, None)]
    return report


def slug_of(report: Report, reports: list[Report]) -> str:
    return assign_slugs(reports)[report.source.path]


def page_of(report: Report, reports: list[Report] | None = None) -> str:
    reports = reports or [report]
    return render_site(reports)[report_page(slug_of(report, reports))]


def row_line(page: str, label: str) -> str:
    """The HTML table row of the official table whose heading cell ends with ``label``."""
    lines = [ln for ln in page.splitlines() if ln.startswith("<tr>") and f"{label}</th>" in ln]
    assert len(lines) == 1, label
    return lines[0]


def md_row(page: str, marker: str) -> list[str]:
    """The cells of the comparison-table row (HTML, one line) containing ``marker``."""
    lines = [ln for ln in page.splitlines() if ln.startswith("<tr><td") and marker in ln]
    assert len(lines) == 1, marker
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", lines[0])]


# --- cells ---------------------------------------------------------------------------

def test_blank_cells_show_a_dash_never_zero() -> None:
    report = make_report()
    report.applications["granted"] = dict.fromkeys(APPLICATION_COLUMN_KEYS, None)
    report.review["total"] = None
    page = page_of(report)
    line = row_line(page, "（一）予以公开")
    assert line.count(NULL_MARK) == 7
    assert ">0<" not in line
    review = [ln for ln in page.splitlines() if ln.startswith("<tr><td")][-1]
    assert review.count(NULL_MARK) == 1
    year = render_site([report])[year_page(2021)]
    cells = md_row(year, "繁峙县人民政府办公室")
    assert cells[4] == NULL_MARK  # 予以公开
    assert cells[11] == NULL_MARK  # 行政复议


def test_inferred_value_is_marked_and_apart() -> None:
    report = make_report()
    report.applications["new_received"]["total"] = None
    report.inferred = [Inferred("applications.new_received.total", 5, "新收 + 结转 = 总计 + 结转下年度")]
    page = page_of(report)
    cell = row_line(page, "一、本年新收政府信息公开申请数量").split("<td")[-1]
    assert NULL_MARK in cell and '<span class="inferred"' in cell and "(推算 5)" in cell
    year = render_site([report])[year_page(2021)]
    figure = md_row(year, "繁峙县人民政府办公室")[2]
    assert figure.startswith(NULL_MARK) and "(推算 5)" in figure
    assert "## 推算值" in page


def test_corrected_value_is_marked_with_its_reason() -> None:
    report = make_report()
    report.applications["granted"]["total"] = 7
    report.corrections = [Correction("applications.granted.total", 0, 7, "原表<笔误>",
                                     "reports/a.meta.yaml")]
    cell = row_line(page_of(report), "（一）予以公开").split("<td")[-1]
    assert 'class="corrected"' in cell and "(已更正)" in cell
    assert "原表&#60;笔误&#62;" in cell and "原为 0" in cell


def test_a_cell_with_a_finding_is_highlighted() -> None:
    report = make_report()
    report.findings = [Finding(Severity.ERROR, "identity-broken", "总计不等于各项之和", 12,
                               "applications.total_handled.total")]
    line = row_line(page_of(report), "（七）总计")
    assert line.count('class="finding finding-error"') == 1
    assert "数据不平衡" in line and "原文第" not in line


def test_single_row_other_in_a_2021_report_is_shown() -> None:
    report = make_report()
    report.applications["other"] = dict.fromkeys(APPLICATION_COLUMN_KEYS, 2)
    line = row_line(page_of(report), "原文合为一行（未分项）")
    assert line.count("<td>2</td>") == 7


def test_2019_template_layout() -> None:
    page = page_of(make_report(template="2019"))
    assert "政府集中采购</th>" in page
    assert row_line(page, "（六）其他处理").count("<td>0</td>") == 7
    assert "逾期不补正" not in page


# --- slugs and pages ---------------------------------------------------------------------

def test_same_agency_same_year_get_distinct_slugs_in_any_order() -> None:
    a = make_report("reports/b.txt")
    b = make_report("reports/a.txt")
    forward, backward = assign_slugs([a, b]), assign_slugs([b, a])
    assert forward == backward
    plain = agency_slug(a) + "-2021"
    assert forward["reports/a.txt"] == plain
    suffix = hashlib.sha256(b"reports/b.txt").hexdigest()[:6]
    assert forward["reports/b.txt"] == f"{plain}-{suffix}"
    pages = render_site([a, b])
    for slug in forward.values():
        assert report_page(slug) in pages
        assert report_page(slug).removeprefix("reports/") in pages[agency_page(agency_slug(a))]


def test_slug_shape() -> None:
    report = make_report()
    key_hash = hashlib.sha256(report.agency_key.encode()).hexdigest()[:8]
    assert agency_slug(report) == f"140924-{key_hash}"
    odd = make_report(code="../x", year=None)
    assert re.fullmatch(r"x-[0-9a-f]{8}-unknown", slug_of(odd, [odd]))


def test_output_is_deterministic() -> None:
    reports = [make_report("reports/a.txt"), make_report("reports/b.txt"),
               make_report("reports/c.txt", key="k2", agency="代县公安局", code="140923",
                           county="代县", year=2020),
               make_report("reports/d.txt", key="k3", code=None, year=None), hostile_report()]
    first = render_site(reports)
    assert render_site(reports) == first
    assert render_site(list(reversed(reports))) == first
    assert list(first) == sorted(first)


def test_links_are_relative_and_resolve() -> None:
    reports = [make_report("reports/a.txt"), make_report("reports/b.txt"),
               make_report("reports/c.txt", key="k", code=None), hostile_report()]
    pages = render_site(reports, {"about.md": "# 关于\n", "data.md": "# 数据\n"})
    files = set(pages)
    for slug in assign_slugs(reports).values():
        files |= {report_json(slug), original_txt(slug)}
    for path, text in pages.items():
        body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        for target in re.findall(r"\]\(([^)]*)\)", body):
            assert not re.match(r"^[a-z]+:|^/|#", target), (path, target)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in files, (path, target)


def test_regions_tree() -> None:
    beijing = make_report("reports/bj.txt", key="bj", agency="北京市朝阳区人民政府", code="110105",
                          province="北京市", city=None, county="朝阳区")
    lost = make_report("reports/lost.txt", key="lost", code=None)
    pages = render_site([make_report(), beijing, lost])
    for code in ("140000", "140900", "140924", "110000", "110105", "unknown"):
        assert region_page(code) in pages
    assert region_page("110100") not in pages
    county = pages[region_page("110105")]
    assert "[北京市](110000.md) › 朝阳区" in county
    assert "未识别地区" in pages[region_page("unknown")]
    assert '<a href="140900.html">忻州市</a>' in pages[region_page("140000")]


def test_hand_written_pages_are_placed_and_may_not_collide() -> None:
    pages = render_site([], {"about.md": "# 关于本站\n"})
    assert pages["about.md"] == "# 关于本站\n"
    assert "[关于本站](about.md)" in pages["index.md"]
    with pytest.raises(UsageError):
        render_site([], {"index.md": "# x\n"})


def test_no_reports_still_gives_every_top_page() -> None:
    pages = render_site([])
    assert set(pages) == {"index.md", "dictionary.md", "regions/index.md", "years/index.md",
                          "quality/index.md"}


def test_large_years_and_quality_split_by_province(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(year_pages, "TABLE_BUDGET", 1500)
    monkeypatch.setattr(quality_pages, "PAGE_BUDGET", 1500)
    reports = []
    for n in range(6):
        report = make_report(f"reports/{n}.txt", key=f"k{n}", code="340602" if n % 2 else "140924")
        report.findings = [Finding(Severity.WARNING, "cell-blank", "空白" * 50, n + 1)]
        reports.append(report)
    pages = render_site(reports)
    assert 'href="2021-140000.html"' in pages[year_page(2021)]
    assert year_page(2021, "340000") in pages
    assert 'href="340000.html"' in pages["quality/index.md"]
    assert md_text("cell-blank") in pages["quality/340000.md"]


def test_unparsed_text_is_cut_with_a_link_to_the_original() -> None:
    report = make_report()
    report.unparsed = [Unparsed(n, "字" * 100) for n in range(1, 501)]
    page = page_of(report)
    assert "另有" in page and "originals/" in page
    assert len(page.encode()) < 60_000


def test_dictionary_lists_every_key_and_code() -> None:
    page = render_site([])["dictionary.md"]
    for row in APPLICATION_ROWS:
        assert md_text(row.key) in page
    for code in CODES:
        assert md_text(code.code) in page and code.title in page


def test_search_sees_summaries_not_tables() -> None:
    report = make_report()
    pages = render_site([report])
    page = pages[report_page(slug_of(report, [report]))]
    assert "行政复议 0 件（复议结果纠正 0 件）" in page and "行政诉讼 0 件" in page
    assert page.count('data-search-exclude>\n<table class="official">') == 3
    agency = pages[agency_page(agency_slug(report))]
    meta = yaml.safe_load(agency.split("---\n")[1])
    assert meta["title"] == "繁峙县人民政府办公室"
    assert meta["search"] == {"boost": 2, "summary": "山西省 › 忻州市 › 繁峙县 · 1 份报告（2021 年）"}
    assert "繁峙县 · 人民政府办公室" in agency


# --- hostile input -----------------------------------------------------------------------

ALLOWED_TAGS = {"h1", "h2", "h3", "p", "a", "ul", "li", "strong", "div", "table", "thead",
                "tbody", "tr", "th", "td", "span", "sup", "code"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_hostile_text_never_becomes_markup() -> None:
    report = hostile_report()
    pages = render_site([report, make_report()])
    extensions = ["tables", "toc", "attr_list", "md_in_html", "def_list", "footnotes", "admonition"]
    for path, text in pages.items():
        head, body = text.split("---\n", 2)[1:]
        meta = yaml.safe_load(head)
        for value in (meta.get("title", ""), meta.get("description", "")):
            assert not set(value) & set("<>&\"'"), path
        reader = _Tags()
        reader.feed(markdown.markdown(body, extensions=extensions))
        assert reader.tags <= ALLOWED_TAGS, (path, reader.tags - ALLOWED_TAGS)
        for href in reader.hrefs:
            assert re.fullmatch(r"[a-z0-9./_-]+\.(md|html|json|txt)", href), (path, href)
    slug = slug_of(report, [report, make_report()])
    shown = "".join(_text(pages[report_page(slug)]))
    assert HOSTILE in shown


def _text(page: str) -> list[str]:
    reader = _Tags()
    body = page.split("---\n", 2)[2]
    reader.feed(markdown.markdown(body, extensions=["tables", "toc", "attr_list", "md_in_html"]))
    return reader.text


# --- the whole site through MkDocs --------------------------------------------------------

MKDOCS_YML = """\
site_name: 测试
docs_dir: docs
site_dir: site
use_directory_urls: false
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
markdown_extensions:
  - tables
  - toc
  - attr_list
  - md_in_html
"""


@pytest.mark.slow
def test_mkdocs_strict_build_has_no_warnings(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    reports = [make_report("reports/a.txt"), make_report("reports/b.txt"), hostile_report(),
               make_report("reports/c.txt", key="k", code=None, year=None),
               make_report("reports/d.txt", key="k4", template="2019", year=2020)]
    docs = tmp_path / "docs"
    for path, text in render_site(reports, {"about.md": "# 关于\n"}).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    for slug in assign_slugs(reports).values():
        for extra in (report_json(slug), original_txt(slug)):
            (docs / extra).parent.mkdir(parents=True, exist_ok=True)
            (docs / extra).write_text("{}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                          capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert not re.search(r"^\s*WARNING", done.stderr, re.M), done.stderr
    for html in (tmp_path / "site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script>alert" not in text, html
        assert 'href="http://evil' not in text and 'href="javascript' not in text, html
        assert '<img src="x.png"' not in text, html
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        assert title is not None and "<" not in title.group(1), html


# --- golden pages of the samples ---------------------------------------------------------

def test_golden_pages_of_the_samples() -> None:
    if importlib.util.find_spec("generator.parsing") is None:
        pytest.skip("generator.parsing is not there yet: no golden pages to compare")
    from tests.regen_golden import GOLDEN, golden_pages

    if not GOLDEN.is_dir():
        pytest.skip(f"{GOLDEN} is missing: run `.venv/bin/python -m tests.regen_golden`")
    pages = golden_pages()
    stored = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in sorted(GOLDEN.rglob("*.md"))}
    assert sorted(pages) == sorted(stored), "pages added or removed: regenerate the golden files"
    changed = [path for path in pages if pages[path] != stored[path]]
    assert not changed, (f"pages differ from tests/golden/samples: {changed[:5]}; after an "
                         "intended change run `.venv/bin/python -m tests.regen_golden`")


def test_relative_links_match_posixpath() -> None:
    from generator.rendering.urls import rel

    pages = ["index.md", "reports/a.md", "years/2021.md", "a/b/c.md", "a/x.md", "data/reports/y.md"]
    targets = ["index.md", "reports/b.md", "data/reports/x.json", "regions/index.md", "a/d.md",
               "reportsx/y.md", "reports/sub/x.md", "a/b/e.md", "a/bx.md"]
    for page in pages:
        for target in targets:
            expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
            assert rel(page, target) == expected, (page, target)


def test_values_of_unexpected_types_are_shown_as_text() -> None:
    report = make_report()
    report.corrections = [Correction("applications.granted.total", [1], {"a": 2}, 404,  # type: ignore[arg-type]
                                     "x.meta.yaml")]
    report.applications["granted"]["total"] = "七"  # type: ignore[assignment]
    line = row_line(page_of(report), "（一）予以公开")
    assert 'class="odd corrected"' in line and ">七 <span" in line


def test_a_row_of_cells_is_each_cell_as_cell_td_writes_it() -> None:
    from generator.rendering.cells import CellNotes, CellRow, cell_td, row_tds

    report = make_report()
    report.findings = [Finding(Severity.WARNING, "x", "某<问题>", 3, "t.r.b"),
                       Finding(Severity.INFO, "x", "整行", None, "t.r")]
    report.corrections = [Correction("t.r.c", 1, 2, "理由", "x.meta.yaml")]
    report.inferred = [Inferred("t.r.a", 4, "规则")]
    notes = CellNotes.of(report)
    keys = ["a", "b", "c", "d"]
    cells = CellRow.of([(k, f"t.r.{k}", 1) for k in keys])
    wide = CellRow.of([(k, f"t.r.{k}", 2 if k == "d" else 1) for k in keys])
    values: list[object] = [0, 1, 7, 2000, -3, None, True, 1.0, 2.5, "七", float("nan")]
    texts = {"t.r.d": "5 万元"}
    for row in ([{k: v for k in keys} for v in values]
                + [{"a": v, "b": 5, "c": 6, "d": 8} for v in values] + [None, [], {}]):
        for layout in (cells, wide):
            for given in ({}, texts):
                expected = "".join(
                    cell_td(notes, p, row.get(k) if isinstance(row, dict) else None, s, given.get(p))
                    for k, p, s in zip(layout.keys, layout.paths, layout.spans, strict=True))
                assert row_tds(notes, row, layout, given) == expected, (row, layout, given)
    plain = CellRow.of([(k, f"u.{k}", 1) for k in keys])
    assert row_tds(notes, {"a": 1, "b": 0, "c": 4096, "d": -1}, plain) == (
        "<td>1</td><td>0</td><td>4096</td><td>-1</td>")
