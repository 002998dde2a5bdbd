"""Write a generated tree, touching only files whose bytes change.

MkDocs (and ``mkdocs serve``) look at modification times: a page whose content
did not change keeps its file and its mtime. Files the build no longer produces
are deleted at the end, with folders left empty.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from generator.errors import UsageError


@dataclass(slots=True)
class TreeStats:
    """What a write pass did."""

    written: int = 0
    unchanged: int = 0
    deleted: int = 0


def checked_key(rel: str) -> str:
    """``rel`` normalised (no empty or ``.`` parts), refused if it could leave the tree."""
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    if rel.startswith("/") or not parts or ".." in parts or "\\" in rel or "\0" in rel:
        raise UsageError(f"生成的文件路径无效：{rel!r}")
    return "/".join(parts)


@dataclass(slots=True)
class TreeWriter:
    """Writes files under ``root``; :meth:`prune` then removes every file not written."""

    root: Path
    stats: TreeStats = field(default_factory=TreeStats)
    kept: set[str] = field(default_factory=set)

    def _claim(self, rel: str) -> Path:
        """The file ``root/rel`` this build writes; a second claim on it is an error."""
        key = checked_key(rel)
        if key in self.kept:
            raise UsageError(f"生成的文件重复：{key}")
        self.kept.add(key)
        return self.root.joinpath(*key.split("/"))

    def write(self, rel: str, data: bytes) -> None:
        """Write ``data`` to ``root/rel`` unless the file already holds exactly these bytes."""
        target = self._claim(rel)
        if _same_bytes(target, data):
            self.stats.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        self.stats.written += 1

    def write_stream(self, rel: str, chunks: Iterable[bytes], old: str | None = None) -> str:
        """Like :meth:`write` for a large file made piece by piece (never all in memory);
        returns the SHA-256 of its bytes. ``old``: the SHA-256 the caller recorded when it
        last wrote the file, spared reading it again to compare (as the manifests of
        ``datafiles`` are trusted)."""
        target = self._claim(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        digest = hashlib.sha256()
        with tmp.open("wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                handle.write(chunk)
        new = digest.hexdigest()
        if target.is_file() and (old if old is not None else _file_digest(target)) == new:
            tmp.unlink()
            self.stats.unchanged += 1
            return new
        tmp.replace(target)
        self.stats.written += 1
        return new

    def claimed(self, rels: Iterable[str], written: int) -> None:
        """Take over files another writer (a worker process) wrote under ``root``:
        ``rels``, of which ``written`` changed; a path claimed twice is an error."""
        count = 0
        for rel in rels:
            self._claim(rel)
            count += 1
        self.stats.written += written
        self.stats.unchanged += count - written

    def write_spliced(self, rel: str, pieces: Iterable[bytes | tuple[int, int]]) -> None:
        """Write ``root/rel`` from ``pieces``: bytes, or (offset, length) of bytes to copy
        from the file there now (in the kernel, never read into this process). Always
        written (the caller knows the content changed); atomic like :meth:`write`."""
        target = self._claim(rel)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as out, _maybe_open(target) as old:
            for piece in pieces:
                if isinstance(piece, bytes):
                    out.write(piece)
                    continue
                if old is None:
                    raise OSError(f"{target}: no file to copy from")
                out.flush()
                _copy_range(old.fileno(), out.fileno(), *piece)
        tmp.replace(target)
        self.stats.written += 1

    def keep_all(self, rels: Sequence[str]) -> bool:
        """Keep every file of ``rels`` as it is, if all exist (then ``True``), else none."""
        keys = [checked_key(rel) for rel in rels]
        if any(k in self.kept or not os.path.isfile(os.path.join(self.root, k)) for k in keys):
            return False
        if len(set(keys)) != len(keys):
            return False
        self.kept.update(keys)
        self.stats.unchanged += len(keys)
        return True

    def keep(self, rel: str) -> bool:
        """Keep ``root/rel`` as it is, if it exists (then ``True``): written by an earlier
        build from the same input, as the caller knows."""
        key = checked_key(rel)
        if key in self.kept or not os.path.isfile(os.path.join(self.root, key)):
            return False
        self.kept.add(key)
        self.stats.unchanged += 1
        return True

    def write_text(self, rel: str, text: str, bom: bool = False) -> None:
        """Write ``text`` as UTF-8 (with a byte-order mark when ``bom``)."""
        self.write(rel, ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))

    def prune(self) -> None:
        """Delete files under ``root`` that this writer did not write, then empty folders."""
        if not self.root.is_dir():
            return
        top = str(self.root)
        for dirpath, dirnames, filenames in os.walk(top, topdown=False):
            folder = Path(dirpath)
            inner = os.path.relpath(dirpath, top).replace(os.sep, "/")
            prefix = "" if inner == "." else inner + "/"
            for name in sorted(filenames):
                if prefix + name not in self.kept:
                    (folder / name).unlink()
                    self.stats.deleted += 1
            for name in dirnames:
                sub = folder / name
                if sub.is_dir() and not sub.is_symlink() and not any(sub.iterdir()):
                    sub.rmdir()


@contextmanager
def _maybe_open(path: Path) -> Iterator[BinaryIO | None]:
    """``path`` open for reading, or ``None`` if it cannot be opened."""
    try:
        handle = path.open("rb")
    except OSError:
        yield None
        return
    with handle:
        yield handle


def _copy_range(src: int, dst: int, offset: int, length: int) -> None:
    """Append ``length`` bytes of ``src`` from ``offset`` to ``dst`` (``copy_file_range``
    where the system has it, else read and write); ``OSError`` if ``src`` is shorter."""
    while length > 0:
        try:
            done = os.copy_file_range(src, dst, length, offset)
        except (AttributeError, OSError):
            data = os.pread(src, length, offset)
            done = os.write(dst, data) if data else 0
        if done <= 0:
            raise OSError("the file to copy from is shorter than recorded")
        offset += done
        length -= done


def read_state(path: Path) -> dict[str, Any]:
    """A JSON object the last build left in the build folder (a manifest, a memo), or an
    empty one when it is missing, unreadable or not an object: then everything is made
    again, which is always correct."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _file_digest(target: Path) -> str | None:
    """SHA-256 of ``target``'s bytes, read in blocks; ``None`` if it is not a readable file."""
    digest = hashlib.sha256()
    try:
        with target.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _same_bytes(target: Path, data: bytes) -> bool:
    """Whether ``target`` is a file holding exactly ``data``."""
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False
