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
from generator.rendering.agency_page import render_agency
from generator.rendering.catalog import build_catalog
from generator.rendering.dictionary import render_dictionary
from generator.rendering.home import render_home
from generator.rendering.quality_pages import render_quality
from generator.rendering.region_pages import render_regions
from generator.rendering.report_page import render_report
from generator.rendering.urls import DICTIONARY, HOME, agency_page, report_page
from generator.rendering.year_pages import render_years

__all__ = ["render_site"]


def render_site(reports: Sequence[Report], pages: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every generated page, keyed by path relative to ``docs_dir``, sorted by path.

    ``pages`` are hand-written Markdown pages (file name -> text), placed as they are.
    The output is the same for the same reports in any order.

    Raises :class:`UsageError` when a hand-written page has the path of a generated one.
    """
    extra = dict(pages or {})
    catalog = build_catalog(reports)
    out: dict[str, str] = {HOME: render_home(catalog, extra), DICTIONARY: render_dictionary()}
    out.update(render_regions(catalog))
    out.update(render_years(catalog))
    out.update(render_quality(catalog))
    for agency in catalog.agencies.values():
        out[agency_page(agency.slug)] = render_agency(catalog, agency)
    for entry in catalog.entries:
        out[report_page(entry.slug)] = render_report(catalog, entry)
    for name in sorted(extra):
        if name in out:
            raise UsageError(
                f"content/pages/{name}: a generated page has this path; rename the page")
        out[name] = extra[name]
    return dict(sorted(out.items()))
