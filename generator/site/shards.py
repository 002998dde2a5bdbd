"""A large site built by several MkDocs processes at once, then merged into one.

MkDocs renders pages on one core. For a large site the build starts one MkDocs
process per share of the pages (``hooks.py`` leaves the other shares out of each
process: linked, not rendered), each into its own folder under ``build/shards/``.
The folders are then merged into the site folder: pages and files from every
share; the 404 page, the sitemap (entries merged) and the search index (entries
merged, in page order) written once. For the offline edition the index is also
written as ``search/search_index.js``, as Material's offline plugin does.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.errors import UsageError

SHARD_MIN_PAGES = 600
"""Below this many pages one MkDocs process is quicker (each process costs a few seconds)."""
MAX_SHARDS = 4
SHARED = ("404.html", "sitemap.xml", "sitemap.xml.gz", "search")
"""Paths every share writes; the merged site takes them from the first share, or merges them."""
INDEX = ("search", "search_index.json")
INDEX_JS = ("search", "search_index.js")
_URL_ENTRY = re.compile(r"<url>.*?</url>", re.S)


def shard_count(pages: int, workers: int, forced: int | None = None) -> int:
    """How many MkDocs processes to run: ``forced``, else one per worker for a large site."""
    if forced is not None:
        return max(1, forced)
    return min(workers, MAX_SHARDS) if pages >= SHARD_MIN_PAGES else 1


def shard_dirs(work: Path, count: int) -> list[Path]:
    """Fresh, empty folders ``work/0 … work/count-1``."""
    if work.exists():
        shutil.rmtree(work)
    folders = [work / str(k) for k in range(count)]
    for folder in folders:
        folder.mkdir(parents=True)
    return folders


def check_site_dir(site_dir: Path, protected: Sequence[Path]) -> None:
    """Refuse a site folder that holds one of ``protected`` (it is emptied by the build)."""
    site = site_dir.resolve()
    for path in protected:
        target = path.resolve()
        if target == site or site in target.parents:
            raise UsageError(f"网站目录 {site_dir} 包含 {path}，构建时会被清空：请换一个目录")


def read_index(folder: Path) -> dict[str, Any]:
    """A share's search index (empty if it wrote none)."""
    path = folder.joinpath(*INDEX)
    if not path.is_file():
        return {"config": {}, "docs": []}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def merged_index(indexes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One index: the first share's config, every share's entries in page-path order."""
    docs = [doc for index in indexes for doc in index.get("docs", [])]
    docs.sort(key=lambda doc: str(doc.get("location", "")).split("#", 1)[0])
    return {"config": indexes[0].get("config", {}), "docs": docs}


def merged_sitemap(texts: Sequence[str]) -> str:
    """The first share's sitemap with the ``<url>`` entries of every share, sorted."""
    entries = sorted({entry for text in texts for entry in _URL_ENTRY.findall(text)})
    head, _, tail = _URL_ENTRY.sub("", texts[0]).partition("</urlset>")
    body = "".join(f"    {entry}\n" for entry in entries)
    return head.rstrip() + "\n" + body + "</urlset>" + tail


def _empty(folder: Path) -> None:
    """Remove everything inside ``folder`` (kept itself), as MkDocs cleans a site folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _move_share(share: Path, site_dir: Path) -> None:
    """Move a share's own files into the site (shared paths are left behind)."""
    for source in sorted(p for p in share.rglob("*") if p.is_file()):
        rel = source.relative_to(share)
        if rel.parts[0] in SHARED:
            continue
        target = site_dir / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


def _write_gzip(path: Path, data: bytes) -> None:
    """``data`` gzipped with a fixed timestamp (SOURCE_DATE_EPOCH or 0)."""
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    path.write_bytes(gzip.compress(data, mtime=stamp))


def merge_shards(shares: Sequence[Path], site_dir: Path, offline: bool) -> None:
    """Merge the shares' folders into ``site_dir`` (emptied first) and remove them."""
    indexes = [read_index(share) for share in shares]
    maps = [p.read_text(encoding="utf-8") for p in (s / "sitemap.xml" for s in shares)
            if p.is_file()]
    _empty(site_dir)
    for child in sorted(shares[0].iterdir()):
        shutil.move(child, site_dir / child.name)
    for share in shares[1:]:
        _move_share(share, site_dir)
    text = json.dumps(merged_index(indexes), ensure_ascii=False, separators=(",", ":"))
    site_dir.joinpath(*INDEX).parent.mkdir(parents=True, exist_ok=True)
    site_dir.joinpath(*INDEX).write_text(text, encoding="utf-8")
    if offline:
        site_dir.joinpath(*INDEX_JS).write_text(f"var __index = {text}", encoding="utf-8")
    if maps:
        sitemap = merged_sitemap(maps)
        (site_dir / "sitemap.xml").write_text(sitemap, encoding="utf-8")
        _write_gzip(site_dir / "sitemap.xml.gz", sitemap.encode("utf-8"))
    shutil.rmtree(shares[0].parent)
