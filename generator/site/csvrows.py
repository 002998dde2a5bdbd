"""The rows of the CSV downloads (applications.csv, key-figures.csv) of one report.

Made in the parse workers from the report's published JSON form, stored with its
summary in the parse cache, and joined by ``datafiles`` under a header, each row after
the report's slug. Column names are the JSON paths of ``generator.tables``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any, cast

from generator.model import Report
from generator.tables import APPLICATION_COLUMN_KEYS, APPLICATION_ROWS, REVIEW_GROUPS

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

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is taken for a formula by spreadsheet programs."""


def lookup(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` (split at dots) of a report's JSON, or ``None`` where absent."""
    node: Any = data
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def csv_value(value: Any) -> str:
    """A cell as CSV text: empty for null, numbers as printed; text that a spreadsheet
    would run as a formula (``=HYPERLINK(…)`` in an agency name) gets a leading ``'``,
    which spreadsheets show as text and do not run."""
    if value is None:
        return ""
    if type(value) is int:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return str(value)


def application_paths() -> tuple[str, ...]:
    """Every cell of part 三, both templates, as data paths, in the official order."""
    return tuple(f"applications.{row.key}.{col}"
                 for row in APPLICATION_ROWS for col in APPLICATION_COLUMN_KEYS)


def csv_header(paths: Sequence[str], extra: Sequence[str] = ()) -> bytes:
    """The first line of a CSV table (with the byte-order mark): identity columns,
    then ``paths``, then ``extra``."""
    return "\ufeff".encode() + csv_line([*IDENTITY_COLUMNS, *paths, *extra]).encode("utf-8")


_buffer = io.StringIO()
_writer = csv.writer(_buffer, lineterminator="\r\n")
"""One writer for every line (a new one per line cost more than the line itself); used
by one thread at a time, as every caller is."""


def csv_line(values: Sequence[object]) -> str:
    """One CSV line (CR LF at its end) of ``values``, as :func:`csv_value` shows them.

    ``None`` and ``int`` values go to the CSV writer as they are (it writes them as
    :func:`csv_value` does: nothing, ``str``), sparing a call for most cells."""
    _buffer.seek(0)
    _buffer.truncate()
    _writer.writerow([v if v is None or type(v) is int else csv_value(v) for v in values])
    return _buffer.getvalue()


_IDENTITY = [tuple(p.split(".")) for p in IDENTITY_COLUMNS[1:]]
_APPLICATION_ROWS = tuple(row.key for row in APPLICATION_ROWS)
_APPLICATION_COLUMNS = tuple(APPLICATION_COLUMN_KEYS)
_NO_CELLS = (None,) * len(_APPLICATION_COLUMNS)
_KEY_FIGURES = [tuple(p.split(".")) for p in KEY_FIGURE_PATHS]
_KEY_FIGURE_ROWS = tuple(p.split(".")[1] for p in KEY_FIGURE_PATHS
                         if p.startswith("applications."))
"""The rows of part 三 whose 总计 is a key figure (the other key figures are the review
groups' totals)."""


def _finding_counts(data: Mapping[str, Any]) -> list[int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in data.get("findings", []):
        counts[finding.get("severity")] = counts.get(finding.get("severity"), 0) + 1
    return [counts[s] for s in SEVERITIES]


def _application_cells(table: object) -> list[object]:
    """The cells of part 三 (``table``: the report's ``applications``) in
    :func:`application_paths` order (``lookup`` unrolled, a row's cells taken at once:
    this makes 130 cells a report)."""
    if not isinstance(table, dict):
        return [None] * (len(_APPLICATION_ROWS) * len(_APPLICATION_COLUMNS))
    out: list[object] = []
    for row in _APPLICATION_ROWS:
        cells = table.get(row)
        out.extend(map(cells.get, _APPLICATION_COLUMNS) if isinstance(cells, dict)
                   else _NO_CELLS)
    return out


def csv_rows(data: Mapping[str, Any]) -> list[str]:
    """A report's rows of applications.csv and key-figures.csv, without the leading slug
    (CR LF included), from its published JSON form (``Report.to_dict``)."""
    identity = [lookup(data, p) for p in _IDENTITY]
    figures = [lookup(data, p) for p in _KEY_FIGURES]
    return [csv_line([*identity, *_application_cells(data.get("applications"))]),
            csv_line([*identity, *figures, *_finding_counts(data)])]


def report_csv_rows(report: Report) -> list[str]:
    """:func:`csv_rows` of ``report.to_dict()``, read from the report itself: no JSON form
    made, the identity cells written once for both rows, and cells that are all whole
    numbers or blank joined without the CSV writer (:func:`_number_cells`). A third of
    what :func:`csv_rows` costs."""
    region = report.region
    head = csv_line([report.agency, report.agency_key, report.year, report.template,
                     report.published, region.province, region.city, region.county,
                     region.township, region.code, region.level, region.kind,
                     report.source.path])[:-2]
    applications = report.applications
    figures: list[object] = []
    for row in _KEY_FIGURE_ROWS:
        cells = applications.get(row)
        figures.append(cells.get("total") if isinstance(cells, dict) else None)
    figures += [getattr(report, group.key).get("total") for group in REVIEW_GROUPS]
    counts = report.counts()
    figures += [counts[s] for s in SEVERITIES]
    return [f"{head},{_number_cells(_application_cells(applications))}",
            f"{head},{_number_cells(figures)}"]


_WHOLE_OR_BLANK = frozenset({int, type(None)})
_SHOWN: dict[int | None, str] = {None: "", **{n: str(n) for n in range(1000)}}
"""How a blank cell and the small counts most cells hold are written (looking one up costs
half of ``str``)."""


def _number_cells(values: list[object]) -> str:
    """:func:`csv_line` of ``values``, each a table cell or a count. When every value is an
    ``int`` or ``None`` (nearly always), their text joined by commas: what the CSV writer
    makes of them (nothing for ``None``, ``str`` for an ``int``: no digit nor sign needs
    quoting)."""
    if not set(map(type, values)) <= _WHOLE_OR_BLANK:
        return csv_line(values)
    cells = cast("list[int | None]", values)
    found = list(map(_SHOWN.get, cells))
    texts = cast("list[str]", found) if None not in found else \
        [str(v) if t is None else t for t, v in zip(found, cells, strict=True)]
    return ",".join(texts) + "\r\n"
