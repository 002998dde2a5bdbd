"""MkDocs' output kept between builds, in shares built by one process each, then synced.

MkDocs renders pages on one core. The build runs one MkDocs process per share of the
pages (a page's share is fixed by a hash of its path; ``hooks.py`` leaves the other
shares' pages out of each process: linked, not rendered), each into its own folder
under ``build/html/<edition>/``. Those folders are kept: the next build runs MkDocs
with ``--dirty`` when nothing but pages changed (same configuration, theme, hooks,
versions and number of shares, see :func:`edition_signature`), so MkDocs renders only
the pages whose Markdown file is newer than its HTML (the generator leaves unchanged
pages untouched) and the outputs of removed files are deleted first.

The site folder is then made from the shares (:func:`sync_shares`): each file linked
(a hard link, or a copy across file systems) unless already in place, the 404 page,
the sitemap (entries merged) and the search index (entries merged, in page order)
written once, files no longer built removed. The online edition's entries go to
``search/entries.json``, which the site's search worker fetches itself, and Material's
``search/search_index.json`` keeps only the configuration: Material's page would
otherwise parse the whole index on its main thread and copy it to the worker, delaying
the first result (``generator/site/assets/search-worker.js``). The offline edition keeps
every entry in ``search/search_index.json`` and ``search/search_index.js`` (as Material's
offline plugin writes it): over ``file://`` the worker cannot fetch.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.site.tree import read_state

SHARD_MIN_PAGES = 600
"""Below this many pages one MkDocs process is quicker (each process costs a few seconds)."""
MAX_SHARDS = 4
DOWNLOADS = ("data", "originals")
"""Folders of ``docs_dir`` MkDocs does not copy in a share (``hooks.DOWNLOADS``): the site
links them from ``docs_dir`` itself, a third of the site's bytes not copied twice."""
SHARED = ("404.html", "sitemap.xml", "sitemap.xml.gz", "search")
"""Paths every share writes; the merged site takes them from the first share, or merges them."""
INDEX = ("search", "search_index.json")
INDEX_JS = ("search", "search_index.js")
ENTRIES = ("search", "entries.json")
"""The online edition's whole index, fetched by the site's search worker."""
_URL_ENTRY = re.compile(r"<url>.*?</url>", re.S)


def shard_count(pages: int, workers: int, forced: int | None = None) -> int:
    """How many MkDocs processes to run: ``forced``, else one per worker for a large site."""
    if forced is not None:
        return max(1, forced)
    return min(workers, MAX_SHARDS) if pages >= SHARD_MIN_PAGES else 1


SIGNATURE = "signature.txt"
"""In an edition's work folder: what its kept outputs were built with."""
SOURCES = "sources.json"
"""In an edition's work folder: the files of ``docs_dir`` its kept outputs were built from."""


def edition_signature(config: Path, root: Path, count: int, extra: Sequence[Path]) -> str:
    """A digest of everything besides the pages that MkDocs' output depends on: the
    derived configuration, the number of shares, the theme overrides, the hook file and
    ``extra`` files, and the versions of MkDocs and Material."""
    digest = hashlib.sha256(f"{count}\0".encode())
    files = [config, *sorted(p for p in (root / "overrides").rglob("*") if p.is_file()), *extra]
    for path in files:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"-")
    for package in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jieba"):
        try:
            digest.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none\0".encode())
    return digest.hexdigest()


def prepare_shares(work: Path, count: int, signature: str | None,
                   docs: Sequence[str]) -> tuple[list[Path], bool]:
    """The share folders ``work/0 … work/count-1`` and whether MkDocs may update them in
    place (``--dirty``): only when the last build there finished with ``signature``.
    Otherwise they are made fresh and empty. ``signature`` ``None``: always fresh.

    The outputs of files the last MkDocs build had and ``docs`` (the files of
    ``docs_dir`` now) lacks are deleted, and the signature is withdrawn until
    :func:`finish_shares` (a failed build leaves nothing that looks reusable).
    """
    folders = [work / str(k) for k in range(count)]
    stamp = work / SIGNATURE
    reuse = (signature is not None and stamp.is_file()
             and stamp.read_text(encoding="utf-8") == signature
             and all(folder.is_dir() for folder in folders))
    if not reuse:
        if work.exists():
            shutil.rmtree(work)
        for folder in folders:
            folder.mkdir(parents=True)
        return folders, False
    stamp.unlink()
    before = read_state(work / SOURCES).get("files", [])
    removed = sorted(set(before if isinstance(before, list) else []) - set(docs))
    for folder in folders:
        for rel in removed:
            output = folder / (rel[:-3] + ".html" if rel.endswith(".md") else rel)
            if output.is_file():
                output.unlink()
    return folders, True


def finish_shares(work: Path, signature: str | None, docs: Sequence[str]) -> None:
    """Record that the shares under ``work`` are complete outputs of ``signature``, made
    from the files ``docs``."""
    if signature is not None:
        text = json.dumps({"files": sorted(docs)}, ensure_ascii=False)
        (work / SOURCES).write_text(text, encoding="utf-8")
        (work / SIGNATURE).write_text(signature, encoding="utf-8")


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


def index_files(index: dict[str, Any], offline: bool) -> list[tuple[tuple[str, str], str]]:
    """The search files of an edition (see the module's description): (path, text)."""
    def dump(data: dict[str, Any]) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    whole = dump(index)
    if offline:
        return [(INDEX, whole), (INDEX_JS, f"var __index = {whole}")]
    return [(INDEX, dump({"config": index.get("config", {}), "docs": []})), (ENTRIES, whole)]


def merged_sitemap(texts: Sequence[str]) -> str:
    """The first share's sitemap with the ``<url>`` entries of every share, sorted."""
    entries = sorted({entry for text in texts for entry in _URL_ENTRY.findall(text)})
    head, _, tail = _URL_ENTRY.sub("", texts[0]).partition("</urlset>")
    body = "".join(f"    {entry}\n" for entry in entries)
    return head.rstrip() + "\n" + body + "</urlset>" + tail


def _place(source: Path, target: Path) -> None:
    """``target`` as the same file as ``source``: a hard link, or a copy where linking
    fails (another file system). Nothing is done when it already is (the same file, or
    a copy of the same size and modification time)."""
    if target.exists():
        if os.path.samefile(source, target):
            return
        theirs, mine = source.stat(), target.stat()
        if (theirs.st_size, theirs.st_mtime_ns) == (mine.st_size, mine.st_mtime_ns):
            return
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``path`` as a new file (never through a hard link into a share)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    path.write_bytes(data)


def _prune(site_dir: Path, wanted: set[str]) -> None:
    """Remove files of the site folder that are not ``wanted``, then empty folders."""
    top = str(site_dir)
    for dirpath, _, filenames in os.walk(top, topdown=False):
        inner = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if inner == "." else inner + "/"
        for name in filenames:
            if prefix + name not in wanted:
                os.unlink(os.path.join(dirpath, name))
        if prefix and not os.listdir(dirpath):
            os.rmdir(dirpath)


def sync_shares(shares: Sequence[Path], site_dir: Path, offline: bool, docs_dir: Path) -> None:
    """Make ``site_dir`` the union of the shares' outputs and the downloads of ``docs_dir``
    (see the module's description)."""
    site_dir.mkdir(parents=True, exist_ok=True)
    wanted: set[str] = set()
    roots = list(enumerate(shares))
    roots += [(-1, docs_dir / name) for name in DOWNLOADS]
    for k, share in roots:
        if not share.is_dir():
            continue
        top = str(share) if k >= 0 else str(docs_dir)
        for dirpath, _, filenames in os.walk(share):
            inner = os.path.relpath(dirpath, top).replace(os.sep, "/")
            prefix = "" if inner == "." else inner + "/"
            for name in filenames:
                rel = prefix + name
                first = rel.split("/", 1)[0]
                if first in SHARED and (k > 0 or first != "404.html"):
                    continue
                if rel not in wanted:
                    wanted.add(rel)
                    _place(Path(dirpath, name), site_dir / rel)
    for path, text in index_files(merged_index([read_index(share) for share in shares]), offline):
        _write_new(site_dir.joinpath(*path), text.encode("utf-8"))
        wanted.add("/".join(path))
    maps = [p.read_text(encoding="utf-8") for p in (s / "sitemap.xml" for s in shares)
            if p.is_file()]
    if maps:
        sitemap = merged_sitemap(maps).encode("utf-8")
        _write_new(site_dir / "sitemap.xml", sitemap)
        stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
        _write_new(site_dir / "sitemap.xml.gz", gzip.compress(sitemap, mtime=stamp))
        wanted |= {"sitemap.xml", "sitemap.xml.gz"}
    _prune(site_dir, wanted)
