"""Which files of the content folder are reports, and in which order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import sources
from generator.errors import UsageError
from generator.sources import find_inputs, find_reports, sidecar_file


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("报告", encoding="utf-8")


def shown(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in find_reports(root)]


def test_reports_in_order_of_their_posix_paths_hidden_and_sidecars_left_out(tmp_path: Path) -> None:
    make(tmp_path, "b/县.txt", "a.TXT", "a/z.txt", "a-b.txt", "b/县.meta.yaml", ".hidden.txt",
         ".git/x.txt", "b/.old/y.txt", "notes.md")
    assert shown(tmp_path) == ["a-b.txt", "a.TXT", "a/z.txt", "b/县.txt"]


def test_a_link_to_a_file_is_listed_a_link_to_a_folder_or_nowhere_is_not(tmp_path: Path) -> None:
    make(tmp_path / "content", "real.txt")
    make(tmp_path / "elsewhere", "inner.txt")
    content = tmp_path / "content"
    os.symlink(content / "real.txt", content / "link.txt")
    os.symlink(tmp_path / "elsewhere", content / "folder-link")
    os.symlink(tmp_path / "missing.txt", content / "broken.txt")
    assert shown(content) == ["link.txt", "real.txt"]


def test_a_folder_that_cannot_be_read_stops_with_its_name(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "ok/a.txt", "locked/b.txt")
    real = os.scandir

    def scandir(path: str) -> object:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    with pytest.raises(UsageError, match="locked"):
        find_reports(tmp_path)


def test_one_file_or_nothing(tmp_path: Path) -> None:
    make(tmp_path, "one.txt", "one.md")
    assert find_reports(tmp_path / "one.txt") == [tmp_path / "one.txt"]
    with pytest.raises(UsageError):
        find_reports(tmp_path / "one.md")
    with pytest.raises(UsageError):
        find_reports(tmp_path / "absent")


def test_sidecars_listed_beside_their_reports_as_the_build_names_them(tmp_path: Path) -> None:
    make(tmp_path, "b/县.txt", "b/县.meta.yaml", "a.txt", "orphan.meta.yaml", "c.x.txt",
         "c.x.meta.yaml", ".h.txt", ".h.meta.yaml")
    found = find_inputs(tmp_path)
    assert found.reports == [str(tmp_path / name) for name in ("a.txt", "b/县.txt", "c.x.txt")]
    assert found.sidecars == {sidecar_file(str(tmp_path / "b/县.txt")),
                              sidecar_file(str(tmp_path / "c.x.txt"))}
    assert all(os.path.isfile(side) for side in found.sidecars)


def test_sidecars_found_under_a_root_given_with_dot_parts(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "r/a.txt", "r/a.meta.yaml")
    monkeypatch.chdir(tmp_path)
    found = find_inputs(Path("./r/"))
    assert found.reports == ["r/a.txt"] == [str(Path(p)) for p in found.reports]
    assert found.sidecars == {sidecar_file(found.reports[0])} == {"r/a.meta.yaml"}
    single = find_inputs(Path("r/a.txt"))
    assert single.reports == ["r/a.txt"] and single.sidecars == {"r/a.meta.yaml"}
