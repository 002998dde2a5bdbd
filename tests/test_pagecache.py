"""Pages kept from the last build are the pages a fresh build makes (generator.site.pages).

Each step changes the content the way publishers do (a figure corrected, a report
added, renamed, removed, an agency renamed, a place changed), then builds twice: once
on the build folder of the step before (most pages kept), once into an empty build
folder with caches off. The two ``docs`` trees must be the same, byte for byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.make_corpus import make_corpus
from bench.seeds import HEADING
from generator.pipeline import load_report
from tests.conftest import build_args, make_content, run_cli
from tests.content_changes import copy_report, correct_figure, remove_report, synthetic

pytestmark = pytest.mark.slow

Step = Callable[[Path], None]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def generate(content: Path, build_dir: Path, *more: str) -> str:
    code, err = run_cli(*build_args(content, build_dir, build_dir.parent / "site",
                                    "--generate-only", "--quiet", *more))
    assert code == 0, err
    return err


def correct_a_figure(content: Path) -> None:
    correct_figure(content, 3)


def add_a_line(content: Path) -> None:
    target = synthetic(content)[5]
    target.write_text(target.read_text(encoding="utf-8") + "\n附：补充说明一行。\n",
                      encoding="utf-8")


def edit_the_narrative(content: Path) -> None:
    """A sentence of part 一 reworded, no line added: the report's summary (identity,
    findings with their lines, key figures) stays as it was, only its own page changes."""
    target = synthetic(content)[6]
    lines = target.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if HEADING.match(line))
    lines[at + 1] += "（本段文字经过修订。）"
    target.write_text("\n".join(lines), encoding="utf-8")


def rename_an_agency(content: Path) -> None:
    target = synthetic(content)[7]
    text = target.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip())
    target.write_text(text.replace(first, first + "（更名）", 1), encoding="utf-8")


def move_a_file(content: Path) -> None:
    target = synthetic(content)[9]
    target.rename(target.with_name("moved-" + target.name))


def remove_a_report(content: Path) -> None:
    remove_report(content, 11)


def add_a_copy(content: Path) -> None:
    copy_report(content, 13)


def change_a_place(content: Path) -> None:
    texts = synthetic(content)
    a, b = texts[15], texts[16]
    b.write_text(a.read_text(encoding="utf-8"), encoding="utf-8")


STEPS: list[tuple[str, Step]] = [
    ("correct a figure", correct_a_figure),
    ("add a line", add_a_line),
    ("edit the narrative", edit_the_narrative),
    ("rename an agency", rename_an_agency),
    ("move a file", move_a_file),
    ("remove a report", remove_a_report),
    ("add a copy (duplicate)", add_a_copy),
    ("change a place", change_a_place),
]


def test_kept_pages_equal_fresh_pages(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    make_corpus(40, content / "reports" / "synth", seed=7, broken_share=0.2)
    incremental = tmp_path / "incremental"
    generate(content, incremental)
    for n, (name, step) in enumerate(STEPS):
        step(content)
        generate(content, incremental)
        fresh = tmp_path / f"fresh-{n}"
        generate(content, fresh, "--no-cache")
        kept, made = tree(incremental / "docs"), tree(fresh / "docs")
        assert sorted(kept) == sorted(made), f"after step: {name}"
        differ = [path for path in made if kept[path] != made[path]]
        assert not differ, f"after step: {name}: {differ[:5]}"


def test_a_small_change_renders_few_pages(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    make_corpus(40, content / "reports" / "synth", seed=7, broken_share=0.0)
    build = tmp_path / "build"
    generate(content, build)
    add_a_line(content)
    code, err = run_cli(*build_args(content, build, tmp_path / "site", "--generate-only"))
    assert code == 0, err
    line = next(ln for ln in err.splitlines() if ln.startswith("页面 "))
    rendered, units = (int(x) for x in line.split("（", 1)[1].split(" 组", 1)[0].split("/"))
    assert units > 80
    assert 1 <= rendered <= 12, line


def test_key_memo_reads_a_file_again_whenever_it_was_written(tmp_path: Path) -> None:
    from generator.site.cache import KeyMemo, cache_key

    report = tmp_path / "a.txt"
    report.write_text("一二三", encoding="utf-8")
    memo = KeyMemo(tmp_path / "keys.json")
    first = memo.key(report, "a.txt")
    assert first == cache_key(report, "a.txt")
    memo.save()
    again = KeyMemo(tmp_path / "keys.json")
    assert again.key(report, "a.txt") == first
    stat = report.stat()
    report.write_text("一二四", encoding="utf-8")  # same size, and the old times put back
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again.save()
    third = KeyMemo(tmp_path / "keys.json")
    assert third.key(report, "a.txt") == cache_key(report, "a.txt") != first
    # a listing that saw no sidecar spares its stat: the same signature
    assert third.known(report, "a.txt", False) == third.known(report, "a.txt", None)
    report.with_name("a.meta.yaml").write_text("corrections: []\n", encoding="utf-8")
    assert third.key(report, "a.txt") == cache_key(report, "a.txt")
    assert third.known(str(report), "a.txt", True) == third.known(report, "a.txt", None)


def test_cache_entry_parts_join_to_the_published_json() -> None:
    from generator.rendering.summary import summarize
    from generator.site.cache import (
        compact_json,
        entry_from_json,
        entry_to_json,
        full_report,
        joined_json,
        original,
        published_json,
        split_json,
    )
    from generator.site.csvrows import csv_rows
    from tests.conftest import sample_reports

    for path in sample_reports():
        report = load_report(path)
        whole = compact_json(report.to_dict())
        bulk, lines = split_json(report)
        assert joined_json(bulk, lines) == whole
        assert '"lines"' not in bulk and list(report.to_dict())[-1] == "lines"
        rows = csv_rows(report.to_dict())
        for text in ("第一行\r\n第二行\r第三行\n", None):
            back = entry_from_json(entry_to_json(report, text))
            assert published_json(back) == (whole.encode(), bulk.encode())
            assert (original(back), back.csv) == (text and text.encode(), rows)
            assert full_report(back).to_dict() == report.to_dict()
            assert back.summary == summarize(report)


def test_pages_from_stored_summaries_equal_pages_from_reports() -> None:
    """The catalog a build makes from stored summaries (and full data read when a report
    page is rendered) renders every page as the one made from the parsed reports."""
    from generator.rendering import build_catalog, plan_units, render_unit
    from generator.rendering.catalog import catalog_of
    from generator.rendering.summary import summarize, summary_from_dict, summary_to_dict
    from tests.conftest import sample_reports

    reports = [load_report(p) for p in sample_reports()]
    by_path = {r.source.path: r for r in reports}
    stored = [summary_from_dict(json.loads(json.dumps(summary_to_dict(summarize(r)))))
              for r in reports]
    slugs: dict[str, str] = {}
    mine = catalog_of(stored, lambda slug: by_path[slugs[slug]])
    slugs.update((e.slug, e.report.source.path) for e in mine.entries)
    theirs = build_catalog(reports)
    for unit in plan_units(theirs):
        assert (render_unit(mine, unit.kind, unit.ident, {})
                == render_unit(theirs, unit.kind, unit.ident, {})), unit.name


def test_with_findings_is_replace_with_other_findings() -> None:
    from dataclasses import fields, replace

    from generator.model import Severity
    from tests.conftest import sample_reports

    report = load_report(sample_reports()[0])
    own = list(report.findings)
    assert own, "the first sample has findings"
    other = [*own, replace(own[0], severity=Severity.ERROR, code="duplicate-report")]
    copy = report.with_findings(other)
    assert copy == replace(report, findings=other)
    assert copy is not report and copy.findings is other and report.findings == own
    assert all(getattr(copy, f.name) is getattr(report, f.name)
               for f in fields(report) if f.name != "findings")


def test_stored_figures_are_made_when_read_and_equal_the_report_s() -> None:
    from generator.errors import UsageError
    from generator.rendering.figures import KEY_COLUMNS, StoredFigures, key_figures
    from generator.rendering.summary import summarize, summary_from_dict, summary_to_dict
    from tests.conftest import sample_reports

    for path in sample_reports():
        report = load_report(path)
        stored = summary_from_dict(summary_to_dict(summarize(report)))
        assert isinstance(stored.figures, StoredFigures)
        assert stored.figures == key_figures(report) and list(stored.figures) == [
            c.key for c in KEY_COLUMNS]
    with pytest.raises(ValueError, match="number of key figures"):
        StoredFigures([[1, False, None]])  # found when the summary is decoded
    damaged = StoredFigures([[1, False, None]] * (len(KEY_COLUMNS) - 1) + [[1, False]])
    with pytest.raises(UsageError, match="--no-cache"):
        damaged["new_received"]  # found when a page shows it
