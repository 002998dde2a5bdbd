"""Changes a publisher makes to the content folder, for the rebuild tests.

Each takes the content folder and the index of a synthetic report (``reports/synth``,
sorted by path) so tests can pick different reports.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def synthetic(content: Path) -> list[Path]:
    """The synthetic reports under ``reports/synth``, sorted."""
    return sorted((content / "reports" / "synth").rglob("*.txt"))


def correct_figure(content: Path, n: int) -> None:
    """A sidecar correcting one cell of report ``n``."""
    target = synthetic(content)[n]
    target.with_name(target.stem + ".meta.yaml").write_text(
        "corrections:\n  - path: applications.granted.total\n    value: 999\n"
        "    reason: 测试：更正一个数字\n", encoding="utf-8")


def remove_report(content: Path, n: int) -> None:
    """Report ``n`` deleted."""
    synthetic(content)[n].unlink()


def copy_report(content: Path, n: int) -> None:
    """Report ``n`` copied beside itself (``copy-NAME``): a second report of its agency."""
    source = synthetic(content)[n]
    shutil.copy(source, source.with_name("copy-" + source.name))
