"""Reading: the bytes of a report file -> decoded text lines.

Kept apart from parsing so that HTML, DOCX and PDF readers can be added later and
hand the parser the same :class:`SourceText`. Encodings are detected with
``charset_normalizer`` (UTF-8 with or without BOM, UTF-16 and UTF-32 with BOM,
GB18030/GBK ...), not guessed by hand. A file cut off inside its last character, and
a UTF-8 file with a few broken bytes, are still read: each broken spot becomes U+FFFD
in the text, where the reader sees it. A file that cannot be decoded still yields a
``SourceText`` with ``error`` set, so the report gets a page with an error finding.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from charset_normalizer import from_bytes

from generator.errors import UsageError

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Lines are counted on CR LF, CR and LF only (not form feed, not U+2028)."""

_BOMS = (
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
_FALLBACKS = ("utf_8", "gb18030")
_MAX_CHAR_BYTES = 4
"""The longest encoded character (UTF-8, GB18030): a cut inside one is at most this close to the end."""
_GOOD_PER_BAD = 50
"""A file is read as UTF-8 with broken bytes when it has this many good characters per broken byte."""
MAX_BYTES = 50 * 1024 * 1024
"""Files larger than this are not decoded (an error finding says so)."""


@dataclass(slots=True)
class SourceText:
    """A report file's text, ready for the parser."""

    path: str
    """Shown path: relative to the content root where given, with ``/``."""
    sha256: str
    encoding: str | None
    """Codec name used, or ``None`` when decoding failed."""
    lines: list[str] = field(default_factory=list)
    """Decoded lines without their line breaks; ``lines[i]`` is line ``i + 1``."""
    error: str | None = None
    """Why the bytes could not be decoded, in Chinese, or ``None``."""
    nul_removed: int = 0
    """How many stray NUL characters were removed from an otherwise readable text."""


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` when it lies inside it, always with ``/``.

    Symbolic links are not followed: a link inside ``root`` is shown where it stands,
    so no path of the machine outside the content folder is ever published. Bytes of a
    file name that are not UTF-8 are shown as ``\\xff`` (the name stays unique, and
    every later stage can write it).
    """
    if root is None:
        return _printable(path.as_posix())
    return display_paths([path], root)[0]


def display_paths(paths: Sequence[Path | str], root: Path) -> list[str]:
    """:func:`display_path` of each of ``paths`` (the folders made absolute once)."""
    cwd = os.getcwd()
    base = os.path.abspath(root)
    inner = base.rstrip(os.sep) + os.sep
    out: list[str] = []
    for path in paths:
        name = os.fspath(path)
        full = _absolute(name if os.path.isabs(name) else os.path.join(cwd, name))
        if full == base:
            shown = "."
        elif full.startswith(inner):
            # normalised (no empty or "." parts): only the separator to change
            shown = full[len(inner):]
            if os.sep != "/":
                shown = shown.replace(os.sep, "/")
        else:
            shown = Path(path).as_posix()
        out.append(_printable(shown))
    return out


def _absolute(name: str) -> str:
    """``os.path.normpath`` of the absolute path ``name``, which is ``name`` itself when it
    has no empty, ``.`` or ``..`` part (as the paths of a folder's listing have not): that
    is seen without splitting it (normpath is Python code, run for 10,000 reports)."""
    if os.sep == "/" and "//" not in name and "/." not in name and not name.endswith("/"):
        return name
    return os.path.normpath(name)


def _printable(shown: str) -> str:
    """``shown`` with the bytes of a file name that are not UTF-8 as ``\\xff``."""
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symbolic links followed, is a file inside ``root``.

    Folders are resolved once each (cached): a report costs one ``lstat`` unless it
    is itself a link. Done on strings (a tenth of what the same steps cost on ``Path``
    objects, which came to more than the ``lstat``).
    """
    name = os.fspath(path)
    if os.path.islink(name):
        real = str(path.resolve())
    else:
        folder, base = os.path.split(name)
        real = os.path.join(_real_dir(folder), base)
    top = _real_dir(os.fspath(root))
    return real == top or real.startswith(top if top.endswith(os.sep) else top + os.sep)


@lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:
    """``folder`` with every link resolved, absolute (``""``: the current folder)."""
    return str(Path(folder).resolve())


def split_lines(text: str) -> list[str]:
    """Split on CR LF, CR and LF only; a final line break does not add an empty line."""
    lines = LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_report_file(path: Path, root: Path | None = None,
                     data: bytes | None = None) -> SourceText:
    """Read and decode one report file. Raises :class:`UsageError` only if it can't be read.

    With ``root`` given, a symbolic link to a file outside ``root`` is not read (a
    contributed link must not publish a file of the build machine): the report then has
    no text and ``error`` says why. ``data``: the file's bytes when the caller has read
    them already (for its cache key), so the file is not read twice; the same check of
    links applies to them.
    """
    if root is not None and not is_inside(path, root):
        return SourceText(display_path(path, root), hashlib.sha256(b"").hexdigest(), None, [],
                          "文件是指向内容目录之外的符号链接，为安全起见未读取")
    if data is None:
        try:
            data = read_bytes(path)
        except OSError as exc:
            raise UsageError(f"{path}: 无法读取文件（{exc.strerror}）") from exc
    return decode_bytes(data, display_path(path, root))


def read_bytes(path: Path) -> bytes:
    """The bytes of the file ``path`` (``Path.read_bytes`` without its buffered reader,
    which cost a third of the read)."""
    with open(path, "rb", buffering=0) as handle:
        return handle.read()


_ABSENT = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP})
"""``open`` errors that mean there is no file (what ``Path.is_file`` takes for ``False``)."""
_CHUNK = 1 << 20


def read_if_file(path: Path) -> bytes | None:
    """The bytes of ``path`` when it is a regular file (links followed), ``None`` when
    there is none there (or a folder, or anything else but a file): one ``open`` where
    ``is_file`` and then a read take a ``stat`` more. Raises ``OSError`` when it is a file
    that cannot be read (an open that would block, a FIFO, is never waited for)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno in _ABSENT:
            return None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def decode_bytes(data: bytes, shown_path: str) -> SourceText:
    """Decode report bytes, detecting the encoding."""
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_BYTES:
        return SourceText(shown_path, digest, None, [], f"文件过大（{len(data)} 字节），未解析")
    encoding, text = _decode(data)
    if text is None:
        return SourceText(shown_path, digest, None, [], "无法识别文件的文字编码，内容不是可读的文本")
    text = text.lstrip("\ufeff")
    nuls = text.count("\x00")
    if nuls and nuls * 100 > len(text):
        return SourceText(shown_path, digest, None, [],
                          "文件含有大量空字符（NUL），不是纯文本文件")
    if nuls:
        text = text.replace("\x00", "")
    return SourceText(shown_path, digest, encoding, split_lines(text), nul_removed=nuls)


def decode_as(data: bytes, codec: str) -> str | None:
    """``data`` decoded with ``codec``, or ``None`` if it is not valid in that codec.

    A file cut off in the middle of its last character (a truncated download) is
    still valid: that character becomes U+FFFD, so the cut stays visible.
    """
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.end != len(data) or len(data) - exc.start >= _MAX_CHAR_BYTES:
            return None
        start = exc.start
    except LookupError:
        return None
    try:
        return data[:start].decode(codec) + "\ufffd"
    except UnicodeDecodeError:
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken bytes, each shown as U+FFFD; ``None`` unless the
    well-formed non-ASCII characters outnumber the broken bytes many times over (a GBK
    or binary file read as UTF-8 is mostly broken)."""
    text = data.decode("utf_8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return text if good >= _GOOD_PER_BAD * bad else None


def _decode(data: bytes) -> tuple[str | None, str | None]:
    if not data:
        return "utf_8", ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = decode_as(data, codec)
            if text is not None:
                return codec, text
            break
    text = decode_as(data, "utf_8")
    if text is None:
        text = _mostly_utf8(data)
    if text is not None:
        return "utf_8", text
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        codec = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
        text = decode_as(data, codec)
        if text is not None:
            return codec, text
    for codec in _FALLBACKS[1:]:
        text = decode_as(data, codec)
        if text is not None:
            return codec, text
    return None, None
