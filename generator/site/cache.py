"""Parsed reports kept between builds, so an unchanged report is not parsed again.

An entry is keyed by the SHA-256 of everything that decides the parse: the
parser version, the report's shown path, its bytes and its sidecar's bytes. The
entry holds the report's JSON (``Report.to_dict``) and its decoded text; it is
restored with ``model.report_from_dict``. Entries not used by a build are
removed at its end, so the cache never grows beyond the content.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import PARSER_VERSION
from generator.errors import UsageError
from generator.model import Report, report_from_dict
from generator.parsing.sidecar import sidecar_path
from generator.site.tree import read_state

KEYS_FILE = "keys.json"
"""In the cache folder: file signatures and their keys (:class:`KeyMemo`)."""
CACHE_FORMAT = "4"
"""Bumped when the layout of a cache entry changes."""


@dataclass(slots=True)
class Loaded:
    """One report as the site needs it: the parsed data and the decoded text."""

    report: Report
    text: str | None
    """The decoded original text, or ``None`` when the file could not be decoded."""
    compact: str = ""
    """``report.to_dict()`` as compact JSON (one line), as published for the report."""
    bulk: str = ""
    """The same without ``lines`` (the source line of each cell), as in ``reports.json``."""
    key: str = ""
    """The cache key: the same key means the same outputs."""


def cache_key(path: Path, shown_path: str) -> str:
    """The key of ``path``: changes whenever its parse could change.

    Raises :class:`UsageError` when the report or its sidecar cannot be read at all
    (permissions, a file removed during the build): that is not a problem of the report.
    """
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, PARSER_VERSION, shown_path):
        digest.update(part.encode("utf-8") + b"\0")
    side = sidecar_path(path)
    try:
        digest.update(path.read_bytes())
        digest.update(b"\0sidecar\0")
        if side.is_file():
            digest.update(side.read_bytes())
    except OSError as exc:
        raise UsageError(f"{exc.filename or path}: 无法读取文件（{exc.strerror}）") from exc
    return digest.hexdigest()


def _signature(path: Path) -> list[int]:
    """What ``stat`` says of ``path`` and its sidecar (size, times, inode; zeros if absent)."""
    out: list[int] = []
    for file in (path, sidecar_path(path)):
        try:
            st = file.stat()
        except OSError:
            out += [-1, 0, 0, 0]
            continue
        out += [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return out


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
        signature = _signature(path)
        old = self.before.get(shown_path)
        if isinstance(old, list) and old[:-1] == signature and isinstance(old[-1], str):
            key = old[-1]
        else:
            key = cache_key(path, shown_path)
        self.after[shown_path] = [*signature, key]
        return key

    def save(self) -> None:
        """Write the signatures of this build (only the files it saw)."""
        data = {"version": [CACHE_FORMAT, PARSER_VERSION], "files": self.after}
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self.file.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                        separators=(",", ":")), encoding="utf-8")


def compact_json(data: Any) -> str:
    """``data`` as one line of JSON, UTF-8 characters kept."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def split_json(report: Report) -> tuple[str, str]:
    """``report.to_dict()`` as compact JSON without ``lines`` (its last key), and ``lines``."""
    data = report.to_dict()
    lines = data.pop("lines")
    return compact_json(data), compact_json(lines)


def joined_json(bulk: str, lines: str) -> str:
    """The compact JSON of the whole report from the two parts of :func:`split_json`."""
    return f'{bulk[:-1]},"lines":{lines}}}'


def entry_to_json(loaded: Loaded) -> str:
    """The stored form of one entry, three parts on their own lines: the report's compact
    JSON without ``lines``, then ``lines``, then ``N`` when the text could not be decoded,
    else ``T`` and the text as it is."""
    text = "N" if loaded.text is None else "T" + loaded.text
    bulk, lines = split_json(loaded.report)
    return f"{bulk}\n{lines}\n{text}"


def entry_from_json(raw: str, key: str = "") -> Loaded:
    """Rebuild an entry stored by :func:`entry_to_json` (``ValueError`` if malformed)."""
    bulk, newline, rest = raw.partition("\n")
    lines, newline2, rest = rest.partition("\n")
    if not (newline and newline2) or not (rest == "N" or rest.startswith("T")):
        raise ValueError("cache entry without its three parts")
    data: dict[str, Any] = json.loads(bulk)
    data["lines"] = json.loads(lines)
    text = None if rest == "N" else rest[1:]
    return Loaded(report_from_dict(data), text, compact=joined_json(bulk, lines), bulk=bulk, key=key)


def store_entry(target: Path, raw: str) -> None:
    """Write an entry to ``target`` (atomic on POSIX: a reader sees all of it or nothing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(raw.encode("utf-8", "surrogatepass"))
    tmp.replace(target)


class ParseCache:
    """A folder of entries, one file each, named by key."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = folder
        self.enabled = enabled
        self.used: set[str] = set()
        self.memo = KeyMemo(folder / KEYS_FILE, enabled)

    def key(self, path: Path, shown_path: str) -> str:
        """The key of a report file (see :func:`cache_key`; unchanged files not read)."""
        return self.memo.key(path, shown_path)

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / (key + ".json")

    def get(self, key: str) -> Loaded | None:
        """The entry for ``key``, or ``None`` (also when the cache is off or unreadable)."""
        self.used.add(key)
        if not self.enabled:
            return None
        try:
            raw = self._file(key).read_bytes().decode("utf-8", "surrogatepass")  # CR kept
            return entry_from_json(raw, key)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, raw: str) -> None:
        """Store an entry (already serialised) under ``key``; atomic on POSIX."""
        store_entry(self.claim(key), raw)

    def claim(self, key: str) -> Path:
        """The file of ``key``'s entry, marked as used by this build (a worker may write it
        with :func:`store_entry`)."""
        self.used.add(key)
        return self._file(key)

    def prune(self) -> int:
        """Remove entries this build did not use (returns how many); save the key memo."""
        if self.enabled:
            self.memo.save()
        removed = 0
        if not self.folder.is_dir():
            return removed
        for file in sorted(self.folder.glob("*/*")):
            if file.is_file() and file.name.split(".")[0] not in self.used:
                file.unlink()
                removed += 1
        return removed
