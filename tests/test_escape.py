"""Escaping of untrusted text: every Markdown, extension and HTML construct is shown literally."""

from __future__ import annotations

import functools
from html.parser import HTMLParser

import jinja2
import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.rendering import escape
from generator.rendering.escape import (
    REPLACEMENT,
    clean,
    front_matter,
    html_paragraphs,
    html_text,
    md_paragraphs,
    md_text,
    paragraphs,
    safe_yaml,
    title_text,
)

BASE_EXTENSIONS = ["tables", "toc", "attr_list", "md_in_html", "abbr", "def_list", "footnotes",
                   "admonition"]
PYMDOWNX = ["pymdownx.magiclink", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark",
            "pymdownx.emoji", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed",
            "pymdownx.arithmatex", "pymdownx.critic", "pymdownx.keys", "pymdownx.betterem",
            "pymdownx.tasklist", "pymdownx.inlinehilite", "pymdownx.blocks.admonition"]


def _extensions() -> list[str]:
    try:
        import pymdownx  # noqa: F401
    except ImportError:
        return BASE_EXTENSIONS
    return BASE_EXTENSIONS + PYMDOWNX


class _Reader(HTMLParser):
    """Collects the tags and the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@functools.cache
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=_extensions())


def render(source: str) -> _Reader:
    md = _converter()
    md.reset()
    html = md.convert(source)
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


HOSTILE = [
    "# 标题", "## 标题", "> 引用", "- 列表", "+ 列表", "* 列表", "1. 编号", "1) 编号",
    "---", "===", "***", "___", "| a | b |", "[链接](http://example.com)",
    "![图片](x.png)", "<script>alert(1)</script>", "<b>粗</b>", "`代码`", "```", "~~~",
    "**粗体**", "*斜体*", "_斜体_", "__粗__", "~~删除~~", "==标记==", "^^插入^^", "~下标~",
    "^上标^", "\\*反斜杠", "&amp; &lt;b&gt; &#60;i&#62;", "{{ 模板 }}", "{% if x %}",
    "{: #id .class }", "{#anchor}", ":smile:", "$$x$$", "$x$", "{++新增++}", "++ctrl+alt++",
    "!!! note", "??? note", "/// note", "=== \"Tab\"", "[^1]", "[^1]: 脚注", "*[HTML]: 缩写",
    ": 定义", "- [ ] 任务", "--8<-- \"/etc/passwd\"", "https://example.com", "www.example.com",
    "someone@example.com", "<https://example.com>", "    缩进代码", "\t制表符缩进",
    "行尾两个空格  ", "[x]: http://example.com", "<!-- 注释 -->", "<div markdown>x</div>",
    "&#x3C;script&#x3E;", "\x02wzxhzdk:0\x03", "a\nb", "a\r\nb", "a\u2028b",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_is_shown_literally(text: str) -> None:
    out = render(md_text(text))
    assert out.tags == ["p"]
    assert "".join(out.text) == clean(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_in_a_heading_stays_one_heading(text: str) -> None:
    out = render("### " + md_text(text))
    assert out.tags == ["h3"]
    assert "".join(out.text) == clean(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_in_a_table_cell_stays_in_its_cell(text: str) -> None:
    source = f"| a | b |\n| --- | --- |\n| {md_text(text)} | x |\n"
    out = render(source)
    assert out.tags.count("td") == 2
    assert set(out.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_in_raw_html_and_attributes(text: str) -> None:
    source = f'<div data-search-exclude>\n<table><tr><td title="{html_text(text)}">' \
             f"{html_text(text)}</td></tr></table>\n</div>"
    out = render(source)
    assert out.tags == ["div", "table", "tr", "td"]
    assert "".join(out.text).strip() == clean(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_renders_as_one_plain_paragraph(text: str) -> None:
    escaped = md_text(text)
    if not escaped:
        return
    out = render(escaped)
    assert out.tags == ["p"]
    assert "".join(out.text) == clean(text)


_MIXED = st.text(alphabet=st.sampled_from(
    list("ab一二 <>&#;*[]()!\t\n\r\x0b\x0c\x00\x1f\x7f\x85\u2028\u2029\u202e\u3000\u00a0\ud800")))


@settings(max_examples=500, deadline=None)
@given(_MIXED, st.integers(min_value=1, max_value=8))
def test_paragraphs_as_each_line_cleaned_and_escaped_alone(text: str, limit: int) -> None:
    """The paragraph helpers escape in one go what is the same as cleaning and escaping
    each line (or each piece of a long line) on its own."""
    lines = [c for c in (clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n")
                         .split("\n")) if c]
    assert paragraphs(text) == lines
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(escape, "PARAGRAPH_MAX", limit)
        pieces = [p[i:i + limit] for p in lines for i in range(0, len(p), limit)]
        body = "\n".join(f"<p>{html_text(p)}</p>" for p in pieces)
        assert html_paragraphs(text, "x") == (f'<div class="x">\n{body}\n</div>' if body else "")
        assert md_paragraphs(text) == "\n\n".join(md_text(p) for p in pieces)


_MOSTLY_CLEAN = st.text(alphabet=st.sampled_from(
    list("ab一二 <>&#;.。\n\r\u3000\u00a0") + ["\t", "\u2028", "\x0b", "\x00"]))


@settings(max_examples=500, deadline=None)
@given(_MOSTLY_CLEAN)
def test_html_paragraphs_one_pass_as_line_by_line(text: str) -> None:
    """The one-pass body of ``html_paragraphs`` (a text with nothing to clean) is what
    cleaning, cutting and escaping its lines one by one gives; any other text has none."""
    body = "</p>\n<p>".join(html_text(p) for p in escape._pieces(text))
    quick = escape._clean_body(text)
    assert quick is None or quick == body
    if escape._CLEAN_IN_LINES.search(text) is None and "  " not in text:
        assert quick == body
    assert html_paragraphs(text, "x") == (f'<div class="x">\n<p>{body}</p>\n</div>'
                                          if body else "")


def test_text_stays_readable() -> None:
    assert md_text("临汾市尧都区人民政府办公室") == "临汾市尧都区人民政府办公室"
    assert md_text("  尧都区　") == "尧都区"
    assert md_text("a < b") == "a &#60; b"


def test_clean_replaces_controls_and_lone_surrogates() -> None:
    assert clean("a\x00b\x1bc\ud800d\u202ee") == "a" + REPLACEMENT + "b" + REPLACEMENT + "c" \
        + REPLACEMENT + "d" + REPLACEMENT + "e"
    assert clean("a\tb\nc\fd") == "a b c d"
    assert clean("a    b") == "a b"


def test_paragraphs_split_on_line_breaks_only() -> None:
    assert paragraphs("一\r\n二\r三\n\n四\f五\u2028六") == ["一", "二", "三", "四 五 六"]
    assert md_paragraphs("# 一\n- 二") == "&#35; 一\n\n&#45; 二"


@pytest.mark.parametrize("text", ["</title><script>alert(1)</script>", "A&amp;B", "a\"b'c",
                                  "&lt;script&gt;", "x\n---\ny: 1"])
def test_title_is_safe_raw_and_through_striptags(text: str) -> None:
    title = title_text(text)
    for bad in "<>&\"'\n":
        assert bad not in title
    through = jinja2.Environment().from_string("{{ t | striptags }}").render(t=title)
    assert "<" not in through and "&" not in through


def test_title_is_cut() -> None:
    assert len(title_text("字" * 200)) == 80
    assert title_text("字" * 200).endswith("…")


def test_front_matter_is_yaml_and_one_block() -> None:
    block = front_matter({"title": "a: b\n---\n#c", "description": "yes", "search": {"boost": 2}})
    assert block.startswith("---\n") and block.endswith("---\n\n")
    assert block.count("\n---\n") == 1
    data = yaml.safe_load(block.strip().strip("-"))
    assert data == {"title": "a: b --- #c", "description": "yes", "search": {"boost": 2}}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_front_matter_values_round_trip(title: str, description: str) -> None:
    data = {"title": title_text(title), "description": title_text(description),
            "search": {"boost": 2}}
    text = safe_yaml(data)
    assert yaml.safe_load(text) == data
    assert len(text.splitlines()) == 4


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.text(max_size=20), max_size=3),
       st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False)))
def test_safe_yaml_reads_back_any_text(text: str, items: list[str], scalar: object) -> None:
    """Our YAML writer against PyYAML's reader, with text straight from anywhere."""
    data = {"title": text, "hide": items, "search": {"boost": scalar, "exclude": True}}
    written = safe_yaml(data)
    assert yaml.safe_load(written) == data
    assert len(written.splitlines()) == 1 + (1 + len(items) if items else 1) + 3


def test_front_matter_as_mkdocs_reads_it() -> None:
    meta = pytest.importorskip("mkdocs.utils.meta")
    text = front_matter({"title": "<b>x</b> & '标题'"}) + "# 正文\n"
    body, data = meta.get_data(text)
    assert data == {"title": "＜b＞x＜/b＞ ＆ ＇标题＇"}
    assert body.strip() == "# 正文"
