"""Run MkDocs: the only place that starts it.

MkDocs runs as child processes (``python -m mkdocs``) with one of the derived
configurations of ``mkdocs_config``. That keeps its memory (every page is held
at once), jieba's global dictionary and its logging out of our process, keeps
``generator/`` free of MkDocs imports, and lets a large site be built by several
MkDocs processes at once, each rendering a share of the pages (see ``shards``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.errors import BuildError

QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1"}
"""Silences Material's end-of-life banner (pinned versions are a decision, see the notes)."""

SHARD_ENV = "GENERATOR_MKDOCS_SHARD"
"""``k/n``: the MkDocs process renders only share ``k`` of ``n`` (read by ``hooks.py``)."""


def mkdocs_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Our environment, with the banner switched off and ``extra`` added."""
    return {**os.environ, **QUIET_ENV, **(extra or {})}


def mkdocs_command(action: str, config: Path, *extra: str) -> list[str]:
    """The command line for ``mkdocs ACTION`` with ``config`` (made absolute: MkDocs runs
    in the project's folder, which need not be the current one)."""
    return [sys.executable, "-m", "mkdocs", action, "--config-file", str(config.resolve()), *extra]


def _start(command: list[str], cwd: Path,
           env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(command, cwd=cwd, env=mkdocs_env(env))
    except OSError as exc:
        raise BuildError(f"无法启动 MkDocs（{exc}）") from exc


def run_builds(config: Path, cwd: Path, shards: Sequence[Path], dirty: bool = False) -> None:
    """``mkdocs build --strict --quiet``, one process per shard folder, all at once; with
    ``--dirty`` when ``dirty`` (only pages newer than their HTML are rendered).

    Raises :class:`BuildError` if any MkDocs process fails (in strict mode a
    warning is a failure).
    """
    more = ["--dirty"] if dirty else []
    # absolute: MkDocs takes a relative --site-dir from the config file's folder
    commands = [(mkdocs_command("build", config, "--strict", "--quiet", *more,
                                "--site-dir", str(folder.resolve())),
                 {SHARD_ENV: f"{k}/{len(shards)}"}) for k, folder in enumerate(shards)]
    processes = [_start(command, cwd, env) for command, env in commands]
    codes = [process.wait() for process in processes]
    failed = [code for code in codes if code != 0]
    if failed:
        raise BuildError(f"MkDocs 构建失败（退出码 {failed[0]}，配置 {config}），"
                         "原因见上方 MkDocs 的输出")


def start_serve(config: Path, cwd: Path, dev_addr: str) -> subprocess.Popen[bytes]:
    """Start ``mkdocs serve`` (live reload) in the background and return the process."""
    return _start(mkdocs_command("serve", config, "--dev-addr", dev_addr, "--livereload"), cwd)
