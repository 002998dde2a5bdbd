"""The README's generated tables match the code, and every emitted code is documented."""

from __future__ import annotations

import re

from generator.findings import CODE_BY_NAME
from scripts.update_readme import ROOT, render


def test_readme_generated_blocks_are_current() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(text) == text, "run: .venv/bin/python scripts/update_readme.py"


def test_readme_documents_every_setting_and_code() -> None:
    from generator.config import SETTINGS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"| `{setting.flag}` |" in text, setting.flag
    for code in CODE_BY_NAME:
        assert f"| `{code}` |" in text, code


def test_every_finding_code_used_in_the_code_is_listed() -> None:
    used: set[str] = set()
    pattern = re.compile(r'"([a-z]+(?:-[a-z]+)+)"')
    for path in (ROOT / "generator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"(?:finding|_add|severity_of)\(\s*(?:report,\s*)?"
                                r'"([a-z]+(?:-[a-z]+)+)"', text):
            used.add(call.group(1))
        used.update(m for m in pattern.findall(text) if m in CODE_BY_NAME)
    unknown = sorted(c for c in used if c not in CODE_BY_NAME)
    assert unknown == []
    assert used, "the scan found no codes: the pattern is broken"
