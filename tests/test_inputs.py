"""A report's bytes are read once for its cache key and its parse (generator.pipeline
``read_inputs``); the checks of links and sidecars give what they gave when each step read
the file itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import pipeline, reading
from generator.pipeline import load_source, read_inputs
from generator.reading import is_inside, read_if_file
from generator.site.cache import cache_key, input_key
from generator.site.loading import resolve_one
from tests.minireport import mini_report

SIDECAR = "reason: 原文印错\nyear: 2020\n"


def write_report(folder: Path, name: str = "a.txt", sidecar: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(mini_report(), encoding="utf-8")
    if sidecar is not None:
        path.with_name(path.stem + ".meta.yaml").write_text(sidecar, encoding="utf-8")
    return path


@pytest.mark.parametrize("sidecar", [None, SIDECAR])
def test_bytes_read_once_give_the_key_and_the_report_of_separate_reads(
        tmp_path: Path, sidecar: str | None) -> None:
    root = tmp_path / "content"
    path = write_report(root / "r", sidecar=sidecar)
    given = read_inputs(path)
    assert input_key(given, "r/a.txt") == cache_key(path, "r/a.txt")
    assert (given.sidecar is None) == (sidecar is None)
    report, text = load_source(path, root, given)
    alone, text_alone = load_source(path, root)
    assert report.to_dict() == alone.to_dict() and text == text_alone
    assert (report.year == 2020) == (sidecar is not None)


def test_a_worker_reads_a_report_once_for_its_key_and_its_parse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "content"
    path = write_report(root / "r")
    reads: list[Path] = []

    def counted(file: Path) -> bytes:
        reads.append(file)
        return file.read_bytes()

    monkeypatch.setattr(pipeline, "read_bytes", counted)
    monkeypatch.setattr(reading, "read_bytes", counted)
    key, _, parsed = resolve_one((str(path), str(root), "r/a.txt", "", str(tmp_path / "c"), True))
    assert parsed and reads == [path]
    assert key == cache_key(path, "r/a.txt")


def test_a_report_whose_key_was_known_is_read_by_its_parse(tmp_path: Path) -> None:
    root = tmp_path / "content"
    path = write_report(root / "r")
    key = cache_key(path, "r/a.txt")
    job = (str(path), str(root), "r/a.txt", key, str(tmp_path / "c"), False)
    assert resolve_one(job)[0] == key


def test_read_if_file_takes_a_file_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x: 1\n")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")  # opened without waiting for a writer
    os.symlink(tmp_path / "file", tmp_path / "link")
    os.symlink(tmp_path / "missing", tmp_path / "broken")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    assert read_if_file(tmp_path / "file") == read_if_file(tmp_path / "link") == b"x: 1\n"
    for name in ("folder", "fifo", "broken", "loop", "absent", "file/below"):
        assert read_if_file(tmp_path / name) is None, name
        assert not (tmp_path / name).is_file()


def test_a_report_that_cannot_be_read_stops_with_its_name(tmp_path: Path) -> None:
    from generator.errors import UsageError

    with pytest.raises(UsageError, match="gone.txt"):
        read_inputs(tmp_path / "gone.txt")


def test_is_inside_follows_links_out_of_the_content_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "content"
    inside = write_report(root / "r")
    outside = write_report(tmp_path / "elsewhere", "secret.txt")
    os.symlink(outside, root / "r" / "leak.txt")
    os.symlink(inside, root / "link.txt")
    os.symlink(tmp_path / "elsewhere", root / "folder-link")
    (tmp_path / "content-2").mkdir()
    os.symlink(root, tmp_path / "content-link")
    assert is_inside(inside, root) and is_inside(root / "link.txt", root)
    assert not is_inside(root / "r" / "leak.txt", root)
    assert not is_inside(root / "folder-link" / "secret.txt", root)
    assert not is_inside(tmp_path / "content-2" / "x.txt", root)  # a name that starts alike
    assert is_inside(tmp_path / "content-link" / "r" / "a.txt", root)
    assert is_inside(inside, tmp_path / "content-link")
    assert is_inside(root, root)
    monkeypatch.chdir(root)
    assert is_inside(Path("r/a.txt"), Path("."))
    assert not is_inside(Path("r/leak.txt"), Path("."))
    assert is_inside(inside, Path("/"))


SHOWN = [
    # (path, relative to the test folder; shown path, relative to its "content" folder;
    # None: outside it, shown as given)
    ("content/reports/a.txt", "reports/a.txt"),
    ("content/reports/../reports/县/b.txt", "reports/县/b.txt"),
    ("content", "."),
    ("content-other/c.txt", None),
    ("content/link.txt", "link.txt"),  # a link is shown where it stands, not followed
    ("content/x\udcff.txt", "x\\xff.txt"),  # a byte of its name that is not UTF-8
]


@pytest.mark.parametrize(("path", "shown"), SHOWN)
def test_shown_paths_relative_to_the_content_folder(tmp_path: Path, path: str,
                                                    shown: str | None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()
    os.symlink(tmp_path / "elsewhere.txt", tmp_path / "content" / "link.txt")
    monkeypatch.chdir(tmp_path)
    absolute = tmp_path / path
    for given, root in ((absolute, tmp_path / "content"), (Path(path), Path("content"))):
        want = shown if shown is not None else given.as_posix()
        assert reading.display_paths([given, given], root) == [want, want]
        assert reading.display_path(given, root) == want


@pytest.mark.parametrize("name", ["/a/b.txt", "/a//b", "//a", "/a/./b", "/a/../b", "/a/.h",
                                  "/a/b/", "/", "/a/b.", "/a/..b", "/a/b/..", "/县/x.txt"])
def test_a_listed_path_is_taken_as_normalised_only_when_it_is(name: str) -> None:
    assert reading._absolute(name) == os.path.normpath(name)
