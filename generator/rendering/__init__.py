"""The rendering stage: parsed reports in, Markdown pages out (pure functions, no I/O).

``render_site`` returns every page keyed by its path relative to MkDocs' ``docs_dir``
(see :mod:`generator.rendering.urls`). Every string from a report is escaped by
:mod:`generator.rendering.escape`; links between pages are relative. The pages need
the Markdown extensions ``tables``, ``toc``, ``attr_list`` and ``md_in_html``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.errors import UsageError
from generator.model import Report
from generator.rendering.catalog import build_catalog
from generator.rendering.plan import Unit, plan_units, render_unit, shape_digest

__all__ = ["Unit", "build_catalog", "plan_units", "render_site", "render_unit", "shape_digest"]


def render_site(reports: Sequence[Report], pages: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every generated page, keyed by path relative to ``docs_dir``, sorted by path.

    ``pages`` are hand-written Markdown pages (file name -> text), placed as they are.
    The output is the same for the same reports in any order. (``generator.site``
    renders the same units itself, skipping those unchanged since the last build.)

    Raises :class:`UsageError` when a hand-written page has the path of a generated one.
    """
    extra = dict(pages or {})
    catalog = build_catalog(reports)
    out: dict[str, str] = {}
    for unit in plan_units(catalog):
        out.update(render_unit(catalog, unit.kind, unit.ident, extra))
    return place_pages(out, extra)


def place_pages(generated: Mapping[str, str], pages: Mapping[str, str]) -> dict[str, str]:
    """The generated pages plus the hand-written ones, sorted by path.

    Raises :class:`UsageError` when a hand-written page has the path of a generated one.
    """
    out = dict(generated)
    for name in sorted(pages):
        if name in out:
            raise UsageError(
                f"content/pages/{name}: a generated page has this path; rename the page")
        out[name] = pages[name]
    return dict(sorted(out.items()))
