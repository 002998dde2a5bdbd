"""Regenerate the golden pages: ``.venv/bin/python -m tests.regen_golden``.

Parses the sample reports (``content/reports/samples/*.txt``) with the real
pipeline, renders the whole site from them and writes every page to
``tests/golden/samples/`` (the folder is emptied first). ``test_rendering.py``
compares the rendered pages with these files exactly; after an intended change to
parsing or rendering, run this and review the diff before committing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.model import Report
from tests.samples import CONTENT, SAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden" / "samples"


def sample_reports() -> list[Report]:
    """The sample reports, parsed, corrected and checked as the build does."""
    from generator.pipeline import load_report

    return [load_report(path, CONTENT) for path in sorted(SAMPLES.glob("*.txt"))]


def golden_pages() -> dict[str, str]:
    """The pages the golden files should hold: the site rendered from the samples."""
    from generator.rendering import render_site

    return render_site(sample_reports())


def main() -> None:
    """Rewrite ``tests/golden/samples/``."""
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for path, text in golden_pages().items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {sum(1 for p in GOLDEN.rglob('*.md'))} pages to {GOLDEN}")


if __name__ == "__main__":
    main()
