"""The whole build: content -> parsed reports -> ``build/docs`` -> MkDocs -> ``site/``.

``build_site`` runs the stages in order and returns what happened; the ``build``
command turns that into a summary and an exit code. One broken report never
stops the build: it gets its page, with its findings.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import BuildOptions
from generator.errors import UsageError
from generator.model import Head, Severity
from generator.parallel import paused_gc, worker_count
from generator.rendering.catalog import Catalog, catalog_of
from generator.rendering.urls import original_txt, report_json
from generator.site.assets import shim_file, write_assets
from generator.site.cache import Loaded, ParseCache, full_report
from generator.site.datafiles import MANIFEST, write_data_files
from generator.site.dictionary import user_dictionary
from generator.site.loading import LoadStats, load_reports
from generator.site.mkdocs_config import (
    DICTIONARY_FILE,
    OFFLINE_CONFIG,
    ONLINE_CONFIG,
    config_text,
    derive_config,
    load_base_config,
    project_root,
)
from generator.site.mkdocs_runner import run_builds
from generator.site.pages import PAGES_MANIFEST, RenderStats, ReportKeys, render_pages
from generator.site.progress import Progress
from generator.site.shards import (
    check_site_dir,
    edition_signature,
    finish_shares,
    prepare_shares,
    shard_count,
    sync_shares,
)
from generator.site.tree import TreeStats, TreeWriter
from generator.sources import Inputs, find_inputs

HTML_DIR = "html"
"""Folder in the build folder where MkDocs writes (``html/<edition>/<share>``), kept
between builds so that the next one renders only changed pages."""
HOOK_FILES = ("generator/site/hooks.py",)
"""MkDocs hooks of the project (part of the signature of MkDocs' kept output)."""
STATS_FILE = "stats.json"
"""Counts and stage seconds of the last build, in the build folder (not deterministic)."""


@dataclass(slots=True)
class BuildResult:
    """What one build did."""

    reports: list[Head] = field(default_factory=list)
    """Every report's summary (findings of checks across reports included)."""
    load: LoadStats = field(default_factory=LoadStats)
    tree: TreeStats = field(default_factory=TreeStats)
    render: RenderStats = field(default_factory=RenderStats)
    pages: int = 0
    """Markdown pages generated."""
    nav_missing: list[str] = field(default_factory=list)
    """Pages named in the nav of mkdocs.yml that the build did not generate."""
    editions: list[Path] = field(default_factory=list)
    incremental: list[Path] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    """Every file of ``build/docs`` after this build (relative POSIX paths)."""
    """Editions MkDocs updated in place (``--dirty``: only changed pages rendered)."""
    """Folders MkDocs built (none with --generate-only)."""


def check_inputs(opts: BuildOptions, root: Path) -> None:
    """Raise :class:`UsageError` for anything that would make the build pointless."""
    if not opts.content.is_dir():
        raise UsageError(f"内容目录不存在：{opts.content}")
    if not opts.reports_dir.is_dir():
        raise UsageError(f"内容目录中没有 reports/ 文件夹：{opts.reports_dir}")
    if opts.offline and not opts.generate_only:
        shim_file(root)
    protected = [opts.content, opts.build_dir, root, Path.cwd()]
    check_site_dir(opts.site_dir, protected)
    if opts.offline:
        check_site_dir(opts.offline_dir, protected)


def read_pages(pages_dir: Path) -> dict[str, str]:
    """Hand-written Markdown pages under ``pages_dir``, keyed by POSIX relative path."""
    if not pages_dir.is_dir():
        return {}
    return {p.relative_to(pages_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(pages_dir.rglob("*.md")) if p.is_file()}


def write_docs(opts: BuildOptions, root: Path, loaded: Sequence[Loaded], writer: TreeWriter,
               progress: Progress) -> tuple[set[str], RenderStats]:
    """Write ``build/docs``: pages (those changed since the last build), downloads and
    assets; remove what is no longer built. Returns the page paths."""
    with progress.stage("render"):
        catalog = loaded_catalog(loaded)
        keys = report_keys(catalog, loaded)
        paths, stats = render_pages(catalog, read_pages(opts.pages_dir), keys, writer,
                                    opts.build_dir / PAGES_MANIFEST, opts.jobs,
                                    progress.ticker("生成页面"), cache=not opts.no_cache)
    with progress.stage("write"):
        slugs = {e.report.source.path: e.slug for e in catalog.entries}
        write_data_files(writer, loaded, slugs, report_json, original_txt,
                         opts.build_dir / MANIFEST, opts.jobs)
        write_assets(writer, root, opts.offline)
        writer.prune()
    return paths, stats


def loaded_catalog(loaded: Sequence[Loaded]) -> Catalog:
    """The catalog of the reports ``loaded``: made from their summaries, a report's full
    data read (from memory or its cache entry) only when its page is rendered."""
    by_path = {item.summary.source.path: item for item in loaded}
    paths: dict[str, str] = {}
    catalog = catalog_of([item.summary for item in loaded],
                         lambda slug: full_report(by_path[paths[slug]]))
    paths.update((e.slug, e.report.source.path) for e in catalog.entries)
    return catalog


def report_keys(catalog: Catalog, loaded: Sequence[Loaded]) -> ReportKeys:
    """Cache key and summary digest of every report on the site, by slug."""
    by_path = {item.summary.source.path: item for item in loaded}
    items = [(entry.slug, by_path[entry.report.source.path]) for entry in catalog.entries]
    return ReportKeys({slug: item.key for slug, item in items},
                      {slug: item.summary_key for slug, item in items})


def write_configs(opts: BuildOptions, root: Path, pages: Collection[str]) -> list[str]:
    """Write the jieba dictionary and the derived MkDocs configurations; nav pages missing."""
    writer = TreeWriter(opts.build_dir)
    writer.write_text(DICTIONARY_FILE, user_dictionary())
    base = load_base_config(root)
    online, missing = derive_config(base, root, opts, pages, offline=False)
    writer.write_text(ONLINE_CONFIG, config_text(online))
    if opts.offline:
        offline, _ = derive_config(base, root, opts, pages, offline=True)
        writer.write_text(OFFLINE_CONFIG, config_text(offline))
    return missing


def build_site(opts: BuildOptions, progress: Progress) -> BuildResult:
    """Run every stage of the build; MkDocs too unless ``opts.generate_only``."""
    root = project_root()
    check_inputs(opts, root)
    result = BuildResult()
    with progress.stage("discover"):
        inputs = find_inputs(opts.reports_dir)
    with paused_gc():
        _generate(opts, root, inputs, progress, result)
    if not opts.generate_only:
        _run_mkdocs(opts, root, progress, result)
    write_stats(opts, result, progress)
    return result


def _generate(opts: BuildOptions, root: Path, inputs: Inputs, progress: Progress,
              result: BuildResult) -> None:
    """Parse (through the cache), render and write ``build/docs`` and the configurations."""
    with progress.stage("parse"):
        cache = ParseCache(opts.cache_dir, enabled=not opts.no_cache)  # reads its index
        loaded, result.load = load_reports(inputs.reports, opts.content, cache, opts.jobs,
                                           progress.ticker("解析"), inputs.sidecars)
        cache.prune()
    result.reports = [item.summary for item in loaded]
    writer = TreeWriter(opts.docs_dir)
    pages, result.render = write_docs(opts, root, loaded, writer, progress)
    result.tree = writer.stats
    result.pages = len(pages)
    with progress.stage("write"):
        result.docs = sorted(writer.kept)
        result.nav_missing = write_configs(opts, root, pages)


def write_stats(opts: BuildOptions, result: BuildResult, progress: Progress) -> None:
    """``build/stats.json``: counts and seconds per stage, for benchmarks and CI logs."""
    stats = {
        "reports": result.load.total, "parsed": result.load.parsed,
        "cached": result.load.cached, "pages": result.pages,
        "findings": finding_totals(result.reports),
        "stages": {k: round(v, 3) for k, v in progress.seconds.items()},
    }
    text = json.dumps(stats, ensure_ascii=False, indent=1) + "\n"
    (opts.build_dir / STATS_FILE).write_text(text, encoding="utf-8")


def finding_totals(reports: Sequence[Head]) -> dict[str, int]:
    """Findings of every report, counted by severity (every severity present)."""
    total = {s.value: 0 for s in Severity}
    for report in reports:
        for finding in report.findings:
            total[finding.severity.value] += 1
    return total


def _run_mkdocs(opts: BuildOptions, root: Path, progress: Progress,
                result: BuildResult) -> None:
    """Build the online edition, then the offline one if asked; several processes if large."""
    forced = opts.extra.get("mkdocs_shards")
    count = shard_count(result.pages, worker_count(opts.jobs),
                        forced if isinstance(forced, int) else None)
    editions = [("mkdocs", ONLINE_CONFIG, opts.site_dir, False)]
    if opts.offline:
        editions.append(("offline", OFFLINE_CONFIG, opts.offline_dir, True))
    for stage, config, site_dir, offline in editions:
        with progress.stage(stage):
            dirty = _build_edition(opts, root, opts.build_dir / config, site_dir, offline,
                                   count, result.docs)
        result.editions.append(site_dir)
        if dirty:
            result.incremental.append(site_dir)


def _build_edition(opts: BuildOptions, root: Path, config: Path, site_dir: Path,
                   offline: bool, count: int, docs: Sequence[str]) -> bool:
    """MkDocs into the kept share folders (``--dirty`` when they can be updated), then
    the site folder made from them; returns whether it was ``--dirty``. The offline
    edition is always built afresh (its plugin rewrites every page)."""
    work = opts.build_dir / HTML_DIR / config.stem
    signature = None
    if not (offline or opts.no_cache):
        extra = [root / h for h in HOOK_FILES] + [opts.build_dir / DICTIONARY_FILE]
        signature = edition_signature(config, root, count, extra)
    shares, dirty = prepare_shares(work, count, signature, docs)
    run_builds(config, root, shares, dirty)
    finish_shares(work, signature, docs)
    sync_shares(shares, site_dir, offline, opts.docs_dir)
    return dirty
