"""The hostile site in Chromium: no payload runs, no dialog opens, the text shows as text.

The site is served from the root of a local server (the case where a crafted path can
do most) and every page that shows report text is opened: report, agency, region,
year, quality and home pages, search results, and the 404 page under crafted paths.
After each, no ``window.__hx_*`` canary may be set, no element with an ``hx-`` id may
exist, no dialog may have opened and no request may have left the server.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from bench.browser import serving
from tests.conftest import RequestGuard, SubPathHandler, open_page
from tests.hostile import payloads as hx
from tests.hostile.conftest import HostileBuild
from tests.hostile.site import DUPLICATES, UNIDENTIFIED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CANARIES_JS = f"() => Object.keys(window).filter(k => k.startsWith({hx.CANARY!r}))"
MARKERS_JS = f"() => document.querySelectorAll('[id^=\"{hx.MARKER_ID}\"]').length"


class RootHandler(SubPathHandler):
    """Serves ``directory`` at ``/``; anything missing gets the site's 404 page."""

    def do_GET(self) -> None:  # noqa: N802 (base class name)
        path = unquote(urlsplit(self.path).path)
        target = Path(self.directory) / path.lstrip("/")
        if ".." in Path(path).parts or not target.is_file():
            self._not_found()
            return
        SimpleHTTPRequestHandler.do_GET(self)


@pytest.fixture(scope="module")
def origin(hostile_build: HostileBuild) -> Iterator[str]:
    assert hostile_build.code == 0, hostile_build.stderr[-2000:]
    with serving(functools.partial(RootHandler, directory=str(hostile_build.site))) as origin:
        yield origin


@pytest.fixture
def visit(browser: Any, origin: str) -> Iterator[Any]:
    """A guarded page that records dialogs; yields a function opening a path and
    returning what the page shows, after checking that nothing ran."""
    guard = RequestGuard((origin + "/",))
    context, page = open_page(browser, guard)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def go(path: str) -> str:
        page.goto(origin + path, wait_until="load")
        page.wait_for_timeout(150)
        assert_clean(page, dialogs, guard, path)
        return str(page.inner_text("body"))

    go.page = page  # type: ignore[attr-defined]
    go.dialogs = dialogs  # type: ignore[attr-defined]
    go.guard = guard  # type: ignore[attr-defined]
    try:
        yield go
    finally:
        context.close()


def assert_clean(page: Any, dialogs: list[str], guard: RequestGuard, where: str) -> None:
    assert page.evaluate(CANARIES_JS) == [], where
    assert page.evaluate(MARKERS_JS) == 0, where
    assert dialogs == [], where
    assert guard.blocked == [], where


def slugs(built: HostileBuild) -> dict[str, str]:
    out = {}
    for path in (built.docs / "data" / "reports").glob("*.json"):
        out[json.loads(path.read_text(encoding="utf-8"))["source"]["path"]] = path.stem
    return out


def test_canary_check_catches_a_live_payload(browser: Any) -> None:
    """The checks are only as good as their detector: a live payload must trip it."""
    guard = RequestGuard(("data:",))
    context, page = open_page(browser, guard)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.set_content(f'<img src="data:," onerror="window.{hx.CANARY}control=1;alert(1)">'
                         f'<b id="{hx.MARKER_ID}control">x</b>')
        page.wait_for_function(f"() => window.{hx.CANARY}control === 1")
        assert page.evaluate(CANARIES_JS) == [f"{hx.CANARY}control"]
        assert page.evaluate(MARKERS_JS) == 1
        assert dialogs == ["1"]
    finally:
        context.close()


def test_report_pages_run_nothing_and_show_the_text(visit: Any,
                                                    hostile_build: HostileBuild) -> None:
    by_source = slugs(hostile_build)
    text = visit(f"/reports/{by_source['reports/markup/every-field.txt']}.html")
    for where in ("overview", "problems", "other"):
        for payload in hx.markup_payloads(where):
            assert " ".join(payload.split()) in " ".join(text.split()), payload
    for name in ("markup/corrected.txt", "markup/address.txt", *DUPLICATES, *UNIDENTIFIED,
                 "bytes/binary.txt", "bytes/long-line.txt", "names/a b c.txt"):
        visit(f"/reports/{by_source['reports/' + name]}.html")


def test_index_pages_run_nothing(visit: Any, hostile_build: HostileBuild) -> None:
    by_source = slugs(hostile_build)
    agency = by_source["reports/markup/every-field.txt"].rsplit("-", 1)[0]
    for path in ("/index.html", "/regions/index.html", "/regions/unknown.html",
                 "/years/index.html", "/years/2021.html", "/quality/index.html",
                 f"/agencies/{agency}.html", "/dictionary.html"):
        visit(path)


def test_crafted_paths_get_a_404_that_runs_nothing(visit: Any) -> None:
    for path in (f"/<script>window.{hx.CANARY}p404=1</script>",
                 f"/reports/%3Cimg%20src=x%20onerror=window.{hx.CANARY}p404b=1%3E.html",
                 "/reports/%E0%A4%A.html", "/javascript:alert(1)/x",
                 f"/\"><svg onload=window.{hx.CANARY}p404c=1>/"):
        text = visit(path)
        assert "页面不存在" in text


def test_404_under_a_double_slash_keeps_every_request_on_the_site(visit: Any) -> None:
    """Regression: //evil.example/a/b made the 404 page's <base> http://evil.example/a/,
    so its scripts and styles loaded from that host."""
    visit("//evil.example/a/b")
    base = visit.page.evaluate("document.baseURI")
    assert urlsplit(base).netloc == urlsplit(visit.page.url).netloc
    visit("/\\evil.example/a/b")


def test_search_results_show_payloads_as_text(visit: Any) -> None:
    page = visit.page
    visit("/index.html")
    box = page.locator("input.md-search__input")
    box.click()
    page.locator(".md-search-result__meta").filter(has_text="键入以开始搜索").wait_for()
    shown = {}
    for query in ("onerror", "script", "繁峙县", "原平市", "未识别"):
        box.fill(query)
        box.dispatch_event("keyup")
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return m && /符合条件/.test(m.textContent) }")
        page.wait_for_timeout(150)
        assert_clean(page, visit.dialogs, visit.guard, f"search {query}")
        shown[query] = page.locator(".md-search-result__list").inner_text().replace("\u200b", "")
    assert f"svg/onload=window.{hx.CANARY}agency=1" in shown["繁峙县"]
    assert f"script＞window.{hx.CANARY}side_agency=1" in shown["繁峙县"]
