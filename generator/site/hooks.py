"""Optional MkDocs hooks: a small Chinese search index that finds whole words; fast raw HTML.

Material indexes the full text of every page, cut with jieba, one entry per
section; at a province's size that index is tens of megabytes. The site's search
worker (``generator/site/assets/search-worker.js``, which ``overrides/main.html``
puts in place of Material's) matches the query against each entry's title and
keywords as substrings, and cuts a query that is found nowhere whole into the
index's words. This hook therefore writes its own entries, one per page, with no
running text:

- ``title``: the page title, cut with jieba, one-character pieces joined to their
  neighbour (东关/镇/人民政府 -> 东关镇/人民政府);
- ``keywords``: for hand-written pages (about, data, the data dictionary) their
  words of two characters or more; for every page the non-leading parts of its
  compound words (行政复议 -> 复议, 人民政府 -> 政府; parts only where they tile the
  word, so not 民政), so 复议 alone finds pages on 行政复议.

- ``text``: the page's ``search.summary`` from its front matter (agency and region
  pages: the place path, kind and counts), shown under the title in the results and
  searched too, so 朝阳区 tells 北京市 from 长春市 and 百色市 finds its counties' agencies.

Agency, region, year and data-quality pages are entered by title; report pages
not at all (each is one click from its agency's page): a search for a place or
an agency lands on its page. The index is written as UTF-8, not ``\\uXXXX``.

It also passes raw HTML blocks of generated pages (the official tables) around
Python-Markdown, which would copy them unchanged but spends most of a report
page's conversion time parsing them; and with ``GENERATOR_MKDOCS_SHARD=k/n`` (set
by ``generator.site.mkdocs_runner``) the process renders only its share of the pages
(fixed by a hash of each page's path, so adding a page moves no other).

MkDocs' output is kept between builds and updated with ``--dirty`` (see
``generator.site.shards``): pages not rendered again keep their HTML, and their index
entries are kept beside the share's folder (``<share>.entries.json``); MkDocs' warning
that a dirty build is under way is dropped (with ``strict`` it would fail the build;
the generator only asks for one when nothing but pages changed).

The site builds and searches without this hook (Material then indexes all text,
more slowly). It is named in ``mkdocs.yml`` under ``hooks:``, writes the index
after the search plugin and before the offline plugin inlines it, and imports
nothing from MkDocs or from ``generator`` (MkDocs loads it by file path).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import zlib
from functools import lru_cache
from typing import Any

try:
    import jieba
except ImportError:  # the search plugin then does not segment either
    jieba = None

TITLED = ("agencies/", "regions/", "years/", "quality/")
"""Folders of generated pages entered by title."""
GENERATED = (*TITLED, "reports/")
"""Folders of generated pages (their raw HTML skips Python-Markdown)."""

DOWNLOADS = ("data/", "originals/")
"""Folders of downloads: in a share, left to the generator to put in the site (linked
from ``build/docs``), not copied by MkDocs (``generator.site.shards.DOWNLOADS``)."""

KEYWORD_FIELD = "keywords"
KEYWORD_BOOST = 0.5
"""Below the title's: a page named by the word ranks above one that only uses it."""
SUFFIX_CHARS = frozenset("省市县区州盟旗乡镇村局委办厅处署站所队院会")
"""One-character pieces that end the word before them (东关+镇), not start the next."""

ZWSP = "\u200b"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_HAN_WORD = re.compile(f"[{_HAN}]{{2,}}")
_TAGS = re.compile(r"<[^>]*>")

_notes: dict[str, dict[str, Any]] = {}
"""What each page's entry needs, by source path, collected while pages are built."""
STASH = "RAWHTMLSTASHBLOCK"
"""Placeholder stem for raw HTML blocks kept away from Python-Markdown."""
_BLOCK_OPEN = re.compile(r"<(div|table)\b[^>]*>")
_stashed: dict[str, list[str]] = {}
"""Raw HTML blocks of generated pages, by source path, until their HTML is made."""
_present: set[str] = set()
"""Source paths of the pages this process builds (or keeps, in a dirty build)."""
_rendered: set[str] = set()
"""Source paths of the pages rendered by this build (all of them unless dirty)."""
DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())


# --- words ---------------------------------------------------------------------------------

def cut(run: str) -> list[str]:
    """A Han run cut with jieba, one-character pieces joined to a neighbour."""
    pieces = list(jieba.cut(run)) if jieba is not None else [run]
    out: list[str] = []
    for n, piece in enumerate(pieces):
        joins_previous = len(piece) == 1 and (piece in SUFFIX_CHARS or n == len(pieces) - 1)
        if out and (joins_previous or len(out[-1]) == 1):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def segment(text: str) -> str:
    """``text`` with each Han run cut (:func:`cut`) and its pieces joined by U+200B."""
    return _HAN_RUN.sub(lambda m: ZWSP + ZWSP.join(cut(m.group(0))) + ZWSP, text).strip(ZWSP)


@lru_cache(maxsize=200_000)
def trailing_parts(token: str) -> tuple[str, ...]:
    """Dictionary words that tile ``token`` after its first one (行政复议 -> 复议)."""
    if jieba is None or len(token) < 3:
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


def words_of(text: str, whole: bool) -> list[str]:
    """Index words of ``text`` (HTML allowed): trailing parts, and all words if ``whole``."""
    seen: dict[str, None] = {}
    for run in _HAN_RUN.findall(_TAGS.sub(" ", text)):
        for word in cut(run):
            if whole and _HAN_WORD.fullmatch(word):
                seen.setdefault(word, None)
            for part in trailing_parts(word):
                seen.setdefault(part, None)
    return list(seen)


def page_entry(url: str, title: str, words: list[str], boost: Any = None,
               summary: Any = None) -> dict[str, Any]:
    """The one index entry of a page; its text is the page's search summary, HTML-escaped
    (Material shows an entry's text as HTML under its title)."""
    text = html.escape(summary) if isinstance(summary, str) else ""
    entry: dict[str, Any] = {"location": url, "title": segment(title), "text": text}
    keywords = list(dict.fromkeys(words_of(title, whole=False) + words))
    if keywords:
        entry[KEYWORD_FIELD] = ZWSP.join(keywords)
    if isinstance(boost, int | float) and not isinstance(boost, bool):
        entry["boost"] = boost
    return entry


def build_index(data: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Material's index config (plus the keywords field) with ``entries`` in page order."""
    fields = data.setdefault("config", {}).setdefault("fields", {})
    fields.setdefault(KEYWORD_FIELD, {"boost": KEYWORD_BOOST})
    docs = [*data.get("docs", []), *entries]
    docs.sort(key=lambda doc: str(doc.get("location", "")).split("#", 1)[0])
    data["docs"] = docs
    return data


def kept_entries(site_dir: str, fresh: dict[str, dict[str, Any]], present: set[str],
                 rendered: set[str]) -> list[dict[str, Any]]:
    """The entries of every page present: ``fresh`` ones (of the pages ``rendered`` now)
    and, for pages a dirty build did not render, those kept from the last build. Saved
    again beside the share's folder."""
    path = os.path.normpath(site_dir) + ".entries.json"
    try:
        with open(path, encoding="utf-8") as handle:
            old = json.load(handle)
    except (OSError, ValueError):
        old = {}
    merged = {src: entry for src, entry in (old if isinstance(old, dict) else {}).items()
              if src in present and src not in rendered}
    merged.update(fresh)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(merged.items())), handle, ensure_ascii=False)  # entry keys kept in order
    return [merged[src] for src in sorted(merged)]


def rewrite_index(site_dir: str, entries: list[dict[str, Any]]) -> None:
    """Write our entries into ``search/search_index.json`` under ``site_dir``, as UTF-8."""
    path = os.path.join(site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    text = json.dumps(build_index(data, entries), ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


# --- raw HTML --------------------------------------------------------------------------------

def is_raw_block(block: str) -> bool:
    """Whether a Markdown block is one balanced ``<div>``/``<table>`` of raw HTML.

    Python-Markdown copies such a block through unchanged (no ``markdown``
    attribute, so ``md_in_html`` leaves it alone too).
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


# --- shares ------------------------------------------------------------------------------------

def shard() -> tuple[int, int] | None:
    """``(k, n)`` when this MkDocs process renders only share ``k`` of ``n`` pages."""
    match = re.fullmatch(r"(\d+)/(\d+)", os.environ.get("GENERATOR_MKDOCS_SHARD", ""))
    if match is None:
        return None
    k, n = int(match.group(1)), int(match.group(2))
    return (k, n) if 0 <= k < n else None


# --- MkDocs events (called with keyword arguments) ----------------------------------------

def on_pre_build(config: Any) -> None:
    """A new build (or a rebuild under ``mkdocs serve``): forget the last one."""
    _notes.clear()
    _stashed.clear()
    _present.clear()
    _rendered.clear()


def in_share(src_uri: str, k: int, n: int) -> bool:
    """Whether the page ``src_uri`` belongs to share ``k`` of ``n`` (fixed by its path)."""
    return zlib.crc32(src_uri.encode("utf-8", "surrogateescape")) % n == k


def on_files(files: Any, config: Any) -> Any:
    """In a share: leave other shares' pages out (linked, not rendered), and the
    downloads (the generator links them into the site); in shares after the first,
    leave every other static file out too (the first share copies them)."""
    pages = sorted((f for f in files if f.is_documentation_page()), key=lambda f: f.src_uri)
    part = shard()
    if part is None or not pages:
        _present.update(str(f.src_uri) for f in pages)
        return files
    k, n = part
    excluded = type(pages[0].inclusion).EXCLUDED
    for file in pages:
        if in_share(str(file.src_uri), k, n):
            _present.add(str(file.src_uri))
        else:
            file.inclusion = excluded
    for file in files:
        if not file.is_documentation_page() and (k > 0 or file.src_uri.startswith(DOWNLOADS)):
            file.inclusion = excluded
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Take the page out of Material's indexing (it gets our entry instead, or none);
    stash a generated page's raw HTML blocks."""
    src = str(page.file.src_uri)
    _rendered.add(src)
    search = page.meta.get("search") or {}
    if isinstance(search, dict) and not search.get("exclude"):
        page.meta["search"] = {**search, "exclude": True}
        if not src.startswith(GENERATED) or src.startswith(TITLED):
            _notes[src] = {"boost": search.get("boost"), "summary": search.get("summary"),
                           "whole": not src.startswith(TITLED)}
    if src.startswith(GENERATED):
        markdown, stashed = stash_raw_blocks(markdown)
        if stashed:
            _stashed[src] = stashed
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put raw HTML blocks back; note a hand-written page's words."""
    src = str(page.file.src_uri)
    stashed = _stashed.pop(src, None)
    if stashed is not None:
        html = restore_raw_blocks(html, stashed)
    note = _notes.get(src)
    if note is not None:
        note["words"] = words_of(html, whole=note["whole"]) if note["whole"] else []
    return html


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Make the page's entry once its title is known."""
    note = _notes.get(str(page.file.src_uri))
    if note is not None and "entry" not in note:
        title = str(page.meta.get("title") or page.title or "")
        note["entry"] = page_entry(page.url, title, note.get("words", []), note["boost"],
                                   note["summary"])
    return context


def on_post_build(config: Any) -> None:
    """After the search plugin (priority 0), before ``offline`` (-100)."""
    fresh = {src: note["entry"] for src, note in _notes.items() if "entry" in note}
    site_dir = str(config["site_dir"])
    rewrite_index(site_dir, kept_entries(site_dir, fresh, _present, _rendered) if shard() else
                  [fresh[src] for src in sorted(fresh)])


setattr(on_post_build, "mkdocs_priority", -50)  # noqa: B010 (MkDocs reads this attribute)
