"""Run MkDocs: the only place that starts it.

MkDocs runs as a child process (``python -m mkdocs``) with one of the derived
configurations of ``mkdocs_config``. That keeps its memory (every page is held
at once), jieba's global dictionary and its logging out of our process, and
keeps ``generator/`` free of MkDocs imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.errors import BuildError

QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1"}
"""Silences Material's end-of-life banner (pinned versions are a decision, see the notes)."""


def mkdocs_env() -> dict[str, str]:
    """Our environment, with the banner switched off."""
    return {**os.environ, **QUIET_ENV}


def mkdocs_command(action: str, config: Path, *extra: str) -> list[str]:
    """The command line for ``mkdocs ACTION`` with ``config``."""
    return [sys.executable, "-m", "mkdocs", action, "--config-file", str(config), *extra]


def run_build(config: Path, cwd: Path, quiet: bool) -> None:
    """``mkdocs build --strict``; raises :class:`BuildError` if MkDocs fails or warns."""
    command = mkdocs_command("build", config, "--strict", *(["--quiet"] if quiet else []))
    try:
        done = subprocess.run(command, cwd=cwd, env=mkdocs_env(), check=False)
    except OSError as exc:
        raise BuildError(f"无法启动 MkDocs（{exc}）") from exc
    if done.returncode != 0:
        raise BuildError(f"MkDocs 构建失败（退出码 {done.returncode}，配置 {config}），"
                         "原因见上方 MkDocs 的输出")


def start_serve(config: Path, cwd: Path, dev_addr: str) -> subprocess.Popen[bytes]:
    """Start ``mkdocs serve`` (live reload) in the background and return the process."""
    command = mkdocs_command("serve", config, "--dev-addr", dev_addr, "--livereload")
    try:
        return subprocess.Popen(command, cwd=cwd, env=mkdocs_env())
    except OSError as exc:
        raise BuildError(f"无法启动 MkDocs（{exc}）") from exc
