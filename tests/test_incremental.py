"""MkDocs' kept output, updated with ``--dirty``, gives the site a clean build gives.

Each step changes the content, then the site is built twice: once on the build folder
of the step before (pages unchanged since are not rendered again by MkDocs), once
afresh into empty folders. The two site folders must hold the same files, byte for
byte; unchanged pages keep their HTML file (same inode, same time).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from generator.config import BuildOptions
from generator.site.build import BuildResult, build_site
from generator.site.progress import Progress
from tests.content_changes import copy_report, correct_figure, remove_report
from tests.test_build import tree_bytes

pytestmark = pytest.mark.slow


def build(content: Path, where: Path, fresh: bool, generate_only: bool = False) -> BuildResult:
    opts = BuildOptions(content=content, build_dir=where / "build", site_dir=where / "site",
                        quiet=True, jobs=2, no_cache=fresh, generate_only=generate_only)
    opts.extra["mkdocs_shards"] = 2
    return build_site(opts, Progress(io.StringIO(), quiet=True))


def correct_a_figure(content: Path) -> None:
    correct_figure(content, 2)


def remove_a_report(content: Path) -> None:
    remove_report(content, 4)


def remove_another(content: Path) -> None:
    """Removed, then a build without MkDocs (``serve`` does that) before the next one."""
    remove_report(content, 8)


def add_a_report(content: Path) -> None:
    copy_report(content, 6)


def edit_a_page(content: Path) -> None:
    about = content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")


STEPS = [correct_a_figure, remove_a_report, remove_another, add_a_report, edit_a_page]


def test_dirty_builds_equal_clean_builds(content_dir: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    make_corpus(24, content / "reports" / "synth", seed=3, broken_share=0.0)
    kept = tmp_path / "kept"
    assert build(content, kept, fresh=False).incremental == []
    home = kept / "site" / "regions" / "index.html"
    for n, step in enumerate(STEPS):
        step(content)
        if step is remove_another:
            build(content, kept, fresh=False, generate_only=True)
        unchanged = kept / "site" / "dictionary.html"
        before = unchanged.stat()
        assert build(content, kept, fresh=False).incremental == [kept / "site"], step
        after = unchanged.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), step
        clean = tmp_path / f"clean-{n}"
        assert build(content, clean, fresh=True).incremental == []
        mine, theirs = tree_bytes(kept / "site"), tree_bytes(clean / "site")
        assert sorted(mine) == sorted(theirs), step.__name__
        assert [p for p in theirs if mine[p] != theirs[p]] == [], step.__name__
    assert home.is_file()
