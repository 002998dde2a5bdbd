"""Every finding code, its severity and what it means: the one list.

The data-quality page and the README's table are generated from ``CODES``; a test
fails when the code base emits a code that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Severity


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    """Short Chinese name shown on pages."""
    meaning: str
    """What it means for a reader, in Chinese."""


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[Code, ...] = (
    Code("identity-broken", E, "数据不平衡", "表格自身的勾稽关系不成立（所有项均已填写）。"),
    Code("internal-error", E, "解析程序出错",
         "解析这份文件时程序出错（程序的缺陷，不是报告的问题）；报告原文照常发布，请告知维护者。"),
    Code("decode-failed", E, "无法读取", "文件无法解码为文本，未能解析任何内容。"),
    Code("sidecar-invalid", E, "更正文件有误",
         "更正文件（.meta.yaml）有未知的键或错误的值，相关更正未生效。"),
    Code("not-a-report", W, "不像年度报告", "文件中找不到年度报告的任何部分或表格。"),
    Code("section-missing", W, "缺少部分", "报告缺少模板规定的某一部分。"),
    Code("table-missing", W, "表格缺失", "某一表格的表体在原文中缺失，其单元格记为空。"),
    Code("row-missing", W, "缺少行", "表格中缺少模板规定的某一行，其单元格记为空。"),
    Code("row-duplicate", W, "重复的行", "同一行在表格中出现了两次，保留第一次。"),
    Code("cell-blank", W, "空白单元格", "原文单元格为空，记为“未填报”，不等于 0。"),
    Code("cell-unreadable", W, "无法识别的单元格", "单元格内容不是数字，记为空并保留原文。"),
    Code("cell-count", W, "单元格数不符", "一行的单元格个数与模板不符。"),
    Code("line-unplaced", W, "无法归位的文字",
         "表格区域中的一行无法对应到任何行或列，原文保留在“未解析内容”中。"),
    Code("value-negative", W, "负数", "计数不应为负数。"),
    Code("value-implausible", W, "数值可疑", "数值与单位或常理不符。"),
    Code("template-guessed", W, "模板按年份推定", "未能从第二部分的表头判断模板，按统计年度推定。"),
    Code("region-ambiguous", W, "地区有歧义", "名称对应多个行政区，正文中也没有足够线索。"),
    Code("region-unknown", W, "地区不明", "未能从名称和正文确定所属行政区。"),
    Code("agency-unknown", W, "发布机关不明", "未能确定报告的发布机关。"),
    Code("year-unknown", W, "年度不明", "未能确定报告统计的年度。"),
    Code("duplicate-report", W, "同一机关同年多份报告", "同一机关同一年度有多份报告，均予保留。"),
    Code("identity-unverifiable", N, "无法核验", "勾稽关系中有空白项，无法核验。"),
    Code("value-inferred", N, "推算值", "根据勾稽关系推算出空白单元格的值（仅供参考，原表为空）。"),
    Code("template-mixed", N, "模板混用", "报告同时使用了两个模板的标签。"),
    Code("other-single-row", N, "“其他处理”为一行", "2021 年模板的报告把（六）其他处理印成一行。"),
    Code("artifact-removed", N, "排版残留", "删除了文字处理软件留下的残留标记。"),
    Code("region-inferred", N, "地区由正文推定",
         "发布机关名称未能唯一确定行政区，根据正文中的地名（地址、文件名等）确定。"),
    Code("correction-applied", N, "已更正", "发布方通过更正文件修改了该值，并说明了理由。"),
)
CODE_BY_NAME = {c.code: c for c in CODES}


def severity_of(code: str) -> Severity:
    """The severity a code always has."""
    return CODE_BY_NAME[code].severity


def codes_markdown() -> str:
    """Every finding code as a Markdown table, for the README (kept in sync by a test)."""
    rows = ["| code | severity | 名称 | 含义 |", "| --- | --- | --- | --- |"]
    rows.extend(f"| `{c.code}` | {c.severity.value} | {c.title} | {c.meaning} |" for c in CODES)
    return "\n".join(rows)
