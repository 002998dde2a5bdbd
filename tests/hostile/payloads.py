"""Hostile and broken report files, made in code (no binary fixtures in the repository).

Every script payload sets a ``window.__hx_<where>_<kind>`` canary, and every
markup payload carries an element ``id`` starting with ``hx-``: in a browser no
canary may be set and no such element may exist; in the HTML no tag may carry a
canary or such an id. Each payload is plain text without tabs or double spaces,
so the page must show it exactly as written.
"""

from __future__ import annotations

import codecs
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from tests.minireport import application_lines, default_cells, mini_report, proactive_lines

CANARY = "__hx_"
"""Prefix of every window variable a payload sets."""
MARKER_ID = "hx-"
"""Prefix of every element id a payload would create."""


def markup_payloads(where: str) -> list[str]:
    """One payload of each kind, each setting its own canary, for a field shown as text."""
    w = f"window.{CANARY}{where}"
    return [
        f"<script>{w}_script=1</script>",
        f'<img src=x onerror="{w}_img=1">',
        f'<svg onload="{w}_svg=1"><circle r="1"/></svg>',
        f'<details open ontoggle="{w}_details=1"><summary>摘要</summary></details>',
        f'<iframe srcdoc="<script>parent.{CANARY}{where}_iframe=1</script>"></iframe>',
        f"[点此查看](javascript:{w}_mdlink=1)",
        f"<javascript:{w}_autolink=1>",
        f'<a id="{MARKER_ID}{where}-a" href="javascript:{w}_a=1">链接</a>',
        f'![图片](x" onerror="{w}_mdimg=1)',
        f"![图片](javascript:{w}_mdimg2=1)",
        f'属性注入{{: onclick="{w}_attr=1" #{MARKER_ID}{where}-attr }}',
        f'<div markdown="1" id="{MARKER_ID}{where}-div">**粗体**</div>',
        f'<b id="{MARKER_ID}{where}-b">粗体</b><style>body{{display:none}}</style>',
        f"&lt;script&gt;{w}_entity=1&lt;/script&gt; &amp; &#60;b&#62;",
        "{{ 7*7 }} {% raw %} {{ config.site_name }} {# 注释 #} {%- endraw %}",
        "竖线|单元格|a | b",
    ]


BLOCK_LINES: tuple[str, ...] = (
    "---",
    "title: 注入的标题",
    "---",
    "# 一级标题注入",
    "## 二级标题注入",
    "    缩进的代码块",
    "> 引用块",
    "* 列表项",
    "1. 有序列表",
    "```",
    "<!-- 未闭合的注释",
    '!!! danger "警告框"',
    "[^1]: 脚注定义",
    "术语",
    ": 定义列表",
    "| 表头 | 表头 |",
    "|---|---|",
    "<div>",
    "===",
    "***",
    f"[ref]: javascript:window.{CANARY}refdef=1",
    "[ref]",
    "<?php echo 1; ?>",
    "\\<转义\\>",
)
"""Lines that mean something to Markdown or its extensions when they stand alone."""

AGENCY = f"<svg/onload=window.{CANARY}agency=1>繁峙县人民政府"
"""An agency name the parser accepts (Han characters, under 40, no spaces): it is printed
on the first line and read from there."""
TITLE = f"2021年政府信息公开工作年度报告<script>window.{CANARY}title=1</script>"
HEADING = f"一、总体情况<b id={MARKER_ID}heading>粗</b>"
SUB_HEADING = f"（一）<img src=x onerror={CANARY}sub=1>主动公开"
CELL = f"<img src=x onerror=window.{CANARY}cell=1>"
ROW = f"<script>window.{CANARY}row=1</script>\t5\t6"
"""A line in part 三's table that matches no row: kept in ``unparsed``, with a finding."""


def hostile_text() -> str:
    """A whole 2021 report with markup payloads in every field the parser keeps."""
    cells = default_cells("2021")
    cells["rejected_duplicate"] = [CELL, "0", "0", "0", "0", "0", "0"]
    cells["rejected_publication"] = ["1|2", "0", "0", "0", "0", "0", "0"]
    apps = [*application_lines("2021", cells), ROW]
    base = mini_report(agency=AGENCY, applications=apps, proactive=proactive_lines("2021"),
                       extra_overview=[*markup_payloads("overview"), *BLOCK_LINES])
    lines = base.splitlines()
    lines[1] = TITLE
    lines[lines.index("一、总体情况")] = HEADING
    lines[lines.index("（一）主动公开情况")] = SUB_HEADING
    five = lines.index("公开内容还不够全面。")
    lines[five + 1:five + 1] = [*markup_payloads("problems"), *BLOCK_LINES]
    six = lines.index("无。")
    lines[six:six + 1] = markup_payloads("other")
    return "\n".join(lines) + "\n"


def hostile_sidecar() -> str:
    """A sidecar whose every text value is a payload (one value, the URL, is refused)."""
    reason = f"<img src=x onerror=window.{CANARY}reason=1> [链接](javascript:void(0))"
    return "\n".join([
        f'source_url: "javascript:window.{CANARY}url=1"',
        f'reason: "{reason}"',
        f'agency: "<script>window.{CANARY}side_agency=1</script>繁峙县人民政府办公室"',
        "corrections:",
        "  - path: applications.granted.total",
        "    value: 4",
        f'    reason: "{{{{ 7*7 }}}} <b id={MARKER_ID}side-reason>粗</b>"',
        f'  - path: "<script>window.{CANARY}side_path=1</script>"',
        "    value: 1",
        f'<b id={MARKER_ID}side-key>: "unknown key"',
        "",
    ])


def url_sidecar() -> str:
    """A sidecar with an http(s) address that tries to break out of its attribute."""
    return (f'source_url: "https://example.gov.cn/a?b=\\"><script>window.{CANARY}href=1'
            '</script>"\nretrieved: 2023-03-01\n')


# --- encodings and bytes ---------------------------------------------------------------

def encoded(text: str, codec: str) -> bytes:
    """``text`` in ``codec``; ``utf-16-le-bom`` and ``utf-16-be-bom`` add their BOM."""
    if codec == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if codec == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(codec)


def mixed_line_endings(text: str) -> bytes:
    """Lines ended in turn by CR LF, CR and LF (an empty line after a CR gets CR LF, as a
    CR then LF would be one break)."""
    ends = ("\r\n", "\r", "\n")
    out: list[str] = []
    previous = ""
    for i, line in enumerate(text.splitlines()):
        end = ends[i % 3]
        if previous == "\r" and not line and end == "\n":
            end = "\r\n"
        out.append(line + end)
        previous = end
    return "".join(out).encode()


def with_nuls(text: str, every: int = 300) -> bytes:
    """A few stray NUL characters (fewer than 1 %) inside UTF-8 text."""
    return "\x00".join(text[i:i + every] for i in range(0, len(text), every)).encode("utf-8")


def binary_blob(size: int = 40_000, seed: int = 5) -> bytes:
    """Random bytes with a PNG signature: a picture saved as ``.txt``."""
    rng = random.Random(seed)
    return b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(size))


def big_report(size: int = 10 * 1024 * 1024) -> bytes:
    """A valid report padded with narrative lines to about ``size`` bytes."""
    text = mini_report()
    filler = "本机关认真贯彻落实政府信息公开条例，持续推进政务公开工作，取得了良好成效。" * 4 + "\n"
    lines = text.splitlines(keepends=True)
    at = lines.index("主动公开政府信息 100 条。\n") + 1
    count = max(0, (size - len(text.encode())) // len(filler.encode()))
    return "".join([*lines[:at], filler * count, *lines[at:]]).encode("utf-8")


def one_huge_line(size: int = 10 * 1024 * 1024) -> bytes:
    """A file that is a single line of ``size`` bytes, no line break at all."""
    unit = "政府信息公开<>|#{{}}".encode()
    return unit * (size // len(unit)) + b"x" * (size % len(unit))


def truncated_in_table(text: str | None = None) -> str:
    """A report cut off in the middle of part 三's table, mid-row."""
    text = text or mini_report()
    cut = text.index("（三）不予公开")
    return text[: cut + 30]


# --- names that would become paths ------------------------------------------------------

PATH_AGENCIES: tuple[str, ...] = (
    "../../etc/passwd县人民政府",
    "/etc/cron.d/evil县人民政府",
    "..\\..\\windows县人民政府",
    "ABC县人民政府",
    "abc县人民政府",
    "ＡＢＣ县人民政府",
    "某 县 人民 政府",
    "某县人民政府\u200b办公室",
    "CON县人民政府",
)
"""Agency names (first line of a report) that would be dangerous as file names."""

PATH_FILES: tuple[str, ...] = (
    "names/<script>window.__hx_filename=1<\u2044script>.txt",
    "names/a b c.txt",
    "names/A.txt",
    "names/a.txt",
    "names/ａ.txt",
    "names/--help.txt",
    "names/" + "长" * 80 + ".txt",
    "names/#hash?q=1.txt",
    "names/semi;colon&amp.txt",
)
"""Report file names (under ``reports/``) that differ only in case or width, or mean
something to a shell, a URL or HTML."""


@dataclass(slots=True)
class Corpus:
    """Hostile content: report files (relative to ``reports/``) and their bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes | str) -> None:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return iter(sorted(self.files.items()))
