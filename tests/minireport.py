"""A small, valid report text built from the table definitions, for rule tests.

``mini_report()`` gives a 2021- or 2019-template report whose identities hold; the
keyword arguments change single cells or rows so that each test shows one rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.tables import (
    APPLICATION_COLUMNS,
    PROACTIVE_ITEMS,
    REVIEW_CELL_COUNT,
    application_rows,
)

Cells = Sequence[str]

GRANTED = ["3", "1", "0", "0", "0", "0", "4"]
ZEROS = ["0"] * 7


def default_cells(template: str) -> dict[str, list[str]]:
    """Four requests received, all granted; every identity holds."""
    cells = {r.key: list(ZEROS) for r in application_rows(template)}
    for key in ("new_received", "granted", "total_handled"):
        cells[key] = list(GRANTED)
    return cells


def application_lines(template: str, cells: Mapping[str, Cells], header: bool = True,
                      drop: Sequence[str] = ()) -> list[str]:
    lines = []
    if header:
        lines.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况")
        lines.append("\t\t" + "\t".join(c.label for c in APPLICATION_COLUMNS))
    for row in application_rows(template):
        if row.key in drop:
            continue
        label = f"{row.group}\t{row.full_label}" if row.number[0].isdigit() else row.full_label
        lines.append(label + "\t" + "\t".join(cells[row.key]))
    return lines


def proactive_lines(template: str, values: Mapping[str, Cells] | None = None) -> list[str]:
    lines: list[str] = []
    article = None
    for item in PROACTIVE_ITEMS[template]:
        if item.article != article:
            article = item.article
            lines.append(article)
            lines.append("信息内容\t" + "\t".join(c.label for c in item.columns))
        cells = (values or {}).get(item.key, ["0"] * len(item.columns))
        lines.append(item.label + "\t" + "\t".join(cells))
    return lines


def review_lines(cells: Cells | None = None) -> list[str]:
    return [
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t\t\t\t\t" + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
        "\t".join(cells or ["0"] * REVIEW_CELL_COUNT),
    ]


def mini_report(template: str = "2021", year: int | None = None, agency: str = "繁峙县人民政府办公室",
                cells: Mapping[str, Cells] | None = None, proactive: list[str] | None = None,
                applications: list[str] | None = None, review: list[str] | None = None,
                extra_overview: Sequence[str] = ()) -> str:
    """The text of a whole small report."""
    year = year or (2021 if template == "2021" else 2020)
    merged = default_cells(template)
    merged.update({k: list(v) for k, v in (cells or {}).items()})
    lines = [
        agency,
        f"{year}年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        f"{year}年，本机关认真贯彻《中华人民共和国政府信息公开条例》。",
        "（一）主动公开情况",
        "主动公开政府信息 100 条。",
        *extra_overview,
        "二、主动公开政府信息情况",
        *(proactive if proactive is not None else proactive_lines(template)),
        "三、收到和处理政府信息公开申请情况",
        *(applications if applications is not None else application_lines(template, merged)),
        "四、政府信息公开行政复议、行政诉讼情况",
        *(review if review is not None else review_lines()),
        "五、存在的主要问题及改进情况",
        "公开内容还不够全面。",
        "六、其他需要报告的事项",
        "无。",
        "",
        agency,
        f"{year + 1}年1月20日",
    ]
    return "\n".join(lines) + "\n"
