"""Optional MkDocs hooks: a compact, findable Chinese search index; fast raw HTML.

Material indexes the full text of every page, cut with jieba, one entry per
section; the browser matches query words as *prefixes* of the cut pieces. At
thousands of report pages that index is far too large to download, and indexing
takes most of the build. This hook changes three things:

1. Pages in the generated folders (reports/, agencies/, regions/, years/,
   quality/) are kept out of Material's indexing; each gets one small entry
   instead: its title, its front-matter description, and ``keywords``.
2. ``keywords`` hold the terms of :data:`TERMS` that the page uses and the
   non-leading parts of compound words (行政复议 -> 复议, 人民政府 -> 政府; parts
   only where they tile the word, so 民政 is not taken from 人民政府): 复议 alone
   then finds pages on 行政复议. Hand-written pages keep Material's full entries
   and get ``keywords`` too.
3. The index is written as UTF-8 instead of ``\\uXXXX`` escapes (half the size).

4. Raw HTML blocks of generated pages (the official tables) skip Python-Markdown,
   which would copy them through unchanged but spends most of a report page's
   conversion time parsing them.

The site builds and searches without this hook (Material then indexes
everything, more slowly). It is named in ``mkdocs.yml`` under ``hooks:``, runs after the search
plugin writes the index and before the offline plugin inlines it, and imports
nothing from MkDocs or from ``generator`` (MkDocs loads it by file path).
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any

try:
    import jieba
except ImportError:  # the search plugin then does not segment either
    jieba = None

GENERATED = ("reports/", "agencies/", "regions/", "years/", "quality/")
"""Folders of generated pages that get one compact entry each."""

KEYWORD_FIELD = "keywords"
KEYWORD_BOOST = 0.5
"""Below the text field's 1.0: a page that prints the word itself ranks first."""

TERMS: tuple[str, ...] = (
    "行政复议", "行政诉讼", "依申请公开", "主动公开", "政策解读", "政务公开", "政府信息公开",
    "政府网站", "政务新媒体", "新闻发布会", "公开指南", "公开目录", "予以公开", "部分公开",
    "不予公开", "无法提供", "不予处理", "信访", "国家秘密", "第三方合法权益", "过程性信息",
    "内部事务信息", "行政执法案卷", "重复申请", "公开出版物", "行政许可", "行政处罚",
    "行政强制", "行政事业性收费", "规范性文件", "规章", "政府集中采购", "数据不平衡",
    "无法核验", "推算值", "未填报",
)
"""Subject words a reader may search for; a page lists those it uses in ``keywords``."""

ZWSP = "\u200b"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3,}")
_SEPARATORS = re.compile(r"[\s\u200b\u3000\-、。，．？！；]+")
_TAGS = re.compile(r"<[^>]*>")

_compact: dict[str, dict[str, Any]] = {}
"""Compact entries of this build, by source path."""

STASH = "RAWHTMLSTASHBLOCK"
"""Placeholder stem for raw HTML blocks kept away from Python-Markdown."""
_BLOCK_OPEN = re.compile(r"<(div|table)\b[^>]*>")
_stashed: dict[str, list[str]] = {}
"""Raw HTML blocks of generated pages, by source path, until their HTML is made."""


def segment(text: str) -> str:
    """Han runs of ``text`` cut with jieba and joined with U+200B, as Material does."""
    if jieba is None:
        return text

    def cut(match: re.Match[str]) -> str:
        return ZWSP + ZWSP.join(jieba.cut(match.group(0))) + ZWSP

    return _HAN_RUN.sub(cut, text).strip(ZWSP)


@lru_cache(maxsize=200_000)
def trailing_parts(token: str) -> tuple[str, ...]:
    """Dictionary words that tile ``token`` after its first one (行政复议 -> 复议)."""
    if jieba is None:
        return ()
    pieces = {w for w in jieba.cut_for_search(token) if 2 <= len(w) < len(token)}
    parts: list[str] = []
    start = 0
    while start < len(token):
        end = next((e for e in range(len(token), start + 1, -1)
                    if token[start:e] in pieces), None)
        if end is None:
            start += 1
            continue
        if start > 0:
            parts.append(token[start:end])
        start = end
    return tuple(parts)


def keywords_for(*texts: str, extra: tuple[str, ...] = ()) -> str:
    """``extra`` and the trailing parts of every compound word, unique, first-seen order."""
    seen: dict[str, None] = dict.fromkeys(extra)
    for text in (*texts, *extra):
        for chunk in _SEPARATORS.split(_TAGS.sub(" ", text)):
            if _HAN_TOKEN.fullmatch(chunk):
                for part in trailing_parts(chunk):
                    seen.setdefault(part, None)
    return ZWSP.join(seen)


def terms_in(markdown: str) -> tuple[str, ...]:
    """The :data:`TERMS` that occur in ``markdown``."""
    return tuple(term for term in TERMS if term in markdown)


def compact_entry(url: str, title: str, description: str, terms: tuple[str, ...],
                  boost: Any = None) -> dict[str, Any]:
    """One index entry for a generated page."""
    title_cut = segment(title)
    entry: dict[str, Any] = {"location": url, "title": title_cut, "text": segment(description)}
    words = keywords_for(title_cut, extra=terms)
    if words:
        entry[KEYWORD_FIELD] = words
    if isinstance(boost, int | float) and not isinstance(boost, bool):
        entry["boost"] = boost
    return entry


def enrich_index(data: dict[str, Any], compact: list[dict[str, Any]]) -> dict[str, Any]:
    """Add ``keywords`` to Material's entries, append ``compact`` ones, register the field."""
    fields = data.setdefault("config", {}).setdefault("fields", {})
    fields.setdefault(KEYWORD_FIELD, {"boost": KEYWORD_BOOST})
    docs = data.setdefault("docs", [])
    for doc in docs:
        words = keywords_for(doc.get("title", ""), doc.get("text", ""))
        if words:
            doc[KEYWORD_FIELD] = words
    docs.extend(compact)
    docs.sort(key=lambda doc: str(doc.get("location", "")).split("#", 1)[0])
    return data


def rewrite_index(site_dir: str, compact: list[dict[str, Any]]) -> None:
    """Enrich ``search/search_index.json`` under ``site_dir`` in place, as UTF-8."""
    path = os.path.join(site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    text = json.dumps(enrich_index(data, compact), ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def is_raw_block(block: str) -> bool:
    """Whether a Markdown block is one balanced ``<div>``/``<table>`` of raw HTML.

    Python-Markdown copies such a block through unchanged (no ``markdown``
    attribute, so ``md_in_html`` leaves it alone too), but parsing it costs most of
    a report page's conversion time.
    """
    first = block.split("\n", 1)[0]
    match = _BLOCK_OPEN.match(first)
    if match is None or "markdown" in first:
        return False
    tag = match.group(1)
    return (block.rstrip().endswith(f"</{tag}>")
            and block.count(f"<{tag}") == block.count(f"</{tag}>"))


def stash_raw_blocks(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with each raw HTML block replaced by a placeholder paragraph."""
    if STASH in markdown:
        return markdown, []
    blocks = markdown.split("\n\n")
    stashed: list[str] = []
    for i, block in enumerate(blocks):
        if is_raw_block(block):
            blocks[i] = f"{STASH}{len(stashed)}X"
            stashed.append(block)
    return "\n\n".join(blocks), stashed


def restore_raw_blocks(html: str, stashed: list[str]) -> str:
    """Put the stashed blocks back in place of their placeholder paragraphs."""
    for n, block in enumerate(stashed):
        token = f"{STASH}{n}X"
        html = html.replace(f"<p>{token}</p>", block, 1).replace(token, block, 1)
    return html


# --- MkDocs events (called with keyword arguments) ----------------------------------------

def on_pre_build(config: Any) -> None:
    """A new build (or a rebuild under ``mkdocs serve``): forget the last one's entries."""
    _compact.clear()
    _stashed.clear()


def shard() -> tuple[int, int] | None:
    """``(k, n)`` when this MkDocs process renders only share ``k`` of ``n`` pages.

    Set by ``generator.site.mkdocs_runner`` (``GENERATOR_MKDOCS_SHARD=k/n``) for a
    large site built by several processes at once; ``None`` otherwise.
    """
    value = os.environ.get("GENERATOR_MKDOCS_SHARD", "")
    match = re.fullmatch(r"(\d+)/(\d+)", value)
    if match is None:
        return None
    k, n = int(match.group(1)), int(match.group(2))
    return (k, n) if 0 <= k < n else None


def on_files(files: Any, config: Any) -> Any:
    """In a share: leave other shares' pages out (linked, not rendered); in shares after
    the first, leave static files out too (the first share copies them)."""
    part = shard()
    if part is None:
        return files
    k, n = part
    pages = sorted((f for f in files if f.is_documentation_page()), key=lambda f: f.src_uri)
    if not pages:
        return files
    excluded = type(pages[0].inclusion).EXCLUDED
    for i, file in enumerate(pages):
        if i % n != k:
            file.inclusion = excluded
    if k > 0:
        for file in files:
            if not file.is_documentation_page():
                file.inclusion = excluded
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """For a generated page: keep it out of Material's index, note what its compact
    entry needs, and stash its raw HTML blocks."""
    src = str(page.file.src_uri)
    if not src.startswith(GENERATED):
        return markdown
    search = page.meta.get("search") or {}
    if isinstance(search, dict) and not search.get("exclude"):
        page.meta["search"] = {**search, "exclude": True}
        _compact[src] = {"terms": terms_in(markdown), "boost": search.get("boost"),
                         "description": str(page.meta.get("description") or "")}
    markdown, stashed = stash_raw_blocks(markdown)
    if stashed:
        _stashed[src] = stashed
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put a generated page's raw HTML blocks back."""
    stashed = _stashed.pop(str(page.file.src_uri), None)
    return html if stashed is None else restore_raw_blocks(html, stashed)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Make the compact entry once the page's title is known."""
    src = str(page.file.src_uri)
    note = _compact.get(src)
    if note is not None and "entry" not in note:
        title = str(page.meta.get("title") or page.title or "")
        note["entry"] = compact_entry(page.url, title, note["description"], note["terms"],
                                      note["boost"])
    return context


def on_post_build(config: Any) -> None:
    """After the search plugin (priority 0), before ``offline`` (-100)."""
    entries = [note["entry"] for note in _compact.values() if "entry" in note]
    rewrite_index(str(config["site_dir"]), entries)


setattr(on_post_build, "mkdocs_priority", -50)  # noqa: B010 (MkDocs reads this attribute)
