"""The lower half of a report page: findings, inferred values, corrections, unparsed text."""

from __future__ import annotations

from collections.abc import Sequence

from generator.findings import CODE_BY_NAME
from generator.model import SEVERITY_ORDER, Finding, Head, Report, Severity
from generator.rendering.cells import SEVERITY_LABEL, finding_title, severity_of, value_text
from generator.rendering.escape import clean, html_text
from generator.rendering.figures import format_number
from generator.rendering.labels import path_label
from generator.rendering.markup import element, link
from generator.rendering.official import th, wrap_table

UNPARSED_LIMIT = 20_000
"""Unparsed text shown on a page at most (UTF-8 bytes); the rest is in the original."""


def _td(text: str, css: Sequence[str] = ()) -> str:
    return element("td", html_text(text), css=css)


def _table(kind: str, headers: Sequence[str], rows: list[str]) -> str:
    return wrap_table(kind, ["".join(th(h) for h in headers)] + rows, official=False)


_SEVERITIES = tuple(Severity)
"""Every severity, in order (iterating the enum itself is slow; most pages ask)."""


def findings_summary(report: Head) -> str:
    """``1 个错误、2 个警告``: findings by severity, or "" when there are none."""
    if not report.findings:
        return ""
    counts = dict.fromkeys(_SEVERITIES, 0)
    for f in report.findings:
        counts[severity_of(f)] += 1
    return "、".join(f"{counts[s]} 个{SEVERITY_LABEL[s]}" for s in _SEVERITIES if counts[s])


def findings_count(report: Head) -> str:
    """One sentence: how many findings of each severity, or nothing when none."""
    summary = findings_summary(report)
    return f"自动核验发现 {summary}，详见下文“核验结果”。" if summary else ""


def _finding_key(f: Finding) -> tuple[int, int, str, str]:
    line = f.line if isinstance(f.line, int) else 2**31
    return (SEVERITY_ORDER[severity_of(f)], line, str(f.code), str(f.message))


def _where(f: Finding, template: str | None) -> str:
    parts = []
    if isinstance(f.line, int):
        parts.append(f"第 {f.line} 行")
    if isinstance(f.path, str) and f.path:
        parts.append(path_label(f.path, template))
    return "，".join(parts) or "全文"


def findings_block(report: Report) -> str:
    """## 核验结果: every finding, worst first, with its source line."""
    head = "## 核验结果"
    if not report.findings:
        return f"{head}\n\n自动核验未发现问题。"
    rows = []
    for f in sorted(report.findings, key=_finding_key):
        sev = severity_of(f)
        code = CODE_BY_NAME.get(f.code)
        title = element("td", html_text(finding_title(f)),
                        title=code.meaning if code else None)
        source = element("code", html_text(f.text)) if isinstance(f.text, str) and f.text else ""
        rows.append(_td(SEVERITY_LABEL[sev], ("severity", f"severity-{sev.value}")) + title
                    + _td(_where(f, report.template)) + _td(str(f.message))
                    + element("td", source))
    intro = ("下表列出自动核验发现的问题。“错误”表示报告自相矛盾，“警告”表示内容缺失或异常，"
             "“提示”表示无法核验或读取时的处理。")
    return "\n\n".join([head, intro, _table("findings", ["级别", "问题", "位置", "说明", "原文"],
                                            rows)])


def inferred_block(report: Report) -> str:
    """## 推算值: values inferred for blank cells (the cells stay blank)."""
    if not report.inferred:
        return ""
    rows = [_td(path_label(i.path, report.template)) + _td(value_text(i.value))
            + _td(clean(i.rule)) for i in report.inferred]
    intro = ("以下单元格原表为空，其数值依据表格的勾稽关系推算，仅供参考；"
             "表格中仍显示为“—”，推算值另行标出。")
    return "\n\n".join(["## 推算值", intro, _table("inferred", ["位置", "推算值", "依据"], rows)])


def corrections_block(report: Report) -> str:
    """## 更正: cells replaced by the publisher's sidecar file, with the reasons."""
    if not report.corrections:
        return ""
    rows = [_td(path_label(c.path, report.template)) + _td(value_text(c.printed))
            + _td(value_text(c.value)) + _td(clean(c.reason)) + _td(clean(c.file))
            for c in report.corrections]
    intro = "以下数值经发布方的更正文件修改，表格中显示更正后的数值并标注“已更正”。"
    return "\n\n".join(["## 更正", intro,
                        _table("corrections", ["位置", "原值", "更正为", "理由", "更正文件"], rows)])


def unparsed_block(report: Report, here: str, original: str) -> str:
    """## 未解析内容: source lines the parser could not place, cut at about 20 KB."""
    if not report.unparsed:
        return ""
    rows: list[str] = []
    size = 0
    items = sorted(report.unparsed, key=lambda u: (u.line if isinstance(u.line, int) else 0))
    for item in items:
        size += len(str(item.text).encode("utf-8", "replace"))
        if rows and size > UNPARSED_LIMIT:
            break
        line = format_number(item.line) if isinstance(item.line, int) else ""
        text = str(item.text)
        if len(text) > UNPARSED_LIMIT:
            text = text[:UNPARSED_LIMIT] + f"……（此行共 {len(text)} 字，其余见原文）"
        rows.append(_td(line) + _td(text))
    blocks = ["## 未解析内容", "以下原文行未能归入报告的任何部分或表格，按原样列出。",
              _table("unparsed", ["行号", "内容"], rows)]
    if len(rows) < len(items):
        rest = len(items) - len(rows)
        blocks.append(f"另有 {rest} 行未显示，请查看{link('原文', here, original)}。")
    return "\n\n".join(blocks)
