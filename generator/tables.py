"""The one definition of the templates' tables: rows, columns, keys and labels.

Parsing matches printed labels against ``match`` phrases defined here; rendering
draws the official layout from the same rows and columns; the data dictionary
and the download column names come from here too. Nothing else in the code
spells a row or column label.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATES = ("2019", "2021")
BOTH = frozenset(TEMPLATES)
T2019 = frozenset({"2019"})
T2021 = frozenset({"2021"})


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    """Stable English key used in the JSON and in downloads."""
    label: str
    """The official Chinese label."""
    group: str | None = None
    """Merged header cell above this one, if any (e.g. 法人或其他组织)."""
    match: tuple[str, ...] = ()
    """Normalised phrases that identify this column's printed header."""


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    """The official label, without its numbering."""
    number: str
    """Its numbering as printed in the template: 一、 / （一） / 1."""
    group: str | None
    """The parent row heading (e.g. （三）不予公开), or ``None`` for a top-level row."""
    templates: frozenset[str]
    match: tuple[str, ...]
    """Normalised phrases: a printed label containing one of them is this row."""
    exact: bool = False
    """Match only when the printed label (numbering removed) equals a phrase."""
    description: str = ""
    """What the row counts, in Chinese, for the data dictionary."""

    @property
    def full_label(self) -> str:
        return f"{self.number}{self.label}"

    @property
    def display(self) -> str:
        """The label with its group for sub-rows: （三）不予公开 1.属于国家秘密."""
        if self.number[0].isdigit() and self.group:
            return f"{self.group} {self.full_label}"
        return self.full_label.split("（区分")[0]


# --- Part 三: requests received and handled ------------------------------------------

APPLICANT_GROUP = "法人或其他组织"

APPLICATION_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人", None, ("自然人",)),
    Column("commercial", "商业企业", APPLICANT_GROUP, ("商业企业",)),
    Column("research", "科研机构", APPLICANT_GROUP, ("科研机构",)),
    Column("public_interest", "社会公益组织", APPLICANT_GROUP, ("社会公益组织",)),
    Column("legal_services", "法律服务机构", APPLICANT_GROUP, ("法律服务机构",)),
    Column("other_org", "其他", APPLICANT_GROUP, ("其他",)),
    Column("total", "总计", None, ("总计",)),
)
APPLICATION_COLUMN_KEYS = tuple(c.key for c in APPLICATION_COLUMNS)
APPLICANT_KEYS = APPLICATION_COLUMN_KEYS[:-1]

G_RESULTS = "三、本年度办理结果"
G_WITHHELD = "（三）不予公开"
G_UNAVAILABLE = "（四）无法提供"
G_REJECTED = "（五）不予处理"
G_OTHER = "（六）其他处理"

APPLICATION_ROWS: tuple[Row, ...] = (
    Row("new_received", "本年新收政府信息公开申请数量", "一、", None, BOTH, ("本年新收",),
        description="本年度收到的政府信息公开申请件数"),
    Row("carried_over", "上年结转政府信息公开申请数量", "二、", None, BOTH, ("上年结转",),
        description="上一年度未办结、转入本年度办理的申请件数"),
    Row("granted", "予以公开", "（一）", G_RESULTS, BOTH, ("予以公开",),
        description="全部公开所申请信息的件数"),
    Row("partially_granted", "部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）",
        G_RESULTS, BOTH, ("部分公开",), description="区分处理、公开部分信息的件数"),
    Row("withheld_state_secret", "属于国家秘密", "1.", G_WITHHELD, BOTH, ("国家秘密",),
        description="因属于国家秘密不予公开"),
    Row("withheld_prohibited_by_law", "其他法律行政法规禁止公开", "2.", G_WITHHELD, BOTH,
        ("法律行政法规禁止公开",), description="因其他法律、行政法规禁止公开而不予公开"),
    Row("withheld_security_stability", "危及“三安全一稳定”", "3.", G_WITHHELD, BOTH,
        ("三安全一稳定",), description="因危及国家安全、公共安全、经济安全和社会稳定不予公开"),
    Row("withheld_third_party", "保护第三方合法权益", "4.", G_WITHHELD, BOTH,
        ("第三方合法权益",), description="为保护第三方合法权益不予公开"),
    Row("withheld_internal_affairs", "属于三类内部事务信息", "5.", G_WITHHELD, BOTH,
        ("内部事务信息",), description="属于人事管理、后勤管理、内部工作流程等内部事务信息"),
    Row("withheld_process_info", "属于四类过程性信息", "6.", G_WITHHELD, BOTH,
        ("过程性信息",), description="属于讨论记录、过程稿、磋商信函、请示报告等过程性信息"),
    Row("withheld_enforcement_files", "属于行政执法案卷", "7.", G_WITHHELD, BOTH,
        ("行政执法案卷",), description="属于行政执法案卷信息"),
    Row("withheld_inquiry", "属于行政查询事项", "8.", G_WITHHELD, BOTH,
        ("行政查询事项",), description="属于行政查询事项，告知按查询途径办理"),
    Row("unavailable_not_held", "本机关不掌握相关政府信息", "1.", G_UNAVAILABLE, BOTH,
        ("不掌握相关政府信息", "不掌握"), description="本机关不掌握所申请的信息"),
    Row("unavailable_needs_creation", "没有现成信息需要另行制作", "2.", G_UNAVAILABLE, BOTH,
        ("需要另行制作", "没有现成信息"), description="没有现成信息、需要另行制作"),
    Row("unavailable_unclear", "补正后申请内容仍不明确", "3.", G_UNAVAILABLE, BOTH,
        ("补正后申请内容仍不明确", "仍不明确"), description="补正后申请内容仍不明确"),
    Row("rejected_complaint", "信访举报投诉类申请", "1.", G_REJECTED, BOTH,
        ("信访举报投诉",), description="属于信访、举报、投诉类申请"),
    Row("rejected_duplicate", "重复申请", "2.", G_REJECTED, BOTH, ("重复申请",),
        description="重复申请"),
    Row("rejected_publication", "要求提供公开出版物", "3.", G_REJECTED, BOTH,
        ("公开出版物",), description="要求提供公开出版物"),
    Row("rejected_excessive", "无正当理由大量反复申请", "4.", G_REJECTED, BOTH,
        ("大量反复申请",), description="无正当理由大量反复申请"),
    Row("rejected_confirmation", "要求行政机关确认或重新出具已获取信息", "5.", G_REJECTED, BOTH,
        ("重新出具已获取信息", "要求行政机关确认"), description="要求确认或重新出具已获取的信息"),
    Row("other_no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1.", G_OTHER, T2021,
        ("逾期不补正",), description="申请人逾期不补正，不再处理"),
    Row("other_unpaid_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "2.",
        G_OTHER, T2021, ("缴纳费用", "收费通知"), description="申请人逾期未缴纳信息处理费，不再处理"),
    Row("other_misc", "其他", "3.", G_OTHER, T2021, ("其他",), exact=True,
        description="其他处理情形"),
    Row("other", "其他处理", "（六）", G_RESULTS, BOTH, ("其他处理",),
        description="其他处理（2019 年模板为一行；2021 年模板分三项）"),
    Row("total_handled", "总计", "（七）", G_RESULTS, BOTH, ("总计",), exact=True,
        description="本年度办理结果合计"),
    Row("carry_forward", "结转下年度继续办理", "四、", None, BOTH, ("结转下年度",),
        description="本年度未办结、转入下年度继续办理的件数"),
)
APPLICATION_ROW_BY_KEY = {r.key: r for r in APPLICATION_ROWS}

GROUP_HEADINGS: dict[str, tuple[str, ...]] = {
    G_RESULTS: ("本年度办理结果", "办理结果"),
    G_WITHHELD: ("不予公开",),
    G_UNAVAILABLE: ("无法提供",),
    G_REJECTED: ("不予处理",),
    G_OTHER: ("其他处理",),
}
"""Row headings that carry no cells of their own (except 其他处理 in 2019)."""

OUTCOME_KEYS_2021 = tuple(
    r.key for r in APPLICATION_ROWS
    if r.group is not None and r.key not in ("other", "total_handled")
)
OUTCOME_KEYS_2019 = tuple(
    r.key for r in APPLICATION_ROWS
    if r.group is not None and "2019" in r.templates and r.key != "total_handled"
)
OTHER_SUBROWS = ("other_no_correction", "other_unpaid_fee", "other_misc")


def application_rows(template: str) -> tuple[Row, ...]:
    """The rows a report of ``template`` has, in the official order.

    A 2021 report has the three （六） sub-rows and no ``other``; a 2019 report the
    reverse. (A 2021 report that prints （六） as one row keeps ``other`` too:
    the parser adds it; see report-schema.md.)
    """
    return tuple(
        r for r in APPLICATION_ROWS
        if template in r.templates and not (template == "2021" and r.key == "other")
    )


# --- Part 四: administrative reviews and lawsuits ---------------------------------------

REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持", None, ("结果维持", "维持")),
    Column("corrected", "结果纠正", None, ("结果纠正", "纠正")),
    Column("other", "其他结果", None, ("其他结果",)),
    Column("pending", "尚未审结", None, ("尚未审结",)),
    Column("total", "总计", None, ("总计",)),
)
REVIEW_COLUMN_KEYS = tuple(c.key for c in REVIEW_COLUMNS)


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    key: str
    """The report's top-level key: review, litigation_direct, litigation_after_review."""
    label: str
    parent: str | None
    """行政诉讼 for the two litigation groups."""


REVIEW_GROUPS: tuple[ReviewGroup, ...] = (
    ReviewGroup("review", "行政复议", None),
    ReviewGroup("litigation_direct", "未经复议直接起诉", "行政诉讼"),
    ReviewGroup("litigation_after_review", "复议后起诉", "行政诉讼"),
)
REVIEW_CELL_COUNT = len(REVIEW_GROUPS) * len(REVIEW_COLUMNS)


# --- Part 二: proactive disclosure ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label: str
    article: str
    """第二十条第（X）项: the sub-table the item belongs to."""
    columns: tuple[Column, ...]
    match: tuple[str, ...]
    """Normalised labels that name this item (compared whole, not as substrings)."""


def _cols(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(key, label, None, (label,)) for key, label in pairs)


_ISSUED_2021 = _cols(("issued", "本年制发件数"), ("repealed", "本年废止件数"),
                     ("in_force", "现行有效件数"))
_DECISIONS_2021 = _cols(("decisions", "本年处理决定数量"))
_FEES_2021 = _cols(("amount_10k_yuan", "本年收费金额（单位：万元）"))
_DOCS_2019 = _cols(("created", "本年新制作数量"), ("published", "本年新公开数量"),
                   ("total_public", "对外公开总数量"))
_ITEMS_2019 = _cols(("previous_items", "上一年项目数量"), ("change", "本年增/减"),
                    ("decisions", "处理决定数量"))
_FEES_2019 = _cols(("previous_items", "上一年项目数量"), ("change", "本年增/减"))
_PROCUREMENT_2019 = _cols(("projects", "采购项目数量"), ("amount", "采购总金额"))

A1, A5, A6, A8, A9 = (f"第二十条第（{n}）项" for n in "一五六八九")

PROACTIVE_ITEMS: dict[str, tuple[Item, ...]] = {
    "2021": (
        Item("regulations", "规章", A1, _ISSUED_2021, ("规章",)),
        Item("normative_documents", "行政规范性文件", A1, _ISSUED_2021,
             ("行政规范性文件", "规范性文件")),
        Item("licensing", "行政许可", A5, _DECISIONS_2021, ("行政许可",)),
        Item("penalty", "行政处罚", A6, _DECISIONS_2021, ("行政处罚",)),
        Item("enforcement", "行政强制", A6, _DECISIONS_2021, ("行政强制",)),
        Item("fees", "行政事业性收费", A8, _FEES_2021, ("行政事业性收费",)),
    ),
    "2019": (
        Item("regulations", "规章", A1, _DOCS_2019, ("规章",)),
        Item("normative_documents", "规范性文件", A1, _DOCS_2019,
             ("规范性文件", "行政规范性文件")),
        Item("licensing", "行政许可", A5, _ITEMS_2019, ("行政许可",)),
        Item("other_services", "其他对外管理服务事项", A5, _ITEMS_2019,
             ("其他对外管理服务事项",)),
        Item("penalty", "行政处罚", A6, _ITEMS_2019, ("行政处罚",)),
        Item("enforcement", "行政强制", A6, _ITEMS_2019, ("行政强制",)),
        Item("fees", "行政事业性收费", A8, _FEES_2019, ("行政事业性收费",)),
        Item("procurement", "政府集中采购", A9, _PROCUREMENT_2019, ("政府集中采购",)),
    ),
}

TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
             "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
             "采购项目数量", "采购总金额", "其他对外管理服务事项", "政府集中采购"),
}
"""Part 二 labels that only one template prints: they decide the template."""

SIGNED_COLUMNS = frozenset({"change"})
"""Columns where a negative number is legitimate (本年增/减)."""


# --- Narrative sections ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SectionDef:
    key: str
    number: str
    heading: str
    match: tuple[str, ...]
    """Normalised phrases a heading line starts with (after its numbering)."""
    table: bool


SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("overview", "一", "总体情况", ("总体情况",), False),
    SectionDef("proactive", "二", "主动公开政府信息情况", ("主动公开政府信息情况",), True),
    SectionDef("applications", "三", "收到和处理政府信息公开申请情况",
               ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请"), True),
    SectionDef("review", "四", "政府信息公开行政复议、行政诉讼情况",
               ("政府信息公开行政复议", "行政复议行政诉讼情况"), True),
    SectionDef("problems", "五", "存在的主要问题及改进情况", ("存在的主要问题",), False),
    SectionDef("other", "六", "其他需要报告的事项", ("其他需要报告的事项",), False),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
