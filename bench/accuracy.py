"""Compare a parsed report with what the corpus maker meant it to say (its manifest entry)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.model import Report
from generator.tables import APPLICATION_COLUMN_KEYS, REVIEW_COLUMN_KEYS, REVIEW_GROUPS


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one parse got right, in a form cheap to send between processes."""

    path: str
    errors: int
    warnings: int
    infos: int
    codes: tuple[str, ...]
    """Finding codes of severity error or warning, sorted, with repeats."""
    has_region: bool
    has_year: bool
    has_agency: bool
    broken: str | None = None
    """The manifest's broken kind; ``None`` for a clean file or when there is no manifest."""
    in_manifest: bool = False
    region_ok: bool = False
    year_ok: bool = False
    agency_ok: bool = False
    template_ok: bool = False
    cells_wrong: int = 0
    first_wrong: str = ""
    """The first cell that differs: ``path: expected … found …``."""


def expected_cells(figures: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every cell the manifest states, as (data path, printed value)."""
    for row, values in figures["applications"].items():
        for col, value in zip(APPLICATION_COLUMN_KEYS, values, strict=True):
            yield f"applications.{row}.{col}", value
    for group in REVIEW_GROUPS:
        for col, value in zip(REVIEW_COLUMN_KEYS, figures[group.key], strict=True):
            yield f"{group.key}.{col}", value
    for item, cols in figures["proactive"].items():
        for col, value in cols.items():
            yield f"proactive.{item}.{col}", value


def parsed_cell(report: Report, path: str) -> Any:
    """The parsed value at a data path (``None`` when absent)."""
    part, *rest = path.split(".")
    if part == "applications":
        return report.applications.get(rest[0], {}).get(rest[1])
    if part == "proactive":
        return report.proactive.get(rest[0], {}).get(rest[1])
    cells: dict[str, Any] = getattr(report, part)
    return cells.get(rest[0])


def _same(expected: Any, found: Any) -> bool:
    if expected is None or found is None:
        return expected is None and found is None
    return bool(abs(float(expected) - float(found)) < 1e-9)


def compare_cells(report: Report, figures: dict[str, Any]) -> tuple[int, str]:
    """How many stated cells the parse got wrong, and the first of them."""
    wrong, first = 0, ""
    for path, value in expected_cells(figures):
        found = parsed_cell(report, path)
        if not _same(value, found):
            wrong += 1
            first = first or f"{path}: expected {value!r}, found {found!r}"
    return wrong, first


def outcome(path: str, report: Report, entry: dict[str, Any] | None) -> Outcome:
    """Summarise one parsed report, checked against its manifest entry when there is one."""
    counts = report.counts()
    codes = tuple(sorted(f.code for f in report.findings if f.severity.value != "info"))
    base = dict(path=path, errors=counts["error"], warnings=counts["warning"],
                infos=counts["info"], codes=codes, has_region=report.region.code is not None,
                has_year=report.year is not None, has_agency=bool(report.agency))
    if entry is None:
        return Outcome(**base)  # type: ignore[arg-type]
    region = entry["region"]
    code = report.region.code or ""
    wrong, first = compare_cells(report, entry["figures"])
    return Outcome(
        **base,  # type: ignore[arg-type]
        broken=entry["broken"], in_manifest=True,
        region_ok=code[:6] == region["code"],
        year_ok=report.year == entry["year"], agency_ok=report.agency == entry["agency"],
        template_ok=report.template == entry["template"], cells_wrong=wrong, first_wrong=first,
    )
