"""``check [PATH...]``: parse every report under the paths and list the findings."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator.config import BuildOptions
from generator.errors import UsageError
from generator.model import SEVERITY_ORDER, Report, Severity
from generator.parallel import load_reports
from generator.sources import find_reports

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def check_command(paths: Sequence[Path], opts: BuildOptions, out: TextIO, err: TextIO) -> int:
    roots = list(paths) or [opts.reports_dir]
    files: list[Path] = []
    for folder in roots:
        if not folder.exists():
            raise UsageError(f"{folder}: 没有这个文件或文件夹")
        files.extend(find_reports(folder))
    started = time.perf_counter()
    content = opts.content if not paths else None
    reports = load_reports(files, content, opts.jobs, None if opts.quiet else err)
    print_findings(reports, out, content)
    counts = summarize(reports, out, time.perf_counter() - started)
    return 1 if opts.strict and counts[Severity.ERROR] else 0


def print_findings(reports: Sequence[Report], out: TextIO, root: Path | None = None) -> None:
    """One line per finding: ``file:line  severity  code  message``, most severe first.

    Paths are shown as the user can open them (under ``root`` when one was used).
    """
    for report in reports:
        shown = (root / report.source.path).as_posix() if root else report.source.path
        ordered = sorted(report.findings, key=lambda f: (SEVERITY_ORDER[f.severity],
                                                          f.line or 0, f.code))
        for f in ordered:
            where = f"{shown}:{f.line}" if f.line else shown
            out.write(f"{where}\t{SEVERITY_ZH[f.severity]}\t{f.code}\t{f.message}\n")


def summarize(reports: Sequence[Report], out: TextIO, seconds: float) -> Counter[Severity]:
    counts: Counter[Severity] = Counter(f.severity for r in reports for f in r.findings)
    with_errors = sum(1 for r in reports if any(f.severity is Severity.ERROR for f in r.findings))
    out.write(f"共 {len(reports)} 份报告；错误 {counts[Severity.ERROR]} 条"
              f"（{with_errors} 份报告），警告 {counts[Severity.WARNING]} 条，"
              f"提示 {counts[Severity.INFO]} 条；用时 {seconds:.1f} 秒。\n")
    return counts
