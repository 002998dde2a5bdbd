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
from itertools import chain
from typing import NamedTuple

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


class Unit(NamedTuple):
    """Pages rendered together: ``kind`` and ``ident`` say which (see :func:`render_unit`).
    A named tuple: immutable, and made at a third of the cost of a frozen dataclass (a
    plan of 10,000 reports has 22,000 units, made in every build)."""

    kind: str
    ident: str
    deps: tuple[str, ...] | None
    """Slugs of the reports whose content the pages show; ``None``: all of them."""

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.ident}"


def plan_units(catalog: Catalog) -> list[Unit]:
    """Every unit of the site, in a fixed order (the cheap, many units last).

    The reports of a year are gathered in one pass over the catalog, an agency's page
    and its reports' pages share one ``deps`` tuple (its reports), and a region's deps are
    its agencies' tuples chained: a plan is made in every build, also when no page
    changes."""
    out = [Unit("home", "", ALL), Unit("dictionary", "", ()), Unit("regions", "", ALL),
           Unit("years", "", ALL), Unit("quality", "", ALL)]
    siblings = {slug: tuple([e.slug for e in agency.entries])
                for slug, agency in catalog.agencies.items()}
    for code in catalog.regions:
        slugs = tuple(chain.from_iterable(map(siblings.__getitem__, catalog.descendants(code))))
        out.append(Unit("region", code, slugs))
    of_year: dict[str, list[str]] = {year: [] for year in catalog.years}
    for entry in catalog.entries:
        of_year[entry.year].append(entry.slug)
    out += [Unit("year", year, tuple(slugs)) for year, slugs in of_year.items()]
    out += [Unit("agency", slug, deps) for slug, deps in siblings.items()]
    out += [Unit("report", entry.slug, siblings[entry.agency]) for entry in catalog.entries]
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
    # one f-string a record (what str() makes of each part, joined by \x1f): 22,000
    # records in every build, a call with a map() each cost twice as much
    records = [f"e\x1f{e.slug}\x1f{e.agency}\x1f{e.year}\x1f{e.primary}\x1f{r.source.path}"
               f"\x1f{agency_name(r)}\x1f{r.agency_key}\x1f{r.year}\x1f{r.region.code}"
               for e in catalog.entries for r in (e.report,)]
    records += [f"a\x1f{slug}\x1f{agency_name(e.report)}\x1f{a.region}\x1f{e.slug}"
                for slug, a in catalog.agencies.items() for e in (a.entries[0],)]
    records += ["\x1f".join(["r", code, node.name, node.level, str(node.parent), *node.children,
                             "|", *node.agencies]) for code, node in catalog.regions.items()]
    records.append("\x1f".join(["y", *catalog.years]))
    records.append("\x1f".join(["p", *sorted(pages)]))
    records.append("")  # every record ends with \x1e
    return hashlib.sha256("\x1e".join(records).encode("utf-8", "surrogatepass")).hexdigest()
