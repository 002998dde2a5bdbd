"""Optional MkDocs hook: make the parts of compound Chinese words findable.

Material's search cuts Chinese with jieba and the browser matches query words as
*prefixes* of the cut pieces. 行政复议 is one piece, so 复议 alone finds nothing.
After the search plugin has written ``search/search_index.json`` (and before the
offline plugin inlines it), this hook adds to each entry a ``keywords`` field
with the non-leading parts of its compound words (行政复议 -> 复议, 人民政府 ->
政府), and registers that field with a low boost. Parts are taken only where
they tile the word (人民政府 is 人民+政府, so 民政 is not added).

It also writes the index as UTF-8 instead of ``\\uXXXX`` escapes, which halves it.
The site builds and searches without this hook; it is named in ``mkdocs.yml``
under ``hooks:`` and imports nothing from MkDocs.
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

KEYWORD_FIELD = "keywords"
KEYWORD_BOOST = 0.5
"""Below the text field's 1.0: a page that prints the word itself ranks first."""

_HAN_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3,}")
_SEPARATORS = re.compile(r"[\s\u200b\u3000\-、。，．？！；]+")
_TAGS = re.compile(r"<[^>]*>")


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


def keywords_for(*texts: str) -> str:
    """The trailing parts of every compound word in ``texts``, unique, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for chunk in _SEPARATORS.split(_TAGS.sub(" ", text)):
            if _HAN_TOKEN.fullmatch(chunk):
                for part in trailing_parts(chunk):
                    seen.setdefault(part, None)
    return "\u200b".join(seen)


def enrich_index(data: dict[str, Any]) -> dict[str, Any]:
    """Add the ``keywords`` field to every entry of a search index and to its config."""
    fields = data.setdefault("config", {}).setdefault("fields", {})
    fields.setdefault(KEYWORD_FIELD, {"boost": KEYWORD_BOOST})
    for doc in data.get("docs", []):
        words = keywords_for(doc.get("title", ""), doc.get("text", ""))
        if words:
            doc[KEYWORD_FIELD] = words
    return data


def rewrite_index(site_dir: str) -> None:
    """Enrich ``search/search_index.json`` under ``site_dir`` in place, as UTF-8."""
    path = os.path.join(site_dir, "search", "search_index.json")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    text = json.dumps(enrich_index(data), ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def on_post_build(config: Any) -> None:
    """MkDocs event: after the search plugin (priority 0), before ``offline`` (-100)."""
    rewrite_index(str(config["site_dir"]))


setattr(on_post_build, "mkdocs_priority", -50)  # noqa: B010 (MkDocs reads this attribute)
