"""One report file through every stage: read -> parse -> correct -> check.

``load_report`` is what the CLI, the site build and the benchmarks call. It never
raises for a problem inside the file: those become findings on the report.
"""

from __future__ import annotations

from pathlib import Path

from generator.checking import check_report
from generator.findings import severity_of
from generator.model import Report
from generator.parsing import parse_text
from generator.parsing.sidecar import apply_sidecar, sidecar_path
from generator.reading import display_path, is_inside, read_report_file


def load_report(path: Path, root: Path | None = None) -> Report:
    """Parse, correct and check one report file.

    ``root`` is the folder paths are shown relative to (``content/``); the report's
    ``source.path`` is relative to it, with ``/``.
    """
    text = read_report_file(path, root)
    report = parse_text(text)
    side = sidecar_path(path)
    if side.is_file() and root is not None and not is_inside(side, root):
        report.add(severity_of("sidecar-invalid"), "sidecar-invalid",
                   f"{display_path(side, root)}: 更正文件是指向内容目录之外的符号链接，"
                   "为安全起见未读取，其中的更正未生效。")
    elif side.is_file():
        apply_sidecar(report, side, root)
    check_report(report)
    return report
