"""Every link and asset on every built page points at a file of the site.

MkDocs checks links written in Markdown (``strict: true``), but the comparison tables and
the official tables are raw HTML, whose links the generator writes itself: this test
checks all of them, in both editions, on the built sample site.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import Built

pytestmark = pytest.mark.slow


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {"a": "href", "link": "href", "script": "src", "img": "src"}
        wanted = names.get(tag)
        self.targets += [v for k, v in attrs if k == wanted and v]


def local_targets(page: Path) -> list[str]:
    reader = _Targets()
    reader.feed(page.read_text(encoding="utf-8"))
    out = []
    for target in reader.targets:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        out.append(unquote(parts.path))
    return out


def broken_links(site: Path) -> list[tuple[str, str]]:
    broken = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        if page.name == "404.html":
            continue  # its links are absolute to the site root, whatever that is
        for target in local_targets(page):
            resolved = (page.parent / target).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append((page.relative_to(site).as_posix(), target))
    return broken


def test_every_link_of_the_site_resolves(built_site: Built) -> None:
    assert built_site.code == 0, built_site.stderr
    assert broken_links(built_site.site) == []


def test_every_link_of_the_offline_edition_resolves(built_site: Built) -> None:
    if built_site.offline is None:
        pytest.skip("no offline edition (npm ci has not run)")
    assert broken_links(built_site.offline) == []


def test_the_check_finds_a_broken_link(tmp_path: Path) -> None:
    for n in range(25):
        (tmp_path / f"p{n}.html").write_text('<a href="p0.html">ok</a>', encoding="utf-8")
    (tmp_path / "bad.html").write_text('<a href="../agencies/none.html#x">x</a>', encoding="utf-8")
    assert broken_links(tmp_path) == [("bad.html", "../agencies/none.html")]
