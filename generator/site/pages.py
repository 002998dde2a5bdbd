"""The render stage of a build: only the pages whose inputs changed, on every core.

Pages come in units (``generator.rendering.plan``). What every page is made from is the
build's *base*: the SHA-256 of the renderer's code and the catalog's shape. A unit's key
is the digest of the summary digests of the reports it lists (a report page: also its
own report's cache key, as it alone shows the full data). So a change to a report's text
that leaves its summary (identity, findings, key figures) as it was renders that
report's page alone. ``build/pages.json`` remembers the base and, for every unit, the key
its pages were made from and their paths: when the base is the same, a unit whose key
and files are unchanged is kept as it is (not rendered, its files not touched, so MkDocs
can tell they are unchanged too). The others are rendered in worker processes when there
are many. In a first build (no tree, no manifest) each page is written in place, unread
(``TreeWriter.fresh``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import jsoncodec
from generator.errors import UsageError
from generator.parallel import ordered_map, worker_count
from generator.rendering import Unit, plan_units, render_unit, shape_digest
from generator.rendering.catalog import Catalog
from generator.rendering.plan import RENDER_FORMAT
from generator.site.tree import TreeWriter, read_state

PAGES_MANIFEST = "pages.json"
"""In the build folder: ``{"base": base, "units": {unit name: [key, page paths …]}}`` of
the last build."""
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


def unit_key(unit: Unit, keys: ReportKeys, all_summaries: str,
             digests: dict[tuple[str, ...], str]) -> str:
    """The key of ``unit``'s pages within one base: the digest of the summary digests of
    its reports (``all_summaries`` for a unit showing every report), and for a report
    page its report's cache key before it (the only page that shows a report's full
    data: ``plan.render_unit``). ``digests``: of the ``deps`` met so far (an agency's
    page and its reports' pages share one tuple: hashed once for them all)."""
    deps = all_summaries if unit.deps is None else deps_digest(unit.deps, keys, digests)
    return f"{keys.content[unit.ident]} {deps}" if unit.kind == "report" else deps


def deps_digest(deps: tuple[str, ...], keys: ReportKeys,
                digests: dict[tuple[str, ...], str]) -> str:
    """SHA-256 of the summary digests of the reports ``deps``, each with a line break
    (joined first: one update of the hash), from ``digests`` if made already."""
    digest = digests.get(deps)
    if digest is None:
        joined = "".join([keys.summary[slug] + "\n" for slug in deps])
        digest = digests[deps] = hashlib.sha256(joined.encode()).hexdigest()
    return digest


def load_manifest(path: Path, base: str) -> dict[str, list[str]]:
    """Unit name -> [key, paths …] from the last build, if it had this ``base``; empty
    if not, or none or unreadable.

    The lists are taken as read (22,000 of them in a site of 10,000 reports); one that is
    not [key, path, …] of strings is left out (its unit is rendered again)."""
    state = read_state(path)
    units = state.get("units")
    if state.get("base") != base or not isinstance(units, dict):
        return {}
    return {k: v for k, v in units.items()
            if type(v) is list and len(v) >= 2 and all(type(x) is str for x in v)}


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
    """Keep the files of ``units`` (name -> [key, paths …] from the last build, whose
    key is unchanged) where all of a unit's files are there; returns the names of the
    units not kept. All at once in the usual case (every file there), else unit by unit."""
    every = [path for entry in units.values() for path in entry[1:]]
    if writer.keep_all(every):
        return []
    return [name for name, entry in units.items() if not writer.keep_all(entry[1:])]


def render_pages(catalog: Catalog, hand: Mapping[str, str], keys: ReportKeys,
                 writer: TreeWriter, manifest: Path, jobs: int, tick: Tick,
                 cache: bool = True) -> tuple[list[str], RenderStats]:
    """Write every page into ``writer``'s tree: kept, or rendered anew; then the
    hand-written ones. Returns every page path (sorted) and what was done.

    ``keys``: what each report's pages are made from. Raises
    :class:`UsageError` when a hand-written page has the path of a generated one.
    """
    global _catalog, _hand, _root, _fresh
    fresh = not (writer.root.exists() or manifest.exists())
    base = hashlib.sha256(f"{code_digest()}\0{shape_digest(catalog, hand)}".encode()).hexdigest()
    before = load_manifest(manifest, base) if cache else {}
    joined = "\n".join(keys.summary[e.slug] for e in catalog.entries)
    all_summaries = hashlib.sha256(joined.encode()).hexdigest()
    units = plan_units(catalog)
    stats = RenderStats(units=len(units))
    digests: dict[tuple[str, ...], str] = {}
    planned = [(unit, unit.name, unit_key(unit, keys, all_summaries, digests))
               for unit in units]
    same = {name: old for _, name, key in planned
            if (old := before.get(name)) is not None and old[0] == key}
    missing = set(_keep_units(writer, same))
    after = {name: old for name, old in same.items() if name not in missing}
    todo = [(unit, key) for unit, name, key in planned if name not in after]
    stats.rendered = len(todo)
    _catalog, _hand, _root, _fresh = catalog, hand, writer.root, fresh
    _folders.clear()
    try:
        jobs_in = [(unit.kind, unit.ident) for unit, _ in todo]
        results = ordered_map(_render, jobs_in, worker_count(jobs), inline_below=PARALLEL_FROM)
        for done, ((unit, key), (paths, written)) in enumerate(zip(todo, results, strict=True), 1):
            writer.claimed(paths, written)
            after[unit.name] = [key, *paths]
            tick(done, len(todo))
    finally:
        _catalog, _hand, _root, _fresh = None, {}, None, False
        _folders.clear()
    generated = {p for entry in after.values() for p in entry[1:]}
    for name in sorted(hand):
        if name in generated:
            raise UsageError(
                f"content/pages/{name}: a generated page has this path; rename the page")
        writer.write_text(name, hand[name])
    if after != before:  # as it was read (same base): not written again (22,000 entries)
        state = {"base": base, "units": after}
        manifest.write_bytes(jsoncodec.dumps_bytes(state, sort_keys=True) + b"\n")
    paths = sorted(generated | set(hand))
    stats.pages = len(paths)
    return paths, stats
