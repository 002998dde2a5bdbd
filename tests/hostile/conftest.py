"""Hypothesis profiles for the property tests, and the hostile site built once per session.

CI sets ``HYPOTHESIS_PROFILE=ci``: examples are then derived from the test itself
(``derandomize``), so every run tries the same inputs and a failure reproduces.
``HYPOTHESIS_PROFILE=deep`` searches 30 times longer, to look for new failures.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import build_args, run_cli
from tests.hostile.site import make_hostile_content

settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.register_profile("deep", deadline=None, max_examples=3000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@dataclass
class HostileBuild:
    """One build of the hostile content: folders, exit code, what it printed, when."""

    root: Path
    content: Path
    build_dir: Path
    site: Path
    code: int
    stderr: str
    started: float
    beside: list[str]
    """Files next to the build's folders (in the session's temporary folder) that the
    build created or changed: must be none."""

    @property
    def docs(self) -> Path:
        return self.build_dir / "docs"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The hostile content built once (MkDocs included) under a fresh temporary folder."""
    root = tmp_path_factory.mktemp("hostile")
    content = make_hostile_content(root)
    started = time.time()
    code, err = run_cli(*build_args(content, root / "build", root / "site"))
    beside = sorted(p.as_posix() for p in root.parent.rglob("*")
                    if not p.is_relative_to(root) and p.lstat().st_mtime >= started)
    return HostileBuild(root, content, root / "build", root / "site", code, err, started, beside)
