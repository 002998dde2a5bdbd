"""Downloads: one JSON file per report, all reports in one file, CSV tables, original texts.

Everything here is plain data, never HTML. JSON is UTF-8 without a byte-order mark
(as JSON requires); CSV and the original texts start with one, so spreadsheet
programs and browsers that get no charset from the server still read them as UTF-8.

A rebuild does not make a report's files again when its parse-cache key (which
covers its bytes, its sidecar and the parser version) is the one they were made
from: ``build/outputs.json`` remembers that for every file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.site.cache import Loaded, original, published_json
from generator.site.tree import TreeWriter, read_state
from generator.tables import APPLICATION_COLUMN_KEYS, APPLICATION_ROWS, REVIEW_GROUPS

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

IDENTITY_COLUMNS: tuple[str, ...] = (
    "slug", "agency", "agency_key", "year", "template", "published",
    "region.province", "region.city", "region.county", "region.township",
    "region.code", "region.level", "region.kind", "source.path",
)
"""The first columns of every CSV: which report a row is (JSON paths, ``slug`` aside)."""

KEY_FIGURE_PATHS: tuple[str, ...] = (
    *(f"applications.{row}.total" for row in (
        "new_received", "carried_over", "granted", "partially_granted",
        "total_handled", "carry_forward")),
    *(f"{group.key}.total" for group in REVIEW_GROUPS),
)
"""The cells of key-figures.csv besides identity and finding counts."""
SEVERITIES = ("error", "warning", "info")

UNDECODABLE_NOTE = "（此文件无法解码为文本，原文未能显示。请查看该报告页面上的说明。）\n"


@dataclass(frozen=True, slots=True)
class Row:
    """One report as the downloads need it."""

    slug: str
    data: dict[str, Any]
    """The report's published JSON, as a dict."""


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


def lookup(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` (split at dots) of a report's JSON, or ``None`` where absent."""
    node: Any = data
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is taken for a formula by spreadsheet programs."""


def csv_value(value: Any) -> str:
    """A cell as CSV text: empty for null, numbers as printed; text that a spreadsheet
    would run as a formula (``=HYPERLINK(…)`` in an agency name) gets a leading ``'``,
    which spreadsheets show as text and do not run."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return str(value)


def application_paths() -> tuple[str, ...]:
    """Every cell of part 三, both templates, as data paths, in the official order."""
    return tuple(f"applications.{row.key}.{col}"
                 for row in APPLICATION_ROWS for col in APPLICATION_COLUMN_KEYS)


def _finding_counts(row: Row) -> list[int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in row.data.get("findings", []):
        counts[finding.get("severity")] = counts.get(finding.get("severity"), 0) + 1
    return [counts[s] for s in SEVERITIES]


def csv_header(paths: Sequence[str], extra: Sequence[str] = ()) -> bytes:
    """The first line of a CSV table (with the byte-order mark): identity columns,
    then ``paths``, then ``extra``."""
    return "\ufeff".encode() + _csv_line([*IDENTITY_COLUMNS, *paths, *extra])


def _csv_line(values: Sequence[object]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_value(v) for v in values])
    return out.getvalue().encode("utf-8")


def csv_cells(row: Row, paths: Sequence[tuple[str, ...]]) -> list[object]:
    """One report's cells at ``paths`` (split), after its slug."""
    return [row.slug, *(lookup(row.data, p) for p in paths)]


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
                     manifest: Path) -> None:
    """Write every download of the site into ``writer``'s tree; record what they came from."""
    before = load_manifest(manifest)
    after: dict[str, str] = {}
    items = [(slugs[item.summary.source.path], item) for item in loaded]
    for slug, item in items:
        tag = f"{OUTPUT_FORMAT}:{item.key}"
        rel_json, rel_text = json_path(slug), text_path(slug)
        if not (item.key and _unchanged(writer, before, rel_json, tag)):
            writer.write_text(rel_json, report_json(published_json(item)[0]))
        if not (item.key and _unchanged(writer, before, rel_text, tag)):
            writer.write_text(rel_text, original_text(original(item)), bom=True)
        after[rel_json] = after[rel_text] = tag
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
    manifest.write_text(json.dumps(after, indent=0, sort_keys=True) + "\n", encoding="utf-8")


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
        head = _csv_line([slug])[:-2] + b","
        app_rows.append(head + item.csv[0].encode("utf-8"))
        key_rows.append(head + item.csv[1].encode("utf-8"))
    writer.write_stream(APPLICATIONS_CSV, iter(app_rows))
    writer.write_stream(KEY_FIGURES_CSV, iter(key_rows))


def _save_lines(path: Path, tag: str, items: Sequence[tuple[str, Loaded]]) -> None:
    """Record what each line of the reports.json just written was made from."""
    lines = [f"{OUTPUT_FORMAT}:{item.key}" if item.key else "" for _, item in items]
    path.write_text(json.dumps({"tag": tag, "lines": lines}, indent=0) + "\n", encoding="utf-8")


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


_IDENTITY = [tuple(p.split(".")) for p in IDENTITY_COLUMNS[1:]]
_APPS = [*_IDENTITY, *(tuple(p.split(".")) for p in application_paths())]
_KEYS = [*_IDENTITY, *(tuple(p.split(".")) for p in KEY_FIGURE_PATHS)]


def csv_rows(data: dict[str, Any]) -> list[str]:
    """A report's rows of applications.csv and key-figures.csv, without the leading slug,
    from its published JSON form (``Report.to_dict``)."""
    row = Row("", data)
    return [_csv_line(csv_cells(row, _APPS)[1:]).decode("utf-8"),
            _csv_line([*csv_cells(row, _KEYS)[1:], *_finding_counts(row)]).decode("utf-8")]
