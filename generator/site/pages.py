"""The render stage of a build: only the pages whose inputs changed, on every core.

Pages come in units (``generator.rendering.plan``). What every page is made from is the
build's *base*: the SHA-256 of the renderer's code and the catalog's shape, which fix the
units and the reports each lists (their ``deps``). Within one base a unit's pages can
only change when the summary (identity, findings, key figures) of one of its reports
does, or, for a report page, its report's content (its cache key): a change to a
report's text that leaves its summary as it was renders that report's page alone.
``build/pages.json`` remembers the base, every report's cache key and summary digest,
and the paths of every unit's pages. When the base is the same, the reports whose keys
changed are found by comparing the two maps (equal in a rebuild with no change: one
comparison), and a unit that lists none of them, and whose files are all there, is kept
as it is (not rendered, its files not touched, so MkDocs can tell they are unchanged
too). The others are rendered in worker processes when there are many. In a first build
(no tree, no manifest) each page is written in place, unread (``TreeWriter.fresh``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from generator import jsoncodec
from generator.errors import UsageError
from generator.parallel import ordered_map, worker_count
from generator.rendering import Unit, plan_units, render_unit, shape_digest
from generator.rendering.catalog import Catalog
from generator.rendering.plan import RENDER_FORMAT
from generator.site.tree import TreeWriter, read_state

PAGES_MANIFEST = "pages.json"
"""In the build folder: ``{"format": PAGES_FORMAT, "base": base, "content": {slug: cache
key}, "summary": {slug: summary digest}, "units": {unit name: [page paths …]}}`` of the
last build."""
PAGES_FORMAT = 2
"""Of ``pages.json``: a file of another format (or none) is not read."""
PARALLEL_FROM = 400
"""Fewer units than this to render: render them in this process."""
CODE_ROOT = Path(__file__).resolve().parents[1]
"""The ``generator`` package: a change in any of its modules renders every page anew."""

Tick = Callable[[int, int], None]


@dataclass(slots=True)
class RenderStats:
    """What the render stage did."""

    units: int = 0
    rendered: int = 0
    """Units rendered anew (the others were kept from the last build)."""
    pages: int = 0


def code_digest(root: Path = CODE_ROOT) -> str:
    """SHA-256 over the source of every module of the package (and ``RENDER_FORMAT``)."""
    digest = hashlib.sha256(RENDER_FORMAT.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ReportKeys:
    """What each report's pages are made from, by slug."""

    content: Mapping[str, str]
    """The cache key of the report's full data (and findings)."""
    summary: Mapping[str, str]
    """The digest of its summary (what other pages show of it)."""


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What ``pages.json`` says of the last build of this base."""

    keys: ReportKeys
    """The keys of the reports its pages were made from (values as read: a value that
    is not a string differs from every key)."""
    units: Mapping[str, list[str]]
    """Unit name -> the paths of its pages."""


NO_BUILD = LastBuild(ReportKeys({}, {}), {})
"""No last build (or one of another base): every unit is rendered."""


def load_manifest(path: Path, base: str) -> LastBuild:
    """The last build, if ``pages.json`` is of this format and ``base``; else
    :data:`NO_BUILD` (also when missing or unreadable)."""
    state = read_state(path)
    units, content, summary = state.get("units"), state.get("content"), state.get("summary")
    if (state.get("format") != PAGES_FORMAT or state.get("base") != base
            or not (isinstance(units, dict) and isinstance(content, dict)
                    and isinstance(summary, dict))):
        return NO_BUILD
    return LastBuild(ReportKeys(content, summary), _well_formed(units))


def _well_formed(units: dict[str, Any]) -> dict[str, list[str]]:
    """The entries of ``units`` that are non-empty lists of strings (the others' units are
    rendered again). Checked in bulk first (types gathered in C: 22,000 lists in a site of
    10,000 reports), and entry by entry only when that finds something else."""
    entries = units.values()
    if (set(map(type, entries)) <= {list} and all(entries)
            and set(map(type, chain.from_iterable(entries))) <= {str}):
        return units
    return {name: entry for name, entry in units.items()
            if type(entry) is list and entry and all(type(x) is str for x in entry)}


def changed_slugs(before: Mapping[str, object], now: Mapping[str, str]) -> set[str]:
    """The slugs of ``now`` whose key is not the one in ``before`` (none when the maps are
    equal: one comparison in a rebuild where nothing changed)."""
    if before == now:
        return set()
    return {slug for slug, key in now.items() if before.get(slug) != key}


def unit_changed(unit: Unit, summaries: Set[str], contents: Set[str]) -> bool:
    """Whether ``unit``'s pages may show something else than in the last build of the same
    base: the summary of one of its reports changed (of any report, for a unit showing
    them all), or, for a report page, its report's content (the only page that shows a
    report's full data: ``plan.render_unit``). ``summaries``, ``contents``: the slugs of
    the reports whose summary, content changed."""
    if unit.deps is None:
        return bool(summaries)
    if unit.kind == "report" and unit.ident in contents:
        return True
    return not summaries.isdisjoint(unit.deps)


def kept_units(units: Mapping[str, Unit], last: LastBuild,
               keys: ReportKeys) -> dict[str, list[str]]:
    """Name -> page paths of the ``units`` (by name) whose pages the last build made from
    what they show now (:func:`unit_changed`)."""
    summaries = changed_slugs(last.keys.summary, keys.summary)
    contents = changed_slugs(last.keys.content, keys.content)
    names: Iterable[str] = units
    if summaries or contents:
        names = [name for name, unit in units.items()
                 if not unit_changed(unit, summaries, contents)]
    return {name: paths for name in names if (paths := last.units.get(name)) is not None}


_catalog: Catalog | None = None
_hand: Mapping[str, str] = {}
_root: Path | None = None
"""What the workers render from and write to: set before the pool forks, read by
:func:`_render`."""
_fresh = False
"""Whether the tree is :attr:`TreeWriter.fresh` (set with ``_root``)."""
_folders: set[str] = set()
"""Folders of the tree made by the units this process rendered (the writer of each unit
makes a folder only if it is not here): cleared before the pool forks."""


def _render(job: tuple[str, str]) -> tuple[list[str], int]:
    """Render one unit and write its pages (in the worker: the page texts never travel
    back to the parent); returns their paths, sorted, and how many files changed."""
    assert _catalog is not None and _root is not None
    pages = render_unit(_catalog, job[0], job[1], _hand)
    writer = TreeWriter(_root, folders=_folders, fresh=_fresh)
    for path in sorted(pages):
        writer.write_text(path, pages[path])
    return sorted(writer.kept), writer.stats.written


def _keep_units(writer: TreeWriter, units: Mapping[str, list[str]]) -> list[str]:
    """Keep the files of ``units`` (name -> page paths from the last build, whose inputs
    are unchanged) where all of a unit's files are there; returns the names of the units
    not kept. All at once in the usual case (every file there), else unit by unit."""
    if writer.keep_all(list(chain.from_iterable(units.values()))):
        return []
    return [name for name, paths in units.items() if not writer.keep_all(paths)]


def render_pages(catalog: Catalog, hand: Mapping[str, str], keys: ReportKeys,
                 writer: TreeWriter, manifest: Path, jobs: int, tick: Tick,
                 cache: bool = True) -> tuple[set[str], RenderStats]:
    """Write every page into ``writer``'s tree: kept, or rendered anew; then the
    hand-written ones. Returns every page path and what was done.

    ``keys``: what each report's pages are made from. Raises
    :class:`UsageError` when a hand-written page has the path of a generated one.
    """
    global _catalog, _hand, _root, _fresh
    fresh = not (writer.root.exists() or manifest.exists())
    base = hashlib.sha256(f"{code_digest()}\0{shape_digest(catalog, hand)}".encode()).hexdigest()
    last = load_manifest(manifest, base) if cache else NO_BUILD
    units = {unit.name: unit for unit in plan_units(catalog)}
    stats = RenderStats(units=len(units))
    same = kept_units(units, last, keys)
    missing = set(_keep_units(writer, same))
    after = {name: paths for name, paths in same.items() if name not in missing}
    todo = [(name, unit) for name, unit in units.items() if name not in after]
    stats.rendered = len(todo)
    _catalog, _hand, _root, _fresh = catalog, hand, writer.root, fresh
    _folders.clear()
    try:
        jobs_in = [(unit.kind, unit.ident) for _, unit in todo]
        results = ordered_map(_render, jobs_in, worker_count(jobs), inline_below=PARALLEL_FROM)
        for done, ((name, _), (paths, written)) in enumerate(zip(todo, results, strict=True), 1):
            writer.claimed(paths, written)
            after[name] = paths
            tick(done, len(todo))
    finally:
        _catalog, _hand, _root, _fresh = None, {}, None, False
        _folders.clear()
    generated = set(chain.from_iterable(after.values()))
    for name in sorted(hand):
        if name in generated:
            raise UsageError(
                f"content/pages/{name}: a generated page has this path; rename the page")
        writer.write_text(name, hand[name])
    if after != last.units or keys != last.keys:  # as read: not written again
        state = {"format": PAGES_FORMAT, "base": base, "content": keys.content,
                 "summary": keys.summary, "units": after}
        manifest.write_bytes(jsoncodec.dumps_bytes(state, sort_keys=True) + b"\n")
    every = generated | set(hand)
    stats.pages = len(every)
    return every, stats
