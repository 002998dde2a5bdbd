"""Find the report files of a content folder."""

from __future__ import annotations

from pathlib import Path

REPORT_SUFFIX = ".txt"
"""Report files end in this; their optional sidecar is ``NAME.meta.yaml``."""


def discover_reports(reports_dir: Path) -> list[Path]:
    """Every ``*.txt`` under ``reports_dir`` (any depth), sorted by relative path.

    Hidden files and folders (names starting with ``.``) are skipped, so editor
    and version-control leftovers never become reports. The order is the same on
    every machine: it compares the POSIX form of the relative paths.
    """
    found: list[tuple[str, Path]] = []
    for path in reports_dir.rglob("*" + REPORT_SUFFIX):
        rel = path.relative_to(reports_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        found.append((rel.as_posix(), path))
    return [path for _, path in sorted(found)]

