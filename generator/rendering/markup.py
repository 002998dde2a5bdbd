"""Small builders for the Markdown and HTML the pages are made of.

Arguments named ``*_md`` or ``*_html`` are already escaped (or trusted); nothing
here escapes report text except :func:`attr` and :func:`figure_html`'s numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from generator.rendering.escape import front_matter, html_text
from generator.rendering.figures import Figure, format_number
from generator.rendering.urls import rel

SEP = " › "
NULL = "—"
NULL_TITLE = "未填报"
PARTIAL_TITLE = "部分项目未填报，此为已填报项目之和"
INFERRED_TITLE = "推算值：原表为空，依据勾稽关系推算，仅供参考"

LEGEND = (
    "表中“—”表示原表未填报（不等于 0）；带“&#42;”的数为部分项目未填报时已填报项目之和；"
    "“推算”是依据勾稽关系推算的参考值，原表仍为空。"
)


WIDE = {"hide": ["navigation", "toc"]}
"""Front matter for pages that are mostly one wide comparison table."""


def page(meta: Mapping[str, object], blocks: Iterable[str]) -> str:
    """A whole page: front matter, then the non-empty blocks separated by blank lines.

    Generated pages hide Material's left navigation column (the tabs at the top are the
    site's navigation), which leaves the comparison tables room; pages of wide tables
    (``WIDE``) hide the table of contents too.
    """
    body = "\n\n".join(filter(None, blocks))
    return f'{front_matter({"hide": ["navigation"], **meta})}{body}\n'  # one copy of the body


def link(text_md: str, from_page: str, target: str) -> str:
    """A relative Markdown link from ``from_page`` to the file ``target``."""
    return f"[{text_md}]({rel(from_page, target)})"


def html_link(text_md: str, from_page: str, target: str) -> str:
    """:func:`link` as :func:`inline_html` writes it in a table cell (``<a href>``, the
    ``.md`` target as ``.html``), made at once: ``text_md`` escaped (no bracket or line
    break, as :func:`inline_html` requires of a link's text too), ``target`` one of our
    page paths."""
    return f'<a href="{html_url(rel(from_page, target))}">{text_md}</a>'


def crumbs(from_page: str, trail: Sequence[tuple[str, str | None]]) -> str:
    """A breadcrumb line: ``(label_md, target page or None)`` pairs joined by ›."""
    return SEP.join(crumb_parts(from_page, trail))


def crumb_parts(from_page: str, trail: Sequence[tuple[str, str | None]]) -> list[str]:
    """The crumbs of :func:`crumbs`, each label or link apart."""
    return [label if target is None else link(label, from_page, target)
            for label, target in trail]


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]],
             numeric: Sequence[bool] | None = None) -> str:
    """A pipe table; ``numeric`` columns are right-aligned. Cells are one-line Markdown."""
    flags = list(numeric) if numeric is not None else [False] * len(headers)
    lines = ["| " + " | ".join(headers) + " |",
             "| " + " | ".join("---:" if f else "---" for f in flags) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def wrapped(content_md: str, css: str | None = None, search: bool = False) -> str:
    """``content_md`` in a ``<div markdown>`` (needs ``md_in_html``).

    Unless ``search`` is true the block carries ``data-search-exclude``, so Material's
    search skips it.
    """
    attrs = (f' class="{css}"' if css else "") + ("" if search else " data-search-exclude")
    return f"<div{attrs} markdown>\n\n{content_md}\n\n</div>"


def sortable(headers: Sequence[str], rows: Iterable[Sequence[str]],
             numeric: Sequence[bool] | None = None) -> str:
    """A comparison table the site's script makes sortable; kept out of search.

    Written as raw HTML, one block without blank lines (Python-Markdown passes it
    through instead of parsing every cell, the bulk of a large page's build time).
    Cells are one-line inline Markdown as :func:`md_table` takes them: escaped text,
    HTML spans and links made by :func:`link`, which become ``<a>`` elements here.
    Numeric columns have the class ``n`` (right-aligned by the site's stylesheet).
    """
    flags = list(numeric) if numeric is not None else [False] * len(headers)
    aligns = [' class="n"' if f else "" for f in flags]
    return sortable_html(headers, aligns, ["<tr>" + table_cells(row, aligns) + "</tr>"
                                           for row in rows])


def sortable_html(headers: Sequence[str], aligns: Sequence[str], rows_html: Iterable[str]) -> str:
    """:func:`sortable` of rows already written (``<tr>`` … ``</tr>``, cells as
    :func:`table_cells` writes them); ``aligns``: each column's class attribute."""
    return sortable_with(sortable_head(tuple(headers), tuple(aligns)), rows_html)


@functools.lru_cache(maxsize=64)
def sortable_head(headers: tuple[str, ...], aligns: tuple[str, ...]) -> str:
    """The table head of :func:`sortable_html` (remembered: a few heads, on many pages)."""
    cells = "".join(f"<th{a}>{h}</th>" for h, a in zip(headers, aligns, strict=True))
    return f'<div class="sortable" data-search-exclude>\n<table>\n<thead>\n<tr>{cells}</tr>\n'


def sortable_with(head: str, rows_html: Iterable[str]) -> str:
    """:func:`sortable_html` with its head made by :func:`sortable_head`."""
    body = "\n".join(rows_html)
    return f"{head}</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>"


def table_cells(cells_md: Sequence[str], aligns: Sequence[str]) -> str:
    """The ``<td>`` of each one-line inline Markdown cell (:func:`inline_html`), with its
    column's class attribute from ``aligns``."""
    return "".join(f"<td{a}>{inline_html(c)}</td>" for c, a in zip(cells_md, aligns, strict=True))


_OUR_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
"""A link made by :func:`link`. Report text never matches: it reaches the pages
escaped, every ASCII bracket and parenthesis a character reference."""


def inline_html(cell_md: str) -> str:
    """One-line inline Markdown of ours (escaped text, spans, :func:`link` links) as HTML."""
    if "[" not in cell_md:
        return cell_md  # no link
    return _OUR_LINK.sub(lambda m: f'<a href="{html_url(m.group(2))}">{m.group(1)}</a>', cell_md)


def html_url(target: str) -> str:
    """A relative link to a page's Markdown file as MkDocs writes it (``use_directory_urls:
    false``): ``../agencies/x.md`` -> ``../agencies/x.html``; other files as they are."""
    path, hash_, fragment = target.partition("#")
    if path.endswith(".md"):
        path = path[:-3] + ".html"
    return path + hash_ + fragment


def attr(name: str, value: str | None) -> str:
    """`` name="value"`` with ``value`` escaped; empty when ``value`` is ``None``."""
    return "" if value is None else f' {name}="{html_text(value)}"'


def css_class(names: Sequence[str]) -> str:
    """`` class="a b"``: names that are plain identifiers as they are, others escaped."""
    if not names:
        return ""
    joined = " ".join(names)
    return f' class="{joined}"' if _CLASSES.fullmatch(joined) else attr("class", joined)


_CLASSES = re.compile(r"[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*")


def element(tag: str, content_html: str, *, css: Sequence[str] = (), title: str | None = None,
            rowspan: int = 1, colspan: int = 1) -> str:
    """One HTML element on one line (``td``, ``th``, ``span`` ...)."""
    attrs = css_class(css) + attr("title", title)
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    return f"<{tag}{attrs}>{content_html}</{tag}>"


def null_html() -> str:
    """The mark of a blank cell: "—" with the tooltip 未填报 (made once: blank cells and
    figures are many)."""
    return _NULL_HTML


_NULL_HTML = element("span", NULL, css=("null",), title=NULL_TITLE)


def inferred_html(value: float | int, rule: str | None = None) -> str:
    """An inferred value, marked and apart: ``(推算 5)``."""
    title = INFERRED_TITLE if rule is None else f"{INFERRED_TITLE}。依据：{rule}"
    return element("span", f"(推算 {format_number(value)})", css=("inferred",), title=title)


def figure_html(fig: Figure) -> str:
    """A key figure for a table cell: number, "—", partial sum or inferred value."""
    if fig.value is None:
        if fig.inferred is None:
            return null_html()
        return f"{null_html()} {inferred_html(fig.inferred)}"
    text = format_number(fig.value)
    if fig.partial:
        return text + element("sup", "&#42;", css=("partial",), title=PARTIAL_TITLE)
    return text


def figure_text(fig: Figure) -> str:
    """A key figure in a sentence: ``16 件``, ``未填报``, ``5 件（部分项目未填报）``."""
    if fig.value is None:
        return NULL_TITLE
    if fig.partial:
        return f"{format_number(fig.value)} 件（部分项目未填报）"
    return f"{format_number(fig.value)} 件"


def bullet_list(items: Iterable[str]) -> str:
    """A Markdown bullet list of one-line items."""
    return "\n".join(f"- {item}" for item in items)
