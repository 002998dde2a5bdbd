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

The accepted keys are defined once, in ``SCHEMA``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator import gazetteer
from generator.findings import severity_of
from generator.model import Correction, Region, Report
from generator.parsing.region import agency_key, agency_kind, region_of, resolve_region
from generator.reading import display_path
from generator.tables import (
    APPLICATION_COLUMN_KEYS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMN_KEYS,
    REVIEW_GROUPS,
    TEMPLATES,
    application_rows,
)

SUFFIX = ".meta.yaml"
INVALID = "sidecar-invalid"
APPLIED = "correction-applied"
OVERRIDES = ("agency", "year", "region")
"""Parsed fields a sidecar may replace; each needs a reason."""
REGION_FINDINGS = ("region-ambiguous", "region-unknown", "region-inferred")
"""Findings about the parsed region, dropped when a sidecar settles the region."""


class _Invalid(ValueError):
    """A value does not fit its option: ``expected`` says what would."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Option:
    """One key of the sidecar schema."""

    key: str
    help: str
    check: Callable[[Any], Any] | None = None
    """Normalises a scalar value or raises ``_Invalid``; ``None`` for a nested option."""
    schema: tuple[Option, ...] = ()
    """The keys of a nested mapping (``region``) or of each list item (``corrections``)."""
    many: bool = False
    """A list of mappings (``corrections``) rather than one mapping."""
    required: bool = False


# --- value checks -----------------------------------------------------------------------

def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("非空的文本")
    return value.strip()


_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def _url(value: Any) -> str:
    if not isinstance(value, str) or not _URL.fullmatch(value.strip()):
        raise _Invalid("以 http:// 或 https:// 开头、不含空白的网址")
    return value.strip()


def _iso_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise _Invalid("YYYY-MM-DD 格式的日期")


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise _Invalid("2000 到 2100 之间的整数年份")
    return value


def _code(value: Any) -> str:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{2}|\d{4}|\d{6}", text.strip()):
        raise _Invalid("2、4 或 6 位数字的行政区划代码")
    return text.strip().ljust(6, "0")


def _kind(value: Any) -> str:
    if value not in ("government", "department"):
        raise _Invalid("government 或 department")
    return str(value)


def _cell(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Invalid("数字，或 null（表示空白）")
    return int(value) if isinstance(value, float) and value.is_integer() else value


# --- the schema ---------------------------------------------------------------------------

REGION_SCHEMA: tuple[Option, ...] = (
    Option("code", "6 位行政区划代码（也可 2 或 4 位）；给出时名称取自行政区划表", _code),
    Option("province", "省级行政区全称，如 山西省", _text),
    Option("city", "地级行政区全称，如 临汾市", _text),
    Option("county", "县级行政区全称，如 隰县", _text),
    Option("township", "乡镇、街道名称，如 黄土镇", _text),
    Option("kind", "government（人民政府及其办公室）或 department（部门）", _kind),
)
REASONS_SCHEMA: tuple[Option, ...] = tuple(
    Option(key, f"更正 {key} 的理由", _text) for key in OVERRIDES
)
CORRECTION_SCHEMA: tuple[Option, ...] = (
    Option("path", "单元格路径，如 applications.granted.total", _text, required=True),
    Option("value", "更正后的数值，null 表示空白", _cell, required=True),
    Option("reason", "更正理由（省略时用顶层 reason）", _text),
)
SCHEMA: tuple[Option, ...] = (
    Option("source_url", "报告的发布网址", _url),
    Option("retrieved", "获取日期，YYYY-MM-DD", _iso_date),
    Option("agency", "发布机关（替换解析结果，需理由）", _text),
    Option("year", "统计年度（替换解析结果，需理由）", _year),
    Option("region", "所属行政区（替换解析结果，需理由）", schema=REGION_SCHEMA),
    Option("reason", "本文件各项更正的默认理由", _text),
    Option("reasons", "按字段给出的理由：agency、region、year", schema=REASONS_SCHEMA),
    Option("corrections", "表格单元格的更正", schema=CORRECTION_SCHEMA, many=True),
)


# --- reading the file ----------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, for the schema to check (never raising),
    and refuses aliases (``*name``): nine aliases of nine aliases ... make a file of a few
    hundred bytes stand for millions of values (a "billion laughs" file)."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "更正文件不能使用别名（*）", mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class _Context:
    """The report being corrected, the file's name and where its keys stand."""

    report: Report
    file: str
    """The sidecar's path as shown (relative to the content folder)."""
    lines: dict[str, int] = field(default_factory=dict)
    """Key path (``corrections[0].path``) -> 1-based line in the sidecar."""
    errors: int = 0

    def invalid(self, key: str | None, message: str, path: str | None = None) -> None:
        """Record a ``sidecar-invalid`` finding about ``key``, with its line."""
        line = self.lines.get(key) if key else None
        where = f"{self.file}:{line}" if line else self.file
        self.report.add(severity_of(INVALID), INVALID, f"{where}: {message}", None, path)
        self.errors += 1


def _construct(loader: _Loader, node: yaml.Node, path: str, ctx: _Context) -> Any:
    """Python data from a YAML node, noting each key's line; duplicate keys are refused."""
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = str(loader.construct_object(key_node, deep=True))
            sub = f"{path}.{name}" if path else name
            ctx.lines.setdefault(sub, key_node.start_mark.line + 1)
            if name in out:
                ctx.invalid(sub, f'键 "{sub}" 出现了不止一次，只用第一次的值。')
                continue
            out[name] = _construct(loader, value_node, sub, ctx)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            ctx.lines.setdefault(f"{path}[{index}]", item.start_mark.line + 1)
            items.append(_construct(loader, item, f"{path}[{index}]", ctx))
        return items
    return loader.construct_object(node, deep=True)


def _load(text: str, ctx: _Context) -> Any:
    """The file's data, or ``None`` (with a finding) when it is not valid YAML."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return {} if node is None else _construct(loader, node, "", ctx)
    except (yaml.YAMLError, ValueError) as err:
        mark = err.problem_mark if isinstance(err, yaml.MarkedYAMLError) else None
        problem = err.problem if isinstance(err, yaml.MarkedYAMLError) else None
        where = f"{ctx.file}:{mark.line + 1}" if mark is not None else ctx.file
        ctx.report.add(severity_of(INVALID), INVALID,
                       f"{where}: 不是有效的 YAML（{problem or err}），整个文件未生效。")
        ctx.errors += 1
        return None
    finally:
        loader.dispose()


def _read(path: Path, ctx: _Context) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        ctx.invalid(None, "不是 UTF-8 编码的文本，整个文件未生效。")
    except OSError as err:
        ctx.invalid(None, f"无法读取（{err.strerror}），整个文件未生效。")
    return None


# --- checking against the schema --------------------------------------------------------------

_SKIP = object()


def _describe(value: Any) -> str:
    """A value as a reader would name it (never a Python type name)."""
    if value is None:
        return "空值 null"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, str):
        return f'文本 "{value[:40]}{"…" if len(value) > 40 else ""}"'
    if isinstance(value, list):
        return "列表"
    return "映射" if isinstance(value, dict) else "其他类型的值"


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f'（是否应为 "{close[0]}"？）'
    return f"（可用的有：{'、'.join(choices)}）" if len(choices) <= 10 else ""


def _validate(data: Any, schema: tuple[Option, ...], prefix: str,
              ctx: _Context) -> dict[str, Any] | None:
    """Check a mapping against ``schema``: the valid keys' normalised values."""
    if not isinstance(data, dict):
        label = f'"{prefix}"' if prefix else "文件内容"
        ctx.invalid(prefix or None, f"{label}应为映射（键: 值），实际为{_describe(data)}，未生效。")
        return None
    keys = [o.key for o in schema]
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        option = next((o for o in schema if o.key == key), None)
        if option is None:
            ctx.invalid(path, f'未知的键 "{path}"{_suggest(key, keys)}，已忽略。')
            continue
        checked = _check(option, value, path, ctx)
        if checked is not _SKIP:
            out[key] = checked
    for option in schema:
        if option.required and option.key not in data:
            ctx.invalid(prefix or None, f'"{prefix}" 缺少必需的键 "{option.key}"，未生效。')
    return out


def _check(option: Option, value: Any, path: str, ctx: _Context) -> Any:
    """One option's value, normalised, or ``_SKIP`` after recording why not."""
    if option.many:
        if not isinstance(value, list):
            ctx.invalid(path, f'"{path}" 应为列表，实际为{_describe(value)}，未生效。')
            return _SKIP
        items = []
        for index, item in enumerate(value):
            before = ctx.errors
            checked = _validate(item, option.schema, f"{path}[{index}]", ctx)
            if checked is not None and ctx.errors == before:
                items.append((index, checked))
        return items
    if option.schema:
        before = ctx.errors
        checked = _validate(value, option.schema, path, ctx)
        return checked if checked is not None and ctx.errors == before else _SKIP
    assert option.check is not None, option.key
    try:
        return option.check(value)
    except _Invalid as err:
        ctx.invalid(path, f'"{path}" 应为：{err.expected}；实际为：{_describe(value)}。未生效。')
        return _SKIP


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
    return f'没有单元格 "{path}"{_suggest(path, list(valid))}，未生效。'


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


def _record(ctx: _Context, path: str, printed: Any, value: Any, reason: str,
            line: int | None = None) -> None:
    """List one applied change and say so in an info finding."""
    ctx.report.corrections.append(Correction(path, printed, value, reason, ctx.file))
    ctx.report.add(severity_of(APPLIED), APPLIED,
                   f"{ctx.file}: {path} 由 {_show(printed)} 更正为 {_show(value)}。理由：{reason}",
                   line, path)


def _apply_cells(items: list[tuple[int, dict[str, Any]]], default: str | None,
                 ctx: _Context) -> None:
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


def _division_by_names(spec: dict[str, Any], ctx: _Context) -> gazetteer.Division | None:
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
        hint = _suggest(name, list(gazetteer.all_names()))
        message = f'行政区划表中没有 "{name}"{hint}，请核对全称或给出 region.code。'
    else:
        listed = "、".join(f"{d.path}({d.code})" for d in (found or named))
        message = (f'"{name}" 对应多个行政区：{listed}；请再给出 province、city，或给出 '
                   "region.code。" if found else
                   f'"{name}" 不在给出的 province、city 之下（它是：{listed}）。')
    ctx.invalid(f"region.{key}", message + "地区未更正。")
    return None


def _division_by_code(spec: dict[str, Any], ctx: _Context) -> gazetteer.Division | None:
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


def _region_from(spec: dict[str, Any], current: Region, ctx: _Context) -> Region | None:
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


def _set_region(new: Region, reason: str, ctx: _Context) -> bool:
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


def _reason(field_name: str, data: dict[str, Any], ctx: _Context) -> str | None:
    reason: str | None = data.get("reasons", {}).get(field_name) or data.get("reason")
    if reason is None:
        ctx.invalid(field_name, f'更正 "{field_name}" 需要说明理由：请加 reasons.{field_name}'
                    "，或顶层的 reason。该项未生效。", field_name)
    return reason


def _apply_agency(data: dict[str, Any], reason: str, ctx: _Context) -> bool:
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


def _apply_overrides(data: dict[str, Any], ctx: _Context) -> bool:
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
    ctx = _Context(report, _shown(path, root))
    text = _read(path, ctx)
    loaded = _load(text, ctx) if text is not None else None
    data = _validate(loaded, SCHEMA, "", ctx) if loaded is not None else None
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
