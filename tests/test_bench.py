"""Fast tests of the benchmarks: the corpus maker, the parse benchmark, the site benchmark's helpers."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.accuracy import compare_cells  # noqa: E402
from bench.bench_site import _stages_from_stderr, measure_site  # noqa: E402
from bench.make_corpus import CLEAN_KINDS, make_corpus, read_manifest  # noqa: E402
from bench.queries import load_queries  # noqa: E402

N = 30
PARSER_MISSING = importlib.util.find_spec("generator.parsing") is None


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    make_corpus(N, out, seed=5, broken_share=0.3)
    return out


@pytest.fixture(scope="module")
def manifest(corpus: Path) -> dict[str, dict[str, Any]]:
    return read_manifest(corpus / "manifest.jsonl")


def test_corpus_has_n_distinct_files(corpus: Path, manifest: dict[str, dict[str, Any]]) -> None:
    files = _files(corpus)
    assert len(files) == N
    assert len({hashlib.sha256(b).hexdigest() for b in files.values()}) == N
    assert set(manifest) == set(files)
    for rel, data in files.items():
        assert manifest[rel]["sha256"] == hashlib.sha256(data).hexdigest()


def test_corpus_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    make_corpus(N, tmp_path / "same", seed=5, broken_share=0.3)
    make_corpus(N, tmp_path / "other", seed=6, broken_share=0.3)
    assert _files(tmp_path / "same") == _files(corpus)
    assert (tmp_path / "same" / "manifest.jsonl").read_bytes() == \
        (corpus / "manifest.jsonl").read_bytes()
    other = set(_files(tmp_path / "other").values())
    assert other.isdisjoint(_files(corpus).values())


def test_corpus_years_fit_templates_and_paths_are_ascii(
        manifest: dict[str, dict[str, Any]]) -> None:
    for rel, entry in manifest.items():
        assert rel.isascii()
        assert entry["year"] in ((2019, 2020) if entry["template"] == "2019"
                                 else (2021, 2022, 2023, 2024))
        assert len(entry["region"]["code"]) == 6


def test_corpus_text_names_its_agency_and_no_placeholder(
        corpus: Path, manifest: dict[str, dict[str, Any]]) -> None:
    for rel, entry in manifest.items():
        text = (corpus / rel).read_bytes().decode(str(entry["encoding"]))
        assert str(entry["agency"]) in text
        assert "\ue000" not in text and "\ue001" not in text


def _load() -> Any:
    from bench.bench_parse import get_loader
    return get_loader()[0]


@pytest.mark.skipif(PARSER_MISSING, reason="generator.parsing is not importable yet")
def test_clean_reports_parse_as_made(corpus: Path, manifest: dict[str, dict[str, Any]]) -> None:
    load = _load()
    for rel, entry in manifest.items():
        if entry["broken"] and entry["broken"] not in CLEAN_KINDS:
            continue
        report = load(corpus / rel, corpus)
        codes = {f.code for f in report.findings}
        assert "identity-broken" not in codes, rel
        assert (report.region.code or "")[:6] == entry["region"]["code"], rel
        assert report.year == entry["year"], rel
        assert report.template == entry["template"], rel
        assert compare_cells(report, entry["figures"]) == (0, ""), rel


@pytest.mark.skipif(PARSER_MISSING, reason="generator.parsing is not importable yet")
def test_broken_reports_are_reported(corpus: Path, manifest: dict[str, dict[str, Any]]) -> None:
    expected = {"broken-identity": "identity-broken", "lost-row": "row-missing",
                "missing-table-body": "table-missing", "blank-cells": "cell-blank"}
    load = _load()
    seen = set()
    for rel, entry in manifest.items():
        code = expected.get(str(entry["broken"]))
        if code:
            seen.add(entry["broken"])
            assert code in {f.code for f in load(corpus / rel, corpus).findings}, rel
    assert seen, "the corpus should hold broken files at a 0.3 share"


@pytest.mark.skipif(PARSER_MISSING, reason="generator.parsing is not importable yet")
def test_bench_parse_prints_its_table(tmp_path: Path) -> None:
    make_corpus(8, tmp_path, seed=2)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_parse.py"), str(tmp_path),
                           "--jobs", "2"], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "| files | 8 |" in done.stdout
    assert "one core: reports/s" in done.stdout
    assert "2 processes: reports/s" in done.stdout
    assert "every table cell correct" in done.stdout


def test_make_corpus_command_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "5",
                           str(tmp_path), "--seed", "3"], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert "distinct files by content hash: 5 of 5" in done.stdout
    assert len(list(tmp_path.rglob("*.txt"))) == 5


def test_stage_seconds_from_the_build_summary() -> None:
    text = ("报告 120 份（新解析 120，取自缓存 0），机关 118 个\n页面 131 个；文件：写入 9\n"
            "用时：查找 0.1 秒，解析 2.5 秒，生成页面 1.0 秒，写入 0.4 秒，MkDocs 构建 30.2 秒\n")
    stages, reports, pages = _stages_from_stderr(text)
    assert stages == pytest.approx({"parse": 2.6, "generate": 1.4, "mkdocs": 30.2})
    assert (reports, pages) == (120, 131)
    assert _stages_from_stderr("阶段 解析: 12.3 s\n")[0] == {"parse": 12.3}


def test_measure_site(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "a.html").write_bytes(b"x" * 300)
    (tmp_path / "b.html").write_bytes(b"x" * 100)
    (tmp_path / "search" / "search_index.json").write_bytes(b'{"docs": []}' * 50)
    size = measure_site(tmp_path)
    assert size.pages == 2
    assert size.largest_page == (300, "a.html")
    assert size.index_raw == 600 and size.index_gz is not None and size.index_gz < 600


def test_queries_fill_from_the_manifest(manifest: dict[str, dict[str, Any]]) -> None:
    queries = load_queries(manifest)
    assert all("{" not in q.text for q in queries)
    assert any(q.none for q in queries) and any(q.real for q in queries)
    agencies = {str(e["agency"]) for e in manifest.values()}
    assert any(q.text in agencies for q in queries)


@pytest.mark.browser
@pytest.mark.parametrize("typing", ["page", "driver"])
def test_first_result_probe_times_every_step(browser: Any, built_site: Any, typing: str) -> None:
    from bench.browser import first_result, serve

    with serve(built_site.site) as url:
        run = first_result(browser, url + "index.html", "繁峙县人民政府办公室", typing, timeout_s=30)
    assert run.result < 30_000, run
    # typed by Playwright, the query may reach the worker on its "ready" before the key up
    steps = [run.loaded, run.index, run.ready] + ([run.typed] if typing == "page" else [])
    assert all(isinstance(step, float) and 0 < step <= run.result for step in steps), run
    assert isinstance(run.typed, float)


def test_first_result_probe_refuses_an_unknown_typing() -> None:
    from bench.browser import first_result

    with pytest.raises(ValueError, match="typing"):
        first_result(None, "http://127.0.0.1/", "q", "telepathy")
