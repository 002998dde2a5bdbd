"""Build the whole site from a synthetic corpus and measure it, then search it in Chromium.

    python bench/bench_site.py N [--keep DIR] [--seed S] [--runs 3] [--no-browser]

Makes a corpus of N reports, runs the shipping build (``python -m generator build
--content … --site-dir … --build-dir …``, search on as users get it) and prints a
Markdown table: reports, pages, seconds per stage (from ``build/stats.json`` when the
build writes one, else from its summary line), pages/s, peak memory of the build's
processes, site size, largest page, the search index raw and gzipped; then, in
headless Chromium, the time from navigation start to the first search result with a
cold cache (median of ``--runs``) and recall on ``bench/queries.yaml``; and a rebuild
with one report changed. Each figure stands beside its target (issue #4).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import machine_facts  # noqa: E402
from bench.make_corpus import make_corpus, read_manifest  # noqa: E402
from bench.seeds import HEADING  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STAGE_KEYS = {"查找": "parse", "解析": "parse", "discover": "parse", "parse": "parse",
              "生成页面": "generate", "写入": "generate", "生成": "generate", "render": "generate",
              "write": "generate", "generate": "generate", "MkDocs 构建": "mkdocs",
              "MkDocs": "mkdocs", "mkdocs": "mkdocs", "离线版构建": "offline", "offline": "offline"}
"""Stage names the build prints or writes -> the three stages reported here."""
SUMMARY_STARTS = ("报告", "问题", "页面", "用时", "阶段")
"""First words of the build's summary lines (shown under the table)."""
TIMING = re.compile(r"(MkDocs 构建|离线版构建|MkDocs|[\u4e00-\u9fff]+|[a-z]+)[:：]?\s*([\d.]+)\s*(?:秒|s)")


def _say(line: str) -> None:
    """A progress line on stderr (the report itself goes to stdout at the end)."""
    print(f"[bench_site {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


@dataclass(slots=True)
class BuildRun:
    """One run of the build command."""

    seconds: float
    returncode: int
    stderr: str
    stages: dict[str, float] = field(default_factory=dict)
    reports: int | None = None
    pages: int | None = None
    peak_mb: float | None = None
    reparsed: int | None = None
    """Reports the build parsed anew (not from its cache), from its summary."""
    source: str = ""
    """Where the stage seconds came from: stats.json, the summary line, or nothing."""


def _stages_from_stats(path: Path) -> tuple[dict[str, float], int | None, int | None] | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    stages: dict[str, float] = {}
    for name, sec in dict(data.get("stages", {})).items():
        key = STAGE_KEYS.get(str(name), str(name))
        stages[key] = stages.get(key, 0.0) + float(sec)
    return stages, data.get("reports"), data.get("pages")


def _stages_from_stderr(text: str) -> tuple[dict[str, float], int | None, int | None]:
    """Seconds per stage from ``用时：解析 1.2 秒，…`` or ``阶段 解析: 1.2 s`` lines."""
    stages: dict[str, float] = {}
    for line in text.splitlines():
        if not (line.startswith("用时") or line.startswith("阶段")):
            continue
        body = line.split("：", 1)[-1] if line.startswith("用时") else line[2:]
        for name, sec in TIMING.findall(body):
            key = STAGE_KEYS.get(name.strip(), name.strip())
            stages[key] = stages.get(key, 0.0) + float(sec)
    reports = re.search(r"报告 (\d+) 份", text)
    pages = re.search(r"页面 (\d+) 个", text)
    return (stages, int(reports.group(1)) if reports else None,
            int(pages.group(1)) if pages else None)


def run_build(content: Path, site: Path, build: Path) -> BuildRun:
    """``python -m generator build`` as a child; its time, output, stages and memory."""
    cmd = [sys.executable, "-m", "generator", "build", "--content", str(content),
           "--site-dir", str(site), "--build-dir", str(build)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    run = BuildRun(time.perf_counter() - start, done.returncode, done.stderr)
    run.peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    found = _stages_from_stats(build / "stats.json")
    run.source = "stats.json" if found else "summary line"
    stages, run.reports, run.pages = found or _stages_from_stderr(done.stderr)
    run.stages = stages
    fresh = re.search(r"新解析 (\d+)", done.stderr)
    run.reparsed = int(fresh.group(1)) if fresh else None
    _say(f"build exit {done.returncode} in {run.seconds:.1f} s; stages {stages}")
    if not stages:
        run.source = "none (whole command timed)"
    return run


@dataclass(frozen=True, slots=True)
class SiteSize:
    pages: int
    total_bytes: int
    largest_page: tuple[int, str]
    index_raw: int | None
    index_gz: int | None


def measure_site(site: Path) -> SiteSize:
    """HTML pages, total size, the largest page and the search index."""
    total, pages, largest = 0, 0, (0, "")
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            pages += 1
            largest = max(largest, (size, path.relative_to(site).as_posix()))
    index = site / "search" / "entries.json"  # the worker's whole index (online edition)
    if not index.is_file():
        index = site / "search" / "search_index.json"
    raw = gz = None
    if index.is_file():
        data = index.read_bytes()
        raw, gz = len(data), len(gzip.compress(data, compresslevel=6))
    return SiteSize(pages, total, largest, raw, gz)


def touch_one_report(content: Path, manifest: dict[str, dict[str, object]]) -> Path:
    """Change one clean UTF-8 report: a sentence added under part 一. Returns its path."""
    rel = next(p for p, e in sorted(manifest.items()) if not e["broken"])
    path = content / "reports" / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next((i for i, line in enumerate(lines) if HEADING.match(line)), 0)
    lines.insert(at + 1, "本报告发布后对个别文字作了更正。")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _mb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1e6:.2f} MB"


def _ok(good: bool | None) -> str:
    return "—" if good is None else ("yes" if good else "**no**")


def stage_rows(full: BuildRun, size: SiteSize, n: int) -> list[tuple[str, str, str, str]]:
    """Rows (measure, value, target, met) for the full build."""
    st = full.stages
    pipeline = sum(st.get(k, 0.0) for k in ("parse", "generate", "mkdocs"))
    share = st.get("mkdocs", 0.0) / pipeline if pipeline else None
    pages = full.pages or size.pages
    scaled = full.seconds * 10000 / n if n else None
    return [
        ("reports", str(full.reports or n), "", ""),
        ("pages (HTML files)", f"{pages} ({size.pages})", "", ""),
        ("build exit code", str(full.returncode), "0", _ok(full.returncode == 0)),
        ("full build, wall seconds", f"{full.seconds:.1f}", "≤ 180 s at 10,000",
         _ok(scaled <= 180) if scaled is not None and n >= 10000 else ""),
        ("… scaled linearly to 10,000 reports", f"{scaled:.0f} s" if scaled else "—", "≤ 180 s",
         _ok(scaled <= 180) if scaled else ""),
        ("stage: parse", f"{st.get('parse', 0):.1f} s", "", ""),
        ("stage: generate", f"{st.get('generate', 0):.1f} s", "", ""),
        ("stage: MkDocs", f"{st.get('mkdocs', 0):.1f} s", "", ""),
        ("MkDocs share of pipeline", f"{share:.0%}" if share is not None else "—", "≥ 85%",
         _ok(share >= 0.85) if share is not None else ""),
        ("pages/s (whole build)", f"{pages / full.seconds:.0f}" if full.seconds else "—", "", ""),
        ("peak memory (largest process)", f"{full.peak_mb:.0f} MB" if full.peak_mb else "—",
         "≤ 1.5 GB", _ok(full.peak_mb <= 1536) if full.peak_mb else ""),
        ("site size", _mb(size.total_bytes), "", ""),
        ("largest page", f"{size.largest_page[0] / 1e3:.1f} KB ({size.largest_page[1]})",
         "≤ 100 KB", _ok(size.largest_page[0] <= 100_000)),
        ("search index raw", _mb(size.index_raw), "", ""),
        ("search index gzipped", _mb(size.index_gz), "≤ 2 MB",
         _ok(size.index_gz <= 2_000_000) if size.index_gz is not None else ""),
    ]


@dataclass(slots=True)
class BrowserFigures:
    first_result_ms: float | None = None
    driver_ms: float | None = None
    """The same with the query typed by Playwright once ``goto`` returns (its round trips
    to Chromium included)."""
    steps: str = ""
    """The median run's steps towards its first result (ms from navigation start)."""
    query: str = ""
    results: list[tuple[str, str, bool, int, str]] = field(default_factory=list)
    """(name, query, passed, hits listed, kind: real | none | other) per query."""
    error: str | None = None


def browse(site: Path, manifest: dict[str, dict[str, object]], runs: int) -> BrowserFigures:
    """Time to first result (cold, median of ``runs``) and recall, in Chromium."""
    from bench.browser import chromium, median_run, open_search, search, serve
    from bench.queries import load_queries

    out = BrowserFigures()
    queries = load_queries(manifest)
    timed = next((q for q in queries if q.title and q.real), queries[0])
    out.query = timed.text
    with serve(site) as url, chromium() as browser:
        run = median_run(browser, url, timed.text, runs)
        out.first_result_ms = run.result
        out.driver_ms = median_run(browser, url, timed.text, runs, typing="driver").result
        out.steps = ", ".join(f"{name} {value / 1000:.2f} s" for name, value in (
            ("page loaded", run.loaded), ("page's search_index.json fetched", run.index),
            ("search ready", run.ready), ("query typed", run.typed)) if value is not None)
        _say(f"first result: {out.first_result_ms:.0f} ms (median of {runs}; {out.steps}); "
             f"typed by Playwright: {out.driver_ms:.0f} ms")
        context = browser.new_context()
        page = context.new_page()
        open_search(page, url)
        for q in queries:
            hits = search(page, q.text)
            kind = "none" if q.none else ("real" if q.real else "other")
            out.results.append((q.name, q.text, q.passed(hits), len(hits), kind))
        context.close()
    return out


def browser_rows(b: BrowserFigures) -> list[tuple[str, str, str, str]]:
    """Rows for the first-result time, recall and nonsense hits."""
    if b.error:
        return [("browser measurements", f"not run: {b.error}", "", "")]
    nonsense = [r for r in b.results if r[4] == "none"]
    words = [r for r in b.results if r[4] == "real"]
    recall = sum(r[2] for r in words) / len(words) if words else None
    with_hits = sum(r[3] > 0 for r in nonsense)
    ms = b.first_result_ms
    return [
        (f"first search result, cold (median), query “{b.query}” typed at DOMContentLoaded",
         "—" if ms is None else (f"{ms / 1000:.2f} s" if ms < math.inf else "none in 300 s"),
         "≤ 1 s", _ok(ms <= 1000) if ms is not None else ""),
        ("… steps of that run (from navigation start)", b.steps or "—", "", ""),
        ("… the query typed by Playwright instead (its round trips included)",
         "—" if b.driver_ms is None else f"{b.driver_ms / 1000:.2f} s", "", ""),
        ("recall, real words", f"{recall:.0%} ({sum(r[2] for r in words)}/{len(words)})"
         if recall is not None else "—", "100%", _ok(recall == 1.0) if recall is not None else ""),
        ("nonsense queries with hits", f"{with_hits}/{len(nonsense)}", "0", _ok(with_hits == 0)),
    ]


def rebuild_rows(full: BuildRun, again: BuildRun) -> list[tuple[str, str, str, str]]:
    pg_full = full.stages.get("parse", 0.0) + full.stages.get("generate", 0.0)
    pg_again = again.stages.get("parse", 0.0) + again.stages.get("generate", 0.0)
    ratio = pg_again / pg_full if pg_full else None
    return [
        ("rebuild, one report changed: reports parsed again",
         "—" if again.reparsed is None else str(again.reparsed), "1",
         "" if again.reparsed is None else _ok(again.reparsed <= 1)),
        ("rebuild, one report changed: wall seconds", f"{again.seconds:.1f}", "", ""),
        ("… its parse + generate", f"{pg_again:.1f} s", "", ""),
        ("… as a share of the full build's parse + generate",
         f"{ratio:.0%}" if ratio is not None else "—", "≤ 10%",
         _ok(ratio <= 0.10) if ratio is not None else ""),
        ("… as a share of the full build's wall time",
         f"{pg_again / full.seconds:.1%}" if full.seconds else "—", "", ""),
    ]


def markdown(rows: list[tuple[str, str, str, str]]) -> str:
    lines = ["| measure | value | target | met |", "| --- | ---: | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def _browse_safely(site: Path, manifest: dict[str, dict[str, object]], runs: int,
                   enabled: bool) -> BrowserFigures:
    """The browser figures, or a note why there are none (no site, no Chromium …)."""
    if not enabled:
        return BrowserFigures(error="--no-browser")
    if not (site / "index.html").is_file():
        return BrowserFigures(error="the build wrote no site/index.html")
    try:
        return browse(site, manifest, runs)
    except (ImportError, RuntimeError, OSError) as exc:
        return BrowserFigures(error=f"{type(exc).__name__}: {exc}")


def bench(n: int, work: Path, seed: int, runs: int, use_browser: bool) -> str:
    """Run everything in ``work`` and return the report (Markdown)."""
    content, site, build = work / "content", work / "site", work / "build"
    pages = ROOT / "content" / "pages"
    if pages.is_dir() and not (content / "pages").exists():
        shutil.copytree(pages, content / "pages")
    t0 = time.perf_counter()
    make_corpus(n, content / "reports", seed=seed, manifest=work / "manifest.jsonl")
    made = time.perf_counter() - t0
    os.sync()  # the corpus on disk before the build, as a publisher's files are: else the
    # kernel writes it back during the parse stage, on the same two cores
    _say(f"corpus of {n} written in {made:.1f} s; building")
    manifest = read_manifest(work / "manifest.jsonl")
    full = run_build(content, site, build)
    size = measure_site(site)
    _say(f"site: {size.pages} pages, {size.total_bytes / 1e6:.0f} MB; browser")
    browser = _browse_safely(site, manifest, runs, use_browser)
    _say("rebuild with one report changed")
    touch_one_report(content, manifest)
    again = run_build(content, site, build)
    rows = stage_rows(full, size, n) + browser_rows(browser) + rebuild_rows(full, again)
    if full.returncode != 0:
        rows = [(a, b, c, "" if d != "" and a != "build exit code" else d) for a, b, c, d in rows]
    out = [f"Site benchmark: {n} synthetic reports (seed {seed}; corpus written in {made:.1f} s).",
           f"Machine: {machine_facts()}.", f"Stage seconds from: {full.source}.", "",
           markdown(rows)]
    if browser.results:
        out += ["", "| query | searched | found as expected | results listed |",
                "| --- | --- | --- | ---: |"]
        out += [f"| {r[0]} | {r[1]} | {_ok(r[2])} | {r[3]} |" for r in browser.results]
    for label, run in (("full build", full), ("rebuild", again)):
        summary = [ln for ln in run.stderr.splitlines() if ln.startswith(SUMMARY_STARTS)]
        if summary:
            out += ["", f"{label}, the build's own summary:", "```", *summary, "```"]
        if run.returncode != 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-15:])
            out += ["", f"{label} failed (exit {run.returncode}); last lines of its output:",
                    "```", tail, "```"]
    return "\n".join(out)


def set_aside(work: Path) -> Path | None:
    """Move the last run's ``work`` folder out of the way (it is removed after this run).

    Not removed before the builds: on ext4, creating files in the minutes after tens of
    thousands were deleted is up to 20 times slower (each new inode is checked against
    recently deleted ones, ``recently_deleted`` in ``ext4_new_inode``), which would time
    the kernel's bookkeeping of the benchmark's own clean-up instead of the build."""
    if not work.exists():
        return None
    aside = work.with_name(f"{work.name}.old-{os.getpid()}")
    work.rename(aside)
    return aside


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of reports")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="work in DIR and keep it (default: a temporary folder, removed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="cold runs for the first result")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    args = parser.parse_args(argv)
    if args.keep:
        old = set_aside(args.keep)
        args.keep.mkdir(parents=True)
        print(bench(args.n, args.keep.resolve(), args.seed, args.runs, not args.no_browser))
        if old is not None:
            shutil.rmtree(old)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        print(bench(args.n, Path(tmp), args.seed, args.runs, not args.no_browser))
    return 0


if __name__ == "__main__":
    sys.exit(main())
