"""The site build: CLI exit codes, determinism, the parse cache, data files, search index."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import BuildOptions
from generator.errors import UsageError
from generator.site.build import build_site
from generator.site.dictionary import clean_word, dictionary_lines
from generator.site.hooks import (
    cut,
    is_raw_block,
    page_entry,
    restore_raw_blocks,
    stash_raw_blocks,
    trailing_parts,
    words_of,
)
from generator.site.mkdocs_config import derive_config, load_base_config, project_root, prune_nav
from generator.site.progress import Progress
from generator.site.tree import TreeWriter
from tests.conftest import (
    POLICE_REPORT,
    UNDECODABLE_REPORT,
    Built,
    build_args,
    run_cli,
    sample_reports,
)
from tests.samples import ROOT

pytestmark = pytest.mark.slow


def tree_bytes(folder: Path, *skip: str) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes), top folders ``skip`` left out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] not in skip}


def generate(content: Path, build_dir: Path, *more: str) -> tuple[int, str]:
    """A ``build --generate-only`` (no MkDocs) of ``content`` into ``build_dir``."""
    return run_cli(*build_args(content, build_dir, build_dir.parent / "site",
                               "--generate-only", *more))


def report_by_source(built: Built, suffix: str) -> dict[str, object]:
    """The published JSON of the report whose source path ends with ``suffix``."""
    reports = json.loads((built.docs / "data" / "reports.json").read_text(encoding="utf-8"))
    return next(r for r in reports if r["source"]["path"].endswith(suffix))


def slug_of(built: Built, suffix: str) -> str:
    """The slug of that report, from the name of its JSON download."""
    wanted = report_by_source(built, suffix)["source"]
    for path in sorted((built.docs / "data" / "reports").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["source"] == wanted:
            return path.stem
    raise AssertionError(f"no JSON download for {suffix}")


# --- the whole build --------------------------------------------------------------------

def test_build_of_samples_exits_0_with_strict_mkdocs(built_site: Built) -> None:
    assert built_site.code == 0, built_site.stderr
    assert (built_site.site / "index.html").is_file()
    assert (built_site.site / "404.html").is_file()
    assert (built_site.site / "search" / "search_index.json").is_file()
    assert (built_site.site / "search" / "entries.json").is_file()
    assert "strict: true" in (built_site.build_dir / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"报告 {len(sample_reports()) + 2} 份" in built_site.stderr


def test_offline_edition_inlines_index_and_ships_our_shim(built_site: Built) -> None:
    if built_site.offline is None:
        pytest.skip("npm ci has not run: node_modules/iframe-worker is missing")
    index = (built_site.offline / "index.html").read_text(encoding="utf-8")
    assert "assets/vendor/iframe-worker/shim.js" in index
    assert "unpkg" not in index and "https://" not in re.sub(r'<a [^>]*href="https://[^"]*"', "",
                                                            index)
    assert (built_site.offline / "search" / "search_index.js").read_text(
        encoding="utf-8").startswith("var __index =")


def test_no_page_links_a_font_or_script_elsewhere(built_site: Built) -> None:
    pattern = re.compile(r'<(?:link|script|img)[^>]*(?:href|src)="(?:https?:)?//', re.I)
    for page in sorted(built_site.site.rglob("*.html")):
        assert not pattern.search(page.read_text(encoding="utf-8")), page


def test_pages_index_has_the_config_and_the_workers_index_every_entry(built_site: Built) -> None:
    page = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    whole = json.loads((built_site.site / "search" / "entries.json").read_text(encoding="utf-8"))
    assert page == {"config": whole["config"], "docs": []}
    assert len(whole["docs"]) > 10
    if built_site.offline is not None:
        offline = (built_site.offline / "search" / "search_index.js").read_text(encoding="utf-8")
        assert json.loads(offline.removeprefix("var __index = "))["docs"]
        assert not (built_site.offline / "search" / "entries.json").exists()


def test_search_index_is_segmented_utf8_with_keywords(built_site: Built) -> None:
    raw = (built_site.site / "search" / "entries.json").read_text(encoding="utf-8")
    assert not re.search(r"\\u[4-9][0-9a-f]{3}", raw), "index should be UTF-8, not escapes"
    data = json.loads(raw)
    assert re.search(r"[\u4e00-\u9fff]\u200b[\u4e00-\u9fff]", raw)
    assert any("繁峙县\u200b" in d["title"] for d in data["docs"])
    assert any("复议" in d.get("keywords", "").split("\u200b") for d in data["docs"])
    assert data["config"]["fields"]["keywords"]["boost"] < data["config"]["fields"]["text"][
        "boost"]


def test_two_builds_give_identical_pages_and_data(built_site: Built, tmp_path: Path) -> None:
    code, err = generate(built_site.content, tmp_path / "build", "--no-cache",
                         *(["--offline"] if built_site.offline else []))
    assert code == 0, err
    assert tree_bytes(tmp_path / "build" / "docs") == tree_bytes(built_site.docs)
    assert (tmp_path / "build" / "mkdocs.yml").read_text(encoding="utf-8").replace(
        str(tmp_path), "X") == (built_site.build_dir / "mkdocs.yml").read_text(
        encoding="utf-8").replace(str(built_site.build_dir.parent), "X")


def test_site_built_in_two_shares_equals_one_process(built_site: Built, tmp_path: Path) -> None:
    opts = BuildOptions(content=built_site.content, build_dir=tmp_path / "build",
                        site_dir=tmp_path / "site", quiet=True, jobs=2,
                        offline=built_site.offline is not None)
    opts.extra["mkdocs_shards"] = 2
    build_site(opts, Progress(io.StringIO(), quiet=True))
    kept = tmp_path / "build" / "html" / "mkdocs"
    assert sorted(p.name for p in kept.iterdir() if p.is_dir()) == ["0", "1"]
    for mine, theirs in ((opts.site_dir, built_site.site), (opts.offline_dir, built_site.offline)):
        if theirs is not None:
            assert tree_bytes(mine, "sitemap.xml.gz") == tree_bytes(theirs, "sitemap.xml.gz")


def test_build_with_relative_folders_from_another_directory(content_dir: Path,
                                                            tmp_path: Path) -> None:
    """As the README's first command runs it: folders relative to the current directory."""
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content",
                           str(content_dir), "--build-dir", "b", "--site-dir", "s", "--quiet"],
                          cwd=tmp_path, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    site = tmp_path / "s"
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    assert len(list((site / "reports").glob("*.html"))) >= 5
    assert not (tmp_path / "b" / "b").exists()


def test_site_dir_holding_the_content_is_refused(content_dir: Path, tmp_path: Path) -> None:
    code, err = run_cli(*build_args(content_dir, tmp_path / "b", content_dir.parent))
    assert code == 2 and "清空" in err


def test_cache_hit_skips_parsing_and_keeps_unchanged_pages(content_dir: Path,
                                                           tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    opts = BuildOptions(content=content, build_dir=tmp_path / "build",
                        site_dir=tmp_path / "site", generate_only=True, jobs=1)
    first = build_site(opts, Progress(io.StringIO(), quiet=True))
    assert (first.load.parsed, first.load.cached) == (first.load.total, 0)
    page = sorted((opts.docs_dir / "reports").glob("*.md"))[0]
    stamp = page.stat().st_mtime_ns
    second = build_site(opts, Progress(io.StringIO(), quiet=True))
    assert (second.load.parsed, second.load.cached) == (0, first.load.total)
    assert second.tree.written == 0 and second.tree.deleted == 0
    assert page.stat().st_mtime_ns == stamp
    police = content / "reports" / POLICE_REPORT
    police.write_text(police.read_text(encoding="utf-8") + "补充一行\n", encoding="utf-8")
    third = build_site(opts, Progress(io.StringIO(), quiet=True))
    assert (third.load.parsed, third.load.cached) == (1, first.load.total - 1)
    originals = [p.read_text(encoding="utf-8-sig") for p in (opts.docs_dir / "originals").glob("*")]
    assert sum("补充一行" in text for text in originals) == 1
    everything = (opts.docs_dir / "data" / "reports.json").read_text(encoding="utf-8")
    assert "补充一行" in everything


def test_a_cache_entry_removed_by_hand_is_parsed_and_stored_again(content_dir: Path,
                                                                  tmp_path: Path) -> None:
    """The summary index still lists the entry, but the entry is gone: the report is
    parsed again (its page may need the full data later), the site is the same."""
    opts = BuildOptions(content=content_dir, build_dir=tmp_path / "build",
                        site_dir=tmp_path / "site", generate_only=True, jobs=1)
    first = build_site(opts, Progress(io.StringIO(), quiet=True))
    before = tree_bytes(opts.docs_dir)
    entries = sorted(opts.cache_dir.glob("*/*.json"))
    assert len(entries) == first.load.total
    entries[0].unlink()
    second = build_site(opts, Progress(io.StringIO(), quiet=True))
    assert (second.load.parsed, second.load.cached) == (1, first.load.total - 1)
    assert entries[0].is_file()
    assert tree_bytes(opts.docs_dir) == before and second.tree.written == 0


def test_touched_report_is_hashed_again_but_not_parsed(content_dir: Path, tmp_path: Path) -> None:
    """A file written with the same bytes has a new signature: a worker hashes it again,
    finds its stored entry and does not parse it."""
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    opts = BuildOptions(content=content, build_dir=tmp_path / "build",
                        site_dir=tmp_path / "site", generate_only=True, jobs=2)
    first = build_site(opts, Progress(io.StringIO(), quiet=True))
    for report in (content / "reports").rglob("*.txt"):
        report.write_bytes(report.read_bytes())
    second = build_site(opts, Progress(io.StringIO(), quiet=True))
    assert (second.load.parsed, second.load.cached) == (0, first.load.total)
    assert second.tree.written == 0 and second.tree.deleted == 0
    assert [r.source for r in second.reports] == [r.source for r in first.reports]


def test_generated_files_removed_from_the_build_folder_are_made_again(content_dir: Path,
                                                                     tmp_path: Path) -> None:
    """A page or download deleted by hand is written again by the next build, with the
    same bytes; the others are kept as they are."""
    opts = BuildOptions(content=content_dir, build_dir=tmp_path / "build",
                        site_dir=tmp_path / "site", generate_only=True, jobs=1)
    build_site(opts, Progress(io.StringIO(), quiet=True))
    before = tree_bytes(opts.docs_dir)
    gone = [sorted((opts.docs_dir / folder).glob("*"))[0]
            for folder in ("reports", "agencies", "originals", "data/reports")]
    for path in gone:
        path.unlink()
    again = build_site(opts, Progress(io.StringIO(), quiet=True))
    assert tree_bytes(opts.docs_dir) == before
    assert again.tree.written == len(gone) and again.tree.deleted == 0


def test_removed_report_loses_its_files(content_dir: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    code, _ = generate(content, tmp_path / "build")
    before = set(tree_bytes(tmp_path / "build" / "docs"))
    (content / "reports" / POLICE_REPORT).unlink()
    code, err = generate(content, tmp_path / "build")
    assert code == 0, err
    after = set(tree_bytes(tmp_path / "build" / "docs"))
    gone = before - after
    assert any(p.startswith("reports/") for p in gone)
    assert any(p.startswith("originals/") for p in gone)
    assert not after - before


def test_undecodable_report_still_gets_a_page(built_site: Built) -> None:
    data = report_by_source(built_site, UNDECODABLE_REPORT)
    assert any(f["severity"] == "error" for f in data["findings"])  # type: ignore[attr-defined]
    slug = slug_of(built_site, UNDECODABLE_REPORT)
    assert (built_site.site / "reports" / f"{slug}.html").is_file()
    original = (built_site.docs / "originals" / f"{slug}.txt").read_text(encoding="utf-8-sig")
    assert "无法解码" in original


def test_originals_are_plain_utf8_text(built_site: Built) -> None:
    slug = slug_of(built_site, POLICE_REPORT)
    raw = (built_site.site / "originals" / f"{slug}.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.startswith("繁峙县公安局") and "<html" not in text and "<p>" not in text
    source = (built_site.content / "reports" / POLICE_REPORT).read_text(encoding="utf-8")
    assert text.splitlines() == source.splitlines()


def test_downloads_one_row_per_report(built_site: Built) -> None:
    reports = json.loads((built_site.docs / "data" / "reports.json").read_text(encoding="utf-8"))
    assert len(reports) == len(list((built_site.docs / "data" / "reports").glob("*.json")))
    for name in ("applications.csv", "key-figures.csv"):
        text = (built_site.docs / "data" / name).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(reports)
        assert rows[0]["slug"] and "agency" in rows[0]
    apps = (built_site.docs / "data" / "applications.csv").read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(apps)))
    assert "applications.new_received.natural_person" in header
    assert "applications.carry_forward.total" in header


def test_report_json_is_to_dict_on_one_line(built_site: Built) -> None:
    path = sorted((built_site.docs / "data" / "reports").glob("*.json"))[0]
    text = path.read_text(encoding="utf-8")
    assert text.startswith('{"schema_version":1,"agency":') and text.count("\n") == 1
    data = json.loads(text)
    assert list(data)[:3] == ["schema_version", "agency", "agency_key"]
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- exit codes -------------------------------------------------------------------------

def test_missing_content_dir_is_exit_2_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content",
                           str(tmp_path / "nope"), "--build-dir", str(tmp_path / "b")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope" in lines[0] and "Traceback" not in done.stderr


def test_strict_with_an_error_finding_is_exit_1(content_dir: Path, tmp_path: Path) -> None:
    code, err = generate(content_dir, tmp_path / "build", "--strict")
    assert code == 1, err
    assert "--strict" in err.splitlines()[-1]


def test_offline_without_npm_packages_is_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                                        content_dir: Path,
                                                        tmp_path: Path) -> None:
    monkeypatch.setattr("generator.site.build.project_root", lambda: tmp_path)
    code, err = run_cli(*build_args(content_dir, tmp_path / "b", tmp_path / "s", "--offline"))
    assert code == 2 and "npm ci" in err and len(err.strip().splitlines()) == 1


# --- pieces -----------------------------------------------------------------------------

def test_dictionary_words_cannot_break_a_line() -> None:
    assert clean_word("公安局") == "公安局"
    for bad in ("公安 局", "公安局\n繁峙县 1 ns", "ab", "公", "公安局1"):
        assert clean_word(bad) is None
    lines = dictionary_lines(["繁峙县", "坏 名"], ["公安局", "繁峙县"])
    assert lines == ["公安局 200000 nt", "繁峙县 200000 ns"]


def test_compound_words_get_their_trailing_parts() -> None:
    assert trailing_parts("行政复议") == ("复议",)
    assert "民政" not in trailing_parts("人民政府")
    entry = page_entry("a.html", "东关镇人民政府", words_of("<p>行政复议、省、市</p>", whole=True))
    assert entry["title"] == "东关镇\u200b人民政府"
    assert entry["keywords"].split("\u200b") == ["政府", "行政复议", "复议"]
    assert cut("依申请公开") == ["依申请", "公开"]


def test_search_summary_becomes_the_entrys_escaped_text() -> None:
    entry = page_entry("a.html", "朝阳区", [], summary="北京市 › 朝阳区 · <b>机关</b> & 2 个")
    assert entry["text"] == "北京市 › 朝阳区 · &lt;b&gt;机关&lt;/b&gt; &amp; 2 个"
    assert page_entry("a.html", "朝阳区", [], summary=["not", "text"])["text"] == ""
    assert page_entry("a.html", "朝阳区", [])["text"] == ""


def test_raw_html_blocks_skip_markdown_and_come_back_unchanged() -> None:
    table = '<div class="report-table" data-search-exclude>\n<table class="official">\n' \
            '<tr><td>1</td></tr>\n</table>\n</div>'
    wrapped = '<div class="sortable" markdown>\n\n| a |\n| --- |\n| 1 |\n\n</div>'
    text = f"# 标题\n\n{table}\n\n{wrapped}\n"
    stashed_md, blocks = stash_raw_blocks(text)
    assert blocks == [table] and table not in stashed_md and wrapped in stashed_md
    html = f"<h1>标题</h1>\n<p>{stashed_md.split(chr(10) * 2)[1]}</p>"
    assert restore_raw_blocks(html, blocks) == f"<h1>标题</h1>\n{table}"
    assert not is_raw_block('<div markdown="1">\nx\n</div>')
    assert not is_raw_block("<div>\n<div>\n</div>")


def test_tree_writer_rewrites_only_changes(tmp_path: Path) -> None:
    writer = TreeWriter(tmp_path)
    writer.write_text("a/b.md", "一")
    (tmp_path / "stale.md").write_text("old", encoding="utf-8")
    writer.prune()
    assert not (tmp_path / "stale.md").exists()
    again = TreeWriter(tmp_path)
    again.write_text("a/b.md", "一")
    assert (again.stats.written, again.stats.unchanged) == (0, 1)
    with pytest.raises(UsageError, match="路径无效"):
        again.write_text("../escape.md", "x")


def test_fresh_tree_writer_writes_in_place_what_the_careful_one_writes(tmp_path: Path) -> None:
    """A writer of a fresh tree writes the same files (no temporary file left) and counts."""
    files = {"a/b.md": "一\n", "a/c.md": "", "d.md": "二" * 5000}
    trees = []
    for fresh in (False, True):
        writer = TreeWriter(tmp_path / str(fresh), fresh=fresh)
        for rel, text in files.items():
            writer.write_text(rel, text)
        assert (writer.stats.written, writer.stats.unchanged) == (3, 0)
        assert writer.kept == set(files)
        root = tmp_path / str(fresh)
        trees.append({p.relative_to(root).as_posix(): p.read_bytes()
                      for p in sorted(root.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] == {rel: text.encode() for rel, text in files.items()}
    with pytest.raises(UsageError, match="重复"):
        TreeWriter(tmp_path / "again", fresh=True, kept={"d.md"}).write_text("d.md", "x")


def test_derived_config_has_absolute_paths_and_prunes_nav(tmp_path: Path) -> None:
    root = project_root()
    base = load_base_config(root)
    opts = BuildOptions(build_dir=tmp_path / "b", site_dir=tmp_path / "s")
    config, missing = derive_config(base, root, opts, {"index.md", "about.md"}, offline=True)
    assert Path(config["docs_dir"]).is_absolute() and Path(config["site_dir"]).name == "s-offline"
    assert Path(config["theme"]["custom_dir"]).is_absolute()
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert search["jieba_dict_user"] == str((tmp_path / "b" / "jieba_user_dict.txt").resolve())
    assert "offline" in config["plugins"]
    assert config["extra"]["polyfills"] == ["assets/vendor/iframe-worker/shim.js"]
    assert "数据说明" not in str(config["nav"]) and "data.md" in missing
    assert prune_nav([{"甲": ["a.md", "b.md"]}], {"a.md"}) == ([], ["b.md"])


def test_only_the_runner_starts_mkdocs() -> None:
    offenders = [p for p in sorted((ROOT / "generator").rglob("*.py"))
                 if re.search(r"^\s*(from|import)\s+mkdocs\b", p.read_text(encoding="utf-8"),
                              re.M)]
    assert offenders == []
