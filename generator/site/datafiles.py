"""Downloads: one JSON file per report, all reports in one file, CSV tables, original texts.

Everything here is plain data, never HTML. JSON is UTF-8 without a byte-order mark
(as JSON requires); CSV and the original texts start with one, so spreadsheet
programs and browsers that get no charset from the server still read them as UTF-8.

A rebuild does not make a report's files again when its parse-cache key (which
covers its bytes, its sidecar and the parser version) is the one they were made
from: ``build/outputs.json`` remembers that for every file. Many reports' files are
written by worker processes, each reading the data where it is (memory or cache entry).
``reports.json`` is spliced from the last build's file (``build/reports-lines.json``
records where each report's line is); the CSV rows come with each report's summary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator import jsoncodec
from generator.parallel import ordered_map, worker_count
from generator.site.cache import Loaded, entry_parts, original, published_json
from generator.site.csvrows import (
    KEY_FIGURE_PATHS,
    SEVERITIES,
    application_paths,
    csv_header,
    csv_line,
)
from generator.site.tree import TreeWriter, read_state

ALL_REPORTS = "data/reports.json"
APPLICATIONS_CSV = "data/applications.csv"
KEY_FIGURES_CSV = "data/key-figures.csv"
AGGREGATES = (ALL_REPORTS, APPLICATIONS_CSV, KEY_FIGURES_CSV)
OUTPUT_FORMAT = "3"
"""Bumped whenever the form of a download changes, so every file is made again."""
MANIFEST = "outputs.json"
"""In the build folder: download path -> what it was made from."""
LINES_FILE = "reports-lines.json"
"""In the build folder: what each line of reports.json was made from (kept lines)."""

UNDECODABLE_NOTE = "（此文件无法解码为文本，原文未能显示。请查看该报告页面上的说明。）\n"


BOM = "\ufeff".encode()


def report_json(compact: bytes) -> bytes:
    """One report as published: its ``to_dict`` form, keys in schema order, on one line
    (as the parse cache holds it; browsers show JSON files laid out anyway), UTF-8."""
    return compact + b"\n"


def original_text(text: bytes | None) -> bytes:
    """The decoded original text (UTF-8), or a note when it could not be decoded; with
    the byte-order mark."""
    return BOM + (text if text is not None else UNDECODABLE_NOTE.encode("utf-8"))


def load_manifest(path: Path) -> dict[str, str]:
    """What each download was made from, as recorded by the last build (empty if none)."""
    return {str(k): str(v) for k, v in read_state(path).items()}


def _aggregate_tag(items: Sequence[tuple[str, Loaded]]) -> str:
    digest = hashlib.sha256(OUTPUT_FORMAT.encode())
    for slug, item in items:
        digest.update(f"{slug}\0{item.key}\n".encode())
    return digest.hexdigest()


def write_data_files(writer: TreeWriter, loaded: Sequence[Loaded], slugs: Mapping[str, str],
                     json_path: Callable[[str], str], text_path: Callable[[str], str],
                     manifest: Path, jobs: int = 1) -> None:
    """Write every download of the site into ``writer``'s tree; record what they came from.
    ``jobs``: processes writing the files of single reports (0: one per core); they also
    make the lines of ``reports.json`` that cannot be copied from the last build's file,
    as they read each report's data for its own files anyway."""
    before = load_manifest(manifest)
    after: dict[str, str] = {}
    items = [(slugs[item.summary.source.path], item) for item in loaded]
    tag = _aggregate_tag(items)
    keep_all = all(before.get(rel) == tag and (writer.root / rel).is_file() for rel in AGGREGATES)
    lines_file = manifest.with_name(LINES_FILE)
    state: Mapping[str, Any] = {}
    kept: dict[str, tuple[int, int]] = {}
    if not keep_all:
        state = read_state(lines_file)
        if before.get(ALL_REPORTS) is None or state.get("tag") != before.get(ALL_REPORTS):
            state = {}  # not a record of the files there
        kept = _kept_spans(writer.root / ALL_REPORTS, state)
    todo: list[Job] = []
    for n, (slug, item) in enumerate(items):
        line_tag = f"{OUTPUT_FORMAT}:{item.key}"
        rel_json, rel_text = json_path(slug), text_path(slug)
        job = (n, "" if item.key and _unchanged(writer, before, rel_json, line_tag) else rel_json,
               "" if item.key and _unchanged(writer, before, rel_text, line_tag) else rel_text,
               not keep_all and not (item.key and line_tag in kept))
        if job[1] or job[2] or job[3]:
            todo.append(job)
        after[rel_json] = after[rel_text] = line_tag
    fresh = _write_reports(writer, todo, [item for _, item in items], jobs)
    if keep_all:
        for _ in fresh:  # the downloads of single reports are written as this runs
            pass
        for rel in AGGREGATES:
            writer.keep(rel)
    else:
        spans = _write_all_reports(writer, items, kept, fresh)
        digests = _write_tables(writer, items, state.get("digests"))
        _save_lines(lines_file, tag, items, spans, digests)
    after.update(dict.fromkeys(AGGREGATES, tag))
    manifest.write_text(jsoncodec.dumps(after, sort_keys=True) + "\n", encoding="utf-8")


PARALLEL_FROM = 400
"""Fewer reports' files to write than this: write them in this process."""
CHUNK = 64
"""Reports a worker writes the files of at a time."""
Job = tuple[int, str, str, bool]
"""A report's files to write: (its index, JSON path or "", text path or "", whether its line
of ``reports.json`` is wanted)."""
_items: Sequence[Loaded] = ()
_root: Path | None = None
"""What the workers of :func:`_write_reports` write from and to (set before they fork)."""


def _write_reports(writer: TreeWriter, todo: Sequence[Job],
                   items: Sequence[Loaded], jobs: int) -> Iterator[tuple[int, bytes]]:
    """Write the JSON and text files named in ``todo``, in worker processes when there are
    many (the data is read from memory or the cache entries there); yields (index, line) of
    every wanted ``reports.json`` line, in order, as the workers send them back. The
    files of a chunk are claimed in ``writer`` as its results come in."""
    global _items, _root
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    _items, _root = items, writer.root
    try:
        inline = PARALLEL_FROM // CHUNK + 1
        for chunk, (paths, written, lines) in zip(
                chunks, ordered_map(_write_chunk, chunks, worker_count(jobs), inline),
                strict=True):
            writer.claimed(paths, written)
            yield from zip((job[0] for job in chunk if job[3]), lines, strict=True)
    finally:
        _items, _root = (), None


def _write_chunk(chunk: Sequence[Job]) -> tuple[list[str], int, list[bytes]]:
    """Write one chunk of :func:`_write_reports`; the paths written, how many changed, and
    the wanted lines of ``reports.json``."""
    assert _root is not None
    writer = TreeWriter(_root)
    lines: list[bytes] = []
    for n, rel_json, rel_text, line in chunk:
        item = _items[n]
        parts = entry_parts(item)  # the entry is read once for all three
        if rel_json or line:
            whole, bulk = published_json(item, parts)
            if rel_json:
                writer.write(rel_json, report_json(whole))
            if line:
                lines.append(bulk)
        if rel_text:
            writer.write(rel_text, original_text(original(item, parts)))
    return sorted(writer.kept), writer.stats.written, lines


def _unchanged(writer: TreeWriter, before: Mapping[str, str], rel: str, tag: str) -> bool:
    """Keep ``rel`` if the last build made it from ``tag`` and it is still there."""
    return before.get(rel) == tag and writer.keep(rel)


def _write_all_reports(writer: TreeWriter, items: Sequence[tuple[str, Loaded]],
                       kept: Mapping[str, tuple[int, int]],
                       fresh: Iterator[tuple[int, bytes]]) -> list[tuple[int, int]]:
    """reports.json: a JSON array, one report per line (compact JSON without ``lines``,
    the file ending in a newline); returns
    where each report's line is in it ((offset, length), for the next build).

    A report's line is copied from the last build's file when it was made from the same
    key (``kept``: where it is there), so a rebuild reads the JSON of changed reports only
    and copies the rest in the kernel; every other line comes from ``fresh`` ((index, line),
    in order, one for each of them).
    """
    spans: list[tuple[int, int]] = []
    position = 1

    def pieces() -> Iterator[bytes | tuple[int, int]]:
        nonlocal position
        yield b"["
        for n, (_, item) in enumerate(items):
            yield b",\n" if n else b"\n"
            position += 2 if n else 1
            span = kept.get(f"{OUTPUT_FORMAT}:{item.key}") if item.key else None
            if span is None:
                index, line = next(fresh)
                if index != n:
                    raise RuntimeError(f"reports.json: line of report {index} came for {n}")
                span = (position, len(line))
                yield line
            else:
                yield span
            spans.append((position, span[1]))
            position += span[1]
        yield b"\n]\n"
        for index, _ in fresh:
            raise RuntimeError(f"reports.json: line of report {index} not placed")

    if kept:
        writer.write_spliced(ALL_REPORTS, pieces())
    else:
        writer.write_stream(ALL_REPORTS, (p for p in pieces() if isinstance(p, bytes)))
    return spans


def _write_tables(writer: TreeWriter, items: Sequence[tuple[str, Loaded]],
                  old: object) -> dict[str, str]:
    """The two CSV tables (written, or kept where their bytes match); returns their
    SHA-256 by path. A report's rows come with its summary. ``old``: the digests the last
    build recorded for the files there (they are not read again to compare)."""
    before = old if isinstance(old, dict) else {}

    def digest(rel: str) -> str | None:
        value = before.get(rel)
        return value if isinstance(value, str) else None

    out: dict[str, str] = {}
    app_rows = [csv_header(application_paths())]
    key_rows = [csv_header(KEY_FIGURE_PATHS, tuple(f"findings.{s}" for s in SEVERITIES))]
    for slug, item in items:
        head = csv_line([slug])[:-2].encode("utf-8") + b","
        app_rows.append(head + item.csv[0].encode("utf-8"))
        key_rows.append(head + item.csv[1].encode("utf-8"))
    for rel, rows in ((APPLICATIONS_CSV, app_rows), (KEY_FIGURES_CSV, key_rows)):
        out[rel] = writer.write_stream(rel, iter(rows), digest(rel))
    return out


def _save_lines(path: Path, tag: str, items: Sequence[tuple[str, Loaded]],
                spans: Sequence[tuple[int, int]], digests: Mapping[str, str]) -> None:
    """Record what each line of the reports.json just written was made from and where it
    is, its size, and the digests of the CSV tables."""
    lines = [f"{OUTPUT_FORMAT}:{item.key}" if item.key else "" for _, item in items]
    size = spans[-1][0] + spans[-1][1] + 3 if spans else 4
    state = {"tag": tag, "lines": lines, "spans": [list(s) for s in spans], "size": size,
             "digests": dict(digests)}
    path.write_text(jsoncodec.dumps(state) + "\n", encoding="utf-8")


def _kept_spans(file: Path, state: Mapping[str, object]) -> dict[str, tuple[int, int]]:
    """Where each line of the last build's reports.json is, by what it was made from
    (``state``: the record of that file; empty, or a file of another size: none)."""
    tags, spans, size = state.get("lines"), state.get("spans"), state.get("size")
    if not (isinstance(tags, list) and isinstance(spans, list) and len(tags) == len(spans)):
        return {}
    try:
        if file.stat().st_size != size:
            return {}
    except OSError:
        return {}
    out: dict[str, tuple[int, int]] = {}
    for tag, span in zip(tags, spans, strict=True):
        if isinstance(tag, str) and tag and isinstance(span, list) and len(span) == 2:
            out[tag] = (int(span[0]), int(span[1]))
    return out
