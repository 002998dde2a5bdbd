"""数据字典: every key of the published data, generated from ``tables`` and ``findings``."""

from __future__ import annotations

from generator.findings import CODES
from generator.rendering.cells import SEVERITY_LABEL
from generator.rendering.common import home_trail
from generator.rendering.escape import md_text
from generator.rendering.figures import KEY_COLUMNS
from generator.rendering.markup import crumbs, md_table, page
from generator.rendering.urls import DICTIONARY
from generator.tables import (
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    PROACTIVE_ITEMS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    TEMPLATES,
)

TITLE = "数据字典"

TOP_LEVEL: tuple[tuple[str, str], ...] = (
    ("schema_version", "数据格式的版本号"),
    ("agency", "报告写明的发布机关名称"),
    ("agency_key", "机关的稳定标识：行政区划代码加去掉地名前缀的机关名称，跨年度不变"),
    ("year", "报告统计的年度（不是发布年度）"),
    ("region", "所属行政区：province、city、county、township（名称），code（行政区划代码），"
               "level（province、city、county、township），kind（government 政府及其办公室、"
               "department 政府部门）"),
    ("template", "报告使用的模板：2019 或 2021"),
    ("published", "报告上印的发布日期（ISO 格式），没有则为 null"),
    ("title", "报告的标题行"),
    ("source", "原文：path（路径）、sha256（原文字节的 SHA-256）、url（发布网址）、"
               "retrieved（获取日期）、encoding（文字编码）"),
    ("sections", "正文各部分：overview（一、总体情况）、problems（五、存在的主要问题及改进情况）、"
                 "other（六、其他需要报告的事项）等；每部分有 heading、text、intro 和 parts（小标题与正文）"),
    ("proactive", "第二部分表格：项目 → 列 → 数值，键见下文"),
    ("applications", "第三部分表格：行 → 列 → 数值，键见下文"),
    ("review", "第四部分：行政复议的五个数值"),
    ("litigation_direct", "第四部分：未经复议直接起诉的五个数值"),
    ("litigation_after_review", "第四部分：复议后起诉的五个数值"),
    ("inferred", "推算值：path（位置）、value（数值）、rule（依据）；原单元格仍为 null"),
    ("corrections", "更正：path、printed（原值）、value（更正值）、reason（理由）、file（更正文件）"),
    ("unparsed", "未能解析的原文行：line（行号）、text（内容）"),
    ("findings", "核验发现：severity（级别）、code（代码）、message（说明）、line（原文行号）"),
    ("lines", "每个单元格读自原文的第几行：位置 → 行号"),
)


def render_dictionary() -> str:
    """dictionary.md."""
    blocks = [
        "# " + TITLE,
        crumbs(DICTIONARY, home_trail(DICTIONARY) + [(TITLE, None)]),
        "每份报告的数据都可以在其页面下载为 JSON。字段名用英文，长期保持不变；"
        "数值是报告印出的数字，空白、缺失或无法识别的单元格为 null（不等于 0）。",
        "## 顶层字段",
        md_table(["字段", "含义"], ([md_text(k), md_text(v)] for k, v in TOP_LEVEL)),
        *_proactive(),
        *_applications(),
        *_review(),
        "## 站点表格中的主要数据",
        "按地区、按年度和机关页面的比较表使用以下各列，均取自“总计”一列；"
        "求和时若有未填报的项目，结果标注“&#42;”，表示已填报项目之和。",
        md_table(["列", "计算方法"], ([md_text(c.label), md_text(c.description)]
                                   for c in KEY_COLUMNS)),
        *_codes(),
    ]
    return page({"title": TITLE, "description": "年度报告数据的字段、表格行列和核验代码说明"}, blocks)


def _proactive() -> list[str]:
    blocks = ["## 第二部分：主动公开政府信息情况（proactive）",
              "两个模板的项目和列不同。键的形式为 proactive.项目.列。"]
    for template in sorted(TEMPLATES, reverse=True):
        rows = [[md_text(i.key), md_text(i.label), md_text(i.article),
                 "；".join(f"{md_text(c.key)}（{md_text(c.label)}）" for c in i.columns)]
                for i in PROACTIVE_ITEMS[template]]
        blocks += [f"### {template} 年模板", md_table(["项目", "名称", "条款", "列"], rows)]
    return blocks


def _applications() -> list[str]:
    rows = [[md_text(r.key), md_text(r.full_label), md_text(r.group or ""),
             "、".join(sorted(r.templates)), md_text(r.description)] for r in APPLICATION_ROWS]
    cols = [[md_text(c.key), md_text(c.label), md_text(c.group or "")]
            for c in APPLICATION_COLUMNS]
    return [
        "## 第三部分：收到和处理政府信息公开申请情况（applications）",
        "键的形式为 applications.行.列，例如 applications.granted.total 是“予以公开”的总计。",
        "### 行", md_table(["行", "名称", "分组", "适用模板", "说明"], rows),
        "### 列", md_table(["列", "名称", "分组"], cols),
    ]


def _review() -> list[str]:
    groups = [[md_text(g.key), md_text(g.label), md_text(g.parent or "")] for g in REVIEW_GROUPS]
    cols = [[md_text(c.key), md_text(c.label)] for c in REVIEW_COLUMNS]
    return [
        "## 第四部分：政府信息公开行政复议、行政诉讼情况",
        "三组数值各有五列，键的形式为 组.列，例如 review.corrected 是行政复议“结果纠正”的数量。",
        "### 组", md_table(["键", "名称", "上级"], groups),
        "### 列", md_table(["列", "名称"], cols),
    ]


def _codes() -> list[str]:
    rows = [[md_text(c.code), SEVERITY_LABEL[c.severity], md_text(c.title), md_text(c.meaning)]
            for c in CODES]
    return [
        "## 核验代码",
        "每条核验发现有一个代码和级别。错误表示报告自相矛盾，警告表示内容缺失或异常，"
        "提示表示某项核验无法进行或读取时作了处理。",
        md_table(["代码", "级别", "名称", "含义"], rows),
    ]
