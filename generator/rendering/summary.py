"""A report's summary: what every page besides its own shows of it.

Lists, comparison tables, the region, year and data-quality pages need a report's
identity (source, agency, year, region), its findings (with their source lines) and its
key figures, never its narrative, cells or line numbers. A build keeps each report's
summary apart from its full data, so a rebuild with one report changed reads ten
thousand small summaries instead of ten thousand parsed reports; only the pages of the
changed reports' units load full data (:attr:`generator.rendering.catalog.Catalog.full`).

The summary is made from the parsed report (:func:`summarize`) and stored as compact
JSON (:func:`summary_to_dict`, :func:`summary_from_dict`); a round trip gives an equal
summary (``tests/test_pagecache.py``), so pages made from a stored one equal pages made
from the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.model import Finding, Region, Report, finding_from_dict
from generator.rendering.figures import KEY_COLUMNS, Figure, StoredFigures, key_figures


@dataclass(frozen=True, slots=True)
class SourcePath:
    """The path of a report's file, relative to the content folder (its hash, address and
    encoding are shown on its own page only, so an edit changes no other page)."""

    path: str


@dataclass(slots=True)
class Summary:
    """The parts of a report other pages show (satisfies :class:`generator.model.Head`)."""

    source: SourcePath
    agency: str | None
    agency_key: str
    year: int | None
    region: Region
    findings: list[Finding]
    """Every finding, checks across reports (duplicates) included once the build ran them."""
    figures: Mapping[str, Figure]
    """Key figures by :data:`generator.rendering.figures.KEY_COLUMNS` key."""


def summarize(report: Report) -> Summary:
    """The summary of ``report`` (its findings list copied: later checks add to each)."""
    return Summary(SourcePath(report.source.path), report.agency, report.agency_key,
                   report.year, report.region, list(report.findings), key_figures(report))


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """A JSON-ready form of ``summary`` (key figures as ``[value, partial, inferred]``)."""
    return {
        "source": summary.source.path,
        "agency": summary.agency,
        "agency_key": summary.agency_key,
        "year": summary.year,
        "region": summary.region.to_dict(),
        "findings": [f.to_dict() for f in summary.findings],
        "figures": [[f.value, f.partial, f.inferred]
                    for f in (summary.figures[c.key] for c in KEY_COLUMNS)],
    }


def summary_from_dict(data: dict[str, Any]) -> Summary:
    """The summary stored by :func:`summary_to_dict` (``KeyError``/``TypeError``/
    ``ValueError`` if malformed)."""
    return Summary(SourcePath(str(data["source"])), data["agency"], data["agency_key"],
                   data["year"], Region(**data["region"]),
                   [finding_from_dict(f) for f in data["findings"]],
                   StoredFigures(data["figures"]))
