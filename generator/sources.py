"""Finding report files under the content folder, in a stable order."""

from __future__ import annotations

import os
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
    found: list[tuple[str, str]] = []
    _walk(str(root), "", found)
    return [Path(path) for _, path in sorted(found)]


def _walk(folder: str, prefix: str, found: list[tuple[str, str]]) -> None:
    """Add (relative POSIX path, path) of every report under ``folder`` to ``found``.

    ``os.scandir`` tells files from folders without a ``stat`` per file (a symbolic link
    is followed to see what it points to; one to a folder is not entered, one that
    points nowhere is not a file). A folder that cannot be read stops the build with
    :class:`UsageError`: its reports would otherwise be left out without a word."""
    try:
        with os.scandir(folder) as entries:
            items = list(entries)
    except OSError as exc:
        raise UsageError(f"{folder}: 无法读取文件夹（{exc.strerror}）") from exc
    for entry in items:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, prefix + name + "/", found)
        elif (os.path.splitext(name)[1].lower() in REPORT_SUFFIXES
              and entry.is_file()):
            found.append((prefix + name, entry.path))
