"""The built site in headless Chromium: time to the first search result, and search recall.

The site is served by a threaded ``http.server`` on 127.0.0.1 (a free port); Chromium
is the system's (``shutil.which("chromium")``), driven by Python Playwright. Each timed
run opens a new browser context, so nothing is cached.
"""

from __future__ import annotations

import json
import math
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEARCH_INPUT = "input.md-search__input"
RESULT_ITEM = ".md-search-result__item"
RESULT_META = ".md-search-result__meta"
FIRST_RESULT_PROBE = """
(() => {
  const mark = name => { if (window[name] === undefined) window[name] = performance.now(); };
  new MutationObserver(() => { if (document.querySelector('ITEM')) mark('__firstResult'); })
    .observe(document, {childList: true, subtree: true});
  const Native = window.Worker;
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    worker.addEventListener('message', e => { if (e.data && e.data.type === 1) mark('__ready'); });
    return worker;
  };
  document.addEventListener('keyup', e => {
    if (e.target && e.target.matches && e.target.matches('INPUT')) mark('__typed');
  }, true);
})();
""".replace("ITEM", RESULT_ITEM).replace("INPUT", SEARCH_INPUT)
"""Records ``performance.now()`` (ms since navigation start) when a result first shows
(``__firstResult``), when the search worker says it is ready (``__ready``: Material's
message type 1) and when the query's last key came up (``__typed``)."""
FIRST_RESULT_STEPS = """() => {
  const index = performance.getEntriesByType('resource').find(e => /search_index/.test(e.name));
  return {result: window.__firstResult, ready: window.__ready, typed: window.__typed,
          index: index ? index.responseEnd : null,
          loaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd};
}"""
"""Milliseconds since navigation start of each step towards the first result."""
TYPE_AT_LOAD = """
document.addEventListener('DOMContentLoaded', () => setTimeout(() => {
  const box = document.querySelector('INPUT');
  box.focus();
  box.value = QUERY;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  box.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true}));
}));
""".replace("INPUT", SEARCH_INPUT)
"""Types the query from inside the page as soon as DOMContentLoaded has been handled
(after Material's own handlers: a task later), as an IME commits a phrase: focus, the
text, one key up (Material reads the box on focus, on key up and when its worker is
ready)."""
TYPINGS = ("page", "driver")
"""How the query is typed: from inside the page at DOMContentLoaded, or by Playwright
once ``goto`` returns (each of its steps a round trip to Chromium, 0.3-0.7 s in all on
the 2-core machine, which the site is not responsible for)."""


@dataclass(frozen=True, slots=True)
class FirstResult:
    """One cold run: milliseconds from navigation start to each step (``None``: not seen)."""

    result: float
    """The first result shown (``inf`` when none came)."""
    loaded: float | None = None
    """DOMContentLoaded handled (Material's bundle has run)."""
    index: float | None = None
    """The page's ``search/search_index.json`` downloaded (the worker fetches the whole
    index itself, outside the page's resource timings)."""
    ready: float | None = None
    """The search worker ready (it holds the index)."""
    typed: float | None = None
    """The query typed (its last key up)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One entry of Material's result list."""

    href: str
    text: str
    """The item's visible text (title and teaser), without jieba's U+200B separators."""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """No access log on stderr."""


@contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` on 127.0.0.1 (a free port) in a thread; yield the origin
    (``http://127.0.0.1:PORT``, no slash). Also used by the browser tests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 and yield its base URL."""
    with serving(partial(_QuietHandler, directory=str(site))) as origin:
        yield origin + "/"


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright), closed afterwards."""
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("no chromium on PATH")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _type_query(page: Any, query: str) -> None:
    """Open Material's search and type ``query`` as a reader would."""
    box = page.locator(SEARCH_INPUT)
    if not box.is_visible():
        page.locator("label[for='__search']").first.click()
    box.click()
    # The query arrives as one text input without key events, as an IME commits a
    # phrase (typing it one character at a time costs a round trip to Chromium per
    # character, about 15 ms each here, which the page is not responsible for);
    # Material searches on keyup, which the IME's final key press gives.
    page.keyboard.insert_text(query)
    box.press("End")


def first_result(browser: Any, url: str, query: str, typing: str = "page",
                 timeout_s: float = 300) -> FirstResult:
    """One cold run (a new browser context): the query typed at DOMContentLoaded (see
    :data:`TYPINGS`), and the milliseconds from navigation start to each step towards
    its first result."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if typing not in TYPINGS:
        raise ValueError(f"typing must be one of {TYPINGS}, not {typing!r}")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(FIRST_RESULT_PROBE)
        if typing == "page":
            page.add_init_script(TYPE_AT_LOAD.replace("QUERY", json.dumps(query)))
        page.goto(url, wait_until="domcontentloaded")
        if typing == "driver":
            _type_query(page, query)
        with suppress(PlaywrightTimeout):  # no result in time: the steps say how far it got
            page.wait_for_function("window.__firstResult !== undefined", timeout=timeout_s * 1000)
        steps = page.evaluate(FIRST_RESULT_STEPS)
        result = steps.pop("result")
        return FirstResult(math.inf if result is None else float(result),
                           **{k: (None if v is None else float(v)) for k, v in steps.items()})
    finally:
        context.close()


def median_run(browser: Any, url: str, query: str, runs: int = 3,
               typing: str = "page") -> FirstResult:
    """The run with the median time to the first result, of ``runs`` cold runs."""
    done = sorted((first_result(browser, url, query, typing) for _ in range(runs)),
                  key=lambda r: r.result)
    return done[(len(done) - 1) // 2]


def _wait_ready(page: Any, timeout_s: float) -> None:
    """Wait until the search worker has its index (the meta line stops saying 'initialising')."""
    page.wait_for_function(
        "(() => { const m = document.querySelector('META');"
        " return m && m.textContent && !/初始化|Initializ/.test(m.textContent); })()"
        .replace("META", RESULT_META), timeout=timeout_s * 1000)


def open_search(page: Any, url: str, timeout_s: float = 600) -> None:
    """Load the site's home page and wait until its search is ready for queries."""
    page.goto(url, wait_until="domcontentloaded")
    box = page.locator(SEARCH_INPUT)
    if not box.is_visible():
        page.locator("label[for='__search']").first.click()
    _wait_ready(page, timeout_s)


def _clear(page: Any) -> None:
    """Empty the search box; Material then empties its result list."""
    box = page.locator(SEARCH_INPUT)
    box.fill("")
    box.press("End")
    page.wait_for_function(f"document.querySelectorAll('{RESULT_ITEM}').length === 0",
                           timeout=30_000)


def search(page: Any, query: str, settle_ms: int = 3000) -> list[Hit]:
    """The results Material lists for ``query`` on a page made ready by :func:`open_search`
    (empty when it finds nothing within ``settle_ms``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _clear(page)
    _type_query(page, query)
    try:
        page.wait_for_selector(RESULT_ITEM, timeout=settle_ms)
    except PlaywrightTimeout:
        return []
    page.wait_for_timeout(200)
    items = page.locator(RESULT_ITEM)
    hits = []
    for i in range(items.count()):
        item = items.nth(i)
        link = item.locator("a").first
        text = item.inner_text().replace("\u200b", "")
        hits.append(Hit(link.get_attribute("href") or "", text))
    return hits
