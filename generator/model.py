"""The one typed data model of a parsed report.

Every stage speaks these types: parsing builds a :class:`Report`, checking adds
findings and inferred values to it, rendering reads it. ``Report.to_dict`` gives
the published JSON contract (``shared/spec/report-schema.md``); its keys are
stable, new keys may be added, none renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Protocol

SCHEMA_VERSION = 1

Number = int | float
"""A number as printed: ``int`` when it has no fractional part, else ``float``."""

Cell = Number | None
"""A table cell: the printed number, or ``None`` where blank, missing or unreadable."""

CellTable = dict[str, dict[str, Cell]]
"""Rows (or items) -> columns -> cell."""


class Severity(StrEnum):
    """How bad a finding is (report-schema.md, "Severity")."""

    ERROR = "error"
    """The report contradicts itself: an identity fails with all its terms printed."""
    WARNING = "warning"
    """Something is missing or odd: a lost row or table, a blank cell, an odd value."""
    INFO = "info"
    """A check that could not be made, or a note on how the data was read."""


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(slots=True)
class Finding:
    """One problem or note about one report."""

    severity: Severity
    """error, warning or info."""
    code: str
    """Stable machine code, e.g. ``identity-broken``; listed in ``generator.findings``."""
    message: str
    """A Chinese sentence a reader can act on."""
    line: int | None = None
    """1-based source line the finding is about, where one applies."""
    path: str | None = None
    """Data path it concerns, e.g. ``applications.granted.total``."""
    text: str | None = None
    """The source line's text (as read, after decoding), for showing beside the finding."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "line": self.line,
        }
        if self.path is not None:
            out["path"] = self.path
        if self.text is not None:
            out["text"] = self.text
        return out


@dataclass(slots=True)
class Region:
    """Where the issuing body sits in the administrative hierarchy."""

    province: str | None = None
    """Province-level unit (省, 自治区, 直辖市) by its full name."""
    city: str | None = None
    """Prefecture-level unit; ``None`` for municipalities and province-administered counties."""
    county: str | None = None
    """County-level unit (区, 县, 县级市, 旗)."""
    township: str | None = None
    """Township-level unit (乡, 镇, 街道) where the name shows one."""
    code: str | None = None
    """6-digit division code of the most specific unit known, or ``None``."""
    level: str | None = None
    """province | city | county | township."""
    kind: str | None = None
    """government (人民政府 and its office) | department."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "city": self.city,
            "county": self.county,
            "township": self.township,
            "code": self.code,
            "level": self.level,
            "kind": self.kind,
        }


@dataclass(slots=True)
class Source:
    """Where the report came from."""

    path: str
    """Path of the original file, relative to the content folder, with ``/``."""
    sha256: str
    """Hex SHA-256 of the original bytes."""
    url: str | None = None
    """The address it was published at (from the sidecar), or ``None``."""
    retrieved: str | None = None
    """ISO date it was retrieved (from the sidecar), or ``None``."""
    encoding: str | None = None
    """The text encoding detected, e.g. ``utf_8``, ``gb18030``."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "url": self.url,
            "retrieved": self.retrieved,
            "encoding": self.encoding,
        }


@dataclass(slots=True)
class Part:
    """A sub-heading inside a narrative section and the text under it."""

    heading: str
    text: str
    line: int | None = None
    """1-based line of the heading."""

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "text": self.text, "line": self.line}


@dataclass(slots=True)
class Section:
    """A narrative part of the report (一 总体情况, 五 问题, 六 其他事项, ...)."""

    heading: str | None = None
    """The heading as printed, or ``None`` where the section was not found."""
    text: str = ""
    """The whole text of the section below its heading, paragraphs joined by newlines."""
    parts: list[Part] = field(default_factory=list)
    """Sub-headings with their text, in order; text before the first one is in ``intro``."""
    intro: str = ""
    """Text before the first sub-heading."""
    line: int | None = None
    """1-based line of the heading."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "text": self.text,
            "intro": self.intro,
            "parts": [p.to_dict() for p in self.parts],
            "line": self.line,
        }


@dataclass(slots=True)
class Inferred:
    """A value the generator inferred for a ``null`` cell; the cell itself stays ``null``."""

    path: str
    value: Number
    rule: str
    """The identity that gives it, in words."""

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "value": self.value, "rule": self.rule}


@dataclass(slots=True)
class Correction:
    """A cell or field replaced by the publisher's sidecar file."""

    path: str
    printed: Any
    """What the report printed (or parsed as), before the correction."""
    value: Any
    reason: str
    file: str
    """The sidecar file, relative to the content folder."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "printed": self.printed,
            "value": self.value,
            "reason": self.reason,
            "file": self.file,
        }


@dataclass(slots=True)
class Unparsed:
    """A source line the parser could not place."""

    line: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text}


class Located(Protocol):
    """Where a report's file is: its :class:`Source`, or just the path of it."""

    @property
    def path(self) -> str: ...


class Head(Protocol):
    """What identifies a report and what is wrong with it, without its content: a
    :class:`Report`, or the summary of one the site keeps between builds
    (``generator.rendering.summary``), so pages listing many reports need no full data."""

    @property
    def source(self) -> Located: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def agency_key(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def region(self) -> Region: ...
    @property
    def findings(self) -> list[Finding]: ...


@dataclass(slots=True)
class Report:
    """One parsed report: the JSON contract of report-schema.md."""

    source: Source
    agency: str | None = None
    """The issuer as the report names it; ``None`` when it cannot be determined."""
    agency_key: str = ""
    """Stable identity across years: division code + name without region prefixes."""
    year: int | None = None
    """The year the statistics cover (not the publication year)."""
    region: Region = field(default_factory=Region)
    template: str | None = None
    """``"2019"`` or ``"2021"``; ``None`` only for a file that is not a report at all."""
    published: str | None = None
    """ISO date printed on the report, or ``None``."""
    title: str | None = None
    """The report's title line as printed."""
    sections: dict[str, Section] = field(default_factory=dict)
    """preamble, overview (一), problems (五), other (六), closing (signature)."""
    proactive: CellTable = field(default_factory=dict)
    """Part 二: item -> column -> cell."""
    proactive_text: dict[str, str] = field(default_factory=dict)
    """Printed text of cells that carry a unit, by path (e.g. the procurement amount)."""
    applications: CellTable = field(default_factory=dict)
    """Part 三: row -> column -> cell."""
    review: dict[str, Cell] = field(default_factory=dict)
    litigation_direct: dict[str, Cell] = field(default_factory=dict)
    litigation_after_review: dict[str, Cell] = field(default_factory=dict)
    inferred: list[Inferred] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    """Data path of each cell -> 1-based source line it was read from."""

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        line: int | None = None,
        path: str | None = None,
        text: str | None = None,
    ) -> Finding:
        """Record a finding and return it."""
        finding = Finding(severity, code, message, line, path, text)
        self.findings.append(finding)
        return finding

    def with_findings(self, findings: list[Finding]) -> Report:
        """A shallow copy of the report with ``findings`` instead of its own: what
        ``dataclasses.replace`` gives, for a tenth of its cost (a page render paid that for
        every report)."""
        copy = Report.__new__(Report)
        for name in _REPORT_FIELDS:
            setattr(copy, name, getattr(self, name))
        copy.findings = findings
        return copy

    def counts(self) -> dict[str, int]:
        """Number of findings by severity, every severity present."""
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The published JSON object, keys in the schema's order; every table a copy."""
        data = self.bulk_dict()
        data["applications"] = {k: dict(v) for k, v in self.applications.items()}
        for key in ("review", "litigation_direct", "litigation_after_review"):
            data[key] = dict(data[key])
        data["lines"] = {path: self.lines[path] for path in sorted(self.lines)}
        return data

    def bulk_dict(self) -> dict[str, Any]:
        """:meth:`to_dict` without ``lines`` (its last key: the caller writes it, keys
        sorted), for writing out at once: its tables of part 三 and the review are the
        report's own (not to be changed)."""
        proactive: dict[str, dict[str, Any]] = {}
        for item, cols in self.proactive.items():
            proactive[item] = dict(cols)
            text = self.proactive_text.get(f"proactive.{item}.amount")
            if item == "procurement":
                proactive[item]["amount_text"] = text
        return {
            "schema_version": SCHEMA_VERSION,
            "agency": self.agency,
            "agency_key": self.agency_key,
            "year": self.year,
            "region": self.region.to_dict(),
            "template": self.template,
            "published": self.published,
            "title": self.title,
            "source": self.source.to_dict(),
            "sections": {k: v.to_dict() for k, v in self.sections.items()},
            "proactive": proactive,
            "applications": self.applications,
            "review": self.review,
            "litigation_direct": self.litigation_direct,
            "litigation_after_review": self.litigation_after_review,
            "inferred": [i.to_dict() for i in self.inferred],
            "corrections": [c.to_dict() for c in self.corrections],
            "unparsed": [u.to_dict() for u in self.unparsed],
            "findings": [f.to_dict() for f in self.findings],
        }


_REPORT_FIELDS = tuple(f.name for f in fields(Report))


def report_from_dict(data: dict[str, Any]) -> Report:
    """Rebuild a :class:`Report` from its ``to_dict`` form (used by the parse cache)."""
    src = data["source"]
    report = Report(
        source=Source(
            path=src["path"],
            sha256=src["sha256"],
            url=src.get("url"),
            retrieved=src.get("retrieved"),
            encoding=src.get("encoding"),
        ),
        agency=data.get("agency"),
        agency_key=data.get("agency_key", ""),
        year=data.get("year"),
        region=Region(**data.get("region", {})),
        template=data.get("template"),
        published=data.get("published"),
        title=data.get("title"),
    )
    for key, sec in data.get("sections", {}).items():
        report.sections[key] = Section(
            heading=sec.get("heading"),
            text=sec.get("text", ""),
            intro=sec.get("intro", ""),
            parts=[Part(p["heading"], p["text"], p.get("line")) for p in sec.get("parts", [])],
            line=sec.get("line"),
        )
    for item, cols in data.get("proactive", {}).items():
        cells = dict(cols)
        text = cells.pop("amount_text", None)
        if text is not None:
            report.proactive_text[f"proactive.{item}.amount"] = text
        report.proactive[item] = cells
    report.applications = {k: dict(v) for k, v in data.get("applications", {}).items()}
    report.review = dict(data.get("review", {}))
    report.litigation_direct = dict(data.get("litigation_direct", {}))
    report.litigation_after_review = dict(data.get("litigation_after_review", {}))
    report.inferred = [Inferred(**i) for i in data.get("inferred", [])]
    report.corrections = [Correction(**c) for c in data.get("corrections", [])]
    report.unparsed = [Unparsed(**u) for u in data.get("unparsed", [])]
    report.findings = [finding_from_dict(f) for f in data.get("findings", [])]
    report.lines = dict(data.get("lines", {}))
    return report


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """Rebuild a :class:`Finding` from its ``to_dict`` form."""
    return Finding(Severity(data["severity"]), data["code"], data["message"], data.get("line"),
                   data.get("path"), data.get("text"))
