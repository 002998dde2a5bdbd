"""Finding report files under the content folder, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError

REPORT_SUFFIXES = (".txt",)
SIDECAR_SUFFIX = ".meta.yaml"
"""A report ``x.txt``'s sidecar is ``x.meta.yaml`` beside it (:mod:`generator.parsing.sidecar`)."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """What :func:`find_inputs` found."""

    reports: list[str]
    """Every report file, sorted as :func:`find_reports` sorts them; spelled as ``Path``
    spells them (the listing joins the names to ``str(root)``), with no ``Path`` made for
    each (10,000 of them cost a build's discovery half its time)."""
    sidecars: frozenset[str]
    """The sidecars that stood beside them, as :func:`sidecar_file` of the report's path
    names them: the build knows which reports have one without a ``stat`` for each."""


def sidecar_file(report: str) -> str:
    """Where the sidecar of the report at ``report`` stands (``x.txt`` -> ``x.meta.yaml``)."""
    return os.path.splitext(report)[0] + SIDECAR_SUFFIX


def find_reports(root: Path) -> list[Path]:
    """Every report file under ``root`` (or ``root`` itself), sorted by path
    (:func:`find_inputs`)."""
    return [Path(path) for path in find_inputs(root).reports]


def find_inputs(root: Path) -> Inputs:
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
        side = sidecar_file(str(root))
        return Inputs([str(root)], frozenset([side] if os.path.isfile(side) else []))
    if not root.is_dir():
        raise UsageError(f"{root}: 没有这个文件或文件夹")
    found: list[tuple[str, str]] = []
    sidecars: set[str] = set()
    for rel, path in files_under(str(root), hidden=False):
        if rel.endswith(SIDECAR_SUFFIX):
            sidecars.add(path)
        elif os.path.splitext(rel)[1].lower() in REPORT_SUFFIXES:
            found.append((rel, path))
    found.sort()
    reports = [path for _, path in found]
    if not sidecars:
        return Inputs(reports, frozenset())
    return Inputs(reports, frozenset(side for side in map(sidecar_file, reports)
                                     if side in sidecars))


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
