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
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):  # links to folders not followed
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        folder = Path(dirpath)
        inner = folder.relative_to(root).as_posix()
        prefix = "" if inner == "." else inner + "/"
        for name in filenames:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in REPORT_SUFFIXES:
                continue
            path = folder / name
            if path.is_file():
                found.append((prefix + name, path))
    return [path for _, path in sorted(found)]
