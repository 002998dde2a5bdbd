"""Finding report files under the content folder, in a stable order."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError

REPORT_SUFFIXES = (".txt",)


def find_reports(root: Path) -> list[Path]:
    """Every report file under ``root`` (or ``root`` itself), sorted by path.

    Sidecars (``*.meta.yaml``) and hidden files are not reports. Symbolic links
    are not followed out of the folder.
    """
    if root.is_file():
        if root.suffix.lower() not in REPORT_SUFFIXES:
            raise UsageError(f"{root}: 不是报告文件（应为 .txt）")
        return [root]
    if not root.is_dir():
        raise UsageError(f"{root}: 没有这个文件或文件夹")
    found = [p for p in root.rglob("*")
             if p.suffix.lower() in REPORT_SUFFIXES and p.is_file() and not p.is_symlink()
             and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())
