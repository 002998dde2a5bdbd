"""Downloads: one JSON file per report, all reports in one file, CSV tables, original texts.

Everything here is plain data, never HTML. JSON is UTF-8 without a byte-order mark
(as JSON requires); CSV and the original texts start with one, so spreadsheet
programs and browsers that get no charset from the server still read them as UTF-8.

A rebuild does not make a report's files again when its parse-cache key (which
covers its bytes, its sidecar and the parser version) is the one they were made
from: ``build/outputs.json`` remembers that for every file. Many reports' files are
written by worker processes, each reading the data where it is (memory or cache entry).
``reports.json`` and the CSV tables are spliced from the last build's files
(``build/reports-lines.json`` records what each row was made from and where it is): a
rebuild makes only the rows of changed reports, and copies runs of the others as ranges,
in the kernel. The CSV rows come with each report's summary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, chain, pairwise, repeat
from operator import add
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
from generator.site.tree import TreeWriter, file_size, read_state

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
    """What the files of all reports are made from: every report's slug and key, in order
    (hashed at once: an update a report cost a rebuild 10,000 calls)."""
    joined = "".join([f"{slug}\0{item.key}\n" for slug, item in items])
    return hashlib.sha256(OUTPUT_FORMAT.encode() + joined.encode()).hexdigest()


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
    lines: Sequence[Source] | None = None
    if not keep_all:
        old = _old_rows(read_state(lines_file), before, writer.root)
        lines_file.unlink(missing_ok=True)  # no longer a record of the files, once written
        lines = old.sources(ALL_REPORTS, tags)
    kept = _keep_unchanged(writer, before, paths, tags)
    todo: list[Job] = []
    for n, (rel_json, rel_text) in enumerate(paths):
        job = (n, "" if rel_json in kept else rel_json, "" if rel_text in kept else rel_text,
               not keep_all and (lines is None or lines[n] is None))
        if job[1] or job[2] or job[3]:
            todo.append(job)
    fresh = _write_reports(writer, todo, [item for _, item in items], jobs)
    placing: list[Callable[[], None]] = []
    files: dict[str, dict[str, Any] | None] = {}
    if old is None:
        for _ in fresh:  # the downloads of single reports are written as this runs
            pass
        for rel in AGGREGATES:
            writer.keep(rel)
    else:
        files[ALL_REPORTS] = _write_all_reports(writer, len(items), lines,
                                                old.files.get(ALL_REPORTS), fresh,
                                                placing)
    with ThreadPoolExecutor(1) as pool:
        # reports.json's kept rows copied by the kernel (146 MB, 40-60 ms) meanwhile
        placed = [pool.submit(job) for job in placing]
        if old is not None:
            files.update(_write_tables(writer, items, tags, old))
        after = {rel: line_tag for (rel_json, rel_text), line_tag in zip(paths, tags, strict=True)
                 for rel in (rel_json, rel_text)}
        after.update(dict.fromkeys(AGGREGATES, tag))
        for placement in placed:
            placement.result()
    # The records last, once every file is in place: a build stopped before never finds
    # a record of files that are not there.
    if old is not None:
        _save_lines(lines_file, tag, items, tags, files)
    if after != before:  # a rebuild without changes leaves it as it is
        manifest.write_text(jsoncodec.dumps(after, sort_keys=True) + "\n", encoding="utf-8")


def _keep_unchanged(writer: TreeWriter, before: Mapping[str, object],
                    paths: Sequence[tuple[str, str]], tags: Sequence[str]) -> set[str]:
    """Keep the JSON and text downloads the last build made from the same tag (a report's
    cache key) that are still there, all at once; returns their paths."""
    same = [rel for pair, line_tag in zip(paths, tags, strict=True) if line_tag
            for rel in pair if before.get(rel) == line_tag]
    return writer.keep_present(same) if same else set()  # a cold build: the tree not listed


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
"""(offset, length) of bytes in the last build's file."""
Source = int | None
"""Where a row of a file being written comes from: the index of the same row in the last
build's file (copied from there), or ``None`` (made anew)."""


@dataclass(slots=True)
class OldFile:
    """Where each row of one of the last build's files is."""

    offsets: list[int]
    lengths: list[int]


@dataclass(slots=True)
class Old:
    """The rows of the last build's reports.json and CSV tables, as recorded
    (``build/reports-lines.json``), for the files whose record holds."""

    files: dict[str, OldFile] = field(default_factory=dict)
    """Where the rows are, for every file whose record holds (a file left out: made anew)."""
    index: dict[str, int] = field(default_factory=dict)
    """Each row by what it was made from (a report's tag): its index in every file."""
    slugs: list[str] = field(default_factory=list)
    """The slug of each row (a CSV row starts with it)."""

    def sources(self, rel: str, tags: Sequence[str],
                slugs: Sequence[str] | None = None) -> list[Source] | None:
        """Where each row of ``rel`` comes from, by the reports' ``tags`` (and ``slugs``:
        a row that starts with the slug); ``None`` when the file's record does not hold."""
        if rel not in self.files:
            return None
        rows = list(map(self.index.get, tags))
        if slugs is None:
            return rows
        old = self.slugs
        return [n if n is not None and old[n] == slug else None
                for n, slug in zip(rows, slugs, strict=True)]


def _old_rows(state: Mapping[str, Any], before: Mapping[str, object], root: Path) -> Old:
    """What ``state`` records of the files under ``root``: only files that the manifest
    (``before``) says were made with it, of the size it records, and a well-formed record
    (anything else: an empty record, every row made anew)."""
    tag, slugs, lines, files = (state.get(k) for k in ("tag", "slugs", "lines", "files"))
    if not (state.get("format") == LINES_FORMAT and isinstance(tag, str)
            and isinstance(files, dict) and _strings(slugs) and _strings(lines)
            and len(slugs) == len(lines)):
        return Old()
    old = Old(index={line: n for n, line in enumerate(lines) if line}, slugs=slugs)
    for rel, layout in ((ALL_REPORTS, REPORTS_LAYOUT), *table_layouts().items()):
        record = files.get(rel) if before.get(rel) == tag else None
        found = _old_file(record, len(lines), layout)
        if found is not None and file_size(root / rel) == files[rel]["size"]:
            old.files[rel] = found
    return old


def _strings(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and set(map(type, value)) <= {str}


def _old_file(record: object, count: int, layout: Layout) -> OldFile | None:
    """Where each row of a file of ``layout`` is, from its record (offset of the first row,
    the length of each, its size): ``None`` when malformed, for another number of rows, or
    not adding up to its size."""
    if not isinstance(record, dict) or count == 0:
        return None
    start, lengths, size = record.get("start"), record.get("lengths"), record.get("size")
    if not (type(start) is int and start >= 0 and type(size) is int
            and isinstance(lengths, list) and len(lengths) == count
            and set(map(type, lengths)) <= {int} and min(lengths) >= 0):
        return None
    offsets = list(accumulate(map(add, lengths[:-1], repeat(len(layout.sep))), initial=start))
    end = offsets[-1] + lengths[-1] + len(layout.tail)
    return OldFile(offsets, lengths) if end == size else None


def _write_all_reports(writer: TreeWriter, count: int, sources: Sequence[Source] | None,
                       old: OldFile | None, fresh: Iterator[tuple[int, bytes]],
                       placing: list[Callable[[], None]] | None = None
                       ) -> dict[str, Any] | None:
    """reports.json: a JSON array, one report per line (compact JSON without ``lines``,
    the file ending in a newline), for ``count`` reports; returns its record (see
    :func:`_write_rows`).

    A report's line is copied from the last build's file (``old``) when it was made from
    the same tag (its cache key; ``sources``: see :meth:`Old.sources`), so a rebuild reads
    the JSON of changed reports only and copies the rest in the kernel; every other line
    comes from ``fresh`` ((index, line), in order, one for each of them). ``placing``:
    see :func:`_write_rows`.
    """
    wanted = iter(range(count)) if sources is None else \
        (n for n, source in enumerate(sources) if source is None)

    def lines() -> Iterator[bytes]:
        for index, line in fresh:
            n = next(wanted, None)
            if index != n:
                raise RuntimeError(f"reports.json: line of report {index} came for {n}")
            yield line

    made = lines()
    if count == 0:
        writer.write(ALL_REPORTS, EMPTY_REPORTS)
        record = None
    else:
        record = _write_rows(writer, ALL_REPORTS, REPORTS_LAYOUT, count, sources, old, made,
                             placing=placing)
    for _ in made:  # raises for a line not placed
        pass
    return record


def _write_tables(writer: TreeWriter, items: Sequence[tuple[str, Loaded]],
                  tags: Sequence[str], old: Old) -> dict[str, dict[str, Any]]:
    """The two CSV tables, their rows copied from the last build's files where the report's
    slug and tag are the same (a report's rows are then the same); each kept as it is when
    the new one would hold the same bytes. Returns their records (see :func:`_write_rows`).
    A report's rows come with its summary (read only for rows made anew)."""
    slugs = [slug for slug, _ in items]
    app = old.sources(APPLICATIONS_CSV, tags, slugs)
    key = old.sources(KEY_FIGURES_CSV, tags, slugs)
    anew: list[Source] = [None] * len(items)
    app_rows: list[bytes] = []
    key_rows: list[bytes] = []
    for n in _made_anew(app or anew, key or anew):
        slug, item = items[n]
        head = csv_line([slug])[:-2].encode("utf-8") + b","
        if app is None or app[n] is None:
            app_rows.append(head + item.csv[0].encode("utf-8"))
        if key is None or key[n] is None:
            key_rows.append(head + item.csv[1].encode("utf-8"))
    layouts = table_layouts()
    return {rel: _write_rows(writer, rel, layouts[rel], len(items), sources,
                             old.files.get(rel), iter(rows), compare=True)
            for rel, sources, rows in ((APPLICATIONS_CSV, app, app_rows),
                                       (KEY_FIGURES_CSV, key, key_rows))}


def _made_anew(first: Sequence[Source], second: Sequence[Source]) -> list[int]:
    """The rows made anew in either of two files."""
    return [n for n, (a, b) in enumerate(zip(first, second, strict=True))
            if a is None or b is None]


def _write_rows(writer: TreeWriter, rel: str, layout: Layout, count: int,
                sources: Sequence[Source] | None, old: OldFile | None, fresh: Iterator[bytes],
                compare: bool = False,
                placing: list[Callable[[], None]] | None = None) -> dict[str, Any]:
    """Write ``rel``, of ``count`` rows: each copied from the last build's file (``old``)
    or the next of ``fresh`` (``sources``, see :meth:`Old.sources`; ``None``: every row
    from ``fresh``). Returns its record for the next build: the offset of the first row,
    the length of each, the size. ``compare``: keep the file as it is if it holds the same
    bytes (only the rows made anew are read there to know).
    ``placing``: where the second half of a splice (copying the rows kept, renaming the
    file into place) is put for the caller to run, instead of running it here."""
    if sources is None or old is None:
        lengths: list[int] = []
        writer.write_stream(rel, _fresh_pieces(layout, count, fresh, lengths))
    else:
        lengths = [-1 if n is None else old.lengths[n] for n in sources]
        pieces = chain((layout.head,), _pieces(sources, old, fresh, layout.sep, lengths),
                       (layout.tail,))
        if compare:
            writer.splice(rel, list(pieces))
        elif placing is not None:
            placing.append(writer.start_splice(rel, pieces))
        else:
            writer.write_spliced(rel, pieces)
    return {"start": len(layout.head), "lengths": lengths, "size": layout.size(lengths)}


def _fresh_pieces(layout: Layout, count: int, fresh: Iterator[bytes],
                  lengths: list[int]) -> Iterator[bytes]:
    """The bytes of a file of ``count`` rows, all from ``fresh``; their lengths appended to
    ``lengths``."""
    yield layout.head
    for n, row in enumerate(fresh):
        if n and layout.sep:
            yield layout.sep
        lengths.append(len(row))
        yield row
    if len(lengths) != count:
        raise RuntimeError(f"{count} rows to make, {len(lengths)} made")
    yield layout.tail


def _next_row(fresh: Iterator[bytes]) -> bytes:
    row = next(fresh, None)
    if row is None:
        raise RuntimeError("a row to make anew is missing")
    return row


def _pieces(sources: Sequence[Source], old: OldFile, fresh: Iterator[bytes], sep: bytes,
            lengths: list[int]) -> Iterator[bytes | Span]:
    """The rows of a file (for :meth:`TreeWriter.write_spliced`): a row made anew as its
    bytes (the next of ``fresh``, its length set in ``lengths``), rows copied as spans of
    the last build's file (``old``), rows that follow each other there as one span with
    the separators between them: a system call for a run of rows, not one a row (a
    rebuild with one change copies two runs)."""
    for n, (start, stop) in enumerate(_runs(sources)):
        if n:
            yield sep
        first = sources[start]
        if first is None:
            row = _next_row(fresh)
            lengths[start] = len(row)
            yield row
        else:
            last = sources[stop - 1]
            assert last is not None
            offset = old.offsets[first]
            yield offset, old.offsets[last] + old.lengths[last] - offset


def _runs(sources: Sequence[Source]) -> list[tuple[int, int]]:
    """(start, stop) of each run of rows: a row made anew alone, rows copied from rows that
    follow each other in the last build's file together."""
    if not sources:
        return []
    cuts = [n for n, (a, b) in enumerate(pairwise(sources), 1)
            if a is None or b is None or b != a + 1]
    bounds = [0, *cuts, len(sources)]
    return list(pairwise(bounds))


def _save_lines(path: Path, tag: str, items: Sequence[tuple[str, Loaded]], tags: Sequence[str],
                files: Mapping[str, dict[str, Any] | None]) -> None:
    """Record what each row of reports.json and the CSV tables just written was made from
    (the report's slug and tag), and where the rows are in each file."""
    state = {"format": LINES_FORMAT, "tag": tag, "slugs": [slug for slug, _ in items],
             "lines": list(tags), "files": dict(files)}
    path.write_text(jsoncodec.dumps(state) + "\n", encoding="utf-8")
