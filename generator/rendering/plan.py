"""The site's pages as *units*: groups of pages rendered together, with what they show.

A unit is one report page, one agency page, one region page, one year (its page and
its pages by province), or one of the few pages that sum up everything (home, the
region and year indexes, the data-quality pages). Each unit names the reports whose
summaries it shows (``deps``, as report slugs; ``None`` for every report): the
summary (``rendering.summary``: identity, findings, key figures) is all a page shows of
a report, except a report's own page, which shows its full data too — and only it may
read that (:func:`render_unit` makes :meth:`Catalog.full` fail for every other unit).
Everything a page takes from *other* reports besides their summaries (slugs, names,
years, region names and places, file paths) is the catalog's *shape*
(:func:`shape_digest`).

So a unit's pages can only change when the shape changes, the summary of one of its
reports does, or (a report page) its report's content does: ``generator.site`` keeps
the pages of every other unit from the last build without rendering them, and renders
the rest, in parallel when there are many.
``tests/test_plan.py`` checks that this gives the same pages as rendering everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from generator.model import Report
from generator.rendering.agency_page import render_agency
from generator.rendering.catalog import Catalog, agency_name
from generator.rendering.dictionary import render_dictionary
from generator.rendering.home import render_home
from generator.rendering.quality_pages import render_quality
from generator.rendering.region_pages import render_region, render_regions_index
from generator.rendering.report_page import render_report
from generator.rendering.urls import (
    DICTIONARY,
    HOME,
    REGIONS_INDEX,
    YEARS_INDEX,
    agency_page,
    region_page,
    report_page,
)
from generator.rendering.year_pages import render_year, render_years_index

RENDER_FORMAT = "1"
"""Bumped by hand when no renderer change would otherwise reach the cached pages (the
package version and this module's digest are in every key too, see ``site.pagecache``)."""

ALL = None
"""``deps`` of a unit that shows every report."""


@dataclass(frozen=True, slots=True)
class Unit:
    """Pages rendered together: ``kind`` and ``ident`` say which (see :func:`render_unit`)."""

    kind: str
    ident: str
    deps: tuple[str, ...] | None
    """Slugs of the reports whose content the pages show; ``None``: all of them."""

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.ident}"


def plan_units(catalog: Catalog) -> list[Unit]:
    """Every unit of the site, in a fixed order (the cheap, many units last)."""
    out = [Unit("home", "", ALL), Unit("dictionary", "", ()), Unit("regions", "", ALL),
           Unit("years", "", ALL), Unit("quality", "", ALL)]
    for code in catalog.regions:
        slugs = tuple(e.slug for a in catalog.descendants(code)
                      for e in catalog.agencies[a].entries)
        out.append(Unit("region", code, slugs))
    for year in catalog.years:
        out.append(Unit("year", year, tuple(e.slug for e in catalog.entries if e.year == year)))
    for slug, agency in catalog.agencies.items():
        out.append(Unit("agency", slug, tuple(e.slug for e in agency.entries)))
    for entry in catalog.entries:
        siblings = catalog.agencies[entry.agency].entries
        out.append(Unit("report", entry.slug, tuple(e.slug for e in siblings)))
    return out


def render_unit(catalog: Catalog, kind: str, ident: str,
                pages: Mapping[str, str]) -> dict[str, str]:
    """The pages of one unit, by path. ``pages``: the hand-written pages (the home page
    links those it knows)."""
    if kind == "report":
        entry = catalog.entry(ident)
        return {report_page(ident): render_report(catalog, entry)}
    load, catalog.load = catalog.load, _no_full_data
    try:
        return _render_listing(catalog, kind, ident, pages)
    finally:
        catalog.load = load


def _no_full_data(slug: str) -> Report:
    """:attr:`Catalog.load` while a unit other than a report page renders: its key
    covers only the summaries of its reports, so it must not show more of them."""
    raise RuntimeError(f"page unit read the full data of report {slug}; only a report's "
                       "own page may (generator/rendering/plan.py)")


def _render_listing(catalog: Catalog, kind: str, ident: str,
                    pages: Mapping[str, str]) -> dict[str, str]:
    """The pages of a unit other than a report page (they show summaries only)."""
    if kind == "agency":
        return {agency_page(ident): render_agency(catalog, catalog.agencies[ident])}
    if kind == "region":
        return {region_page(ident): render_region(catalog, ident)}
    if kind == "year":
        return render_year(catalog, ident)
    if kind == "home":
        return {HOME: render_home(catalog, pages)}
    if kind == "dictionary":
        return {DICTIONARY: render_dictionary()}
    if kind == "regions":
        return {REGIONS_INDEX: render_regions_index(catalog)}
    if kind == "years":
        return {YEARS_INDEX: render_years_index(catalog)}
    if kind == "quality":
        return render_quality(catalog)
    raise ValueError(f"unknown page unit {kind!r}")


def shape_digest(catalog: Catalog, pages: Mapping[str, str]) -> str:
    """A digest of what pages take from reports other than their own deps' content:
    every report's slug, agency, year, path and place; every agency's name and region;
    every region's name, level, parent, children and agencies; the hand-written pages'
    names."""
    records: list[str] = []

    def put(*parts: object) -> None:
        records.append("\x1f".join(map(str, parts)))

    for entry in catalog.entries:
        report = entry.report
        put("e", entry.slug, entry.agency, entry.year, entry.primary, report.source.path,
            agency_name(report), report.agency_key, report.year, report.region.code)
    for slug, agency in catalog.agencies.items():
        put("a", slug, agency.name, agency.region, agency.latest.slug)
    for code, node in catalog.regions.items():
        put("r", code, node.name, node.level, node.parent, *node.children, "|", *node.agencies)
    put("y", *catalog.years)
    put("p", *sorted(pages))
    records.append("")  # every record ends with \x1e
    return hashlib.sha256("\x1e".join(records).encode("utf-8", "surrogatepass")).hexdigest()
