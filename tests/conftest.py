"""Shared fixtures: one built site of the samples per session, served under a sub-path.

The site is built once (``built_site``) from a copy of the sample reports plus a
few reports made for particular tests (each named after what it checks); the
browser tests open it through a small threaded HTTP server on 127.0.0.1 under
``/sub/path/`` and with Debian's Chromium, every request outside the server
recorded and refused.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from bench.browser import serving
from generator.cli import main
from tests.samples import CONTENT, ROOT, SAMPLES

SEEDS = ROOT.parent / "shared" / "seeds"
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SUB_PATH = "/sub/path/"

POLICE_REPORT = "fixtures/fanshi-police-found-by-gongan.txt"
"""Sample 001 re-issued by 繁峙县公安局: search for 公安局 must find its agency."""
UNDECODABLE_REPORT = "fixtures/undecodable-still-gets-a-page.txt"
"""Mostly NUL bytes: decoding fails, and the report must still get a page."""

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def sample_reports() -> list[Path]:
    """The sample reports: the repository's, else the shared seeds."""
    for folder in (SAMPLES, CONTENT / "reports", SEEDS):
        found = sorted(folder.glob("0*.txt")) if folder.is_dir() else []
        if found:
            return found
    raise FileNotFoundError("no sample reports (content/reports/samples or shared/seeds)")


def make_content(target: Path) -> Path:
    """A content folder: the samples, the test-made reports and the hand-written pages."""
    reports = target / "reports"
    (reports / "samples").mkdir(parents=True)
    (reports / "fixtures").mkdir()
    samples = sample_reports()
    for path in samples:
        shutil.copy2(path, reports / "samples" / path.name)
        side = path.with_name(path.stem + ".meta.yaml")
        if side.is_file():
            shutil.copy2(side, reports / "samples" / side.name)
    fanshi = next(p for p in samples if p.name.startswith("001_"))
    police = fanshi.read_text(encoding="utf-8").replace("繁峙县人民政府办公室", "繁峙县公安局")
    (reports / POLICE_REPORT).write_text(police, encoding="utf-8")
    (reports / UNDECODABLE_REPORT).write_bytes(b"\x00" * 400 + "报告".encode() + b"\x00" * 400)
    shutil.copytree(CONTENT / "pages", target / "pages")
    return target


@dataclass
class Built:
    """A build of the test content: where everything went and what the command said."""

    content: Path
    build_dir: Path
    site: Path
    offline: Path | None
    code: int
    stderr: str

    @property
    def docs(self) -> Path:
        return self.build_dir / "docs"


def run_cli(*args: str) -> tuple[int, str]:
    """Run ``python -m generator ARGS`` in this process; exit code and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def build_args(content: Path, build_dir: Path, site: Path, *more: str) -> list[str]:
    """Arguments of a build of ``content`` into the given folders."""
    return ["build", "--content", str(content), "--build-dir", str(build_dir),
            "--site-dir", str(site), "--jobs", "2", *more]


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test content folder (read-only for tests: copy it to change it)."""
    return make_content(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="session")
def built_site(content_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The site built once per session, with the offline edition when npm ci has run."""
    out = tmp_path_factory.mktemp("built")
    offline = SHIM.is_file()
    extra = ["--offline"] if offline else []
    code, err = run_cli(*build_args(content_dir, out / "build", out / "site", *extra))
    return Built(content_dir, out / "build", out / "site",
                 out / "site-offline" if offline else None, code, err)


# --- serving ------------------------------------------------------------------------------

class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves ``directory`` under :data:`SUB_PATH`; a missing file gets the site's 404 page."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base signature)
        """Quiet."""

    def do_GET(self) -> None:  # noqa: N802 (base class name)
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(SUB_PATH):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        rest = path[len(SUB_PATH):] or "index.html"
        target = Path(self.directory) / rest
        if ".." in Path(rest).parts or not target.is_file():
            self._not_found()
            return
        self.path = "/" + rest
        super().do_GET()

    def _not_found(self) -> None:
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Server:
    """A running local server: ``base`` is the site's address (ends in the sub-path)."""

    origin: str
    base: str


@pytest.fixture(scope="session")
def site_server(built_site: Built) -> Iterator[Server]:
    """The built site on 127.0.0.1 (a free port), under ``/sub/path/``."""
    if built_site.code != 0:
        pytest.fail(f"site build failed:\n{built_site.stderr}")
    with serving(functools.partial(SubPathHandler, directory=str(built_site.site))) as origin:
        yield Server(origin, origin + SUB_PATH)


# --- browser ------------------------------------------------------------------------------

@dataclass
class RequestGuard:
    """Records every request; lets through only those to ``allowed`` prefixes."""

    allowed: tuple[str, ...]
    seen: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        return url.startswith(self.allowed) or url.startswith(("data:", "blob:", "about:"))

    def handle(self, route: Any) -> None:
        """Playwright route handler."""
        url = route.request.url
        self.seen.append(url)
        if self.allows(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def record(self, request: Any) -> None:
        """Playwright request listener (also sees requests that bypass routing)."""
        if not self.allows(request.url) and request.url not in self.blocked:
            self.blocked.append(request.url)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, headless, with no background traffic."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: CI must run the browser tests "
                        "(bash scripts/setup.sh --test installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def open_page(browser: Any, guard: RequestGuard) -> tuple[Any, Any]:
    """A fresh context and page whose every request goes through ``guard``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  service_workers="block")
    context.route("**/*", guard.handle)
    context.on("request", guard.record)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


@pytest.fixture
def guard(site_server: Server) -> RequestGuard:
    """A request guard allowing only the local server."""
    return RequestGuard((site_server.origin + "/",))


@pytest.fixture
def page(browser: Any, guard: RequestGuard) -> Iterator[Any]:
    """A page in a fresh browser context, its requests guarded (local server only)."""
    context, new_page = open_page(browser, guard)
    try:
        yield new_page
    finally:
        context.close()
