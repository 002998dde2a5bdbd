"""Facts about the machine a benchmark ran on, for the table's caption."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (``unknown`` elsewhere)."""
    info = Path("/proc/cpuinfo")
    if info.is_file():
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def version(dist: str) -> str:
    """An installed distribution's version, or ``not installed``."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_facts() -> str:
    """One line: cores, CPU, Python, MkDocs, Material, jieba."""
    return (f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
            f"MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}, "
            f"jieba {version('jieba')}")
