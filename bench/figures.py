"""Random but consistent figures for one synthetic report.

Every identity of report-format.md holds for what :func:`make_figures` returns:
per column 新收 + 结转 = 总计 + 结转下年度; （七）总计 = the sum of the outcomes;
in every row 总计 = the sum of the six applicant columns; in each review or
litigation group 总计 = the sum of the other four. Breaking one is the job of
``bench.make_corpus`` (it records what it broke).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from generator.tables import (
    APPLICANT_KEYS,
    APPLICATION_COLUMN_KEYS,
    OUTCOME_KEYS_2019,
    OUTCOME_KEYS_2021,
    PROACTIVE_ITEMS,
    REVIEW_COLUMN_KEYS,
    REVIEW_GROUPS,
    application_rows,
)

Value = int | float | None

APPLICANT_WEIGHTS = (85, 8, 1, 1, 2, 3)
"""How applications split over 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他."""

OUTCOME_WEIGHTS = {
    "granted": 45, "partially_granted": 10, "withheld_state_secret": 1,
    "withheld_prohibited_by_law": 1, "withheld_security_stability": 1,
    "withheld_third_party": 2, "withheld_internal_affairs": 1, "withheld_process_info": 2,
    "withheld_enforcement_files": 1, "withheld_inquiry": 2, "unavailable_not_held": 18,
    "unavailable_needs_creation": 3, "unavailable_unclear": 3, "rejected_complaint": 3,
    "rejected_duplicate": 2, "rejected_publication": 1, "rejected_excessive": 1,
    "rejected_confirmation": 1, "other_no_correction": 2, "other_unpaid_fee": 1,
    "other_misc": 2, "other": 5,
}


@dataclass(slots=True)
class Figures:
    """The numbers one report prints (``None`` where it prints nothing)."""

    template: str
    proactive: dict[str, dict[str, Value]] = field(default_factory=dict)
    procurement_text: str | None = None
    """The printed procurement amount with its unit (2019 template), e.g. ``"1234.5万"``."""
    applications: dict[str, dict[str, Value]] = field(default_factory=dict)
    reviews: dict[str, dict[str, Value]] = field(default_factory=dict)
    """review / litigation_direct / litigation_after_review -> column -> value."""
    signed: bool = False
    """Print 本年增/减 with a sign (``+0``, ``-4``)."""

    def to_manifest(self) -> dict[str, object]:
        """Compact JSON form: application rows and review groups as lists of cells."""
        return {
            "proactive": self.proactive,
            "procurement_text": self.procurement_text,
            "applications": {k: [row[c] for c in APPLICATION_COLUMN_KEYS]
                             for k, row in self.applications.items()},
            **{g: [cells[c] for c in REVIEW_COLUMN_KEYS] for g, cells in self.reviews.items()},
        }


def _count(rng: random.Random, mean: float) -> int:
    """A non-negative count around ``mean`` (exponential, long-tailed)."""
    return int(rng.expovariate(1.0 / mean)) if mean > 0 else 0


def _split(rng: random.Random, total: int, keys: tuple[str, ...],
           weights: tuple[float, ...]) -> dict[str, int]:
    """``total`` items drawn over ``keys`` with ``weights`` (a multinomial draw)."""
    out = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=weights, k=total):
        out[key] += 1
    return out


def _applications(rng: random.Random, template: str, mean: float) -> dict[str, dict[str, Value]]:
    """Part 三 with every identity holding."""
    outcomes = OUTCOME_KEYS_2021 if template == "2021" else OUTCOME_KEYS_2019
    weights = tuple(float(OUTCOME_WEIGHTS[k]) for k in outcomes)
    new = _split(rng, _count(rng, mean), APPLICANT_KEYS, APPLICANT_WEIGHTS)
    rows: dict[str, dict[str, Value]] = {r.key: {} for r in application_rows(template)}
    for col in APPLICANT_KEYS:
        carried = rng.randint(0, 3) if rng.random() < 0.15 else 0
        available = new[col] + carried
        forward = min(available, rng.randint(0, 3)) if rng.random() < 0.3 else 0
        handled = available - forward
        rows["new_received"][col] = new[col]
        rows["carried_over"][col] = carried
        rows["carry_forward"][col] = forward
        rows["total_handled"][col] = handled
        for key, n in _split(rng, handled, outcomes, weights).items():
            rows[key][col] = n
    for cells in rows.values():
        cells["total"] = sum(int(cells[c] or 0) for c in APPLICANT_KEYS)
    return rows


def _reviews(rng: random.Random, busy: float) -> dict[str, dict[str, Value]]:
    """Part 四: small counts, each group's total the sum of its four."""
    out: dict[str, dict[str, Value]] = {}
    for n, group in enumerate(REVIEW_GROUPS):
        p = busy / (n + 1)
        cells: dict[str, Value] = {c: (rng.randint(1, 4) if rng.random() < p else 0)
                                   for c in REVIEW_COLUMN_KEYS[:-1]}
        cells["total"] = sum(int(v or 0) for v in cells.values())
        out[group.key] = cells
    return out


def _decimal(rng: random.Random, low: float, high: float) -> int | float:
    """An amount with 0, 2 or 4 decimals, as a report prints it."""
    places = rng.choice((0, 2, 2, 4))
    value = round(rng.uniform(low, high), places)
    return int(value) if places == 0 else float(f"{value:.{places}f}")


def _proactive_2021(rng: random.Random, busy: float, city: bool) -> dict[str, dict[str, Value]]:
    issued = rng.randint(0, 3) if city else 0
    docs = rng.randint(0, 20)
    return {
        "regulations": {"issued": issued, "repealed": min(issued, rng.randint(0, 1)),
                        "in_force": issued + (rng.randint(0, 40) if city else 0)},
        "normative_documents": {"issued": docs, "repealed": rng.randint(0, 3),
                                "in_force": docs + rng.randint(0, 100)},
        "licensing": {"decisions": _count(rng, 600 * busy)},
        "penalty": {"decisions": _count(rng, 80 * busy)},
        "enforcement": {"decisions": _count(rng, 8 * busy)},
        "fees": {"amount_10k_yuan": 0 if rng.random() < 0.6 else _decimal(rng, 0.1, 2000)},
    }


def _items_2019(rng: random.Random, mean: float) -> dict[str, Value]:
    return {"previous_items": rng.randint(0, 300), "change": rng.randint(-10, 10),
            "decisions": _count(rng, mean)}


def _proactive_2019(rng: random.Random, busy: float, city: bool) -> dict[str, dict[str, Value]]:
    created = rng.randint(0, 3) if city else 0
    docs = rng.randint(0, 20)
    return {
        "regulations": {"created": created, "published": created,
                        "total_public": created + (rng.randint(0, 40) if city else 0)},
        "normative_documents": {"created": docs, "published": rng.randint(0, docs),
                                "total_public": docs + rng.randint(0, 100)},
        "licensing": _items_2019(rng, 600 * busy),
        "other_services": _items_2019(rng, 200 * busy),
        "penalty": _items_2019(rng, 80 * busy),
        "enforcement": _items_2019(rng, 8 * busy),
        "fees": {"previous_items": rng.randint(0, 20), "change": rng.randint(-3, 3)},
        "procurement": {"projects": rng.randint(0, 60), "amount": _decimal(rng, 1, 50000)},
    }


def make_figures(rng: random.Random, template: str, busy: float, city: bool) -> Figures:
    """Consistent figures for one report; ``busy`` scales the counts (1.0: a county office)."""
    fig = Figures(template=template, signed=rng.random() < 0.5)
    mean = 0.0 if rng.random() < 0.2 else 12.0 * busy
    fig.applications = _applications(rng, template, mean)
    fig.reviews = _reviews(rng, min(0.9, 0.25 * busy))
    if template == "2021":
        fig.proactive = _proactive_2021(rng, busy, city)
    else:
        fig.proactive = _proactive_2019(rng, busy, city)
        amount = fig.proactive["procurement"]["amount"]
        fig.procurement_text = f"{amount}万" if rng.random() < 0.3 else None
    assert set(fig.proactive) == {i.key for i in PROACTIVE_ITEMS[template]}
    return fig
