"""Parsed reports kept between builds, so an unchanged report is not parsed again.

An entry is keyed by the SHA-256 of everything that decides the parse: the
parser version, the report's shown path, its bytes and its sidecar's bytes. The
entry holds the report's summary and CSV rows (what the pages of *other* reports and
the CSV downloads need), its JSON (``Report.to_dict``) and its decoded text; the
summaries of every entry are also kept together (:class:`SummaryIndex`), so a rebuild
reads one file for them and reads an entry only for the pages and downloads it makes
again. Entries not used by a build are removed at its end, so the cache never grows
beyond the content.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import PARSER_VERSION, jsoncodec
from generator.errors import UsageError
from generator.model import Report, report_from_dict
from generator.pipeline import FileBytes, read_inputs
from generator.rendering.summary import Summary, summarize, summary_from_dict, summary_to_dict
from generator.site.csvrows import report_csv_rows
from generator.site.tree import read_state, write_file
from generator.sources import sidecar_file

KEYS_FILE = "keys.json"
"""In the cache folder: file signatures and their keys (:class:`KeyMemo`)."""
INDEX_FILE = "index.txt"
"""In the cache folder: each entry's first line by key (:class:`SummaryIndex`)."""
CACHE_FORMAT = "5"
"""Bumped when the layout of a cache entry changes."""


@dataclass(slots=True)
class Loaded:
    """One report as the site needs it: its summary and CSV rows at hand, its full data
    (parsed JSON, decoded text) read from its cache entry when a page or a download needs
    it (:func:`entry_parts`)."""

    summary: Summary
    csv: list[str]
    """Its rows of applications.csv and key-figures.csv, after the slug."""
    key: str = ""
    """The cache key: the same key means the same outputs."""
    summary_key: str = ""
    """A digest of the summary: the same digest means the same summary."""
    file: str | None = None
    """Its cache entry's path (see :func:`entry_to_json`; a string: a ``Path`` a report
    cost the parse stage's parent process more than decoding its index)."""
    raw: bytes | None = None
    """The cache entry's bytes, when in memory (then its file is not read)."""
    checked: bool = False
    """Checks across reports added findings: its JSON is made anew from the full data."""


def cache_key(path: Path, shown_path: str) -> str:
    """The key of ``path``: changes whenever its parse could change.

    Raises :class:`UsageError` when the report or its sidecar cannot be read at all
    (permissions, a file removed during the build): that is not a problem of the report.
    """
    return input_key(read_inputs(path), shown_path)


def input_key(given: FileBytes, shown_path: str) -> str:
    """:func:`cache_key` of a report whose bytes (and its sidecar's) were read already."""
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, PARSER_VERSION, shown_path):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(given.report)
    digest.update(b"\0sidecar\0")
    if given.sidecar is not None:
        digest.update(given.sidecar)
    return digest.hexdigest()


ABSENT = (-1, 0, 0, 0)
"""The signature of a file that is not there."""


def _signature(path: Path | str, sidecar: bool | None = None) -> list[int]:
    """What ``stat`` says of ``path`` and its sidecar (size, times, inode; :data:`ABSENT`
    if missing). ``sidecar``: whether the sidecar is there, when the caller knows from a
    listing of the folder (:func:`generator.sources.find_inputs`); then a missing one is
    not asked for."""
    name = os.fspath(path)
    out = _stat(name)
    return out + (list(ABSENT) if sidecar is False else _stat(sidecar_file(name)))


def _stat(name: str) -> list[int]:
    try:
        st = os.stat(name)
    except OSError:
        return list(ABSENT)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class KeyMemo:
    """Cache keys of the last build by file signature, so an unchanged file is not read.

    Like git's index: a report whose size, modification and change times and inode
    (and its sidecar's) are as they were keeps its key; any write to either changes
    the change time, so its bytes are read and hashed again. Stored in one JSON file.
    """

    def __init__(self, file: Path, enabled: bool = True) -> None:
        self.file = file
        self.before: dict[str, list[Any]] = self._load() if enabled else {}
        self.after: dict[str, list[Any]] = {}

    def _load(self) -> dict[str, list[Any]]:
        data = read_state(self.file)
        if data.get("version") != [CACHE_FORMAT, PARSER_VERSION]:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def key(self, path: Path, shown_path: str) -> str:
        """:func:`cache_key` of ``path``, from the memo when its signature is unchanged."""
        signature, key = self.known(path, shown_path, None)
        if key is None:
            key = cache_key(path, shown_path)
            self.record(shown_path, signature, key)
        return key

    def known(self, path: Path | str, shown_path: str,
              sidecar: bool | None) -> tuple[list[int], str | None]:
        """``path``'s signature and, when it is as the last build saw it, its key (kept for
        the next build); else ``None`` for the key: the caller hashes the file
        (:func:`cache_key`) and hands the key to :meth:`record`. ``sidecar``: whether its
        sidecar is there, if known (:func:`_signature`)."""
        signature = _signature(path, sidecar)
        old = self.before.get(shown_path)
        if isinstance(old, list) and old[:-1] == signature and isinstance(old[-1], str):
            self.after[shown_path] = old
            return signature, old[-1]
        return signature, None

    def record(self, shown_path: str, signature: list[int], key: str) -> None:
        """Keep ``key`` for the file with ``signature`` for the next build."""
        self.after[shown_path] = [*signature, key]

    def save(self) -> None:
        """Write the signatures of this build (only the files it saw)."""
        data = {"version": [CACHE_FORMAT, PARSER_VERSION], "files": self.after}
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self.file.write_text(jsoncodec.dumps(data, sort_keys=True), encoding="utf-8")


def compact_json(data: Any) -> str:
    """``data`` as one line of JSON, UTF-8 characters kept (:mod:`generator.jsoncodec`)."""
    return jsoncodec.dumps(data)


def split_json(report: Report) -> tuple[str, str]:
    """``report.to_dict()`` as compact JSON without ``lines`` (its last key), and ``lines``."""
    return _split_dict(report.to_dict())


def _split_dict(data: dict[str, Any]) -> tuple[str, str]:
    """``data`` (a report's ``to_dict``) as compact JSON without ``lines``, and ``lines``
    (``data`` is changed: ``lines`` taken out)."""
    lines = data.pop("lines")
    return compact_json(data), compact_json(lines)


def joined_json(bulk: str, lines: str) -> str:
    """The compact JSON of the whole report from the two parts of :func:`split_json`."""
    return f'{bulk[:-1]},"lines":{lines}}}'


def index_json(report: Report, csv: Sequence[str]) -> str:
    """The first line of a cache entry, compact JSON: the report's summary (``s``), the
    SHA-256 of that summary's JSON (``d``: pages that show only the summary are kept while
    it is unchanged) and its CSV rows (``c``)."""
    summary = compact_json(summary_to_dict(summarize(report)))
    digest = hashlib.sha256(summary.encode("utf-8", "surrogatepass")).hexdigest()
    return f'{{"s":{summary},"d":"{digest}","c":{compact_json(list(csv))}}}'


def entry_to_bytes(report: Report, text: str | None) -> tuple[bytes, bytes]:
    """The stored form of one entry, four parts on their own lines: the index (summary and
    CSV rows, :func:`index_json`), the report's compact JSON without ``lines``, then
    ``lines``, then ``N`` when the text could not be decoded, else ``T`` and the text as
    it is. The index comes first so it can be read alone. Returns the bytes as stored
    (the JSON parts as the encoder gives them, never decoded and encoded again) and the
    index line (as stored)."""
    index = encoded(index_json(report, report_csv_rows(report)))
    body = b"N" if text is None else b"T" + encoded(text)
    return b"\n".join((index, jsoncodec.dumps_bytes(report.bulk_dict()),
                       jsoncodec.dumps_bytes(report.lines, sort_keys=True), body)), index


def entry_to_json(report: Report, text: str | None) -> str:
    """:func:`entry_to_bytes` as text (lone surrogates kept)."""
    return entry_to_bytes(report, text)[0].decode("utf-8", "surrogatepass")


def loaded_from_index(index: str | bytes, key: str, file: str | None,
                      raw: bytes | None = None) -> Loaded:
    """An entry from its index line (``ValueError``, ``KeyError`` or ``TypeError`` if
    malformed)."""
    data = jsoncodec.loads(index)
    csv, digest = data["c"], data["d"]
    if not (isinstance(csv, list) and len(csv) == 2 and all(isinstance(c, str) for c in csv)):
        raise ValueError("cache index without its two CSV rows")
    if not isinstance(digest, str):
        raise ValueError("cache index without its summary digest")
    return Loaded(summary_from_dict(data["s"]), csv, key, digest, file, raw)


def encoded(raw: str) -> bytes:
    """An entry (or any text of the cache) as stored: UTF-8, lone surrogates kept."""
    return raw.encode("utf-8", "surrogatepass")


def entry_from_json(raw: str, key: str = "", file: str | None = None) -> Loaded:
    """An entry stored by :func:`entry_to_json`, its bytes kept (``ValueError`` if
    malformed)."""
    return entry_from_bytes(encoded(raw), key, file)


def entry_from_bytes(data: bytes, key: str = "", file: str | None = None) -> Loaded:
    """An entry as stored (its bytes), kept in memory (``ValueError`` if malformed)."""
    _split(data)
    index = data[:data.index(b"\n")].decode("utf-8", "surrogatepass")
    return loaded_from_index(index, key, file, data)


def _split(raw: bytes) -> tuple[bytes, bytes, bytes | None]:
    """(bulk JSON, ``lines`` JSON, text or ``None``) of a stored entry, as stored (UTF-8:
    ``json.loads`` takes them so, and the downloads are written so, never decoded)."""
    first = raw.find(b"\n")
    second = raw.find(b"\n", first + 1) if first >= 0 else -1
    third = raw.find(b"\n", second + 1) if second >= 0 else -1
    body = raw[third + 1:third + 2] if third >= 0 else b""
    if body not in (b"N", b"T") or (body == b"N" and len(raw) != third + 2):
        raise ValueError("cache entry without its four parts")
    text = None if body == b"N" else raw[third + 2:]
    return raw[first + 1:second], raw[second + 1:third], text


def read_entry(file: Path | str) -> bytes:
    """A stored entry's bytes."""
    with open(file, "rb") as handle:
        return handle.read()


Parts = tuple[bytes, bytes, bytes | None]
"""What :func:`entry_parts` returns."""


def entry_parts(item: Loaded) -> Parts:
    """(bulk JSON, ``lines`` JSON, text) of ``item`` as parsed and stored (UTF-8), from
    memory or its cache entry. Raises :class:`UsageError` naming the entry when it is gone
    or damaged (the build folder was changed during the build)."""
    try:
        if item.raw is not None:
            return _split(item.raw)
        if item.file is None:
            raise ValueError("no cache entry")
        return _split(read_entry(item.file))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{item.file or item.summary.source.path}: 缓存条目无法读取（{exc}），"
                         "请用 --no-cache 重新构建") from exc


def full_report(item: Loaded, parts: Parts | None = None) -> Report:
    """The full data of ``item`` as parsed (the findings of checks across reports are in
    its summary only); ``parts``: its :func:`entry_parts`, when the caller has them."""
    bulk, lines, _ = parts or entry_parts(item)
    data: dict[str, Any] = jsoncodec.loads(bulk)
    data["lines"] = jsoncodec.loads(lines)
    return report_from_dict(data)


def checked_report(item: Loaded, parts: Parts | None = None) -> Report:
    """The full data of ``item`` with every finding of its summary."""
    return full_report(item, parts).with_findings(list(item.summary.findings))


def published_json(item: Loaded, parts: Parts | None = None) -> tuple[bytes, bytes]:
    """(whole compact JSON, JSON without ``lines``) of ``item`` as published, UTF-8;
    ``parts``: its :func:`entry_parts`, when the caller has them."""
    if item.checked:
        bulk, lines = split_json(checked_report(item, parts))
        return joined_json(bulk, lines).encode("utf-8"), bulk.encode("utf-8")
    bulk_bytes, lines_bytes, _ = parts or entry_parts(item)
    bulk_bytes, lines_bytes = strict_utf8(bulk_bytes), strict_utf8(lines_bytes)
    return b"".join((bulk_bytes[:-1], b',"lines":', lines_bytes, b"}")), bulk_bytes


def original(item: Loaded, parts: Parts | None = None) -> bytes | None:
    """The decoded original text of ``item`` (UTF-8), or ``None`` when it could not be
    decoded; ``parts``: its :func:`entry_parts`, when the caller has them."""
    text = (parts or entry_parts(item))[2]
    return None if text is None else strict_utf8(text)


def strict_utf8(data: bytes) -> bytes:
    """``data`` (stored UTF-8) as published: ``UnicodeDecodeError`` if it holds an encoded
    lone surrogate (which the cache keeps, but a download must not have; one is always
    encoded starting with byte ED, so others are not decoded to check)."""
    if b"\xed" in data:
        data.decode("utf-8")
    return data


def store_entry(target: Path | str, data: bytes) -> None:
    """Write an entry's bytes to ``target`` (atomic on POSIX: a reader sees all of it or
    nothing, as it is written under another name and renamed); its folder is made when
    missing."""
    tmp = f"{os.path.splitext(target)[0]}.{os.getpid()}.tmp"
    try:
        write_file(tmp, data)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
        write_file(tmp, data)
    os.replace(tmp, target)


def entry_path(folder: Path | str, key: str) -> str:
    """The file of ``key``'s entry in the cache ``folder``."""
    return f"{os.fspath(folder)}/{key[:2]}/{key}.json"  # no os.path.join: 10,000 a build


def stored_index(file: str, key: str) -> bytes | None:
    """The index line of the entry in ``file`` when it is there and whole (its four parts,
    an index :func:`loaded_from_index` reads), else ``None``."""
    try:
        data = read_entry(file)
        entry_from_bytes(data, key)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data[:data.index(b"\n")]


class ParseCache:
    """A folder of entries, one file each, named by key."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = folder
        self.top = os.fspath(folder)
        self.enabled = enabled
        self.used: set[str] = set()
        self.memo = KeyMemo(folder / KEYS_FILE, enabled)
        self.index = SummaryIndex(folder / INDEX_FILE, enabled)
        self.stored: set[str] | None = None
        """Keys of the entries in the folder when first asked (:meth:`_stored`)."""
        self.listing: list[os.DirEntry[str]] | None = None
        """The files of the folder's sub-folders when first asked (:func:`_cache_files`)."""

    def known(self, path: Path | str, shown_path: str,
              sidecar: bool | None = None) -> tuple[list[int], str | None]:
        """``path``'s signature and, when unchanged since the last build, its key
        (:meth:`KeyMemo.known`; without reading the file)."""
        return self.memo.known(path, shown_path, sidecar)

    def _path(self, key: str) -> str:
        return entry_path(self.top, key)

    def get(self, key: str) -> Loaded | None:
        """The entry for ``key``, or ``None`` (also when the cache is off or unreadable).

        Its summary comes from the index of the last build where it is there (the entry
        itself is then read only if a page or download needs it), else from the entry."""
        self.used.add(key)
        if not self.enabled:
            return None
        path = self._path(key)
        index = self.index.get(key)
        if index is None or not self._stored(key):
            index = stored_index(path, key)
        try:
            return None if index is None else loaded_from_index(index, key, path)
        except (ValueError, KeyError, TypeError):
            return None

    def _stored(self, key: str) -> bool:
        """Whether the folder held ``key``'s entry when first asked: its 256 sub-folders
        listed once instead of a ``stat`` per report."""
        if self.stored is None:
            self.stored = {e.name[:-5] for e in self._files() if e.name.endswith(".json")}
        return key in self.stored

    def _files(self) -> list[os.DirEntry[str]]:
        if self.listing is None:
            self.listing = _cache_files(self.folder)
        return self.listing

    def found(self, shown_path: str, signature: list[int], key: str, index: bytes) -> str:
        """Record an entry a worker found or stored for the file shown as ``shown_path``
        (with ``signature``): its key, used by this build, and its index line. Returns
        the entry's file."""
        self.memo.record(shown_path, signature, key)
        self.index.note(key, index)
        return self.claim(key)

    def claim(self, key: str) -> str:
        """The file of ``key``'s entry, marked as used by this build (a worker may write it
        with :func:`store_entry`)."""
        self.used.add(key)
        return self._path(key)

    def prune(self) -> int:
        """Remove entries this build did not use (returns how many); save the key memo."""
        if self.enabled:
            self.memo.save()
            self.index.save(self.used)
        removed = 0
        for entry in self._files():  # files this build wrote are used: none is missed
            if entry.name.split(".")[0] not in self.used:
                os.unlink(entry.path)
                removed += 1
        return removed


def _cache_files(folder: Path) -> list[os.DirEntry[str]]:
    """The files in the sub-folders of the cache ``folder`` (entries ``KEY[:2]/KEY.json``,
    and any file a build left there); none if the folder is missing."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as subs:
        folders = [sub.path for sub in subs if sub.is_dir(follow_symlinks=False)]
    out: list[os.DirEntry[str]] = []
    for sub in folders:
        with os.scandir(sub) as entries:
            out += [e for e in entries if e.is_file()]
    return out


class SummaryIndex:
    """The first line of every cache entry (summary and CSV rows) by key, in one file, so
    a build reads one file instead of every entry of the reports it does not render.

    One line per entry, ``KEY`` TAB index JSON, sorted by key; only what the last build
    used is kept. An entry missing from the index is read from its file. Lines are kept
    as stored (UTF-8 bytes: orjson reads them so, and they are written back unchanged),
    and the file is written again only when this build used other entries.
    """

    def __init__(self, file: Path, enabled: bool = True) -> None:
        self.file = file
        self.lines: dict[str, bytes] = self._load() if enabled else {}
        self.loaded: list[str] = list(self.lines)
        """The keys of the file as read (sorted, as :meth:`save` writes them)."""
        self.changed = False
        """Whether :meth:`note` changed a line."""

    def _load(self) -> dict[str, bytes]:
        try:
            data = self.file.read_bytes()
        except OSError:
            return {}
        head, _, body = data.partition(b"\n")
        if head != f"{CACHE_FORMAT} {PARSER_VERSION}".encode():
            return {}
        out: dict[str, bytes] = {}
        # UTF-8 never has the byte of LF (nor of TAB) inside a character, and JSON has
        # them escaped: so this splits at line ends only, wherever U+2028 or U+001C are
        for line in body.split(b"\n"):
            key, tab, index = line.partition(b"\t")
            if tab:
                out[key.decode("utf-8", "replace")] = index
        return out

    def get(self, key: str) -> bytes | None:
        """The index line of ``key``'s entry, if the last build recorded it."""
        return self.lines.get(key)

    def note(self, key: str, index: bytes) -> None:
        """Record the index line of an entry this build stored (as stored: :func:`encoded`)."""
        if self.lines.get(key) != index:
            self.lines[key] = index
            self.changed = True

    def save(self, used: Iterable[str]) -> None:
        """Write the lines of the entries in ``used`` that have one (unless the file holds
        just these lines already)."""
        keys = sorted(k for k in set(used) if k in self.lines)
        if keys == self.loaded and not self.changed and self.file.is_file():
            return
        head = f"{CACHE_FORMAT} {PARSER_VERSION}\n".encode()
        body = b"".join([b"%s\t%s\n" % (k.encode(), self.lines[k]) for k in keys])
        self.file.parent.mkdir(parents=True, exist_ok=True)
        store_entry(self.file, head + body)
