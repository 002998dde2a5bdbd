"""Rewrite the generated blocks of README.md (settings, finding codes) from the code.

    .venv/bin/python scripts/update_readme.py

tests/test_docs.py fails when README.md is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import settings_markdown  # noqa: E402
from generator.findings import codes_markdown  # noqa: E402

BLOCKS = {"settings": settings_markdown, "findings": codes_markdown}


def render(text: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- {name}:start/end --> block")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(render(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md updated")
