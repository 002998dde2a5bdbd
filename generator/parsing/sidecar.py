"""Publisher corrections that stand beside a report: ``NAME.meta.yaml`` next to ``NAME.txt``.

A publisher corrects a report without editing it. Every key is optional::

    source_url: https://www.example.gov.cn/art/2022/1/24/art_1.html   # http(s) only
    retrieved: 2023-03-01                 # ISO date the file was fetched
    agency: 隰县人民政府                  # replaces the parsed issuer       } each needs
    year: 2022                            # replaces the parsed year         } a reason
    region: {code: "141031"}              # replaces the parsed region       }
    reason: 原文标题印错了机关名称        # default reason for every change in this file
    reasons: {agency: 标题有误}           # a reason per field (agency, region, year)
    corrections:                          # table cells
      - path: applications.granted.total  # <table>.<row>.<column> or review.<column>
        value: 7                          # a number, or null to blank the cell
        reason: 原表漏印合计              # may be left out when `reason` is given

``region`` takes ``code`` (2, 4 or 6 digits; the names then come from the gazetteer and
any names given must agree with it) or the full names ``province`` / ``city`` /
``county`` that pin down one unit; ``township`` and ``kind`` (government |
department) may be added. A changed ``agency`` without ``region`` re-reads the region
from the new name and takes it when that gives a division code (else the parsed
region stays and only ``kind`` follows the new name).

Each change replaces the value, is listed in ``report.corrections`` (the printed value,
the new one, the reason, the file) and gets an info finding ``correction-applied``.
``source_url`` and ``retrieved`` fill ``report.source``. Cell paths are checked against
the report's template (``generator.tables``).

A problem in the file never stops the build: an unknown key (with the nearest valid
one), a wrong type or value, a missing reason, a path the template lacks, YAML that does
not parse — each becomes an error-level finding ``sidecar-invalid`` naming the file and
its line, and that entry is not applied; the rest of the file still is. Values are kept
as data (the renderer escapes them).

The accepted keys are defined once, in ``generator.parsing.sidecar_schema.SCHEMA``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from generator import gazetteer
from generator.findings import severity_of
from generator.model import Correction, Region, Report
from generator.parsing.region import agency_key, agency_kind, region_of, resolve_region
from generator.parsing.sidecar_schema import (
    SCHEMA,
    Context,
    load_yaml,
    read_file,
    suggest,
    validate,
)
from generator.reading import display_path
from generator.sources import SIDECAR_SUFFIX
from generator.tables import (
    APPLICATION_COLUMN_KEYS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMN_KEYS,
    REVIEW_GROUPS,
    TEMPLATES,
    application_rows,
)

SUFFIX = SIDECAR_SUFFIX
APPLIED = "correction-applied"
REGION_FINDINGS = ("region-ambiguous", "region-unknown", "region-inferred")
"""Findings about the parsed region, dropped when a sidecar settles the region."""


# --- table cells ------------------------------------------------------------------------------

def _template_paths(template: str, one_row_other: bool) -> tuple[str, ...]:
    """Every cell path of ``template`` (with ``other`` when （六） is printed as one row)."""
    rows = [r.key for r in application_rows(template)]
    if one_row_other and "other" not in rows:
        rows.append("other")
    paths = [f"applications.{r}.{c}" for r in rows for c in APPLICATION_COLUMN_KEYS]
    paths += [f"proactive.{i.key}.{c.key}" for i in PROACTIVE_ITEMS[template] for c in i.columns]
    paths += [f"{g.key}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMN_KEYS]
    return tuple(paths)


def cell_paths(report: Report) -> tuple[str, ...]:
    """The cell paths a sidecar may correct in ``report`` (none when its template is unknown)."""
    if report.template not in TEMPLATES:
        return ()
    return _template_paths(report.template, "other" in report.applications)


def _bad_path(report: Report, path: str, valid: tuple[str, ...]) -> str:
    if not valid:
        return f'报告的模板不明，无法更正单元格 "{path}"，未生效。'
    for other in TEMPLATES:
        if other != report.template and path in _template_paths(other, True):
            return (f'本报告使用 {report.template} 年模板，没有单元格 "{path}"'
                    f"（它属于 {other} 年模板），未生效。")
    return f'没有单元格 "{path}"{suggest(path, list(valid))}，未生效。'


def _set_cell(report: Report, path: str, value: int | float | None) -> Any:
    """Put ``value`` at ``path`` (already checked); return what was there."""
    table, *rest = path.split(".")
    flat = {"review": report.review, "litigation_direct": report.litigation_direct,
            "litigation_after_review": report.litigation_after_review}
    if table in flat:
        old = flat[table].get(rest[0])
        flat[table][rest[0]] = value
        return old
    nested = report.applications if table == "applications" else report.proactive
    row = nested.setdefault(rest[0], {})
    old = row.get(rest[1])
    row[rest[1]] = value
    return old


# --- applying ---------------------------------------------------------------------------------

def _show(value: Any) -> str:
    return "空白" if value is None else f"“{value}”" if isinstance(value, str) else str(value)


def _record(ctx: Context, path: str, printed: Any, value: Any, reason: str,
            line: int | None = None) -> None:
    """List one applied change and say so in an info finding."""
    ctx.report.corrections.append(Correction(path, printed, value, reason, ctx.file))
    ctx.report.add(severity_of(APPLIED), APPLIED,
                   f"{ctx.file}: {path} 由 {_show(printed)} 更正为 {_show(value)}。理由：{reason}",
                   line, path)


def _apply_cells(items: list[tuple[int, dict[str, Any]]], default: str | None,
                 ctx: Context) -> None:
    valid = cell_paths(ctx.report)
    done: set[str] = set()
    for index, item in items:
        key, path = f"corrections[{index}]", item["path"]
        reason = item.get("reason") or default
        if path not in valid:
            ctx.invalid(f"{key}.path", _bad_path(ctx.report, path, valid), path)
        elif path in done:
            ctx.invalid(key, f'单元格 "{path}" 已在前面更正过，这一项未生效。', path)
        elif reason is None:
            ctx.invalid(key, f'更正 "{path}" 需要说明理由：请加 reason，未生效。', path)
        else:
            done.add(path)
            old = _set_cell(ctx.report, path, item["value"])
            _record(ctx, path, old, item["value"], reason, ctx.report.lines.get(path))


def _division_by_names(spec: dict[str, Any], ctx: Context) -> gazetteer.Division | None:
    """The one division the names in ``region`` pin down, or ``None`` (with a finding)."""
    key = next(k for k in ("county", "city", "province") if k in spec)
    name = spec[key]
    named = gazetteer.by_name(name)
    found = [d for d in named
             if spec.get("province", d.province) == d.province
             and (key == "city" or spec.get("city", d.city) == d.city)]
    if len(found) == 1:
        return found[0]
    if not named:
        hint = suggest(name, list(gazetteer.all_names()))
        message = f'行政区划表中没有 "{name}"{hint}，请核对全称或给出 region.code。'
    else:
        listed = "、".join(f"{d.path}({d.code})" for d in (found or named))
        message = (f'"{name}" 对应多个行政区：{listed}；请再给出 province、city，或给出 '
                   "region.code。" if found else
                   f'"{name}" 不在给出的 province、city 之下（它是：{listed}）。')
    ctx.invalid(f"region.{key}", message + "地区未更正。")
    return None


def _division_by_code(spec: dict[str, Any], ctx: Context) -> gazetteer.Division | None:
    division = gazetteer.by_code(spec["code"])
    if division is None:
        ctx.invalid("region.code", f'行政区划代码 "{spec["code"]}" 不在行政区划表中，地区未更正。')
        return None
    listed = region_of(division)
    for key in ("province", "city", "county"):
        expected = getattr(listed, key)
        if key in spec and spec[key] != expected:
            ctx.invalid(f"region.{key}", f'"region.{key}" 为 "{spec[key]}"，与代码 '
                        f"{division.code}（{division.path}）不符（应为 {_show(expected)}），"
                        "地区未更正。")
            return None
    return division


def _region_from(spec: dict[str, Any], current: Region, ctx: Context) -> Region | None:
    """The region the sidecar's ``region`` mapping describes, or ``None`` if it cannot.

    ``code`` or names replace the division (the township is kept only when the division
    stays the same); ``township`` and ``kind`` alone amend the current region.
    """
    region = replace(current)
    if any(k in spec for k in ("code", "province", "city", "county")):
        division = (_division_by_code(spec, ctx) if "code" in spec
                    else _division_by_names(spec, ctx))
        if division is None:
            return None
        region = region_of(division)
        if division.code == current.code and current.township is not None:
            region.township, region.level = current.township, "township"
    region.kind = spec.get("kind", agency_kind(ctx.report.agency) or current.kind)
    if "township" in spec:
        region.township, region.level = spec["township"], "township"
    return region


_REGION_LABELS = {"province": "省级", "city": "地级", "county": "县级", "township": "乡镇",
                  "code": "代码", "level": "层级", "kind": "类型"}


def _set_region(new: Region, reason: str, ctx: Context) -> bool:
    """Replace the region, listing each changed field; ``True`` if anything changed."""
    report, old = ctx.report, ctx.report.region
    changed = [k for k, v in new.to_dict().items() if old.to_dict()[k] != v]
    for key in changed:
        ctx.report.corrections.append(
            Correction(f"region.{key}", old.to_dict()[key], new.to_dict()[key], reason, ctx.file))
    if changed:
        parts = "，".join(f"{_REGION_LABELS[k]} 由 {_show(old.to_dict()[k])} 改为 "
                         f"{_show(new.to_dict()[k])}" for k in changed)
        report.add(severity_of(APPLIED), APPLIED, f"{ctx.file}: 地区已更正：{parts}。理由：{reason}",
                   None, "region")
        if new.code is not None and new.code != old.code:
            report.findings = [f for f in report.findings if f.code not in REGION_FINDINGS]
        report.region = new
    return bool(changed)


def _reason(field_name: str, data: dict[str, Any], ctx: Context) -> str | None:
    reason: str | None = data.get("reasons", {}).get(field_name) or data.get("reason")
    if reason is None:
        ctx.invalid(field_name, f'更正 "{field_name}" 需要说明理由：请加 reasons.{field_name}'
                    "，或顶层的 reason。该项未生效。", field_name)
    return reason


def _apply_agency(data: dict[str, Any], reason: str, ctx: Context) -> bool:
    report, new = ctx.report, data["agency"]
    if new == report.agency:
        return False
    _record(ctx, "agency", report.agency, new, reason)
    report.agency = new
    if "region" not in data:
        region, _ = resolve_region(new, ())
        if region.code is None:
            region = replace(report.region, kind=agency_kind(new))
        _set_region(region, reason, ctx)
    return True


def _apply_overrides(data: dict[str, Any], ctx: Context) -> bool:
    """agency, year and region; ``True`` when the agency key may have changed."""
    report, changed = ctx.report, False
    if "agency" in data and (reason := _reason("agency", data, ctx)) is not None:
        changed |= _apply_agency(data, reason, ctx)
    if ("year" in data and (reason := _reason("year", data, ctx)) is not None
            and data["year"] != report.year):
        _record(ctx, "year", report.year, data["year"], reason)
        report.year = data["year"]
    if "region" in data and (reason := _reason("region", data, ctx)) is not None:
        region = _region_from(data["region"], report.region, ctx)
        if region is not None:
            changed |= _set_region(region, reason, ctx)
    return changed


def sidecar_path(report_path: Path) -> Path:
    """Where a report's sidecar stands: ``x.txt`` -> ``x.meta.yaml`` in the same folder."""
    return report_path.with_name(report_path.stem + SUFFIX)


def _shown(path: Path, root: Path | None) -> str:
    return display_path(path, root)


def apply_sidecar(report: Report, path: Path, root: Path | None = None) -> None:
    """Apply the sidecar at ``path`` to ``report``; problems become findings, never errors.

    ``root`` is the content folder the file is shown relative to.
    """
    ctx = Context(report, _shown(path, root))
    text = read_file(path, ctx)
    loaded = load_yaml(text, ctx) if text is not None else None
    data = validate(loaded, SCHEMA, "", ctx) if loaded is not None else None
    if not data:
        return
    if "source_url" in data:
        report.source.url = data["source_url"]
    if "retrieved" in data:
        report.source.retrieved = data["retrieved"]
    if _apply_overrides(data, ctx):
        report.agency_key = agency_key(report.agency, report.region)
    if "corrections" in data:
        _apply_cells(data["corrections"], data.get("reason"), ctx)
