"""Write a generated tree, touching only files whose bytes change.

MkDocs (and ``mkdocs serve``) look at modification times: a page whose content
did not change keeps its file and its mtime. Files the build no longer produces
are deleted at the end, with folders left empty.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from generator import jsoncodec
from generator.errors import UsageError

_BINARY = getattr(os, "O_BINARY", 0)
"""No newline translation (Windows only)."""
_READ = os.O_RDONLY | _BINARY
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY


@dataclass(slots=True)
class TreeStats:
    """What a write pass did."""

    written: int = 0
    unchanged: int = 0
    deleted: int = 0


def checked_key(rel: str) -> str:
    """``rel`` normalised (no empty or ``.`` parts), refused if it could leave the tree."""
    if rel.startswith("/") or "\\" in rel or "\0" in rel:
        raise UsageError(f"生成的文件路径无效：{rel!r}")
    parts = rel.split("/")
    if "" in parts or "." in parts:
        parts = [part for part in parts if part not in ("", ".")]
    if not parts or ".." in parts:
        raise UsageError(f"生成的文件路径无效：{rel!r}")
    return "/".join(parts)


@dataclass(slots=True)
class TreeWriter:
    """Writes files under ``root``; :meth:`prune` then removes every file not written.

    Paths are handled as strings (``os`` calls, no ``pathlib`` objects per file: a build
    writes tens of thousands of files into a dozen folders), and each folder is made once.
    """

    root: Path
    stats: TreeStats = field(default_factory=TreeStats)
    kept: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    """Folders under ``root`` known to exist (made or checked by this writer)."""
    top: str = field(init=False, default="")
    """``root`` as a string."""
    listing: Listing | None = field(init=False, default=None, repr=False)
    """What was under ``root`` when this writer first asked (:meth:`_listing`), for the
    files it keeps and for :meth:`prune`."""
    fresh: bool = False
    """Nothing was under ``root`` when the build began, and no manifest names a file
    there: a file is written at its name directly, without reading it first or a
    temporary file (see :meth:`write`)."""

    def __post_init__(self) -> None:
        self.top = os.fspath(self.root)

    def _claim(self, rel: str) -> str:
        """The file ``root/rel`` this build writes; a second claim on it is an error."""
        key = checked_key(rel)
        if key in self.kept:
            raise UsageError(f"生成的文件重复：{key}")
        self.kept.add(key)
        return f"{self.top}/{key}"

    def _tmp(self, target: str) -> str:
        """A temporary name next to ``target`` (a path from :meth:`_claim`, so with a ``/``
        before its name), in its folder, made (with its parents) if this writer has not
        made it yet."""
        folder, name = self._folder(target)
        return f"{folder}/.{name}.{os.getpid()}.tmp"

    def _folder(self, target: str) -> tuple[str, str]:
        """(folder, name) of ``target`` (a path from :meth:`_claim`), the folder made (with
        its parents) if this writer has not made it yet."""
        folder, _, name = target.rpartition("/")
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        return folder, name

    def write(self, rel: str, data: bytes) -> None:
        """Write ``data`` to ``root/rel`` unless the file already holds exactly these bytes.

        Atomic (a temporary file renamed over it): a file at its final name is always
        whole, even after a crash, as the manifests of ``pages`` and ``datafiles``, which
        keep existing files unread, require.

        In a :attr:`fresh` tree, no file can be there yet nor be kept unread by a later
        build (with no manifest, the next build reads every file it would keep), so the
        file is written in place: a third fewer system calls a file."""
        target = self._claim(rel)
        if self.fresh:
            self._folder(target)
            write_file(target, data)
            self.stats.written += 1
            return
        if _same_bytes(target, data):
            self.stats.unchanged += 1
            return
        tmp = self._tmp(target)
        write_file(tmp, data)
        os.replace(tmp, target)
        self.stats.written += 1

    def write_stream(self, rel: str, chunks: Iterable[bytes]) -> None:
        """Like :meth:`write` for a large file made piece by piece (never all in memory).
        The new bytes are hashed only when a file is there to compare them with, and that
        file is read only when it has their size (a cold build writes reports.json,
        146 MB for 10,000 reports, without hashing it)."""
        target = self._claim(rel)
        tmp = self._tmp(target)
        digest = hashlib.sha256() if os.path.isfile(target) else None
        with open(tmp, "wb") as handle:
            for chunk in chunks:
                if digest is not None:
                    digest.update(chunk)
                handle.write(chunk)
            size = handle.tell()
        if (digest is not None and file_size(target) == size
                and _file_digest(target) == digest.hexdigest()):
            os.unlink(tmp)
            self.stats.unchanged += 1
            return
        os.replace(tmp, target)
        self.stats.written += 1

    def claimed(self, keys: Iterable[str], written: int) -> None:
        """Take over files another writer (a worker process) wrote under ``root``:
        ``keys`` (its :attr:`kept`: paths that writer checked and normalised), of which
        ``written`` changed; a path claimed twice is an error."""
        count = 0
        for key in keys:
            if key in self.kept:
                raise UsageError(f"生成的文件重复：{key}")
            self.kept.add(key)
            count += 1
        self.stats.written += written
        self.stats.unchanged += count - written

    def write_spliced(self, rel: str, pieces: Iterable[bytes | tuple[int, int]]) -> None:
        """Write ``root/rel`` from ``pieces``: bytes, or (offset, length) of bytes to copy
        from the file there now (in the kernel, never read into this process). Always
        written (see :meth:`splice` to keep a file these pieces would not change); atomic
        like :meth:`write`."""
        self.start_splice(rel, pieces)()

    def start_splice(self, rel: str,
                     pieces: Iterable[bytes | tuple[int, int]]) -> Callable[[], None]:
        """The first half of :meth:`write_spliced`: the bytes pieces written at their places
        in a temporary file, the ranges to copy only noted. Returns the second half, to be
        called once: copy the ranges and rename the file to ``root/rel``. It uses nothing
        of this writer, so it may run in another thread while this one goes on (the
        kernel copies without the GIL); the file is not in place until it has returned.

        The old file is not kept to be written over by the next splice: the site's folder
        hard-links it until it is updated, and a server may still be sending it after;
        its blocks are freed when its last name goes."""
        target = self._claim(rel)
        tmp = self._tmp(target)
        fd = os.open(tmp, _WRITE, 0o666)
        copies: list[tuple[int, int, int]] = []
        try:
            with open(fd, "wb", closefd=False) as out:
                for piece in pieces:
                    if isinstance(piece, bytes):
                        out.write(piece)
                    else:  # left for the copy (a hole in a new file until then)
                        copies.append((piece[0], out.tell(), piece[1]))
                        out.seek(piece[1], os.SEEK_CUR)
                out.flush()
                os.ftruncate(fd, out.tell())  # its size, whatever the last piece
        except BaseException:
            os.close(fd)
            raise
        self.stats.written += 1

        def finish() -> None:
            try:
                if copies:
                    with _maybe_open(target) as old:
                        if old is None:
                            raise OSError(f"{target}: no file to copy from")
                        for offset, at, length in copies:
                            _copy_range(old.fileno(), fd, offset, length, at)
            finally:
                os.close(fd)
            os.replace(tmp, target)
        return finish

    def splice(self, rel: str, pieces: Sequence[bytes | tuple[int, int]]) -> None:
        """:meth:`write_spliced`, unless the file there already holds what ``pieces`` make:
        every range where it is in the file and every bytes piece equal to the bytes at
        its place (only those are read). Then it is kept, its time unchanged, as
        :meth:`write` keeps a file."""
        if self._splices_to_itself(f"{self.top}/{checked_key(rel)}", pieces) and self.keep(rel):
            return
        self.write_spliced(rel, pieces)

    @staticmethod
    def _splices_to_itself(target: str, pieces: Sequence[bytes | tuple[int, int]]) -> bool:
        """Whether ``pieces`` (see :meth:`write_spliced`) make the file ``target`` holds."""
        try:
            fd = os.open(target, _READ)
        except OSError:
            return False
        try:
            position = 0
            for piece in pieces:
                if isinstance(piece, bytes):
                    if os.pread(fd, len(piece), position) != piece:
                        return False
                    position += len(piece)
                elif piece[0] != position:
                    return False
                else:
                    position += piece[1]
            return os.fstat(fd).st_size == position
        finally:
            os.close(fd)

    def keep_all(self, rels: Collection[str]) -> bool:
        """Keep every file of ``rels`` as it is, if all exist (then ``True``), else none.

        Each path must be a file's name as the walk of the tree listed it (``a/b.md``),
        so normalised and inside the tree: checked in bulk (sets), as a rebuild keeps
        22,000 pages this way. Any other spelling of a path is not kept (the caller makes
        the file again), and a path listed with a ``\\`` neither (:func:`checked_key`
        refuses it)."""
        present = self._listing()
        if not present.issuperset(rels) or not self.kept.isdisjoint(rels):
            return False
        keys = set(rels)
        if len(keys) != len(rels) or any("\\" in key for key in keys):
            return False
        self._keep_listed(keys)
        return True

    def keep(self, rel: str) -> bool:
        """Keep ``root/rel`` as it is, if it exists (then ``True``): written by an earlier
        build from the same input, as the caller knows."""
        key = checked_key(rel)
        if key in self.kept or not self._present(key):
            return False
        self.kept.add(key)
        self.stats.unchanged += 1
        return True

    def keep_present(self, rels: Collection[str]) -> set[str]:
        """Keep those of ``rels`` that are files under ``root`` (written by an earlier build
        from the same input, as the caller knows); returns them. Many at once, in set
        operations, without a :func:`checked_key` each (20,000 downloads in a rebuild of
        10,000 reports): a path in the listing of the tree (:meth:`_listing`) is already a
        normalised path inside it; a path not there is not kept (the caller writes it,
        through the checks of :meth:`write`). A path named twice or kept already is an
        error, as a second claim on a file is, and so is a file name that
        :func:`checked_key` refuses (one with a ``\\``)."""
        wanted = set(rels)
        found = self._listing().intersection(wanted)
        twice = _first_repeated(rels) if len(wanted) != len(rels) else None
        if twice is None and not found.isdisjoint(self.kept):
            twice = min(found & self.kept)
        if twice is not None:
            raise UsageError(f"生成的文件重复：{twice}")
        for key in found:
            if "\\" in key:
                checked_key(key)  # raises
        self._keep_listed(found)
        return found

    def _keep_listed(self, keys: set[str]) -> None:
        """Keep ``keys``, files of the listing (:meth:`_listing`) checked by the caller."""
        self.kept |= keys
        self.stats.unchanged += len(keys)

    def _present(self, key: str) -> bool:
        """Whether ``root/key`` was a file when this writer first asked (:meth:`_listing`).
        Asked only of files this writer has not written (:meth:`keep`)."""
        return key in self._listing()

    def _listing(self) -> set[str]:
        """The files under ``root`` when this writer first asked: the files an earlier
        build left are listed in one walk of the tree (a dozen folders) instead of a
        ``stat`` each (42,000 in a rebuild of 10,000 reports)."""
        if self.listing is None:
            self.listing = list_tree(self.top) if os.path.isdir(self.top) else Listing()
        return self.listing.files

    def write_text(self, rel: str, text: str, bom: bool = False) -> None:
        """Write ``text`` as UTF-8 (with a byte-order mark when ``bom``)."""
        self.write(rel, ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))

    def prune(self) -> None:
        """Delete files under ``root`` that this writer did not write, then empty folders
        (none is then taken to exist: a later write makes its folder again if need be).

        When the tree was listed (:meth:`_listing`), that listing is used: every file
        made since is one this writer wrote, so it names every file to delete and every
        folder that can be left empty; otherwise the tree is walked."""
        self.folders.clear()
        if not self.root.is_dir():
            return
        if self.listing is None:
            self.listing = list_tree(self.top)
        listing = self.listing
        for rel in sorted((listing.files | listing.others) - self.kept):
            path = f"{self.top}/{rel}"
            if os.path.lexists(path):  # gone if it was a temporary name this build used
                os.unlink(path)
                self.stats.deleted += 1
        for rel in sorted(listing.folders, reverse=True):  # a folder's own folders first
            folder = f"{self.top}/{rel}"
            if os.path.isdir(folder) and not os.path.islink(folder) and _empty(folder):
                os.rmdir(folder)


@dataclass(slots=True)
class Listing:
    """What is under a folder: relative POSIX paths, in no set order."""

    files: set[str] = field(default_factory=set)
    folders: list[str] = field(default_factory=list)
    """Folders (not links to folders), each before what it holds."""
    others: set[str] = field(default_factory=set)
    """Neither a file nor a folder, nor a link to one (a link pointing nowhere, say)."""


def list_tree(top: str, prefix: str = "", into: Listing | None = None) -> Listing:
    """Every entry under the folder ``top`` (as :func:`generator.sources.files_under` sees
    files: a link is followed to see what it points to; a folder behind a link is not
    entered, and neither listed nor deleted, as ``os.walk`` leaves it). A folder that
    cannot be read raises :class:`UsageError` naming it."""
    out = Listing() if into is None else into
    try:
        with os.scandir(top) as entries:
            items = list(entries)
    except OSError as exc:
        raise UsageError(f"{top}: 无法读取文件夹（{exc.strerror}）") from exc
    # the files first, in one comprehension (nearly every entry: 42,000 in a site of 10,000
    # reports); a folder is not a file, a link to a file is
    files = [entry.name for entry in items if entry.is_file()]
    out.files.update([prefix + name for name in files] if prefix else files)
    if len(files) < len(items):
        for entry in items:
            if entry.is_file():
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                out.folders.append(rel)
                list_tree(entry.path, rel + "/", out)
            elif not entry.is_dir():
                out.others.add(rel)
    return out


def _empty(folder: str) -> bool:
    """Whether ``folder`` holds nothing (its first entry read, not all)."""
    with os.scandir(folder) as entries:
        return next(entries, None) is None


@contextmanager
def _maybe_open(path: str) -> Iterator[BinaryIO | None]:
    """``path`` open for reading, or ``None`` if it cannot be opened."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError:
        yield None
        return
    with handle:
        yield handle


def _first_repeated(items: Iterable[str]) -> str | None:
    """The first item of ``items`` seen a second time, or ``None``."""
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def _copy_range(src: int, dst: int, offset: int, length: int, at: int) -> None:
    """Copy ``length`` bytes of ``src`` from ``offset`` to ``dst`` at ``at``
    (``copy_file_range`` where the system has it, else read and write; the positions of
    both files unchanged); ``OSError`` if ``src`` is shorter."""
    while length > 0:
        try:
            done = os.copy_file_range(src, dst, length, offset, at)
        except (AttributeError, OSError):
            data = os.pread(src, length, offset)
            done = os.pwrite(dst, data, at) if data else 0
        if done <= 0:
            raise OSError("the file to copy from is shorter than recorded")
        offset += done
        at += done
        length -= done


def read_state(path: Path) -> dict[str, Any]:
    """A JSON object the last build left in the build folder (a manifest, a memo), or an
    empty one when it is missing, unreadable or not an object: then everything is made
    again, which is always correct."""
    try:
        data = jsoncodec.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def file_size(path: str | Path) -> int | None:
    """The size of the file ``path``, or ``None`` if it is not there (or cannot be asked)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _file_digest(target: str) -> str | None:
    """SHA-256 of ``target``'s bytes, read in blocks; ``None`` if it is not a readable file."""
    digest = hashlib.sha256()
    try:
        with open(target, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _same_bytes(target: str, data: bytes) -> bool:
    """Whether ``target`` is a file holding exactly ``data``."""
    try:
        fd = os.open(target, _READ)
    except OSError:
        return False
    try:
        size = os.fstat(fd).st_size
        return size == len(data) and _read_all(fd, size) == data
    except OSError:
        return False
    finally:
        os.close(fd)


def _read_all(fd: int, size: int) -> bytes:
    """The first ``size`` bytes of the open file ``fd`` (fewer if it is shorter)."""
    chunks = [os.read(fd, size)]
    while chunks[-1] and (got := sum(map(len, chunks))) < size:
        chunks.append(os.read(fd, size - got))
    return b"".join(chunks)


def write_file(path: str, data: bytes) -> None:
    """Create (or truncate) ``path`` and write ``data`` to it (with ``os.write``: a buffered
    file object cost a fifth more). ``FileNotFoundError`` when its folder is missing."""
    fd = os.open(path, _WRITE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
