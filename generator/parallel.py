"""Work on every core: one ordered map over worker processes, used by every stage.

Workers are forked where the platform allows (Linux): they inherit the parent's
loaded modules and data (the site's catalog, when rendering) without pickling it,
and spawning would re-run ``python -m generator``'s ``__main__`` in every worker.
Results come back in input order, so the output never depends on scheduling.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

from generator.model import Report
from generator.pipeline import load_guarded

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 32
PROGRESS_EVERY = 2.0


def worker_count(jobs: int) -> int:
    """``jobs``, or one per core when it is 0."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def ordered_map(func: Callable[[T], R], items: Sequence[T], workers: int,
                inline_below: int = 2 * CHUNK, chunk: int | None = None) -> Iterator[R]:
    """``map(func, items)``, on ``workers`` processes when there are at least
    ``inline_below`` items (else in this process), results in input order.

    ``func`` must be a module-level function; with forked workers it sees the module
    globals as they were when this was called.
    """
    if workers <= 1 or len(items) < inline_below:
        yield from map(func, items)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    size = chunk or max(1, min(CHUNK, len(items) // (workers * 8)))
    gc.freeze()  # forked workers leave the parent's objects alone (no collection, no copy)
    try:
        context = multiprocessing.get_context(method)
        with QuietPool(workers, initializer=gc.enable, context=context) as pool:
            yield from pool.imap(func, items, chunksize=size)
    finally:
        gc.unfreeze()


class QuietPool(multiprocessing.pool.Pool):
    """A process pool whose worker-handler thread sleeps until a worker exits or the pool
    changes state (closed, terminated, its last task done).

    CPython's (3.8 and later) also wakes up whenever a result waits in the result pipe,
    and so spins, polling its workers, until the result-handler thread has read it: with
    two busy workers it burnt about 0.4 to 0.9 s of the parent's CPU (and the GIL) over
    22,000 rendered pages, for nothing. Every change it must notice is signalled on its
    change notifier too (``_PoolCache`` when the last task is done, ``close``,
    ``terminate``), and each worker's exit on the worker's sentinel.
    """

    def _get_sentinels(self) -> list[Any]:
        """What the worker handler waits on besides the workers: the change notifier only
        (the pool's own method adds the result pipe)."""
        notifier = getattr(self, "_change_notifier", None)
        if notifier is None:  # not the pool this was written for: its own sentinels
            sentinels: list[Any] = super()._get_sentinels()  # type: ignore[misc]
            return sentinels
        return [notifier._reader]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection in this process for the ``with`` body.

    Loading ten thousand reports makes millions of objects, and Python's collector
    walks all of them again and again while they accumulate (a fifth of a rebuild's
    time); they hold no cycles worth collecting until the build ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _load(args: tuple[Path, Path | None]) -> Report:
    return load_guarded(*args)[0]


def load_reports(files: Sequence[Path], root: Path | None, jobs: int = 0,
                 progress: TextIO | None = None) -> list[Report]:
    """``load_report`` for every file; parallel when there are many and ``jobs`` != 1."""
    work = [(f, root) for f in files]
    return _collect(ordered_map(_load, work, worker_count(jobs)), len(work), progress)


def _collect(results: Iterable[Report], count: int, progress: TextIO | None) -> list[Report]:
    out: list[Report] = []
    last = time.monotonic()
    for report in results:
        out.append(report)
        now = time.monotonic()
        if progress is not None and now - last >= PROGRESS_EVERY:
            progress.write(f"解析 {len(out)}/{count} …\n")
            progress.flush()
            last = now
    return out
