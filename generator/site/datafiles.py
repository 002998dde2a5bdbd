"""Downloads: one JSON file per report, all reports in one file, CSV tables, original texts.

Everything here is plain data, never HTML. JSON is UTF-8 without a byte-order mark
(as JSON requires); CSV and the original texts start with one, so spreadsheet
programs and browsers that get no charset from the server still read them as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.model import Cell, Report
from generator.site.cache import Loaded
from generator.site.tree import TreeWriter
from generator.tables import APPLICATION_COLUMN_KEYS, APPLICATION_ROWS, REVIEW_GROUPS

ALL_REPORTS = "data/reports.json"
APPLICATIONS_CSV = "data/applications.csv"
KEY_FIGURES_CSV = "data/key-figures.csv"

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

UNDECODABLE_NOTE = "（此文件无法解码为文本，原文未能显示。请查看该报告页面上的说明。）\n"


def report_json(data: Mapping[str, Any]) -> str:
    """One report as published (its ``to_dict`` form, keys in schema order)."""
    return json.dumps(data, sort_keys=False, ensure_ascii=False, indent=1) + "\n"


def all_reports_json(reports: Iterable[Mapping[str, Any]]) -> str:
    """A JSON array of every report, one report per line (easy to grep and to diff)."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in reports]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def original_text(loaded: Loaded) -> str:
    """The decoded original text, or a note when it could not be decoded."""
    return loaded.text if loaded.text is not None else UNDECODABLE_NOTE


def lookup(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a report's JSON, or ``None`` where it is absent."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def csv_value(value: Any) -> str:
    """A cell as CSV text: empty for null, numbers as printed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def application_paths() -> tuple[str, ...]:
    """Every cell of part 三, both templates, as data paths, in the official order."""
    return tuple(f"applications.{row.key}.{col}"
                 for row in APPLICATION_ROWS for col in APPLICATION_COLUMN_KEYS)


@dataclass(frozen=True, slots=True)
class Row:
    """One report as the downloads need it."""

    slug: str
    report: Report
    data: dict[str, Any]
    """``report.to_dict()``, made once."""


def _finding_counts(row: Row) -> dict[str, Cell]:
    return {f"findings.{k}": v for k, v in row.report.counts().items()}


def csv_table(rows: Sequence[Row], paths: Sequence[str],
              extra: Callable[[Row], Mapping[str, Cell]] | None = None) -> str:
    """One CSV row per report: identity columns, then ``paths``, then ``extra``."""
    extra_names = list(extra(rows[0])) if extra is not None and rows else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*IDENTITY_COLUMNS, *paths, *extra_names])
    for row in rows:
        ident = [row.slug, *(lookup(row.data, p) for p in IDENTITY_COLUMNS[1:])]
        cells = [lookup(row.data, p) for p in paths]
        more = list(extra(row).values()) if extra is not None else []
        writer.writerow([csv_value(v) for v in (*ident, *cells, *more)])
    return out.getvalue()


def write_data_files(writer: TreeWriter, loaded: Sequence[Loaded], slugs: Mapping[str, str],
                     json_path: Callable[[str], str], text_path: Callable[[str], str]) -> None:
    """Write every download of the site into ``writer``'s tree."""
    rows = [Row(slugs[item.report.source.path], item.report, item.report.to_dict())
            for item in loaded]
    for item, row in zip(loaded, rows, strict=True):
        writer.write_text(json_path(row.slug), report_json(row.data))
        writer.write_text(text_path(row.slug), original_text(item), bom=True)
    writer.write_text(ALL_REPORTS, all_reports_json(row.data for row in rows))
    writer.write_text(APPLICATIONS_CSV, csv_table(rows, application_paths()), bom=True)
    writer.write_text(KEY_FIGURES_CSV, csv_table(rows, KEY_FIGURE_PATHS, _finding_counts),
                      bom=True)
