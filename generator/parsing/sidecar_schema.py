"""The sidecar file (``NAME.meta.yaml``): its keys, their checks, and reading it.

``SCHEMA`` defines every accepted key once (with its help text and the check that
normalises its value). ``read_file`` and ``load_yaml`` read the file with a safe loader
that keeps dates as text and refuses aliases, noting the line of every key; ``validate``
checks the data against the schema. Every problem becomes a ``sidecar-invalid`` finding
naming the file and line (:class:`Context`), and the entry is left out. Applying what is
valid is :mod:`generator.parsing.sidecar`'s part.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.findings import severity_of
from generator.model import Report

INVALID = "sidecar-invalid"
OVERRIDES = ("agency", "year", "region")
"""Parsed fields a sidecar may replace; each needs a reason."""


class Invalid(ValueError):
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
    """Normalises a scalar value or raises ``Invalid``; ``None`` for a nested option."""
    schema: tuple[Option, ...] = ()
    """The keys of a nested mapping (``region``) or of each list item (``corrections``)."""
    many: bool = False
    """A list of mappings (``corrections``) rather than one mapping."""
    required: bool = False


# --- value checks -----------------------------------------------------------------------

def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("非空的文本")
    return value.strip()


_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def _url(value: Any) -> str:
    if not isinstance(value, str) or not _URL.fullmatch(value.strip()):
        raise Invalid("以 http:// 或 https:// 开头、不含空白的网址")
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
    raise Invalid("YYYY-MM-DD 格式的日期")


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise Invalid("2000 到 2100 之间的整数年份")
    return value


def _code(value: Any) -> str:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{2}|\d{4}|\d{6}", text.strip()):
        raise Invalid("2、4 或 6 位数字的行政区划代码")
    return text.strip().ljust(6, "0")


def _kind(value: Any) -> str:
    if value not in ("government", "department"):
        raise Invalid("government 或 department")
    return str(value)


def _cell(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Invalid("数字，或 null（表示空白）")
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
class Context:
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


def _construct(loader: _Loader, node: yaml.Node, path: str, ctx: Context) -> Any:
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


def load_yaml(text: str, ctx: Context) -> Any:
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


def read_file(path: Path, ctx: Context) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        ctx.invalid(None, "不是 UTF-8 编码的文本，整个文件未生效。")
    except OSError as err:
        ctx.invalid(None, f"无法读取（{err.strerror}），整个文件未生效。")
    return None


# --- checking against the schema --------------------------------------------------------------

SKIP = object()


def describe(value: Any) -> str:
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


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f'（是否应为 "{close[0]}"？）'
    return f"（可用的有：{'、'.join(choices)}）" if len(choices) <= 10 else ""


def validate(data: Any, schema: tuple[Option, ...], prefix: str,
              ctx: Context) -> dict[str, Any] | None:
    """Check a mapping against ``schema``: the valid keys' normalised values."""
    if not isinstance(data, dict):
        label = f'"{prefix}"' if prefix else "文件内容"
        ctx.invalid(prefix or None, f"{label}应为映射（键: 值），实际为{describe(data)}，未生效。")
        return None
    keys = [o.key for o in schema]
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        option = next((o for o in schema if o.key == key), None)
        if option is None:
            ctx.invalid(path, f'未知的键 "{path}"{suggest(key, keys)}，已忽略。')
            continue
        checked = _check(option, value, path, ctx)
        if checked is not SKIP:
            out[key] = checked
    for option in schema:
        if option.required and option.key not in data:
            ctx.invalid(prefix or None, f'"{prefix}" 缺少必需的键 "{option.key}"，未生效。')
    return out


def _check(option: Option, value: Any, path: str, ctx: Context) -> Any:
    """One option's value, normalised, or ``SKIP`` after recording why not."""
    if option.many:
        if not isinstance(value, list):
            ctx.invalid(path, f'"{path}" 应为列表，实际为{describe(value)}，未生效。')
            return SKIP
        items = []
        for index, item in enumerate(value):
            before = ctx.errors
            checked = validate(item, option.schema, f"{path}[{index}]", ctx)
            if checked is not None and ctx.errors == before:
                items.append((index, checked))
        return items
    if option.schema:
        before = ctx.errors
        checked = validate(value, option.schema, path, ctx)
        return checked if checked is not None and ctx.errors == before else SKIP
    assert option.check is not None, option.key
    try:
        return option.check(value)
    except Invalid as err:
        ctx.invalid(path, f'"{path}" 应为：{err.expected}；实际为：{describe(value)}。未生效。')
        return SKIP
