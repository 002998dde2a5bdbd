"""Reading: the bytes of a report file -> decoded text lines.

Kept apart from parsing so that HTML, DOCX and PDF readers can be added later and
hand the parser the same :class:`SourceText`. Encodings are detected with
``charset_normalizer`` (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK ...),
not guessed by hand. A file that cannot be decoded still yields a ``SourceText``
with ``error`` set, so the report gets a page with an error finding.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from generator.errors import UsageError

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Lines are counted on CR LF, CR and LF only (not form feed, not U+2028)."""

_BOMS = (
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
_FALLBACKS = ("utf_8", "gb18030")
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
    """``path`` relative to ``root`` when it lies inside it, always with ``/``."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def split_lines(text: str) -> list[str]:
    """Split on CR LF, CR and LF only; a final line break does not add an empty line."""
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_report_file(path: Path, root: Path | None = None) -> SourceText:
    """Read and decode one report file. Raises :class:`UsageError` only if it can't be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: 无法读取文件（{exc.strerror}）") from exc
    return decode_bytes(data, display_path(path, root))


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


def _decode(data: bytes) -> tuple[str | None, str | None]:
    if not data:
        return "utf_8", ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return codec, data.decode(codec)
            except UnicodeDecodeError:
                break
    try:
        return "utf_8", data.decode("utf_8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        codec = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
        try:
            return codec, data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    for codec in _FALLBACKS[1:]:
        try:
            return codec, data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None, None
