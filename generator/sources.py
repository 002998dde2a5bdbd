"""Finding report files under the content folder, in a stable order."""

from __future__ import annotations

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
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.suffix.lower() not in REPORT_SUFFIXES or not path.is_file():
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        found.append((rel.as_posix(), path))
    return [path for _, path in sorted(found)]
