"""Downloads written by worker processes equal those written in one process, cold and
after a change (``reports.json`` then spliced from the last build's lines and the
workers' new ones)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from generator import jsoncodec
from generator.config import BuildOptions
from generator.site import datafiles
from generator.site.build import build_site
from generator.site.progress import Progress
from generator.site.tree import TreeWriter
from tests.content_changes import copy_report, correct_figure, remove_report, synthetic
from tests.test_build import tree_bytes

pytestmark = pytest.mark.slow


def generate(content: Path, where: Path, jobs: int) -> None:
    opts = BuildOptions(content=content, build_dir=where / "build", site_dir=where / "site",
                        quiet=True, jobs=jobs, generate_only=True)
    build_site(opts, Progress(io.StringIO(), quiet=True))


def data_files(where: Path) -> dict[str, bytes]:
    files = tree_bytes(where / "build" / "docs" / "data")
    _check_all_reports(files)
    return files


def _check_all_reports(files: dict[str, bytes]) -> None:
    """reports.json holds, line by line, each report's download without ``lines``, in the
    compact form the downloads have (so each line is checked apart from the code that
    wrote it)."""
    everything = files["reports.json"]
    assert everything.startswith(b"[\n") and everything.endswith(b"\n]\n")
    lines = everything[2:-3].split(b",\n")
    downloads = {json.loads(data)["source"]["path"]: data for rel, data in files.items()
                 if rel.startswith("reports/")}
    assert len(lines) == len(downloads)
    for line in lines:
        whole = json.loads(downloads[json.loads(line)["source"]["path"]])
        del whole["lines"]
        assert line == jsoncodec.dumps_bytes(whole)


@pytest.fixture()
def content(content_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "content"
    shutil.copytree(content_dir, out)
    make_corpus(20, out / "reports" / "synth", seed=5, broken_share=0.2)
    return out


def test_workers_write_the_downloads_one_process_writes(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafiles, "PARALLEL_FROM", 0)  # workers even for a few reports
    monkeypatch.setattr(datafiles, "CHUNK", 3)  # and many chunks
    kept = tmp_path / "kept"
    generate(content, kept, jobs=2)
    assert data_files(kept) == data_files(_fresh(content, tmp_path / "one-0"))
    lines = kept / "build" / datafiles.LINES_FILE
    changes: list[tuple[Callable[[Path, int], None], int]] = [
        (correct_figure, 3), (remove_report, 0), (copy_report, 7)]
    for n, (change, which) in enumerate(changes):
        change(content, which)
        generate(content, kept, jobs=2)
        assert lines.is_file()
        mine, theirs = data_files(kept), data_files(_fresh(content, tmp_path / f"one-{n + 1}"))
        assert sorted(mine) == sorted(theirs)
        assert [p for p in mine if mine[p] != theirs[p]] == []


def test_unchanged_downloads_are_not_written_again(content: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafiles, "PARALLEL_FROM", 0)
    generate(content, tmp_path, jobs=2)
    everything = tmp_path / "build" / "docs" / datafiles.ALL_REPORTS
    before = everything.stat()
    generate(content, tmp_path, jobs=2)
    after = everything.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def rename_report(content: Path, n: int) -> None:
    """Report ``n`` renamed so that it sorts first: every report before it moves."""
    source = synthetic(content)[n]
    source.rename(source.with_name("0-" + source.name))


def damage_record(where: Path) -> None:
    """The record of the rows made by another build (its tag is not the manifest's)."""
    lines = where / "build" / datafiles.LINES_FILE
    state = json.loads(lines.read_text(encoding="utf-8"))
    state["tag"] = "another build"
    lines.write_text(json.dumps(state), encoding="utf-8")


def lengthen_all_reports(where: Path) -> None:
    """reports.json one byte longer than recorded."""
    with open(where / "build" / "docs" / datafiles.ALL_REPORTS, "ab") as handle:
        handle.write(b" ")


def garble_record(where: Path) -> None:
    """The record of the rows cut short (not JSON)."""
    (where / "build" / datafiles.LINES_FILE).write_text("{\"format\": [", encoding="utf-8")


def test_spliced_downloads_equal_fresh_ones_after_renames_and_damage(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report renamed (the rows after it move), and records that do not hold (the
    files then made anew); the CSV tables and reports.json equal fresh ones each time."""
    kept = tmp_path / "kept"
    generate(content, kept, jobs=1)
    spliced: list[str] = []
    start_splice = TreeWriter.start_splice

    def spy(self: TreeWriter, rel: str,
            pieces: Iterable[bytes | tuple[int, int]]) -> Callable[[], None]:
        spliced.append(rel)
        return start_splice(self, rel, pieces)

    monkeypatch.setattr(TreeWriter, "start_splice", spy)
    steps: list[tuple[Callable[[Path, int], None], int, Callable[[Path], None] | None]] = [
        (rename_report, 9, None), (correct_figure, 2, damage_record),
        (correct_figure, 4, lengthen_all_reports), (remove_report, 1, garble_record),
        (rename_report, 12, None)]
    for n, (change, which, damage) in enumerate(steps):
        change(content, which)
        if damage is not None:
            damage(kept)
        spliced.clear()
        generate(content, kept, jobs=1)
        assert (datafiles.ALL_REPORTS in spliced) == (damage is None)
        assert (datafiles.APPLICATIONS_CSV in spliced) == (damage in (None, lengthen_all_reports))
        mine, theirs = data_files(kept), data_files(_fresh(content, tmp_path / f"one-{n}"))
        assert sorted(mine) == sorted(theirs)
        assert [p for p in mine if mine[p] != theirs[p]] == []


def _fresh(content: Path, where: Path) -> Path:
    generate(content, where, jobs=1)
    return where
