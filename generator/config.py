"""Settings: one table drives the command line, validation and the README.

Each :class:`Setting` names its option, default, type and help text once. The CLI
builds its arguments from ``SETTINGS``; ``BuildOptions`` holds the values; a test
checks that every setting is documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    """Attribute name on :class:`BuildOptions`; the option is ``--name`` with ``-`` for ``_``."""
    default: Any
    kind: type
    help: str
    commands: tuple[str, ...]
    """The commands that take this option."""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting("content", Path("content"), Path,
            "folder holding reports/ and pages/", ("build", "serve")),
    Setting("site_dir", Path("site"), Path,
            "where MkDocs writes the built site", ("build",)),
    Setting("build_dir", Path("build"), Path,
            "where generated Markdown, data files and caches go (MkDocs' docs_dir)",
            ("build", "serve")),
    Setting("strict", False, bool,
            "exit 1 when any report has an error-level finding", ("build", "check")),
    Setting("offline", False, bool,
            "also build an edition that works opened from disk (file://), into site-offline/",
            ("build",)),
    Setting("jobs", 0, int,
            "parallel parse processes (0: one per core)", ("build", "check")),
    Setting("no_cache", False, bool,
            "parse, render and build everything afresh, ignoring what build/ keeps from the last build",
            ("build",)),
    Setting("generate_only", False, bool,
            "write build/ but do not run MkDocs", ("build",)),
    Setting("quiet", False, bool, "no progress lines", ("build", "check")),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(slots=True)
class BuildOptions:
    """Values of the settings for one run (defaults from ``SETTINGS``)."""

    content: Path = Path("content")
    site_dir: Path = Path("site")
    build_dir: Path = Path("build")
    strict: bool = False
    offline: bool = False
    jobs: int = 0
    no_cache: bool = False
    generate_only: bool = False
    quiet: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def reports_dir(self) -> Path:
        return self.content / "reports"

    @property
    def pages_dir(self) -> Path:
        return self.content / "pages"

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def offline_dir(self) -> Path:
        return self.site_dir.parent / (self.site_dir.name + "-offline")


def settings_markdown() -> str:
    """The settings as a Markdown table, for the README (kept in sync by a test)."""
    rows = ["| option | commands | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        default = "off" if s.kind is bool else f"`{s.default}`"
        rows.append(f"| `{s.flag}` | {', '.join(s.commands)} | {default} | {s.help} |")
    return "\n".join(rows)
