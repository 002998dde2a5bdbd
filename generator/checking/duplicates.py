"""Two or more reports of one agency for one year: all are kept, each says so.

A check across reports, so it runs after every report is loaded (parsed or taken
from the parse cache) and its finding is never cached. Reports whose agency or
year is unknown are not compared: "unknown" is no identity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from generator.findings import severity_of
from generator.model import Finding, Head

CODE = "duplicate-report"


def mark_duplicates(reports: Sequence[Head]) -> int:
    """Add a ``duplicate-report`` finding to each report that shares its agency and year
    with another; returns how many reports got one. Running it twice adds nothing more."""
    groups: dict[tuple[str, int], list[Head]] = defaultdict(list)
    for report in reports:
        if report.agency and report.agency_key and report.year is not None:
            groups[(report.agency_key, report.year)].append(report)
    marked = 0
    for (_, year), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        paths = sorted(r.source.path for r in group)
        for report in group:
            if any(f.code == CODE for f in report.findings):
                continue
            others = "、".join(p for p in paths if p != report.source.path)
            report.findings.append(Finding(
                severity_of(CODE), CODE,
                f"{report.agency} 的 {year} 年度报告共有 {len(paths)} 份，另见：{others}。"
                "各份均予保留，统计合计只计按文件路径排序的第一份。", None, "year"))
            marked += 1
    return marked
