"""The hostile site: a content folder of broken and crafted reports, and HTML checks.

``make_hostile_content`` writes every case into a fresh content folder;
``scan_html`` parses a built page and lists what a payload would need to run
(an event handler or script that names a canary, a ``javascript:`` address, an
element with a payload's id) and the page's visible text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tests.hostile import payloads as hx
from tests.minireport import mini_report
from tests.samples import CONTENT

COUNTIES = ("代县", "五台县", "宁武县", "静乐县", "神池县", "五寨县", "岢岚县", "河曲县",
            "保德县", "偏关县", "原平市", "定襄县")
"""Real counties of 忻州市, so that each case is its own agency with a known region."""

SECRET = "SECRET-TOKEN-5f1c2a"
"""Text of a file outside the content folder that a symbolic link points at."""

DUPLICATE_AGENCY = "原平市人民政府"
PIPE_AGENCY = "竖线|分隔|县人民政府"
"""Shown in the tables of the year, region and quality pages: must not split a row."""
JINJA_AGENCY = "{{7*7}}{%raw%}县人民政府"
LONG_AGENCY = "../../../etc/" + "长" * 5000 + "\n# 标题\n---\n/etc/passwd县人民政府"
"""A corrected agency name (sidecar) that looks like a path, is very long and holds line
breaks, a heading and a front-matter fence."""
"""Shown in page titles, which go through the theme's templates."""
UNIDENTIFIED = ("unidentified/none-1.txt", "unidentified/none-2.txt")
DUPLICATES = ("duplicates/first.txt", "duplicates/second.txt")


def county_report(county: str, **kwargs: object) -> str:
    return mini_report(agency=f"{county}人民政府", **kwargs)  # type: ignore[arg-type]


def unidentified_report(granted: str) -> str:
    """A report whose issuer and year cannot be read: no name, no year, no signature."""
    text = mini_report(cells={"granted": [granted, "1", "0", "0", "0", "0", "4"]})
    lines = text.replace("2021年", "").splitlines()
    return "\n".join(lines[1:-2]) + "\n"


def hostile_files() -> dict[str, bytes]:
    """Every hostile report (and sidecar) by its path under ``reports/``."""
    files = hx.Corpus()
    files.add("markup/every-field.txt", hx.hostile_text())
    files.add("markup/corrected.txt", county_report(COUNTIES[0]))
    files.add("markup/corrected.meta.yaml", hx.hostile_sidecar())
    files.add("markup/pipe-agency.txt", mini_report(agency=PIPE_AGENCY))
    files.add("markup/jinja-agency.txt", mini_report(agency=JINJA_AGENCY))
    files.add("markup/long-name.txt", county_report(COUNTIES[10]))
    files.add("markup/long-name.meta.yaml", "agency: " + json.dumps(LONG_AGENCY, ensure_ascii=False)
              + "\nreason: 路径与超长名称\n")
    files.add("markup/address.txt", county_report(COUNTIES[1]))
    files.add("markup/address.meta.yaml", hx.url_sidecar())
    files.add("bytes/gbk.txt", hx.encoded(county_report(COUNTIES[2]), "gbk"))
    files.add("bytes/gb18030.txt", hx.encoded(county_report(COUNTIES[3]), "gb18030"))
    files.add("bytes/utf16-le.txt", hx.encoded(county_report(COUNTIES[4]), "utf-16-le-bom"))
    files.add("bytes/utf16-be.txt", hx.encoded(county_report(COUNTIES[5]), "utf-16-be-bom"))
    files.add("bytes/mixed-eol.txt", hx.mixed_line_endings(county_report(COUNTIES[6])))
    files.add("bytes/nul.txt", hx.with_nuls(county_report(COUNTIES[7])))
    files.add("bytes/truncated.txt", hx.truncated_in_table(county_report(COUNTIES[8])))
    files.add("bytes/big.txt", hx.big_report().replace(
        "繁峙县人民政府办公室".encode(), f"{COUNTIES[9]}人民政府".encode()))
    files.add("bytes/long-line.txt", hx.one_huge_line(32 * 1024))
    files.add("bytes/binary.txt", hx.binary_blob())
    files.add("bytes/empty.txt", b"")
    files.add(DUPLICATES[0], mini_report(agency=DUPLICATE_AGENCY))
    files.add(DUPLICATES[1], mini_report(agency=DUPLICATE_AGENCY, cells={
        "new_received": ["5", "1", "0", "0", "0", "0", "6"]}))
    files.add(UNIDENTIFIED[0], unidentified_report("3"))
    files.add(UNIDENTIFIED[1], unidentified_report("2"))
    for n, agency in enumerate(hx.PATH_AGENCIES):
        files.add(f"agency-names/{n}.txt", mini_report(agency=agency))
    for n, name in enumerate(hx.PATH_FILES):
        files.add(name, county_report(COUNTIES[11], year=2021 + n))
    return files.files


def make_hostile_content(root: Path) -> Path:
    """``root/content`` with the hostile reports, the project's pages and a symbolic link
    to a secret file outside it; returns the content folder."""
    content = root / "content"
    reports = content / "reports"
    for name, data in hostile_files().items():
        path = reports / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    secret = root / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n" + mini_report(agency="泄露县人民政府"), encoding="utf-8")
    os.symlink(secret, reports / "leak.txt")
    shutil.copytree(CONTENT / "pages", content / "pages")
    return content


# --- HTML ---------------------------------------------------------------------------------

URL_ATTRIBUTES = frozenset({"href", "src", "srcdoc", "action", "formaction", "data", "xlink:href",
                           "poster", "background", "srcset"})
_SPACE = re.compile(r"\s+")


@dataclass
class PageScan:
    """What a page would let a payload do, and what it shows."""

    dangers: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def visible(self) -> str:
        return _SPACE.sub(" ", "".join(self.text))


class _Scanner(HTMLParser):
    def __init__(self, scan: PageScan) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = scan
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and hx.CANARY in value:
                self.scan.dangers.append(f"<{tag} {name}={value[:80]!r}>")
            if name in URL_ATTRIBUTES and re.match(r"\s*(javascript|vbscript|data:text/html)",
                                                   value, re.IGNORECASE):
                self.scan.dangers.append(f"<{tag} {name}={value[:80]!r}>")
            if name == "id" and value.startswith(hx.MARKER_ID):
                self.scan.dangers.append(f"<{tag} id={value!r}>")
        if tag in ("iframe", "object", "embed", "base"):
            self.scan.dangers.append(f"<{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        current = self.stack[-1] if self.stack else ""
        if current in ("script", "style"):
            if hx.CANARY in data or "display:none}" in data.replace(" ", ""):
                self.scan.dangers.append(f"<{current}>{data[:80]!r}")
            return
        if current == "title":
            self.scan.title += data
        self.scan.text.append(data)


def scan_html(html: str) -> PageScan:
    scan = PageScan()
    parser = _Scanner(scan)
    parser.feed(html)
    parser.close()
    return scan


FULL_WIDTH_BACK = str.maketrans({"＜": "<", "＞": ">", "＆": "&", "＂": '"', "＇": "'"})
"""Titles print HTML-special characters in their full-width forms; this maps them back."""


def shown(payload: str) -> str:
    """A payload as a page shows it: runs of white space as one space."""
    return _SPACE.sub(" ", payload).strip()
