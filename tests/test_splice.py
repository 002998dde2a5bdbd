"""Files of rows spliced from the last build's file (reports.json, the CSV tables) equal
the same files written anew, after any change to the rows; a record that does not hold
makes the file anew; downloads kept in bulk keep the guarantees of single keeps."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.site import datafiles
from generator.site.datafiles import REPORTS_LAYOUT, Layout, Old, OldFile, _old_rows
from generator.site.tree import TreeWriter

CSV = Layout(b"\xef\xbb\xbfslug,a\r\n", b"", b"")
OLD = [f"r{n},{'x' * (n % 7)}\r\n".encode() for n in range(12)]
CHANGES: dict[str, list[bytes | int]] = {
    "same": list(range(12)),
    "one changed": [*range(5), b"r5,changed\r\n", *range(6, 12)],
    "first and last changed": [b"r0,new\r\n", *range(1, 11), b"r11,new\r\n"],
    "one added": [*range(3), b"new,row\r\n", *range(3, 12)],
    "one added at the end": [*range(12), b"new,row\r\n"],
    "one removed": [*range(4), *range(5, 12)],
    "first removed": list(range(1, 12)),
    "reordered": [*range(6, 12), *range(6)],
    "swapped": [1, 0, *range(2, 12)],
    "reversed": list(range(11, -1, -1)),
    "all new": [b"a\r\n", b"b\r\n"],
    "none": [],
}


def rows_bytes(rows: list[bytes | int]) -> list[bytes]:
    return [OLD[r] if isinstance(r, int) else r for r in rows]


def joined(layout: Layout, rows: list[bytes]) -> bytes:
    return layout.head + layout.sep.join(rows) + layout.tail


def record_of(writer: TreeWriter, layout: Layout, rows: list[bytes]) -> dict[str, object]:
    return datafiles._write_rows(writer, "t.csv", layout, len(rows), None, None, iter(rows))


def rewrite(writer: TreeWriter, layout: Layout, rows: list[bytes | int], old: OldFile,
            compare: bool = False) -> dict[str, object]:
    """Write t.csv again: ``rows`` as bytes, or the index of an old row to copy."""
    sources = [r if isinstance(r, int) else None for r in rows]
    fresh = iter([r for r in rows if isinstance(r, bytes)])
    return datafiles._write_rows(writer, "t.csv", layout, len(rows), sources, old, fresh,
                                 compare)


def old_file(record: dict[str, object], layout: Layout) -> OldFile:
    found = datafiles._old_file(record, len(OLD), layout)
    assert found is not None
    return found


@pytest.mark.parametrize("layout", [CSV, REPORTS_LAYOUT], ids=["csv", "json lines"])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_spliced_file_equals_a_fresh_one(tmp_path: Path, layout: Layout, change: str) -> None:
    record = record_of(TreeWriter(tmp_path), layout, OLD)
    assert record["size"] == len(joined(layout, OLD)) == (tmp_path / "t.csv").stat().st_size
    old = old_file(record, layout)
    rows = CHANGES[change]
    for compare in (False, True):
        again = rewrite(TreeWriter(tmp_path), layout, rows, old, compare)
        expected = joined(layout, rows_bytes(rows))
        assert (tmp_path / "t.csv").read_bytes() == expected
        assert again == record_of(TreeWriter(tmp_path / "fresh"), layout, rows_bytes(rows))
        record_of(TreeWriter(tmp_path), layout, OLD)  # back to the old file


def test_runs_of_kept_rows_are_copied_at_once() -> None:
    old = OldFile([10 + 4 * n for n in range(12)], [2] * 12)  # separators of 2 bytes
    sources = [*range(5), None, *range(6, 12)]
    lengths = [-1 if n is None else 2 for n in sources]
    pieces = list(datafiles._pieces(sources, old, iter([b"r5,changed"]), b",\n", lengths))
    assert pieces == [(10, 4 * 4 + 2), b",\n", b"r5,changed", b",\n", (34, 4 * 5 + 2)]
    assert lengths == [2] * 5 + [len(b"r5,changed")] + [2] * 6
    assert list(datafiles._pieces([3, 4, 0, 1], old, iter([]), b",\n", [2] * 4)) == [
        (22, 6), b",\n", (10, 6)]
    with pytest.raises(RuntimeError):
        list(datafiles._pieces([0, None], old, iter([]), b",\n", [2, -1]))


def test_an_unchanged_table_is_kept(tmp_path: Path) -> None:
    old = old_file(record_of(TreeWriter(tmp_path), CSV, OLD), CSV)
    file = tmp_path / "t.csv"
    os.utime(file, ns=(1, 1))
    writer = TreeWriter(tmp_path)
    rewrite(writer, CSV, [*range(5), OLD[5], *range(6, 12)], old, compare=True)
    assert (writer.stats.written, writer.stats.unchanged) == (0, 1)
    assert file.stat().st_mtime_ns == 1
    rewrite(TreeWriter(tmp_path), CSV, CHANGES["swapped"], old, compare=True)
    assert file.stat().st_mtime_ns != 1


def state_for(tmp_path: Path) -> tuple[dict[str, object], dict[str, object]]:
    """A record of reports.json as the last build left it, and its manifest."""
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    record = datafiles._write_rows(TreeWriter(tmp_path), datafiles.ALL_REPORTS, REPORTS_LAYOUT,
                                   len(OLD), None, None, iter(OLD))
    state = {"format": datafiles.LINES_FORMAT, "tag": "t", "slugs": [f"s{n}" for n in range(12)],
             "lines": [f"k{n}" for n in range(12)], "files": {datafiles.ALL_REPORTS: record}}
    return state, {datafiles.ALL_REPORTS: "t"}


def test_a_record_that_holds_is_taken(tmp_path: Path) -> None:
    state, manifest = state_for(tmp_path)
    old = _old_rows(state, manifest, tmp_path)
    assert list(old.files) == [datafiles.ALL_REPORTS]
    assert old.index == {f"k{n}": n for n in range(12)}
    tags = ["k3", "k4", "new", "k0", ""]
    assert old.sources(datafiles.ALL_REPORTS, tags) == [3, 4, None, 0, None]
    assert old.sources(datafiles.ALL_REPORTS, tags, ["s3", "x", "s2", "s0", "s1"]) == [
        3, None, None, 0, None]
    assert old.sources(datafiles.APPLICATIONS_CSV, tags) is None


def damage(state: dict[str, object], manifest: dict[str, object], root: Path,
           how: str) -> None:
    files = state["files"]
    assert isinstance(files, dict)
    record = files[datafiles.ALL_REPORTS]
    if how == "file longer":
        with open(root / datafiles.ALL_REPORTS, "ab") as handle:
            handle.write(b" ")
    elif how == "file gone":
        (root / datafiles.ALL_REPORTS).unlink()
    elif how == "size not adding up":
        record["lengths"][0] += 1
    elif how == "malformed length":
        record["lengths"][3] = "7"
    elif how == "negative length":
        record["lengths"][3] = -1
    elif how == "rows missing":
        record["lengths"].pop()
    elif how == "no record":
        del files[datafiles.ALL_REPORTS]
    elif how == "other format":
        state["format"] = "1"
    elif how == "other manifest":
        manifest[datafiles.ALL_REPORTS] = "u"
    elif how == "slugs not strings":
        state["slugs"] = list(range(12))


@pytest.mark.parametrize("how", [
    "file longer", "file gone", "size not adding up", "malformed length", "negative length",
    "rows missing", "no record", "other format", "other manifest", "slugs not strings"])
def test_a_record_that_does_not_hold_makes_the_file_anew(tmp_path: Path, how: str) -> None:
    state, manifest = state_for(tmp_path)
    damage(state, manifest, tmp_path, how)
    assert _old_rows(state, manifest, tmp_path).files == Old().files


def test_keep_present_keeps_files_there_only(tmp_path: Path) -> None:
    for name in ("a/x.json", "a/y.json", "b\\c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("1")
    writer = TreeWriter(tmp_path)
    assert writer.keep_present(["a/x.json", "a//y.json", "../a/y.json", "a/z.json"]) == {
        "a/x.json"}
    assert writer.stats.unchanged == 1
    with pytest.raises(UsageError):
        writer.keep_present(["a/x.json"])  # kept already
    with pytest.raises(UsageError):
        TreeWriter(tmp_path).keep_present(["a/x.json", "a/y.json", "a/x.json"])
    with pytest.raises(UsageError):
        TreeWriter(tmp_path).keep_present(["b\\c.txt"])


def test_prune_deletes_files_not_written_and_the_folders_left_empty(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for name in ("a/kept.md", "a/gone.md", "b/c/gone.md", "b/c/d/gone.md", "e/f/kept.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "empty" / "inner").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    writer = TreeWriter(root)
    assert writer.keep_present(["a/kept.md", "e/f/kept.md"]) == {"a/kept.md", "e/f/kept.md"}
    writer.prune()
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert left == ["a", "a/kept.md", "e", "e/f", "e/f/kept.md", "link"]
    assert writer.stats.deleted == 3


def test_the_file_a_splice_replaces_is_never_written_over(tmp_path: Path) -> None:
    """The site hard-links the downloads, and a server may still be sending the old file:
    a splice writes a new file, and every other name of the old one keeps its bytes."""
    root = tmp_path / "docs"
    target = root / "data" / "t.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old bytes")
    published = tmp_path / "site.json"
    os.link(target, published)
    TreeWriter(root).write_spliced("data/t.json", [b"new ", (4, 5)])
    TreeWriter(root).write_spliced("data/t.json", [b"newer ", (4, 5)])
    assert published.read_bytes() == b"old bytes" and published.stat().st_nlink == 1
    assert target.read_bytes() == b"newer bytes"
    TreeWriter(root).write_spliced("data/t.json", [(6, 5), b"!" * 3, (0, 2)])  # any order
    assert target.read_bytes() == b"bytes!!!ne"
    assert sorted(p.name for p in target.parent.iterdir()) == ["t.json"]


def test_a_splice_is_in_place_only_once_its_second_half_ran(tmp_path: Path) -> None:
    """start_splice writes the new bytes and notes the ranges; the file there stays the
    old one until the returned half (run here in another thread) copies and renames."""
    root = tmp_path / "docs"
    target = root / "data" / "t.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"0123456789")
    writer = TreeWriter(root)
    finish = writer.start_splice("data/t.json", [(8, 2), b"-", (0, 3), b"+"])
    assert target.read_bytes() == b"0123456789"
    assert writer.kept == {"data/t.json"} and writer.stats.written == 1
    with ThreadPoolExecutor(1) as pool:
        pool.submit(finish).result()
    assert target.read_bytes() == b"89-012+"
    assert sorted(p.name for p in target.parent.iterdir()) == ["t.json"]


def test_a_splice_without_the_file_to_copy_from_fails_in_its_second_half(
        tmp_path: Path) -> None:
    finish = TreeWriter(tmp_path).start_splice("t.json", [b"x", (0, 3)])
    with pytest.raises(OSError, match="no file to copy from"):
        finish()
    assert not (tmp_path / "t.json").exists()


def test_a_streamed_file_is_kept_when_its_bytes_are_the_same(tmp_path: Path) -> None:
    """write_stream keeps a file holding the same bytes (its inode and time unchanged) and
    replaces one of other bytes, of the same size or not."""
    target = tmp_path / "t.json"
    TreeWriter(tmp_path).write_stream("t.json", iter([b"abc", b"def"]))
    before = target.stat()
    same = TreeWriter(tmp_path)
    same.write_stream("t.json", iter([b"ab", b"cdef"]))
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (same.stats.unchanged, same.stats.written) == (1, 0)
    for chunks in ([b"abcdeg"], [b"abc"]):
        other = TreeWriter(tmp_path)
        other.write_stream("t.json", iter(chunks))
        assert target.read_bytes() == b"".join(chunks) and other.stats.written == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]
