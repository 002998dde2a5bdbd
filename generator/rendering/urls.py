"""Stable, ASCII page paths and the slugs they are made of.

Every path is posix and relative to MkDocs' ``docs_dir``. Slugs come from the
agency's identity, never from its (Chinese, untrusted) name:

- agency slug: ``<division code or x>-<first 8 hex of sha256(agency_key)>``;
- report slug: ``<agency slug>-<year or unknown>``, and for the second and later
  reports of one agency and year (ordered by source path) ``-<6 hex of
  sha256(source.path)>`` more.

Links between pages are relative (:func:`rel`), so the site works under any
sub-path and from ``file://``.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence

from generator.model import Head

HOME = "index.md"
REGIONS_INDEX = "regions/index.md"
YEARS_INDEX = "years/index.md"
QUALITY_INDEX = "quality/index.md"
DICTIONARY = "dictionary.md"
UNKNOWN = "unknown"
"""Slug part (and page name) used where the year or the region is not known."""

_YEAR_MIN, _YEAR_MAX = 1000, 9999


@functools.lru_cache(maxsize=1 << 16)
def _hex(text: str, n: int) -> str:
    """The first ``n`` hex digits of the SHA-256 of ``text`` (UTF-8); remembered, as
    every report's agency slug is asked for several times a build."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def region_code(report: Head) -> str | None:
    """The report's division code when it is 6 or 9 digits, else ``None``. Digits: Unicode
    decimal digits (:meth:`str.isdecimal`, what the pattern ``\\d{6}(?:\\d{3})?`` took
    before; tested without a regular expression at a fifth of the cost: asked twice for
    each of 10,000 reports a build)."""
    code = report.region.code
    if isinstance(code, str) and len(code) in (6, 9) and code.isdecimal():
        return code
    return None


def year_key(year: object) -> str:
    """The year as a slug part: four digits, or ``unknown``."""
    if isinstance(year, int) and not isinstance(year, bool) and _YEAR_MIN <= year <= _YEAR_MAX:
        return str(year)
    return UNKNOWN


def agency_identity(report: Head) -> str:
    """What identifies the report's agency: its ``agency_key``.

    A report without one (the agency was not recognised) is an agency of its own,
    identified by its source path, so unrelated unknown issuers are not merged.
    """
    return report.agency_key or "source:" + report.source.path


def agency_slug(report: Head) -> str:
    """``<code or x>-<8 hex>``, e.g. ``141031-3fa2b9c1``."""
    return f"{region_code(report) or 'x'}-{_hex(agency_identity(report), 8)}"


def base_slug(report: Head) -> str:
    """The report's slug before conflicts are resolved: agency slug and year."""
    return f"{agency_slug(report)}-{year_key(report.year)}"


def assign_slugs(reports: Sequence[Head]) -> dict[str, str]:
    """Map each ``source.path`` to its report slug, independent of input order.

    Reports of the same agency and year are ordered by source path: the first keeps
    the plain slug, each other one gets ``-`` and 6 hex digits of the SHA-256 of its
    path (longer, should two of those ever collide). Reports sharing one source path
    are one entry (the path is the key).
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for report in reports:
        groups[base_slug(report)].add(report.source.path)
    return _resolved(groups)


def slugs_of(bases: Mapping[str, str]) -> dict[str, str]:
    """:func:`assign_slugs` of reports given as source path -> :func:`base_slug` (for a
    caller that has the parts of the base slugs already)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for path, base in bases.items():
        groups[base].add(path)
    return _resolved(groups)


def _resolved(groups: Mapping[str, set[str]]) -> dict[str, str]:
    """Source path -> slug, from the source paths by base slug (:func:`assign_slugs`)."""
    out: dict[str, str] = {}
    used: set[str] = set(groups)
    for base in sorted(groups):
        paths = groups[base]
        if len(paths) == 1:  # nearly every report: the only one of its agency and year
            out[next(iter(paths))] = base
            continue
        first, *others = sorted(paths)
        out[first] = base
        for path in others:
            out[path] = _suffixed(base, path, used)
    return dict(sorted(out.items()))


def _suffixed(base: str, path: str, used: set[str]) -> str:
    """``base-<hex of path>``, as short as possible from 6 digits, not yet in ``used``."""
    for n in range(6, 65):
        slug = f"{base}-{_hex(path, n)}"
        if slug not in used:
            used.add(slug)
            return slug
    raise ValueError(f"cannot make a unique slug for {path!r}")  # pragma: no cover


def report_page(slug: str) -> str:
    """``reports/<slug>.md``."""
    return f"reports/{slug}.md"


def agency_page(aslug: str) -> str:
    """``agencies/<aslug>.md``."""
    return f"agencies/{aslug}.md"


def region_page(code: str) -> str:
    """``regions/<code>.md`` (``regions/unknown.md`` for 未识别地区)."""
    return f"regions/{code}.md"


def year_page(year: int | str | None, part: str | None = None) -> str:
    """``years/<year>.md``, or ``years/<year>-<part>.md`` for one province's share."""
    key = year if isinstance(year, str) else year_key(year)
    return f"years/{key}.md" if part is None else f"years/{key}-{part}.md"


def quality_page(part: str | None = None) -> str:
    """``quality/index.md``, or ``quality/<part>.md`` for one province's share."""
    return QUALITY_INDEX if part is None else f"quality/{part}.md"


def report_json(slug: str) -> str:
    """``data/reports/<slug>.json`` (written by the site stage)."""
    return f"data/reports/{slug}.json"


def original_txt(slug: str) -> str:
    """``originals/<slug>.txt`` (written by the site stage)."""
    return f"originals/{slug}.txt"


def rel(from_page: str, target: str) -> str:
    """The relative link from the page ``from_page`` to the file ``target``.

    Both are normalised posix paths relative to ``docs_dir`` (no ``.`` or ``..``).
    Pages are at the top or one folder down (``reports/x.md``): those two cases are
    answered directly, as the general walk below would answer them.
    """
    depth = from_page.count("/")
    if depth == 0:
        return target
    if depth == 1:
        folder = from_page[:from_page.index("/") + 1]
        return target[len(folder):] if target.startswith(folder) else "../" + target
    here = from_page.split("/")[:-1]
    there = target.split("/")
    n = 0
    while n < len(here) and n < len(there) - 1 and here[n] == there[n]:
        n += 1
    return "/".join([".."] * (len(here) - n) + there[n:])
