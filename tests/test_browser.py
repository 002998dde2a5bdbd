"""The built site in Chromium: navigation, Chinese search, report tables, no outside requests.

One site is built per session (``built_site``) and served on 127.0.0.1 under a
sub-path; every request that is not to that server (or, for the offline edition,
to ``file://``) is recorded and refused.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import (
    POLICE_REPORT,
    Built,
    RequestGuard,
    Server,
    open_page,
)
from tests.samples import ROOT, expected

pytestmark = pytest.mark.browser

READY = "键入以开始搜索"
NOTHING = "没有找到符合条件的结果"
NULL = "—"
ARTIFACTS = ROOT / "test-artifacts"

TABLES_JS = """() => Array.from(document.querySelectorAll("table.official")).map(t => ({
  kind: (t.closest(".report-table") || t).className,
  rows: Array.from(t.rows).map(r => ({
    th: Array.from(r.querySelectorAll("th")).map(x => x.textContent.trim()),
    td: Array.from(r.querySelectorAll("td")).map(td => {
      const c = td.cloneNode(true);
      c.querySelectorAll(".inferred, .correction, sup").forEach(e => e.remove());
      return c.textContent.trim();
    }),
  })),
}))"""


def plain(text: str) -> str:
    """Text without the zero-width spaces search puts between words."""
    return text.replace("\u200b", "").strip()


def search(page: Any, start: str, query: str) -> list[tuple[str, str]]:
    """Type ``query`` into the site's search box; (href, title) of each result, best first."""
    page.goto(start)
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=READY).wait_for()
    box.fill(query)
    box.dispatch_event("keyup")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && /符合条件/.test(m.textContent) }")
    items = page.locator(".md-search-result__item > a.md-search-result__link")
    out = []
    for i in range(items.count()):
        link = items.nth(i)
        out.append((link.get_attribute("href") or "", plain(link.locator("h1, h2").first.inner_text())))
    return out


def page_path(href: str, base: str) -> str:
    """The site-relative path of a result link (no query, no fragment)."""
    path = urlsplit(href).path
    prefix = urlsplit(base).path
    return path[len(prefix):] if path.startswith(prefix) else path.lstrip("/")


def slug_for(built: Built, file_name: str) -> str:
    """The slug of the report whose source file is ``file_name``."""
    for path in sorted((built.docs / "data" / "reports").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["source"]["path"].endswith("/" + file_name):
            return path.stem
    raise AssertionError(f"no report for {file_name}")


# --- navigation -------------------------------------------------------------------------

def test_home_page_loads_with_no_outside_request(page: Any, site_server: Server,
                                                 guard: RequestGuard) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(site_server.base + "index.html")
    assert "政府信息公开工作年度报告" in page.title()
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    page.wait_for_load_state("networkidle")
    assert guard.blocked == [] and failed == []
    assert all(url.startswith(site_server.origin) for url in guard.seen)


def test_reader_reaches_a_report_through_regions(page: Any, site_server: Server,
                                                 guard: RequestGuard) -> None:
    page.goto(site_server.base + "index.html")
    page.locator(".md-tabs").get_by_role("link", name="按地区").click()
    page.wait_for_url("**/regions/index.html")
    visited = {page.url}
    for _ in range(6):
        hrefs = page.locator("article a[href]").evaluate_all("links => links.map(a => a.href)")
        fresh = [h for h in hrefs if h not in visited and "#" not in h
                 and h.startswith(site_server.base)]
        target = next((h for kind in ("/reports/", "/agencies/", "/regions/")
                       for h in fresh if kind in h), None)
        assert target is not None, f"no way on from {page.url}"
        page.locator("article a[href]").nth(hrefs.index(target)).click()
        page.wait_for_url(target)
        visited.add(page.url)
        if "/reports/" in page.url:
            break
    assert re.search(r"/sub/path/reports/[^/]+\.html$", page.url)
    assert page.locator("table.official").count() >= 2
    assert guard.blocked == []


def test_missing_page_gets_the_chinese_404_under_the_sub_path(page: Any,
                                                              site_server: Server) -> None:
    for missing in ("no-such-page.html", "reports/no-such-report.html"):
        response = page.goto(site_server.base + missing)
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="页面不存在").is_visible()
        assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == \
            "sticky", "the 404 page lost its styles"
        page.get_by_role("link", name="返回首页").click()
        page.wait_for_url(site_server.base + "index.html")


def test_search_works_on_a_deep_404_page(page: Any, site_server: Server) -> None:
    results = search(page, site_server.base + "reports/no-such-report.html", "繁峙")
    assert results and all(h.startswith(site_server.base) for h, _ in results)


# --- search -----------------------------------------------------------------------------

def test_search_place_finds_the_agency_in_top_5(page: Any, site_server: Server) -> None:
    results = search(page, site_server.base + "index.html", "繁峙")
    top = [(page_path(h, site_server.base), t) for h, t in results[:5]]
    assert any(p.startswith("agencies/") and t == "繁峙县人民政府办公室" for p, t in top), top


def test_search_agency_type_finds_agencies_containing_it(page: Any, site_server: Server) -> None:
    results = search(page, site_server.base + "index.html", "公安局")
    agencies = [t for h, t in results if page_path(h, site_server.base).startswith("agencies/")]
    assert agencies and all("公安局" in t for t in agencies), results
    assert "繁峙县公安局" in agencies


def test_search_part_of_a_compound_finds_pages_on_it(page: Any, site_server: Server,
                                                     built_site: Built) -> None:
    results = search(page, site_server.base + "index.html", "复议")
    assert results
    for href, _ in results[:5]:
        html = (built_site.site / page_path(href, site_server.base)).read_text(encoding="utf-8")
        assert "行政复议" in html, href


OWN_WORKER = "assets/site/search-worker.js"
MATERIAL_WORKER = re.compile(r"/workers/search\.[0-9a-f]+\.min\.js")


def test_search_answers_from_the_sites_own_worker(page: Any, site_server: Server,
                                                  guard: RequestGuard) -> None:
    results = search(page, site_server.base + "index.html", "繁峙 办公室")
    assert results[0][1] == "繁峙县人民政府办公室", results
    assert site_server.base + OWN_WORKER in guard.seen
    assert not any(MATERIAL_WORKER.search(url) for url in guard.seen), guard.seen
    marks = page.locator(".md-search-result__item h1 mark").all_inner_texts()
    assert marks[:2] == ["繁峙", "办公室"]


DROP_SETUP = """(() => {
  const Native = window.Worker;
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = message => { if (message.type !== 0) post(message); };
    return worker;
  };
})();"""
"""Keeps Material's setup message (type 0, the index) from reaching the search worker."""


def test_search_worker_fetches_the_index_itself(page: Any, site_server: Server) -> None:
    page.add_init_script(DROP_SETUP)
    results = search(page, site_server.base + "index.html", "繁峙")
    assert any(t == "繁峙县人民政府办公室" for _, t in results), results


def test_search_waits_for_the_workers_own_index(page: Any, site_server: Server) -> None:
    # Material's setup message (its index has no entries online) arrives first: the
    # worker must not say it is ready with nothing to search.
    held: list[Any] = []
    page.context.route("**/search/entries.json", lambda route: held.append(route))
    page.goto(site_server.base + "index.html")
    page.locator("input.md-search__input").click()
    page.wait_for_function("() => window.__md_get !== undefined")
    page.wait_for_timeout(1500)
    assert len(held) == 1, "the worker fetches its index itself"
    meta = page.locator(".md-search-result__meta").inner_text()
    assert meta != READY, "ready before the worker held its index"
    held[0].continue_()
    page.locator(".md-search-result__meta").filter(has_text=READY).wait_for()
    box = page.locator("input.md-search__input")
    box.fill("繁峙")
    box.dispatch_event("keyup")
    first = page.locator(".md-search-result__item h1").first
    first.wait_for()
    assert plain(first.inner_text()).startswith("繁峙")


COUNT_WORKERS = """(() => {
  const Native = window.Worker;
  window.__workers = 0;
  window.Worker = function (url, options) {
    window.__workers += 1;
    return new Native(url, options);
  };
})();"""
"""Counts the search workers the page starts (the real constructor, before the page's own
scripts replace it)."""


def test_search_ready_when_the_index_comes_before_materials_code(page: Any,
                                                                site_server: Server) -> None:
    # The page starts the search worker from its head (overrides/main.html) and hands it
    # to Material's bundle later. Holding the bundle back until the worker holds its index
    # makes the worker's own READY come when nothing listens: Material's setup message
    # must still be answered, from the one worker and the one download of the index.
    fetched: list[str] = []
    held: list[Any] = []
    page.add_init_script(COUNT_WORKERS)
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("entries.json") else None)
    page.context.route("**/assets/javascripts/bundle.*.js", lambda route: held.append(route))
    page.goto(site_server.base + "index.html", wait_until="commit")
    page.wait_for_function("() => window.__workers === 1")
    page.wait_for_timeout(1500)  # the worker fetches and parses its index meanwhile
    assert len(held) == 1, "Material's bundle held back"
    held[0].continue_()
    box = page.locator("input.md-search__input")
    box.click()
    page.locator(".md-search-result__meta").filter(has_text=READY).wait_for()
    box.fill("繁峙")
    box.dispatch_event("keyup")
    first = page.locator(".md-search-result__item h1").first
    first.wait_for()
    assert plain(first.inner_text()).startswith("繁峙")
    assert page.evaluate("window.__workers") == 1
    assert len(fetched) == 1, fetched


def test_search_finds_an_agency_named_without_its_county_suffix(page: Any,
                                                                site_server: Server) -> None:
    results = search(page, site_server.base + "index.html", "繁峙公安局")
    assert results and results[0][1] == "繁峙县公安局", results


def test_search_suggests_the_rest_of_a_place_name(page: Any, site_server: Server) -> None:
    page.goto(site_server.base + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    page.locator(".md-search-result__meta").filter(has_text=READY).wait_for()
    box.fill("繁峙")  # as an IME commits it; then a key, since Material listens to keys
    box.press("End")
    suggest = page.locator(".md-search__suggest")
    page.wait_for_function("() => document.querySelector('.md-search__suggest').textContent")
    assert suggest.inner_text() == "繁峙县"
    box.press("ArrowRight")
    assert box.input_value() == "繁峙县"


def test_search_nonsense_finds_nothing(page: Any, site_server: Server) -> None:
    assert search(page, site_server.base + "index.html", "锟斤拷䶵") == []
    assert page.locator(".md-search-result__meta").inner_text().strip() == NOTHING


# --- report pages -----------------------------------------------------------------------

def cell(text: str) -> object:
    """A rendered cell as a value: None for "—", a number where it is one, else the text."""
    if text == NULL:
        return None
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def row_cells(tables: list[dict[str, Any]], kind: str, label: str) -> list[object]:
    """The cells of the row of ``kind`` table headed ``label`` (or starting with it)."""
    table = next(t for t in tables if f"report-{kind}" in t["kind"].split())
    row = next(r for r in table["rows"] if any(h == label or h.startswith(label)
                                               for h in r["th"][-1:]))
    return [cell(t) for t in row["td"]]


def check_report(tables: list[dict[str, Any]], facts: dict[str, Any]) -> None:
    """Compare a report page's official tables with the hand-checked facts."""
    for label, values in facts["applications"].items():
        got = row_cells(tables, "applications", label.split()[-1])
        assert got == (values if values is not None else [None] * 7), (facts["file"], label)
    review = next(t for t in tables if "report-review" in t["kind"].split())
    cells = [cell(t) for t in next(r["td"] for r in review["rows"] if r["td"])]
    want = facts["review"] + facts["litigation_direct"] + facts["litigation_after_review"]
    assert cells == want, facts["file"]
    for item, columns in (facts["proactive"] or {}).items():
        assert row_cells(tables, "proactive", item) == list(columns.values()), (facts["file"], item)
    if facts["proactive"] is None:
        proactive = next(t for t in tables if "report-proactive" in t["kind"].split())
        assert {c for r in proactive["rows"] for c in r["td"]} == {NULL}


def test_report_pages_show_the_hand_checked_cells(page: Any, site_server: Server,
                                                  built_site: Built) -> None:
    for facts in expected():
        slug = slug_for(built_site, facts["file"])
        page.goto(site_server.base + f"reports/{slug}.html")
        check_report(page.evaluate(TABLES_JS), facts)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site_server.base + f"reports/{slug_for(built_site, Path(POLICE_REPORT).name)}.html")
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)


# --- no outside requests ----------------------------------------------------------------

def test_request_detector_catches_an_outside_image(page: Any, guard: RequestGuard) -> None:
    page.set_content('<p>x</p><img src="http://example.invalid/x.png">')
    page.wait_for_load_state("load")
    assert any("example.invalid" in url for url in guard.blocked)


def test_offline_edition_searches_from_disk_with_no_other_request(browser: Any,
                                                                  built_site: Built) -> None:
    if built_site.offline is None:
        if os.environ.get("CI"):
            pytest.fail("the offline edition was not built: npm ci must run in CI")
        pytest.skip("npm ci has not run: node_modules/iframe-worker is missing")
    guard = RequestGuard(("file://",))
    context, page = open_page(browser, guard)
    try:
        results = search(page, (built_site.offline / "index.html").as_uri(), "繁峙")
        assert any(t == "繁峙县人民政府办公室" for _, t in results[:5]), results
        assert guard.blocked == []
        assert guard.seen and all(url.startswith("file://") for url in guard.seen)
        assert any(urlsplit(url).path.endswith(OWN_WORKER) for url in guard.seen), guard.seen
    finally:
        context.close()


def test_comparison_tables_right_align_their_numbers(page: Any, site_server: Server) -> None:
    page.goto(site_server.base + "years/2021.html")
    aligns = page.evaluate("""() => [...document.querySelectorAll('.sortable table')].map(t =>
        [...t.querySelectorAll('tbody tr:first-child td')].map(td =>
            [td.classList.contains('n'), getComputedStyle(td).textAlign]))""")
    cells = [cell for table in aligns for cell in table]
    assert any(numeric for numeric, _ in cells)
    for numeric, align in cells:
        assert align == ("right" if numeric else "left"), cells
