"""Finding report files under the content folder, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import UsageError

REPORT_SUFFIXES = (".txt",)


def find_reports(root: Path) -> list[Path]:
    """Every report file under ``root`` (or ``root`` itself), sorted by path.

    Sidecars (``*.meta.yaml``) and hidden files and folders (names starting with
    ``.``) are not reports. The order compares the POSIX form of the relative paths,
    so it is the same on every machine. A symbolic link is listed like a file: the
    reading stage refuses one that points outside the content folder, with a
    finding, so the report still gets its page.
    """
    if root.is_file():
        if root.suffix.lower() not in REPORT_SUFFIXES:
            raise UsageError(f"{root}: 不是报告文件（应为 .txt）")
        return [root]
    if not root.is_dir():
        raise UsageError(f"{root}: 没有这个文件或文件夹")
    found = sorted((rel, path) for rel, path in files_under(str(root), hidden=False)
                   if os.path.splitext(rel)[1].lower() in REPORT_SUFFIXES)
    return [Path(path) for _, path in found]


def files_under(top: str, hidden: bool = True, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(relative POSIX path, path) of every file under the folder ``top``, in no set order.

    ``os.scandir`` tells files from folders without a ``stat`` per file (a symbolic link
    is followed to see what it points to, as ``os.path.isfile`` does; a folder behind a
    link is not entered, a link that points nowhere is not a file). ``hidden=False``:
    files and folders whose names start with ``.`` are left out. A folder that cannot be
    read raises :class:`UsageError` naming it: what it holds would otherwise be left out
    without a word."""
    try:
        with os.scandir(top) as entries:
            items = list(entries)
    except OSError as exc:
        raise UsageError(f"{top}: 无法读取文件夹（{exc.strerror}）") from exc
    for entry in items:
        name = entry.name
        if not hidden and name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from files_under(entry.path, hidden, f"{prefix}{name}/")
        elif entry.is_file():
            yield prefix + name, entry.path
