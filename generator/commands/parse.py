"""``parse FILE...``: print each report's data as JSON (JSON Lines for several) or YAML."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import yaml

from generator.errors import UsageError
from generator.pipeline import load_report


def parse_command(files: Sequence[Path], fmt: str, out: TextIO) -> int:
    for path in files:
        if not path.is_file():
            raise UsageError(f"{path}: 没有这个文件")
    for path in files:
        data = load_report(path).to_dict()
        if fmt == "yaml":
            out.write("---\n")
            yaml.safe_dump(data, out, allow_unicode=True, sort_keys=False, width=100)
        elif len(files) == 1:
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
    return 0
