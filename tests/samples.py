"""Helpers shared by the tests: the sample corpus and the hand-checked figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SAMPLES = CONTENT / "reports" / "samples"
EXPECTED_FILE = Path(__file__).resolve().parent / "data" / "expected.yaml"


def expected() -> list[dict[str, Any]]:
    """``tests/data/expected.yaml``: a copy of the seeds' hand-checked figures."""
    data: list[dict[str, Any]] = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
    return data


def sample_path(name: str) -> Path:
    return SAMPLES / name
