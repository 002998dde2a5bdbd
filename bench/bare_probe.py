"""Time to the first search result without Playwright attached to the page.

    python bench/bare_probe.py SITE [SITE ...] [--page index.html] [--runs 8] [--query Q]

Playwright attaches to every worker a page starts and holds it until the driver lets it
run (``waitForDebuggerOnStart``), up to ~250 ms on the 2-core VM, which a reader's browser
does not do. Here Chromium (the system's, with Playwright's switches) is driven over a
bare ``--remote-debugging-pipe`` that only opens a new context and tab per run and
navigates it; the probe of :mod:`bench.browser` (the query typed at DOMContentLoaded) is
put into each HTML page by the server, and the page posts its steps back. Several sites
are measured in alternation, cold (a new browser context per run); the medians and
ranges of each step are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, suppress
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    FIRST_RESULT_PROBE,
    FIRST_RESULT_STEPS,
    TYPE_AT_LOAD,
    serving,
)

DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,"
    "ThirdPartyStoragePartitioning,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,"
    "PreconnectToSearch")
PLAYWRIGHT_SWITCHES = [
    "--disable-field-trial-config", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows", "--disable-back-forward-cache",
    "--disable-breakpad", "--disable-component-extensions-with-background-pages",
    "--no-default-browser-check", "--disable-default-apps", "--disable-dev-shm-usage",
    "--disable-extensions", f"--disable-features={DISABLED_FEATURES}",
    "--allow-pre-commit-input", "--disable-hang-monitor", "--disable-ipc-flooding-protection",
    "--disable-popup-blocking", "--disable-prompt-on-repost", "--disable-renderer-backgrounding",
    "--force-color-profile=srgb", "--metrics-recording-only", "--password-store=basic",
    "--use-mock-keychain", "--no-service-autorun", "--disable-search-engine-choice-screen",
    "--hide-scrollbars", "--mute-audio", "--no-startup-window",
]
"""The switches Playwright starts Chromium with (as read from its command line), so that
the browser does the same work in both probes."""
REPORT = """
(() => {
  const steps = STEPS;
  const watch = new MutationObserver(() => {
    if (window.__firstResult === undefined) return;
    watch.disconnect();
    setTimeout(() => fetch('/__report', {method: 'POST', body: JSON.stringify(steps())}), 100);
  });
  watch.observe(document, {childList: true, subtree: true});
})();
""".replace("STEPS", FIRST_RESULT_STEPS)
"""Posts the probe's steps to the server once the first result has shown."""
STEPS = ("loaded", "index", "ready", "typed", "result")


class _Handler(SimpleHTTPRequestHandler):
    """Serves a site with the probe in every HTML page; takes the page's report."""

    inject = ""
    reports: list[dict[str, Any]] = []
    arrived = threading.Event()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """No access log."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(204)
        self.end_headers()
        _Handler.reports.append(json.loads(body))
        _Handler.arrived.set()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.suffix != ".html" or not path.is_file():
            super().do_GET()
            return
        html = path.read_text(encoding="utf-8")
        body = html.replace("<head>", f"<head><script>{_Handler.inject}</script>", 1).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Browser:
    """Chromium over ``--remote-debugging-pipe`` (CDP messages on fds 3 and 4, NUL-ended)."""

    def __init__(self) -> None:
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            raise RuntimeError("no chromium on PATH")
        self.profile = tempfile.mkdtemp(prefix="bare-probe-")
        to_chrome, self._w = os.pipe()
        self._r, from_chrome = os.pipe()

        def pipes() -> None:
            os.dup2(to_chrome, 3)
            os.dup2(from_chrome, 4)

        self.proc = subprocess.Popen(
            [exe, *PLAYWRIGHT_SWITCHES, *CHROMIUM_ARGS, f"--user-data-dir={self.profile}",
             "--remote-debugging-pipe"],
            preexec_fn=pipes, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._id = 0

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer (events are dropped)."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._w, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._r, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed its pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})  # type: ignore[no-any-return]

    def close(self) -> None:
        with suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)


def one_run(browser: Browser, url: str, timeout_s: float = 30) -> dict[str, Any] | None:
    """One cold load of ``url`` in a new context; the page's steps, or None if no result."""
    _Handler.arrived.clear()
    context = browser.send("Target.createBrowserContext")["browserContextId"]
    try:
        # The tab is opened first and left a moment, as Playwright's new_page does, so the
        # browser's own work for a new tab is not timed with the page.
        target = browser.send("Target.createTarget", url="about:blank",
                              browserContextId=context)["targetId"]
        time.sleep(0.5)
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        browser.send("Page.navigate", session=session, url=url)
        got = _Handler.arrived.wait(timeout_s)
    finally:
        browser.send("Target.disposeBrowserContext", browserContextId=context)
    return _Handler.reports[-1] if got else None


def measure(sites: list[Path], page: str, query: str, runs: int) -> dict[Path, list[dict[str, Any]]]:
    """``runs`` cold runs per site, the sites in alternating order, after one warm-up each."""
    _Handler.inject = (FIRST_RESULT_PROBE + TYPE_AT_LOAD.replace("QUERY", json.dumps(query))
                       + REPORT)
    done: dict[Path, list[dict[str, Any]]] = {site: [] for site in sites}
    with ExitStack() as stack:
        origins = {site: stack.enter_context(serving(partial(_Handler, directory=str(site))))
                   for site in sites}
        browser = Browser()
        stack.callback(browser.close)
        for site in sites:
            one_run(browser, f"{origins[site]}/{page}")
        for n in range(runs):
            for site in sites if n % 2 == 0 else sites[::-1]:
                steps = one_run(browser, f"{origins[site]}/{page}")
                if steps is not None:
                    done[site].append(steps)
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built sites to compare")
    parser.add_argument("--page", default="index.html")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--query", default="清河区行政审批服务管理局")
    args = parser.parse_args()
    for site, reports in measure(args.sites, args.page, args.query, args.runs).items():
        parts = [f"{site}: {len(reports)}/{args.runs} runs"]
        for step in STEPS:
            values = [float(r[step]) for r in reports if r.get(step) is not None]
            if values:
                parts.append(f"{step} {statistics.median(values):.0f} ms "
                             f"[{min(values):.0f}-{max(values):.0f}]")
        print("  ".join(parts))


if __name__ == "__main__":
    main()
