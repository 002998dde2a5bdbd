"""Parse every report, in parallel, through the cache; results keep the input order.

A report comes as its summary and CSV rows only, from the cache or from the worker that
parsed it; its full data stays in its cache entry until a page or download needs it (the
render and write workers read it there: it never goes through a pipe, nor stays in this
process's memory).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.checking.duplicates import CODE as DUPLICATE
from generator.checking.duplicates import mark_duplicates
from generator.parallel import ordered_map, worker_count
from generator.pipeline import INTERNAL_ERROR, load_guarded
from generator.reading import SourceText, display_path
from generator.site.cache import (
    Loaded,
    ParseCache,
    checked_report,
    compact_json,
    entry_to_json,
    loaded_from_index,
    store_entry,
)
from generator.site.csvrows import csv_rows

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


def parse_one(job: tuple[str, str, str]) -> str:
    """Parse one report (in a worker), store its cache entry and return the entry's index
    line (summary and CSV rows, a thirtieth of the entry: the rest is read from the file
    by whichever worker needs it).

    ``job`` is (report path, content root, cache entry file), as strings so that it
    pickles cheaply. The CSV rows are made here too, from the report's JSON form,
    so the parent process never decodes the report.
    """
    report, source = load_guarded(Path(job[0]), Path(job[1]))
    raw = entry_to_json(report, decoded_text(source))
    store_entry(job[2], raw)
    return raw[:raw.index("\n")]


def _parse_all(jobs: list[tuple[str, str, str]], workers: int) -> Iterator[str]:
    """Results of :func:`parse_one` for ``jobs``, in input order."""
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    return ordered_map(parse_one, jobs, workers, inline_below=INLINE_LIMIT + 1, chunk=chunk)


def load_reports(paths: Sequence[Path], root: Path, cache: ParseCache, jobs: int,
                 tick: Tick) -> tuple[list[Loaded], LoadStats]:
    """Every report of ``paths`` (same order), from the cache where it has them.

    Reports of one agency and year are then marked as duplicates (a finding across
    reports, so never cached).
    """
    stats = LoadStats(total=len(paths))
    keys = [cache.key(p, display_path(p, root)) for p in paths]
    results: list[Loaded | None] = [cache.get(k) for k in keys]
    misses = [i for i, r in enumerate(results) if r is None]
    stats.cached = stats.total - len(misses)
    tick(stats.cached, stats.total)
    files = {i: cache.claim(keys[i]) for i in misses}
    jobs_in = [(str(paths[i]), str(root), str(files[i])) for i in misses]
    parsed = _parse_all(jobs_in, worker_count(jobs))
    for done, (i, index) in enumerate(zip(misses, parsed, strict=True), 1):
        loaded = loaded_from_index(index, keys[i], files[i])
        cache.index.note(keys[i], index)
        if any(f.code == INTERNAL_ERROR for f in loaded.summary.findings):
            stats.crashed.append(loaded.summary.source.path)
        results[i] = loaded
        tick(stats.cached + done, stats.total)
    stats.parsed = len(misses)
    kept = [r for r in results if r is not None]
    mark_duplicates([item.summary for item in kept])
    for item in kept:
        if any(f.code == DUPLICATE for f in item.summary.findings):
            refresh(item)
    return kept, stats


def refresh(item: Loaded) -> None:
    """After a check across reports added findings to ``item``'s summary: its CSV rows
    and key anew, its JSON to be made from the full data with them.

    The keys then name the content (and the summary) with the added findings, so pages and
    downloads made from the old ones are not taken for current (they compare keys).
    """
    item.csv = csv_rows(checked_report(item).to_dict())
    item.checked = True
    findings = compact_json([f.to_dict() for f in item.summary.findings]).encode(
        "utf-8", "surrogatepass")
    item.key = "checked-" + hashlib.sha256(item.key.encode() + b"\0" + findings).hexdigest()
    digest = hashlib.sha256(item.summary_key.encode() + b"\0" + findings)
    item.summary_key = "checked-" + digest.hexdigest()
