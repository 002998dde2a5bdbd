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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, TypeGuard

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
"""In the build folder: what each row of reports.json and the CSV tables was made from,
and where it is (rows copied by the next build)."""
LINES_FORMAT = "2"
"""Bumped when the form of ``LINES_FILE`` changes (a record of another form is ignored)."""

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


def load_manifest(path: Path) -> dict[str, Any]:
    """What each download was made from, as recorded by the last build (empty if none):
    path -> tag (a value that is not a string matches no tag, so is never taken)."""
    return read_state(path)


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
    items = [(slugs[item.summary.source.path], item) for item in loaded]
    tags = [f"{OUTPUT_FORMAT}:{item.key}" if item.key else "" for _, item in items]
    paths = [(json_path(slug), text_path(slug)) for slug, _ in items]
    tag = _aggregate_tag(items)
    keep_all = all(before.get(rel) == tag and (writer.root / rel).is_file() for rel in AGGREGATES)
    lines_file = manifest.with_name(LINES_FILE)
    old: Old | None = None
    if not keep_all:
        old = _old_rows(read_state(lines_file), before, writer.root)
        lines_file.unlink(missing_ok=True)  # no longer a record of the files, once written
    kept = _keep_unchanged(writer, before, paths, tags)
    todo: list[Job] = []
    for n, ((rel_json, rel_text), line_tag) in enumerate(zip(paths, tags, strict=True)):
        job = (n, "" if rel_json in kept else rel_json, "" if rel_text in kept else rel_text,
               old is not None and line_tag not in old.lines)
        if job[1] or job[2] or job[3]:
            todo.append(job)
    fresh = _write_reports(writer, todo, [item for _, item in items], jobs)
    if old is None:
        for _ in fresh:  # the downloads of single reports are written as this runs
            pass
        for rel in AGGREGATES:
            writer.keep(rel)
    else:
        files = {ALL_REPORTS: _write_all_reports(writer, tags, old, fresh)}
        files.update(_write_tables(writer, items, tags, old))
        _save_lines(lines_file, tag, items, tags, files)
    after = {rel: line_tag for (rel_json, rel_text), line_tag in zip(paths, tags, strict=True)
             for rel in (rel_json, rel_text)}
    after.update(dict.fromkeys(AGGREGATES, tag))
    manifest.write_text(jsoncodec.dumps(after, sort_keys=True) + "\n", encoding="utf-8")


def _keep_unchanged(writer: TreeWriter, before: Mapping[str, object],
                    paths: Sequence[tuple[str, str]], tags: Sequence[str]) -> set[str]:
    """Keep the JSON and text downloads the last build made from the same tag (a report's
    cache key) that are still there, all at once; returns their paths."""
    same = [rel for pair, line_tag in zip(paths, tags, strict=True) if line_tag
            for rel in pair if before.get(rel) == line_tag]
    return writer.keep_present(same)


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


@dataclass(frozen=True, slots=True)
class Layout:
    """How a file of rows is made: ``head``, the rows joined by ``sep``, ``tail``."""

    head: bytes
    sep: bytes
    tail: bytes

    def size(self, lengths: Sequence[int]) -> int:
        """The size of the file with rows of these lengths."""
        return (len(self.head) + sum(lengths) + len(self.sep) * max(len(lengths) - 1, 0)
                + len(self.tail))


REPORTS_LAYOUT = Layout(b"[\n", b",\n", b"\n]\n")
"""reports.json: a JSON array, one report per line, the file ending in a newline."""
EMPTY_REPORTS = b"[\n]\n"
"""reports.json of a site without reports."""


@cache
def table_layouts() -> dict[str, Layout]:
    """The two CSV tables: a header, then one row (CR LF included) per report."""
    figures = (*KEY_FIGURE_PATHS, *(f"findings.{s}" for s in SEVERITIES))
    return {APPLICATIONS_CSV: Layout(csv_header(application_paths()), b"", b""),
            KEY_FIGURES_CSV: Layout(csv_header(figures), b"", b"")}


Span = tuple[int, int]
"""(offset, length) of a row in the last build's file."""
Row = bytes | int
"""A row of a file being written: its bytes, or the index of the same row in the last
build's file (copied from there)."""


@dataclass(slots=True)
class Old:
    """The rows of the last build's reports.json and CSV tables, as recorded
    (``build/reports-lines.json``), for the files whose record holds."""

    spans: dict[str, list[Span]] = field(default_factory=dict)
    """Where each row is, for every file whose record holds (a file left out: made anew)."""
    lines: dict[str, int] = field(default_factory=dict)
    """reports.json's rows by what they were made from (a report's tag)."""
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    """The CSV tables' rows by report slug and tag (a row starts with the slug)."""


def _old_rows(state: Mapping[str, Any], before: Mapping[str, object], root: Path) -> Old:
    """What ``state`` records of the files under ``root``: only files that the manifest
    (``before``) says were made with it, of the size it records, and a well-formed record
    (anything else: an empty record, every row made anew)."""
    tag, slugs, lines, files = (state.get(k) for k in ("tag", "slugs", "lines", "files"))
    if not (state.get("format") == LINES_FORMAT and isinstance(tag, str)
            and isinstance(files, dict) and _strings(slugs) and _strings(lines)
            and len(slugs) == len(lines)):
        return Old()
    old = Old()
    for rel, layout in ((ALL_REPORTS, REPORTS_LAYOUT), *table_layouts().items()):
        spans = _spans(files.get(rel), len(lines), layout) if before.get(rel) == tag else None
        if spans is not None and _size(root / rel) == files[rel]["size"]:
            old.spans[rel] = spans
    if ALL_REPORTS in old.spans:
        old.lines = {line: n for n, line in enumerate(lines) if line}
    if old.spans.keys() - {ALL_REPORTS}:
        old.rows = {(slug, line): n for n, (slug, line) in enumerate(zip(slugs, lines, strict=True))
                    if line}
    return old


def _strings(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _spans(record: object, count: int, layout: Layout) -> list[Span] | None:
    """Where each row of a file of ``layout`` is, from its record (offset of the first row,
    the length of each, its size): ``None`` when malformed, for another number of rows, or
    not adding up to its size."""
    if not isinstance(record, dict) or count == 0:
        return None
    start, lengths, size = record.get("start"), record.get("lengths"), record.get("size")
    if not (type(start) is int and type(size) is int and isinstance(lengths, list)
            and len(lengths) == count
            and all(type(n) is int and n >= 0 for n in lengths)):
        return None
    spans: list[Span] = []
    position = start
    for length in lengths:
        spans.append((position, length))
        position += length + len(layout.sep)
    end = position - len(layout.sep) + len(layout.tail)
    return spans if start >= 0 and end == size else None


def _size(file: Path) -> int | None:
    """The size of ``file``, or ``None`` if it is not there."""
    try:
        return file.stat().st_size
    except OSError:
        return None


def _write_all_reports(writer: TreeWriter, tags: Sequence[str], old: Old,
                       fresh: Iterator[tuple[int, bytes]]) -> dict[str, Any] | None:
    """reports.json: a JSON array, one report per line (compact JSON without ``lines``,
    the file ending in a newline); returns its record (see :func:`_write_rows`).

    A report's line is copied from the last build's file when it was made from the same
    tag (its cache key), so a rebuild reads the JSON of changed reports only and copies the
    rest in the kernel; every other line comes from ``fresh`` ((index, line), in order,
    one for each of them).
    """
    def rows() -> Iterator[Row]:
        for n, tag in enumerate(tags):
            row = old.lines.get(tag) if tag else None
            if row is None:
                index, line = next(fresh)
                if index != n:
                    raise RuntimeError(f"reports.json: line of report {index} came for {n}")
                yield line
            else:
                yield row
        for index, _ in fresh:
            raise RuntimeError(f"reports.json: line of report {index} not placed")

    if not tags:
        for _ in rows():
            pass
        writer.write(ALL_REPORTS, EMPTY_REPORTS)
        return None
    return _write_rows(writer, ALL_REPORTS, REPORTS_LAYOUT, rows(), old.spans.get(ALL_REPORTS))


def _write_tables(writer: TreeWriter, items: Sequence[tuple[str, Loaded]],
                  tags: Sequence[str], old: Old) -> dict[str, dict[str, Any]]:
    """The two CSV tables, their rows copied from the last build's files where the report's
    slug and tag are the same (a report's rows are then the same); each kept as it is when
    the new one would hold the same bytes. Returns their records (see :func:`_write_rows`).
    A report's rows come with its summary (read only for rows made anew)."""
    app, key = old.spans.get(APPLICATIONS_CSV), old.spans.get(KEY_FIGURES_CSV)
    app_rows: list[Row] = []
    key_rows: list[Row] = []
    for (slug, item), tag in zip(items, tags, strict=True):
        row = old.rows.get((slug, tag)) if tag else None
        if row is not None and app is not None and key is not None:
            app_rows.append(row)
            key_rows.append(row)
            continue
        head = csv_line([slug])[:-2].encode("utf-8") + b","
        app_rows.append(row if row is not None and app is not None
                        else head + item.csv[0].encode("utf-8"))
        key_rows.append(row if row is not None and key is not None
                        else head + item.csv[1].encode("utf-8"))
    layouts = table_layouts()
    return {rel: _write_rows(writer, rel, layouts[rel], rows, spans, compare=True)
            for rel, rows, spans in ((APPLICATIONS_CSV, app_rows, app),
                                     (KEY_FIGURES_CSV, key_rows, key))}


def _write_rows(writer: TreeWriter, rel: str, layout: Layout, rows: Iterable[Row],
                spans: Sequence[Span] | None, compare: bool = False) -> dict[str, Any]:
    """Write ``rel`` from ``rows`` (``spans``: where the rows named by index are in the
    file there, made by the last build); returns its record for the next build: the
    offset of the first row, the length of each, the size. ``compare``: keep the file as
    it is if it holds the same bytes (only the rows made anew are read there to know)."""
    lengths: list[int] = []
    body = _pieces(rows, spans or (), layout.sep, lengths)
    pieces = chain((layout.head,), body, (layout.tail,))
    if spans is None:
        writer.write_stream(rel, (p for p in pieces if isinstance(p, bytes)))
    elif compare:
        writer.splice(rel, list(pieces))
    else:
        writer.write_spliced(rel, pieces)
    return {"start": len(layout.head), "lengths": lengths, "size": layout.size(lengths)}


def _pieces(rows: Iterable[Row], spans: Sequence[Span], sep: bytes,
            lengths: list[int]) -> Iterator[bytes | Span]:
    """The pieces of the rows of a file (for :meth:`TreeWriter.write_spliced`): a new row
    as bytes, an old one as its span in the last build's file, rows that follow each other
    there as one span with the separators between them (a system call for a run of rows,
    not one a row; a rebuild with one change copies two or three runs). Appends the length
    of each row to ``lengths``."""
    start = end = last = -1
    """The run of old rows not yielded yet: its offsets, its last row (-1: none)."""
    for n, row in enumerate(rows):
        if isinstance(row, int) and last >= 0 and row == last + 1:
            end = sum(spans[row])
            last = row
            lengths.append(spans[row][1])
            continue
        if last >= 0:
            yield start, end - start
            last = -1
        if n:
            yield sep
        if isinstance(row, int):
            start, length = spans[row]
            end, last = start + length, row
            lengths.append(length)
        else:
            lengths.append(len(row))
            yield row
    if last >= 0:
        yield start, end - start


def _save_lines(path: Path, tag: str, items: Sequence[tuple[str, Loaded]], tags: Sequence[str],
                files: Mapping[str, dict[str, Any] | None]) -> None:
    """Record what each row of reports.json and the CSV tables just written was made from
    (the report's slug and tag), and where the rows are in each file."""
    state = {"format": LINES_FORMAT, "tag": tag, "slugs": [slug for slug, _ in items],
             "lines": list(tags), "files": dict(files)}
    path.write_text(jsoncodec.dumps(state) + "\n", encoding="utf-8")
