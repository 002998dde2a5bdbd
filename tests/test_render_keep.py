"""The cheap paths of a rebuild's render stage: pages kept in bulk
(``TreeWriter.keep_all``), prune from the writer's listing, the plan, and the manifest.

A rebuild of 10,000 reports keeps 22,000 units' pages: these paths do per-unit work in
sets and shared tuples, and must decide exactly as the per-path way did.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from generator.pipeline import load_report
from generator.rendering import build_catalog, plan_units
from generator.rendering.catalog import Catalog
from generator.site.pages import ReportKeys, load_manifest, unit_key
from generator.site.tree import TreeWriter, list_tree
from tests.conftest import build_args, make_content, run_cli, sample_reports


def _files(root: Path, rels: list[str]) -> None:
    for rel in rels:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")


def test_keep_all_keeps_only_files_as_listed(tmp_path: Path) -> None:
    _files(tmp_path, ["a.md", "r/b.md", "r/c.md", "r/x\\y.md"])
    writer = TreeWriter(tmp_path)
    assert not writer.keep_all(["r/b.md", "r/missing.md"])  # all or none
    assert not writer.keep_all(["./a.md"])  # another spelling: made again, not kept
    assert not writer.keep_all(["../a.md"])
    assert not writer.keep_all(["r/x\\y.md"])  # a name no writer makes
    assert not writer.keep_all(["r/b.md", "r/b.md"])
    assert writer.kept == set() and writer.stats.unchanged == 0
    assert writer.keep_all(["a.md", "r/b.md"])
    assert writer.kept == {"a.md", "r/b.md"} and writer.stats.unchanged == 2
    assert not writer.keep_all(["r/c.md", "a.md"])  # a.md is kept already
    assert writer.keep_all([]) and writer.keep_all(["r/c.md"])


def _messy_tree(root: Path) -> None:
    """Files to keep and to delete, a folder left empty, one empty already, a link
    pointing nowhere, a link to a folder (left alone), a stale temporary file."""
    _files(root, ["keep.md", "gone.md", "old/only.md", "r/keep.md", "r/gone.md",
                  "r/.x.md.1.tmp", "outside/o.md"])
    (root / "empty" / "inner").mkdir(parents=True)
    os.symlink(root / "nowhere", root / "r" / "dangling.md")
    os.symlink(root / "outside", root / "linked")


def test_prune_from_the_listing_deletes_what_a_walk_deletes(tmp_path: Path) -> None:
    results = []
    for listed in (False, True):
        root = tmp_path / f"listed-{listed}"
        _messy_tree(root)
        writer = TreeWriter(root)
        if listed:
            assert writer.keep_all(["keep.md"])  # lists the tree
        else:
            writer.keep("keep.md")
            writer.listing = None  # as a writer that never listed
        writer.write_text("r/keep.md", "new")
        writer.write_text("new/n.md", "n")
        writer.claimed(["outside/o.md"], 0)
        writer.prune()
        listing = list_tree(str(root))
        results.append((sorted(listing.files), sorted(listing.folders),
                        sorted(listing.others), writer.stats.deleted))
    assert results[0] == results[1]
    files, folders, _, deleted = results[1]
    assert files == ["keep.md", "new/n.md", "outside/o.md", "r/keep.md"]
    assert folders == ["new", "outside", "r"] and deleted == 5
    assert (tmp_path / "listed-True" / "linked").is_symlink()


def test_prune_after_a_temporary_name_came_and_went(tmp_path: Path) -> None:
    """A stale temporary file of the same name as one this build used and renamed is not
    there any more at the end: nothing to delete, no error."""
    writer = TreeWriter(tmp_path)
    _files(tmp_path, ["a.md"])
    tmp = f".a.md.{os.getpid()}.tmp"
    _files(tmp_path, [tmp])
    writer.keep_all([])
    writer.write_text("a.md", "changed")
    assert not (tmp_path / tmp).exists()
    writer.prune()
    assert writer.stats.deleted == 0 and sorted(list_tree(str(tmp_path)).files) == ["a.md"]


def _catalog() -> Catalog:
    return build_catalog([load_report(p) for p in sample_reports()])


def test_plan_shares_deps_and_lists_each_year() -> None:
    catalog = _catalog()
    units = {unit.name: unit for unit in plan_units(catalog)}
    for year in catalog.years:
        assert units[f"year:{year}"].deps == tuple(
            e.slug for e in catalog.entries if e.year == year)
    for entry in catalog.entries:
        report, agency = units[f"report:{entry.slug}"], units[f"agency:{entry.agency}"]
        assert report.deps == tuple(e.slug for e in catalog.agencies[entry.agency].entries)
        assert report.deps is agency.deps


def test_unit_keys_change_with_what_their_pages_show() -> None:
    """A unit's key: the summaries of its reports (each), and a report page's content; the
    digests of shared deps made once give the keys made each on its own."""
    catalog = _catalog()
    slugs = [e.slug for e in catalog.entries]
    content = {s: f"c{n}" for n, s in enumerate(slugs)}
    summary = {s: f"s{n}" for n, s in enumerate(slugs)}
    units = plan_units(catalog)
    shared: dict[tuple[str, ...], str] = {}
    first = {u.name: unit_key(u, ReportKeys(content, summary), "all", shared) for u in units}
    assert first == {u.name: unit_key(u, ReportKeys(content, summary), "all", {})
                     for u in units}
    target = slugs[0]
    changed = {u.name: unit_key(u, ReportKeys(content, {**summary, target: "x"}), "all", {})
               for u in units}
    assert {n for n in first if first[n] != changed[n]} == {
        u.name for u in units if u.deps is not None and target in u.deps}
    other = {u.name: unit_key(u, ReportKeys({**content, target: "x"}, summary), "all", {})
             for u in units}
    assert {n for n in first if first[n] != other[n]} == {f"report:{target}"}


def test_manifest_of_another_base_or_form_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pages.json"
    path.write_text('{"base": "b", "units": {"a": ["k", "a.md"], "b": ["k"], "c": ["k", 1], '
                    '"d": "k", "e": ["k", ["a.md"]], "f": [null, "f.md"]}}', encoding="utf-8")
    assert load_manifest(path, "b") == {"a": ["k", "a.md"]}
    assert load_manifest(path, "other") == {}
    path.write_text('{"a": ["k", "a.md"]}', encoding="utf-8")  # the form before the base
    assert load_manifest(path, "b") == {}
    path.write_text('{"base": "b", "units": []}', encoding="utf-8")
    assert load_manifest(path, "b") == {}


@pytest.mark.slow
def test_a_missing_page_is_rendered_again_alone(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    make_corpus(12, content / "reports" / "synth", seed=3, broken_share=0.0)
    build = tmp_path / "build"

    def generate() -> str:
        code, err = run_cli(*build_args(content, build, tmp_path / "site", "--generate-only"))
        assert code == 0, err
        return next(ln for ln in err.splitlines() if ln.startswith("页面 "))

    generate()
    docs = build / "docs"
    before = {p: p.read_bytes() for p in docs.rglob("*.md")}
    page = sorted((docs / "reports").glob("*.md"))[0]
    page.unlink()
    shutil.rmtree(docs / "regions")
    line = generate()
    rendered = int(line.split("（", 1)[1].split("/", 1)[0])
    # the report's unit, and one unit for each page of regions/ (its index is one too)
    assert rendered == 1 + len([p for p in before if p.parent.name == "regions"])
    assert {p: p.read_bytes() for p in docs.rglob("*.md")} == before
