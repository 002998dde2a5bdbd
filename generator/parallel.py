"""Parsing many reports on every core, results in input order, with progress."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from generator.model import Report
from generator.pipeline import load_guarded

CHUNK = 32
PROGRESS_EVERY = 2.0


def _load(args: tuple[Path, Path | None]) -> Report:
    return load_guarded(*args)[0]


def load_reports(files: Sequence[Path], root: Path | None, jobs: int = 0,
                 progress: TextIO | None = None) -> list[Report]:
    """``load_report`` for every file; parallel when there are many and ``jobs`` != 1."""
    workers = jobs or os.cpu_count() or 1
    work = [(f, root) for f in files]
    if workers == 1 or len(files) < 2 * CHUNK:
        results = (_load(w) for w in work)
        return _collect(results, len(work), progress)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return _collect(pool.map(_load, work, chunksize=CHUNK), len(work), progress)


def _collect(results: object, count: int, progress: TextIO | None) -> list[Report]:
    out: list[Report] = []
    last = time.monotonic()
    for report in results:  # type: ignore[attr-defined]
        out.append(report)
        now = time.monotonic()
        if progress is not None and now - last >= PROGRESS_EVERY:
            progress.write(f"解析 {len(out)}/{count} …\n")
            progress.flush()
            last = now
    return out
