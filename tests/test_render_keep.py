"""The cheap paths of a rebuild's render stage: pages kept in bulk
(``TreeWriter.keep_all``), prune from the writer's listing, the plan, and the manifest.

A rebuild of 10,000 reports keeps 22,000 units' pages: these paths do per-unit work in
sets and shared tuples, and must decide exactly as the per-path way did.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from generator.model import Region
from generator.pipeline import load_report
from generator.rendering import build_catalog, plan_units
from generator.rendering.catalog import Catalog
from generator.rendering.urls import region_code
from generator.site.pages import (
    NO_BUILD,
    PAGES_FORMAT,
    LastBuild,
    ReportKeys,
    kept_units,
    load_manifest,
)
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


def test_units_kept_are_those_showing_nothing_changed() -> None:
    """A unit is kept when none of its reports' summaries changed (none of all, for a unit
    showing them all) and, for a report page, its report's content neither; and only
    when the last build names its pages."""
    catalog = _catalog()
    slugs = [e.slug for e in catalog.entries]
    content = {s: f"c{n}" for n, s in enumerate(slugs)}
    summary = {s: f"s{n}" for n, s in enumerate(slugs)}
    units = {u.name: u for u in plan_units(catalog)}
    names = set(units)
    last = LastBuild(ReportKeys(content, summary), {n: [f"{n}.md"] for n in names})
    assert kept_units(units, last, ReportKeys(dict(content), dict(summary))) == last.units
    assert kept_units(units, NO_BUILD, ReportKeys(content, summary)) == {}
    partial = LastBuild(last.keys, {n: p for n, p in last.units.items() if n != "home:"})
    assert set(kept_units(units, partial, last.keys)) == names - {"home:"}
    target = slugs[0]
    kept = kept_units(units, last, ReportKeys(content, {**summary, target: "x"}))
    assert names - set(kept) == {
        n for n, u in units.items() if u.deps is None or target in u.deps}
    kept = kept_units(units, last, ReportKeys({**content, target: "x"}, summary))
    assert names - set(kept) == {f"report:{target}"}
    added = kept_units(units, LastBuild(ReportKeys({}, {}), last.units), last.keys)
    assert added == {n: [f"{n}.md"] for n, u in units.items() if u.deps == ()}


@pytest.mark.parametrize("code", [
    "110000", "110101001", "11010", "1101010", "11010100", "1101010010", "",
    "１１００００", "١١٠٠٠٠", "11000²", "11000a", "110000\n", " 110000", None])
def test_region_code_takes_what_the_pattern_took(code: str | None) -> None:
    """Six or nine Unicode decimal digits, as ``re.fullmatch(r"\\d{6}(?:\\d{3})?")`` (the
    test before) took them: full-width and Arabic-Indic digits too, not superscripts."""
    class Report:
        region = Region(code=code)
    taken = code if code is not None and re.fullmatch(r"\d{6}(?:\d{3})?", code) else None
    assert region_code(Report()) == taken  # type: ignore[arg-type]


def _manifest(units: str, base: str = "b", form: int = PAGES_FORMAT) -> str:
    return (f'{{"format": {form}, "base": "{base}", "content": {{"r": "c"}}, '
            f'"summary": {{"r": "s"}}, "units": {units}}}')


def test_manifest_of_another_base_or_form_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pages.json"
    path.write_text(_manifest('{"a": ["a.md"], "b": ["b.md", "c.md"]}'), encoding="utf-8")
    last = load_manifest(path, "b")
    assert last == LastBuild(ReportKeys({"r": "c"}, {"r": "s"}),
                             {"a": ["a.md"], "b": ["b.md", "c.md"]})
    path.write_text(_manifest('{"a": ["a.md"], "b": [], "c": ["k", 1], "d": "k", '
                              '"e": ["k", ["a.md"]], "f": [null, "f.md"]}'), encoding="utf-8")
    assert load_manifest(path, "b").units == {"a": ["a.md"]}
    assert load_manifest(path, "other") == NO_BUILD
    path.write_text(_manifest('{"a": ["a.md"]}', form=1), encoding="utf-8")
    assert load_manifest(path, "b") == NO_BUILD
    path.write_text('{"base": "b", "units": {"a": ["k", "a.md"]}}', encoding="utf-8")
    assert load_manifest(path, "b") == NO_BUILD  # the form before
    path.write_text(_manifest("[]"), encoding="utf-8")
    assert load_manifest(path, "b") == NO_BUILD
    path.write_text(_manifest('{"a": ["a.md"]}').replace('{"r": "s"}', "[]"), encoding="utf-8")
    assert load_manifest(path, "b") == NO_BUILD


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
