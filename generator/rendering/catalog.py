"""The site's structure: reports with their slugs, agencies, regions and years.

Built once from the reports, in an order that does not depend on the input order.
Regions form a tree keyed by division code: province -> city -> county (townships
are listed under their county). Municipalities and province-administered counties
have no city level: a city node exists only where the report names a city.
Reports without a usable code are under the node ``unknown`` (未识别地区).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from generator.model import Head, Report
from generator.rendering.figures import Figure, identity_state
from generator.rendering.summary import Summary, summarize
from generator.rendering.urls import (
    UNKNOWN,
    agency_slug,
    region_code,
    slugs_of,
    year_key,
)

UNKNOWN_AGENCY = "未识别机关"
UNKNOWN_REGION = "未识别地区"


@dataclass(slots=True)
class Entry:
    """One report and where it lives on the site."""

    report: Summary
    """What other pages show of it; its full data: :meth:`Catalog.full`."""
    slug: str
    agency: str
    """The agency slug."""
    year: str
    """Year key: four digits or ``unknown``."""
    primary: bool
    """The first report of its agency and year (by source path): the one summed."""
    figures: Mapping[str, Figure]
    """Its key figures (computed once)."""
    state: str
    """Its identity state: broken, unverifiable or ok."""
    key_cells: str | None = field(default=None, repr=False, compare=False)
    """Its key figure cells as comparison tables show them, once made
    (``rendering.common.key_cells``)."""


@dataclass(slots=True)
class Agency:
    """All reports of one agency, newest first."""

    slug: str
    entries: list[Entry]
    region: str = UNKNOWN
    """Code of the region node the agency is listed under."""

    @property
    def latest(self) -> Entry:
        """The newest report (the first entry)."""
        return self.entries[0]

    @property
    def name(self) -> str:
        """The name the newest report gives (raw, untrusted)."""
        return agency_name(self.latest.report)

    @property
    def names(self) -> list[str]:
        """Every distinct name the agency's reports give, sorted."""
        return sorted({agency_name(e.report) for e in self.entries})


@dataclass(slots=True)
class RegionNode:
    """A province, city or county present on the site (or ``unknown``)."""

    code: str
    name: str
    """Raw name (untrusted) or a fallback built from the code."""
    level: str
    """province | city | county | unknown."""
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    """Slugs of the agencies listed directly at this node."""


@dataclass(slots=True)
class Catalog:
    """Everything the pages are built from."""

    entries: list[Entry]
    """Every report, sorted by slug."""
    agencies: dict[str, Agency]
    regions: dict[str, RegionNode]
    years: list[str]
    """Year keys present, newest first, ``unknown`` last."""
    load: Callable[[str], Report]
    """The full data of the report with this slug (read when its page is rendered)."""
    by_slug: dict[str, Entry] = field(default_factory=dict)
    places: dict[tuple[str, str], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False)
    """The breadcrumbs of a region's places by folder of the page and region code, once
    made (``rendering.common.place_links``)."""
    below: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    """:meth:`descendants` of each region asked for, once made."""

    def __post_init__(self) -> None:
        self.by_slug = {e.slug: e for e in self.entries}

    def entry(self, slug: str) -> Entry:
        """The report with this slug."""
        return self.by_slug[slug]

    def full(self, entry: Entry) -> Report:
        """The full data of ``entry``'s report, findings as in its summary (the summary's
        list: checks across reports add to it after the report was parsed)."""
        return self.load(entry.slug).with_findings(list(entry.report.findings))

    def chain(self, code: str) -> list[RegionNode]:
        """The nodes from the province down to ``code``."""
        out: list[RegionNode] = []
        node: RegionNode | None = self.regions.get(code)
        while node is not None:
            out.append(node)
            node = self.regions.get(node.parent) if node.parent else None
        return out[::-1]

    def province(self, agency: str) -> str:
        """The province code an agency belongs to, or ``unknown``."""
        return self.chain(self.agencies[agency].region)[0].code

    def of_year(self, year: str) -> list[Entry]:
        """The reports of one year, by province, region, agency name and slug."""
        rows = [e for e in self.entries if e.year == year]
        return sorted(rows, key=self.entry_order)

    def entry_order(self, entry: Entry) -> tuple[str, str, str, str]:
        """Sort key of a report in lists: region, agency name, slug."""
        agency = self.agencies[entry.agency]
        return (agency.region, agency_name(entry.report), entry.year, entry.slug)

    def descendants(self, code: str) -> tuple[str, ...]:
        """Agency slugs at ``code`` and below, sorted; made once per region (the plan,
        the region's page and its parent's ask, and each walks the region's subtree)."""
        slugs = self.below.get(code)
        if slugs is None:
            node = self.regions[code]
            out = list(node.agencies)
            for child in node.children:
                out += self.descendants(child)
            slugs = self.below[code] = tuple(sorted(out))
        return slugs


def agency_name(report: Head) -> str:
    """The agency's name as printed, or 未识别机关."""
    name = report.agency
    return name if isinstance(name, str) and name.strip() else UNKNOWN_AGENCY


def build_catalog(reports: Sequence[Report]) -> Catalog:
    """Sort the reports into entries, agencies, regions and years."""
    by_path: dict[str, Report] = {}
    for report in sorted(reports, key=lambda r: (r.source.path, r.source.sha256)):
        by_path.setdefault(report.source.path, report)
    paths: dict[str, str] = {}
    catalog = catalog_of([summarize(r) for r in by_path.values()],
                         lambda slug: by_path[paths[slug]])
    paths.update((e.slug, e.report.source.path) for e in catalog.entries)
    return catalog


def catalog_of(summaries: Sequence[Summary], load: Callable[[str], Report]) -> Catalog:
    """The catalog of the reports ``summaries`` sum up, one per source path (a build has
    one file per path; :func:`build_catalog` chooses among reports of one path by their
    SHA-256); ``load``: a report's full data by slug."""
    chosen: dict[str, Summary] = {}
    for summary in summaries:
        if summary.source.path in chosen:
            raise ValueError(f"{summary.source.path}: two reports of one source path")
        chosen[summary.source.path] = summary
    # agency slug and year key of each report, made once (its slug is made of them too)
    parts = {path: (agency_slug(r), year_key(r.year)) for path, r in chosen.items()}
    slugs = slugs_of({path: f"{agency}-{year}" for path, (agency, year) in parts.items()})
    entries = sorted([_entry(r, slugs[p], *parts[p]) for p, r in chosen.items()],
                     key=attrgetter("slug"))
    agencies = _agencies(entries)
    regions = _regions(agencies)
    years = sorted({e.year for e in entries}, key=lambda y: (y == UNKNOWN, _neg(y)))
    return Catalog(entries, agencies, regions, years, load)


def _neg(year: str) -> int:
    return -int(year) if year.isdigit() else 0


def _entry(summary: Summary, slug: str, agency: str, year: str) -> Entry:
    """The entry of ``summary``: ``agency`` its agency slug, ``year`` its year key."""
    primary = slug == f"{agency}-{year}"  # its base_slug: no suffix was needed
    return Entry(summary, slug, agency, year, primary, summary.figures, identity_state(summary))


def _agencies(entries: list[Entry]) -> dict[str, Agency]:
    """The agencies of ``entries``, by slug, each with its reports newest first (most
    agencies have one: its list is not sorted)."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.agency].append(entry)
    for items in groups.values():
        if len(items) > 1:
            items.sort(key=_newest_first)
    return {slug: Agency(slug, groups[slug]) for slug in sorted(groups)}


def _newest_first(entry: Entry) -> tuple[bool, int, str]:
    """Sort key of an agency's reports: newest year first, unknown years last, then slug."""
    return (entry.year == UNKNOWN, _neg(entry.year), entry.slug)


def _chain_of(report: Head) -> list[tuple[str, str, str | None]]:
    """(code, level, name) from the province down, as the report states them."""
    code = region_code(report)
    if code is None:
        return [(UNKNOWN, UNKNOWN, None)]
    region = report.region
    out: list[tuple[str, str, str | None]] = [(code[:2] + "0000", "province", region.province)]
    if region.city and code[2:4] != "00":
        out.append((code[:4] + "00", "city", region.city))
    if code[4:6] != "00":
        out.append((code[:6], "county", region.county))
    return out


def _regions(agencies: dict[str, Agency]) -> dict[str, RegionNode]:
    """The region nodes the agencies' newest reports name, each agency listed at the
    lowest. Names and parents are gathered in lists and counted once per node (not one
    ``Counter`` update per agency and level)."""
    levels: dict[str, str] = {}
    names: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    listed: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (name, slug) at a node
    for agency in agencies.values():
        report = agency.entries[0].report  # its newest (``latest``)
        chain = _chain_of(report)
        parent = ""
        for code, level, name in chain:
            levels[code] = level
            if isinstance(name, str) and name.strip():
                names[code].append(name)
            parents[code].append(parent)
            parent = code
        agency.region = chain[-1][0]
        listed[agency.region].append((agency_name(report), agency.slug))
    nodes = {code: _node(code, levels[code], names[code], parents[code])
             for code in sorted(levels)}
    for node in nodes.values():
        node.agencies = [slug for _, slug in sorted(listed[node.code])]
        if node.parent is not None:
            nodes[node.parent].children.append(node.code)
    return nodes


def _node(code: str, level: str, names: list[str], parents: list[str]) -> RegionNode:
    """A node with its most frequent name and parent (ties: the larger code)."""
    name = _most(names) or (UNKNOWN_REGION if code == UNKNOWN else f"行政区划 {code}")
    return RegionNode(code, name, level, _most(parents) or None)


def _most(values: list[str]) -> str:
    """The most frequent value; ties go to the larger value; "" when there is none.
    Most nodes are named alike by all their reports: then no counting."""
    if not values:
        return ""
    if values.count(values[0]) == len(values):
        return values[0]
    return max(Counter(values).items(), key=lambda kv: (kv[1], kv[0]))[0]
