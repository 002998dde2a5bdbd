"""Write a synthetic corpus of annual reports for the benchmarks and tests.

    python bench/make_corpus.py N OUT_DIR [--seed S] [--broken-share 0.1] [--seeds DIR]

Each of the N files is a distinct report of a real county- or prefecture-level place
(names and codes from the gazetteer), by one of many agency kinds, for a year that
fits its template (2019 template: 2019-2020; 2021 template: 2021-2024). Narrative
comes from the seed reports with names, years and counts replaced; tables are
written anew in one of the two layouts with figures for which every identity holds.
A share of files is broken on purpose (a lost row, blank cells, a broken identity,
a missing table body) or encoded awkwardly (GBK, full-width digits).

Files go to OUT_DIR/<province>/<code>-<year>-<agency>.txt; ``manifest.jsonl`` (next
to them, or ``--manifest``) has one line per file with what it was meant to say.
Output is the same for the same arguments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.agencies import Agency, make_agency  # noqa: E402
from bench.compose import Narrative, compose  # noqa: E402
from bench.figures import Figures, make_figures  # noqa: E402
from bench.seeds import Seed, load_seeds  # noqa: E402
from bench.tables_text import Style, table_lines  # noqa: E402
from generator.tables import APPLICANT_KEYS  # noqa: E402

DEFAULT_SEEDS = Path(__file__).resolve().parents[1] / "content" / "reports" / "samples"
"""The five real samples that ship with the project."""
YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024)}
BROKEN_KINDS = ("lost-row", "blank-cells", "broken-identity", "missing-table-body", "gbk",
                "fullwidth-digits")
"""Kinds of broken file; ``gbk`` and ``fullwidth-digits`` hold correct data in an awkward form."""
CLEAN_KINDS = frozenset({"gbk", "fullwidth-digits"})
"""Broken kinds whose data a parser should still read exactly."""
IDENTITY_ROWS = ("granted", "partially_granted", "unavailable_not_held")
"""Rows whose printed cell a ``broken-identity`` file raises (totals left as they were)."""
LOSABLE_ROWS = ("carried_over", "granted", "partially_granted", "unavailable_not_held",
                "rejected_duplicate", "carry_forward")


@dataclass(frozen=True, slots=True)
class Planned:
    """One report to write: who, when, how it is printed and what is broken."""

    agency: Agency
    year: int
    template: str
    style: Style
    broken: str | None
    detail: str | None


def _pick_year(rng: random.Random) -> tuple[int, str]:
    year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
    return year, "2019" if year in YEARS["2019"] else "2021"


def _style(rng: random.Random) -> Style:
    return Style(layout=rng.choice(("cells", "rows")), ascii_numbers=rng.random() < 0.3,
                 split_headers=rng.random() < 0.3,
                 noise=0.1 if rng.random() < 0.3 else 0.0)


def _break_style(style: Style, kind: str, rng: random.Random) -> tuple[Style, str | None]:
    """The style change a broken kind needs, and a note on what was broken."""
    if kind == "lost-row":
        row = rng.choice(LOSABLE_ROWS)
        return replace(style, skip_rows=frozenset({row})), f"applications.{row}"
    if kind == "missing-table-body":
        return replace(style, no_proactive_body=True), "proactive"
    if kind == "fullwidth-digits":
        return replace(style, fullwidth=True), None
    return style, None


def _break_figures(fig: Figures, kind: str, detail: str | None, rng: random.Random) -> str | None:
    """Blank cells, break an identity or null what a lost part loses; returns the note."""
    if kind == "lost-row" and detail:
        fig.applications[detail.split(".")[1]] = dict.fromkeys(fig.applications["granted"])
    elif kind == "missing-table-body":
        fig.proactive = {k: dict.fromkeys(v) for k, v in fig.proactive.items()}
        fig.procurement_text = None
    elif kind == "blank-cells":
        paths = []
        for _ in range(rng.randint(1, 3)):
            row = rng.choice(sorted(fig.applications))
            col = rng.choice(APPLICANT_KEYS)
            fig.applications[row][col] = None
            paths.append(f"applications.{row}.{col}")
        return ",".join(sorted(set(paths)))
    elif kind == "broken-identity":
        row, col = rng.choice(IDENTITY_ROWS), rng.choice(APPLICANT_KEYS[:2])
        fig.applications[row][col] = int(fig.applications[row][col] or 0) + rng.randint(1, 9)
        return f"applications.{row}.{col}"
    return detail


def plan(rng: random.Random, seen: set[tuple[str, str, int]], broken_share: float) -> Planned:
    """Draw one report no earlier draw has named (same place, agency and year)."""
    while True:
        agency = make_agency(rng)
        year, template = _pick_year(rng)
        key = (agency.place.code, agency.slug, year)
        if key not in seen:
            seen.add(key)
            break
    style = _style(rng)
    broken = rng.choice(BROKEN_KINDS) if rng.random() < broken_share else None
    detail = None
    if broken:
        style, detail = _break_style(style, broken, rng)
    return Planned(agency, year, template, style, broken, detail)


def _narrative(seeds: list[Seed], rng: random.Random) -> Narrative:
    with_preamble = [s for s in seeds if s.preamble]
    preamble = rng.choice(with_preamble) if with_preamble and rng.random() < 0.6 else None
    return Narrative(preamble, rng.choice(seeds), rng.choice(seeds), rng.choice(seeds))


def _encode(text: str, broken: str | None) -> tuple[bytes, str]:
    if broken == "gbk":
        return text.replace("\u00a0", " ").encode("gbk"), "gbk"
    return text.encode("utf-8"), "utf-8"


def _relpath(p: Planned) -> str:
    place = p.agency.place
    return f"{place.province_slug}/{place.code}-{p.year}-{p.agency.slug}.txt"


def _region(agency: Agency) -> dict[str, str | None]:
    place = agency.place
    city_level = place.level == "city"
    return {"province": place.province, "city": place.name if city_level else place.city,
            "county": None if city_level else place.name, "township": agency.town,
            "code": place.code, "level": agency.level, "kind": agency.region_kind}


def make_one(p: Planned, seeds: list[Seed], rng: random.Random) -> tuple[bytes, dict[str, object]]:
    """The bytes of one report and its manifest entry."""
    busy = p.agency.busy * (3.0 if p.agency.place.level == "city" else 1.0)
    fig = make_figures(rng, p.template, busy, p.agency.place.level == "city")
    detail = _break_figures(fig, p.broken, p.detail, rng) if p.broken else None
    narrative = _narrative(seeds, rng)
    text, published = compose(p.agency, p.year, narrative, table_lines(fig, p.style, rng), rng)
    data, encoding = _encode(text, p.broken)
    entry: dict[str, object] = {
        "path": _relpath(p), "agency": p.agency.name, "year": p.year, "template": p.template,
        "region": _region(p.agency), "published": published, "layout": p.style.layout,
        "broken": p.broken, "detail": detail, "encoding": encoding,
        "seeds": narrative.names(), "sha256": hashlib.sha256(data).hexdigest(),
        "figures": fig.to_manifest(),
    }
    return data, entry


def make_corpus(n: int, out: Path, seed: int = 1, broken_share: float = 0.1,
                seeds_dir: Path = DEFAULT_SEEDS, manifest: Path | None = None) -> list[dict[str, object]]:
    """Write ``n`` reports under ``out`` and the manifest; returns the manifest entries."""
    seeds = load_seeds(seeds_dir)
    if not seeds:
        raise SystemExit(f"make_corpus: no usable seed report under {seeds_dir}")
    rng = random.Random(seed)
    seen: set[tuple[str, str, int]] = set()
    entries = []
    for _ in range(n):
        planned = plan(rng, seen, broken_share)
        data, entry = make_one(planned, seeds, rng)
        target = out / str(entry["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        entries.append(entry)
    entries.sort(key=lambda e: str(e["path"]))
    path = manifest or out / "manifest.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for entry in entries:
            fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    return entries


def read_manifest(path: Path) -> dict[str, dict[str, object]]:
    """Manifest entries by their path relative to the corpus folder."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return {str(r["path"]): r for r in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of reports")
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--broken-share", type=float, default=0.1,
                        help="share of broken files (default 0.1)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                        help=f"folder of sample reports to vary (default {DEFAULT_SEEDS})")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="where to write manifest.jsonl (default OUT_DIR/manifest.jsonl)")
    args = parser.parse_args(argv)
    entries = make_corpus(args.n, args.out, args.seed, args.broken_share, args.seeds,
                          args.manifest)
    distinct = len({e["sha256"] for e in entries})
    broken = sum(1 for e in entries if e["broken"])
    provinces = len({str(e["path"]).split("/")[0] for e in entries})
    print(f"distinct files by content hash: {distinct} of {len(entries)}")
    print(f"broken on purpose: {broken}; provinces: {provinces}")
    print(f"wrote {len(entries)} reports under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
