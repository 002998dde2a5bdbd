"""Parse every report under a folder and print speed and what was identified.

    python bench/bench_parse.py DIR [--jobs N] [--manifest FILE] [--examples K]

Parses each ``*.txt`` under DIR with ``generator.pipeline.load_report``, first on one
core, then with a process pool of N workers (default: every core). Prints a Markdown
table: files, seconds and reports/s for both runs, findings by severity, and the share
of reports whose region, year and agency were identified. When DIR holds the corpus
maker's ``manifest.jsonl``, also the share read *correctly* (region code, year, agency,
template, every table cell), overall and by broken kind. Figures only: no asserts.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from multiprocessing import Pool
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.accuracy import Outcome, outcome  # noqa: E402
from bench.make_corpus import read_manifest  # noqa: E402
from generator.model import Report  # noqa: E402

Loader = Callable[[Path, Path | None], Report]

_ROOT: Path = Path(".")
_MANIFEST: dict[str, dict[str, Any]] = {}
_LOAD: Loader | None = None


def get_loader() -> tuple[Loader, str]:
    """``load_report`` from the pipeline, or read + parse + check while it is incomplete."""
    try:
        from generator.pipeline import load_report
        return load_report, "generator.pipeline.load_report"
    except ImportError as exc:
        from generator.checking import check_report
        from generator.parsing import parse_text
        from generator.reading import read_report_file

        def load(path: Path, root: Path | None) -> Report:
            report = parse_text(read_report_file(path, root))
            check_report(report)
            return report

        return load, f"read+parse+check (pipeline not importable: {exc})"


def _init(root: Path, manifest: dict[str, dict[str, Any]]) -> None:
    """Set the worker's globals (also used in the parent for the one-core run)."""
    global _ROOT, _MANIFEST, _LOAD
    _ROOT, _MANIFEST, _LOAD = root, manifest, get_loader()[0]


def parse_one(path: Path) -> Outcome:
    """Parse one file and summarise it (runs in a worker)."""
    assert _LOAD is not None, "call _init first"
    rel = path.relative_to(_ROOT).as_posix()
    return outcome(rel, _LOAD(path, _ROOT), _MANIFEST.get(rel))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_serial(files: list[Path]) -> tuple[float, float, list[Outcome]]:
    """Wall and CPU seconds of parsing every file in this process, and the outcomes."""
    start, cpu = time.perf_counter(), time.process_time()
    out = [parse_one(p) for p in files]
    return time.perf_counter() - start, time.process_time() - cpu, out


def run_warm(files: list[Path], root: Path, repeat: int) -> float | None:
    """Best wall seconds of ``repeat`` further passes of the loader alone (caches warm,
    no accuracy bookkeeping): the parser's steady speed on one core."""
    if repeat <= 0:
        return None
    load = get_loader()[0]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for path in files:
            load(path, root)
        best = min(best, time.perf_counter() - start)
    return best


def run_pool(files: list[Path], jobs: int, root: Path,
             manifest: dict[str, dict[str, Any]]) -> tuple[float, float]:
    """Wall seconds of parsing every file with ``jobs`` worker processes, and their CPU."""
    start, cpu = time.perf_counter(), _children_cpu()
    with Pool(jobs, initializer=_init, initargs=(root, manifest)) as pool:
        list(pool.imap(parse_one, files, chunksize=max(1, len(files) // (jobs * 8))))
        pool.close()
        pool.join()
    return time.perf_counter() - start, _children_cpu() - cpu


def _share(n: int, total: int) -> str:
    return f"{n / total:.1%} ({n})" if total else "—"


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:.0f}" if seconds else "—"


def speed_rows(n: int, serial: tuple[float, float],
               pooled: tuple[float, float] | None, jobs: int) -> list[tuple[str, str]]:
    """Wall seconds and rates; per CPU second too, which other load on the machine spares."""
    rows = [("files", str(n)), ("one core: seconds", f"{serial[0]:.2f}"),
            ("one core: reports/s", _rate(n, serial[0])),
            ("one core: reports per CPU second", _rate(n, serial[1]))]
    if pooled is not None:
        rows += [(f"{jobs} processes: seconds", f"{pooled[0]:.2f}"),
                 (f"{jobs} processes: reports/s", _rate(n, pooled[0])),
                 (f"{jobs} processes: reports per CPU second", _rate(n, pooled[1]))]
    return rows


def found_rows(outs: list[Outcome]) -> list[tuple[str, str]]:
    n = len(outs)
    return [
        ("findings: error / warning / info",
         " / ".join(str(sum(getattr(o, k) for o in outs)) for k in ("errors", "warnings", "infos"))),
        ("reports with an error finding", _share(sum(o.errors > 0 for o in outs), n)),
        ("region identified (code)", _share(sum(o.has_region for o in outs), n)),
        ("year identified", _share(sum(o.has_year for o in outs), n)),
        ("agency identified", _share(sum(o.has_agency for o in outs), n)),
    ]


def correct_rows(outs: list[Outcome]) -> list[tuple[str, str]]:
    known = [o for o in outs if o.in_manifest]
    if not known:
        return []
    n = len(known)
    return [
        ("region code correct (manifest)", _share(sum(o.region_ok for o in known), n)),
        ("year correct", _share(sum(o.year_ok for o in known), n)),
        ("agency correct", _share(sum(o.agency_ok for o in known), n)),
        ("template correct", _share(sum(o.template_ok for o in known), n)),
        ("every table cell correct", _share(sum(o.cells_wrong == 0 for o in known), n)),
    ]


def table(rows: Iterable[tuple[str, str]], head: tuple[str, str] = ("measure", "value")) -> str:
    lines = [f"| {head[0]} | {head[1]} |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def by_kind(outs: list[Outcome]) -> str:
    """Per broken kind: files, error findings, identity errors, region and cells correct."""
    groups: dict[str, list[Outcome]] = {}
    for o in outs:
        if o.in_manifest:
            groups.setdefault(o.broken or "clean", []).append(o)
    lines = ["| kind | files | with error | identity-broken | region ok | cells ok | "
             "top warnings |", "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for kind in sorted(groups, key=lambda k: (k != "clean", k)):
        g = groups[kind]
        top = Counter(c for o in g for c in set(o.codes)).most_common(3)
        lines.append(
            f"| {kind} | {len(g)} | {sum(o.errors > 0 for o in g)} | "
            f"{sum('identity-broken' in o.codes for o in g)} | "
            f"{sum(o.region_ok for o in g)} | {sum(o.cells_wrong == 0 for o in g)} | "
            + ", ".join(f"{c} ({k})" for c, k in top) + " |")
    return "\n".join(lines)


def examples(outs: list[Outcome], k: int) -> list[str]:
    """Up to ``k`` clean files read wrongly, one line each, for the parser's authors."""
    bad = [o for o in outs if o.in_manifest and o.broken is None
           and (o.cells_wrong or not (o.region_ok and o.year_ok and o.agency_ok))]
    return [f"- {o.path}: region {o.region_ok}, year {o.year_ok}, agency {o.agency_ok}, "
            f"{o.cells_wrong} cells wrong {o.first_wrong}" for o in bad[:k]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, metavar="DIR")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="pool size for the parallel run (default: every core; 1: skip it)")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="corpus manifest (default DIR/manifest.jsonl, if present)")
    parser.add_argument("--examples", type=int, default=0, metavar="K",
                        help="list K clean files that were read wrongly")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="warm one-core passes of the parser alone; the best is shown (0: none)")
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    files = sorted(root.rglob("*.txt"))
    manifest = read_manifest(args.manifest or root / "manifest.jsonl")
    loader_name = get_loader()[1]
    _init(root, manifest)
    wall, cpu, outs = run_serial(files)
    warm = run_warm(files, root, args.repeat)
    pooled = run_pool(files, args.jobs, root, manifest) if args.jobs > 1 else None
    print(f"parser: {loader_name}; cores: {os.cpu_count()}; "
          f"load average: {os.getloadavg()[0]:.1f}\n")
    warm_rows = [] if warm is None else [
        (f"one core, parser alone, best of {args.repeat} warm passes: reports/s",
         _rate(len(files), warm))]
    print(table(speed_rows(len(files), (wall, cpu), pooled, args.jobs) + warm_rows
                + found_rows(outs) + correct_rows(outs)))
    if manifest:
        print("\n" + by_kind(outs))
    codes = Counter(c for o in outs for c in o.codes).most_common(10)
    print("\nmost frequent error/warning codes: "
          + (", ".join(f"{c} {n}" for c, n in codes) or "none"))
    for line in examples(outs, args.examples):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
