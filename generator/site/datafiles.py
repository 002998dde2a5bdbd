"""Downloads: one JSON file per report, all reports in one file, CSV tables, original texts.

Everything here is plain data, never HTML. JSON is UTF-8 without a byte-order mark
(as JSON requires); CSV and the original texts start with one, so spreadsheet
programs and browsers that get no charset from the server still read them as UTF-8.

A rebuild does not make a report's files again when its parse-cache key (which
covers its bytes, its sidecar and the parser version) is the one they were made
from: ``build/outputs.json`` remembers that for every file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from generator.parallel import ordered_map, worker_count
from generator.site.cache import Loaded, original, published_json
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


def report_json(compact: str) -> str:
    """One report as published: its ``to_dict`` form, keys in schema order, on one line
    (as the parse cache holds it; browsers show JSON files laid out anyway)."""
    return compact + "\n"


def all_reports_json(lines: Iterable[bytes]) -> Iterator[bytes]:
    """A JSON array of every report, one report (compact JSON, without ``lines``, UTF-8)
    per line, in pieces."""
    yield b"["
    for n, line in enumerate(lines):
        yield (b",\n" if n else b"\n") + line
    yield b"\n]\n"


def original_text(text: str | None) -> str:
    """The decoded original text, or a note when it could not be decoded."""
    return text if text is not None else UNDECODABLE_NOTE


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
    ``jobs``: processes writing the files of single reports (0: one per core)."""
    before = load_manifest(manifest)
    after: dict[str, str] = {}
    items = [(slugs[item.summary.source.path], item) for item in loaded]
    todo: list[tuple[int, str, str]] = []
    for n, (slug, item) in enumerate(items):
        tag = f"{OUTPUT_FORMAT}:{item.key}"
        rel_json, rel_text = json_path(slug), text_path(slug)
        todo.append((n, "" if item.key and _unchanged(writer, before, rel_json, tag) else rel_json,
                     "" if item.key and _unchanged(writer, before, rel_text, tag) else rel_text))
        after[rel_json] = after[rel_text] = tag
    _write_reports(writer, [t for t in todo if t[1] or t[2]], [item for _, item in items], jobs)
    tag = _aggregate_tag(items)
    if all(before.get(rel) == tag and (writer.root / rel).is_file() for rel in AGGREGATES):
        for rel in AGGREGATES:
            writer.keep(rel)
    else:
        lines_file = manifest.with_name(LINES_FILE)
        kept = _kept_lines(writer.root / ALL_REPORTS, before.get(ALL_REPORTS), lines_file)
        _write_aggregates(writer, items, kept)
        _save_lines(lines_file, tag, items)
    after.update(dict.fromkeys(AGGREGATES, tag))
    manifest.write_text(json.dumps(after, sort_keys=True) + "\n", encoding="utf-8")


PARALLEL_FROM = 400
"""Fewer reports' files to write than this: write them in this process."""
_items: Sequence[Loaded] = ()
_root: Path | None = None
"""What the workers of :func:`_write_reports` write from and to (set before they fork)."""


def _write_reports(writer: TreeWriter, todo: Sequence[tuple[int, str, str]],
                   items: Sequence[Loaded], jobs: int) -> None:
    """Write the JSON and text files named in ``todo`` ((item, JSON path or "", text path
    or "")), in worker processes when there are many (the data is read from memory or the
    cache entries there, and never travels back)."""
    global _items, _root
    chunks = [todo[i:i + 64] for i in range(0, len(todo), 64)]
    _items, _root = items, writer.root
    try:
        inline = PARALLEL_FROM // 64 + 1
        for paths, written in ordered_map(_write_chunk, chunks, worker_count(jobs), inline):
            writer.claimed(paths, written)
    finally:
        _items, _root = (), None


def _write_chunk(chunk: Sequence[tuple[int, str, str]]) -> tuple[list[str], int]:
    """Write one chunk of :func:`_write_reports`; the paths written and how many changed."""
    assert _root is not None
    writer = TreeWriter(_root)
    for n, rel_json, rel_text in chunk:
        item = _items[n]
        if rel_json:
            writer.write_text(rel_json, report_json(published_json(item)[0]))
        if rel_text:
            writer.write_text(rel_text, original_text(original(item)), bom=True)
    return sorted(writer.kept), writer.stats.written


def _unchanged(writer: TreeWriter, before: Mapping[str, str], rel: str, tag: str) -> bool:
    """Keep ``rel`` if the last build made it from ``tag`` and it is still there."""
    return before.get(rel) == tag and writer.keep(rel)


def _write_aggregates(writer: TreeWriter, items: Sequence[tuple[str, Loaded]],
                      kept: Mapping[str, bytes]) -> None:
    """reports.json and the two CSV tables (written, or kept where their bytes match).

    A report's line of reports.json is taken from the last build's file when it was made
    from the same key (``kept``), so a rebuild reads again only the reports that changed;
    its CSV rows come with its summary.
    """
    def bulk_lines() -> Iterator[bytes]:
        for _, item in items:
            line = kept.get(f"{OUTPUT_FORMAT}:{item.key}") if item.key else None
            yield line if line is not None else published_json(item)[1].encode("utf-8")

    writer.write_stream(ALL_REPORTS, all_reports_json(bulk_lines()))
    app_rows = [csv_header(application_paths())]
    key_rows = [csv_header(KEY_FIGURE_PATHS, tuple(f"findings.{s}" for s in SEVERITIES))]
    for slug, item in items:
        head = csv_line([slug])[:-2].encode("utf-8") + b","
        app_rows.append(head + item.csv[0].encode("utf-8"))
        key_rows.append(head + item.csv[1].encode("utf-8"))
    writer.write_stream(APPLICATIONS_CSV, iter(app_rows))
    writer.write_stream(KEY_FIGURES_CSV, iter(key_rows))


def _save_lines(path: Path, tag: str, items: Sequence[tuple[str, Loaded]]) -> None:
    """Record what each line of the reports.json just written was made from."""
    lines = [f"{OUTPUT_FORMAT}:{item.key}" if item.key else "" for _, item in items]
    path.write_text(json.dumps({"tag": tag, "lines": lines}) + "\n", encoding="utf-8")


def _kept_lines(file: Path, tag: str | None, lines_file: Path) -> dict[str, bytes]:
    """The lines of the last build's reports.json by what each was made from, when the
    record of its lines is that of the file there (``tag``); else none."""
    state = read_state(lines_file)
    tags = state.get("lines")
    if tag is None or state.get("tag") != tag or not isinstance(tags, list):
        return {}
    try:
        data = file.read_bytes()
    except OSError:
        return {}
    body = data.removeprefix(b"[\n").removesuffix(b"\n]\n")
    lines = [line.removesuffix(b",") for line in body.split(b"\n")] if tags else []
    if len(lines) != len(tags) or not data.startswith(b"["):
        return {}
    return {t: line for t, line in zip(tags, lines, strict=True) if isinstance(t, str) and t}
