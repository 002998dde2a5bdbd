"""The search query set (``bench/queries.yaml``) filled in from a corpus manifest."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.browser import Hit

FIELD = re.compile(r"\{(\w+)\}")
QUERIES_FILE = Path(__file__).with_name("queries.yaml")


@dataclass(frozen=True, slots=True)
class Query:
    """One concrete query and what must (or must not) be found."""

    name: str
    text: str
    title: str | None = None
    url: str | None = None
    any: bool = False
    none: bool = False
    real: bool = False

    def passed(self, hits: list[Hit]) -> bool:
        """Whether the listed results meet the expectation."""
        if self.none:
            return not hits
        if self.any:
            return bool(hits)
        return any((self.title is not None and self.title in h.text)
                   or (self.url is not None and self.url in h.href) for h in hits)


def fields(entry: dict[str, Any]) -> dict[str, str]:
    """The values a query may name, from one manifest entry."""
    region = entry["region"]
    out = {"agency": entry["agency"], "year": str(entry["year"]),
           "province": region["province"], "county": region["county"], "city": region["city"]}
    return {k: v for k, v in out.items() if v}


def _fill(text: str | None, values: dict[str, str]) -> str | None:
    return None if text is None else FIELD.sub(lambda m: values[m.group(1)], text)


def _expand(spec: dict[str, Any], pool: list[dict[str, str]], rng: random.Random) -> list[Query]:
    needed = set(FIELD.findall(str(spec["query"]) + str(spec.get("expect", {}))))
    fitting = [v for v in pool if needed <= v.keys()]
    chosen = rng.sample(fitting, min(int(spec.get("picks", 1)), len(fitting))) if needed else [{}]
    expect = spec.get("expect", {})
    return [Query(name=spec["name"], text=str(_fill(str(spec["query"]), v)),
                  title=_fill(expect.get("title"), v), url=_fill(expect.get("url"), v),
                  any=bool(expect.get("any")), none=bool(expect.get("none")),
                  real=bool(spec.get("real"))) for v in chosen]


def load_queries(manifest: dict[str, dict[str, Any]], path: Path = QUERIES_FILE,
                 seed: int = 7) -> list[Query]:
    """Every query of ``path`` with its fields filled from clean manifest entries."""
    specs = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    pool = [fields(e) for _, e in sorted(manifest.items()) if not e.get("broken")]
    rng = random.Random(seed)
    return [q for spec in specs for q in _expand(spec, pool, rng)]
