"""Long lists are split into numbered pages that each stay within the budget."""

from __future__ import annotations

from collections.abc import Sequence

from generator.rendering.common import numbered, pager, paginate


def _render(chunk: Sequence[int], number: int, count: int) -> str:
    return f"page {number}/{count}\n" + "".join(f"item {i:04d} " + "x" * 90 + "\n" for i in chunk)


def test_everything_fits_on_one_page() -> None:
    assert paginate(list(range(5)), _render, budget=10_000) == [_render(range(5), 1, 1)]


def test_pages_stay_within_the_budget_and_keep_every_item_in_order() -> None:
    pages = paginate(list(range(300)), _render, budget=5_000)
    assert len(pages) > 1
    assert all(len(p.encode()) <= 5_000 for p in pages)
    items = [line.split()[1] for p in pages for line in p.splitlines() if line.startswith("item")]
    assert items == [f"{i:04d}" for i in range(300)]
    assert pages[0].startswith(f"page 1/{len(pages)}")


def test_page_names_and_pager_links() -> None:
    assert numbered("quality/130000.md", 1) == "quality/130000.md"
    assert numbered("quality/130000.md", 3) == "quality/130000-3.md"
    assert pager("quality/130000.md", "quality/130000.md", 1, 1) == ""
    line = pager("quality/130000-2.md", "quality/130000.md", 2, 3)
    assert line == "第 2/3 页：[1](130000.md) · 2 · [3](130000-3.md)"
