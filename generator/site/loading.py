"""Parse every report, in parallel, through the cache; results keep the input order.

A report comes as its summary and CSV rows only, from the cache or from the worker that
parsed it; its full data stays in its cache entry until a page or download needs it (the
render and write workers read it there: it never goes through a pipe, nor stays in this
process's memory).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.checking.duplicates import CODE as DUPLICATE
from generator.checking.duplicates import mark_duplicates
from generator.parallel import ordered_map, worker_count
from generator.pipeline import INTERNAL_ERROR, load_guarded, read_inputs
from generator.reading import SourceText, display_paths
from generator.site.cache import (
    Loaded,
    ParseCache,
    checked_report,
    compact_json,
    entry_path,
    entry_to_bytes,
    input_key,
    loaded_from_index,
    store_entry,
    stored_index,
)
from generator.site.csvrows import report_csv_rows
from generator.sources import sidecar_file

INLINE_LIMIT = 4
"""At most this many reports to parse: parse them in this process, no worker pool."""

Tick = Callable[[int, int], None]
"""Progress callback: (done, total)."""


@dataclass(slots=True)
class LoadStats:
    """What loading did: how many reports came from the cache, how many were parsed."""

    total: int = 0
    cached: int = 0
    parsed: int = 0
    crashed: list[str] = field(default_factory=list)
    """Shown paths of reports whose parse raised (each has an error finding)."""


def decoded_text(source: SourceText | None) -> str | None:
    """The report's text as decoded for parsing, lines joined by LF; ``None`` if undecodable."""
    if source is None or source.error is not None:
        return None
    lines = source.lines
    return "\n".join(lines) + "\n" if lines else ""


Job = tuple[str, str, str, str, str, bool]
"""A report for a worker, as strings so that it pickles cheaply: (report path, content
root, shown path, its cache key or "" when it must be hashed, cache folder, whether a
stored entry may be taken)."""


def resolve_one(job: Job) -> tuple[str, bytes, bool]:
    """In a worker: the cache key of one report (its bytes hashed here when the parent did
    not know it), then its entry: taken from the cache when stored and allowed, else parsed
    and stored. Returns (key, the entry's index line as stored, whether it was parsed). Bytes read
    for the key are the ones parsed: the report and its sidecar are read once.

    Only the index line (summary and CSV rows, a thirtieth of the entry) goes back to the
    parent; the rest is read from the file by whichever worker needs it. The CSV rows are
    made here too, from the report's JSON form, so the parent never decodes the report.
    """
    path, root, shown, key, folder, reuse = job
    report_path = Path(path)
    given = None
    if not key:
        given = read_inputs(report_path)
        key = input_key(given, shown)
    file = entry_path(folder, key)
    index = stored_index(file, key) if reuse else None
    if index is not None:
        return key, index, False
    report, source = load_guarded(report_path, Path(root), given)
    data, index = entry_to_bytes(report, decoded_text(source))
    store_entry(file, data)
    return key, index, True


def _resolve_all(jobs: list[Job], workers: int) -> Iterator[tuple[str, bytes, bool]]:
    """Results of :func:`resolve_one` for ``jobs``, in input order."""
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    return ordered_map(resolve_one, jobs, workers, inline_below=INLINE_LIMIT + 1, chunk=chunk)


def load_reports(paths: Sequence[Path | str], root: Path, cache: ParseCache, jobs: int,
                 tick: Tick, sidecars: Collection[str] | None = None
                 ) -> tuple[list[Loaded], LoadStats]:
    """Every report of ``paths`` (same order), from the cache where it has them.
    ``sidecars``: the sidecars there are (:attr:`generator.sources.Inputs.sidecars`), when
    the caller listed them (else each is looked for).

    A file whose size, times and inode are as the last build saw them is looked up here
    by the key it had then; every other file goes to the workers, which hash it (so a cold
    build reads no report in this process) and take its stored entry or parse it.
    Reports of one agency and year are then marked as duplicates (a finding across
    reports, so never cached).
    """
    stats = LoadStats(total=len(paths))
    shown = display_paths(paths, root)
    names = [os.fspath(p) for p in paths]
    known = [cache.known(name, s, _has_sidecar(name, sidecars))
             for name, s in zip(names, shown, strict=True)]
    results: list[Loaded | None] = [None if key is None else cache.get(key) for _, key in known]
    misses = [i for i, r in enumerate(results) if r is None]
    hits = stats.total - len(misses)
    tick(hits, stats.total)
    folder = str(cache.folder)
    work: list[Job] = [(names[i], str(root), shown[i], known[i][1] or "", folder,
                        cache.enabled and known[i][1] is None) for i in misses]
    for done, (i, (key, index, parsed)) in enumerate(
            zip(misses, _resolve_all(work, worker_count(jobs)), strict=True), 1):
        file = cache.found(shown[i], known[i][0], key, index)
        loaded = loaded_from_index(index, key, file)
        if any(f.code == INTERNAL_ERROR for f in loaded.summary.findings):
            stats.crashed.append(loaded.summary.source.path)
        stats.parsed += parsed
        results[i] = loaded
        tick(hits + done, stats.total)
    stats.cached = stats.total - stats.parsed
    kept = [r for r in results if r is not None]
    mark_duplicates([item.summary for item in kept])
    for item in kept:
        if any(f.code == DUPLICATE for f in item.summary.findings):
            refresh(item)
    return kept, stats


def _has_sidecar(name: str, sidecars: Collection[str] | None) -> bool | None:
    """Whether the report ``name`` has a sidecar, by the listing ``sidecars`` (``None``
    without one)."""
    if sidecars is None:
        return None
    return bool(sidecars) and sidecar_file(name) in sidecars


def refresh(item: Loaded) -> None:
    """After a check across reports added findings to ``item``'s summary: its CSV rows
    and key anew, its JSON to be made from the full data with them.

    The keys then name the content (and the summary) with the added findings, so pages and
    downloads made from the old ones are not taken for current (they compare keys).
    """
    item.csv = report_csv_rows(checked_report(item))
    item.checked = True
    findings = compact_json([f.to_dict() for f in item.summary.findings]).encode(
        "utf-8", "surrogatepass")
    item.key = "checked-" + hashlib.sha256(item.key.encode() + b"\0" + findings).hexdigest()
    digest = hashlib.sha256(item.summary_key.encode() + b"\0" + findings)
    item.summary_key = "checked-" + digest.hexdigest()
