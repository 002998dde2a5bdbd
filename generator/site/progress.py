"""Progress lines on long runs, seconds per stage, and the summary at the end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

MIN_TOTAL = 200
"""Fewer items than this: no progress lines, only the summary."""
STEPS = 20
"""A progress line about every 1/STEPS of the items."""

STAGE_NAMES = {
    "discover": "查找", "parse": "解析", "render": "生成页面", "write": "写入",
    "mkdocs": "MkDocs 构建", "offline": "离线版构建",
}
"""Chinese names of the build stages, as shown in the summary."""


@dataclass(slots=True)
class Progress:
    """Prints to ``stream`` unless ``quiet``; times each stage."""

    stream: TextIO
    quiet: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    def say(self, line: str) -> None:
        """One line, unless quiet."""
        if not self.quiet:
            print(line, file=self.stream, flush=True)

    def ticker(self, label: str) -> Ticker:
        """A callback printing ``label done/total …`` every so often."""
        return Ticker(self, label)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the ``with`` body as stage ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def timings(self) -> str:
        """``解析 1.2 秒，生成页面 0.3 秒, …`` in stage order."""
        return "，".join(f"{STAGE_NAMES.get(k, k)} {v:.1f} 秒" for k, v in self.seconds.items())


@dataclass(slots=True)
class Ticker:
    """Progress callback for one stage: call with (done, total)."""

    progress: Progress
    label: str
    last: int = -1

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_TOTAL:
            return
        step = done // max(1, total // STEPS)
        if step > self.last:
            self.last = step
            self.progress.say(f"{self.label} {done}/{total} …")
