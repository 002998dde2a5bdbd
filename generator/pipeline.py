"""One report file through every stage: read -> parse -> correct -> check.

``load_report`` is what the CLI, the site build and the benchmarks call. It never
raises for a problem inside the file: those become findings on the report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.checking import check_report
from generator.errors import UsageError
from generator.findings import severity_of
from generator.model import Report, Source
from generator.parsing import parse_text
from generator.parsing.sidecar import apply_sidecar, sidecar_path
from generator.reading import (
    SourceText,
    display_path,
    is_inside,
    read_bytes,
    read_if_file,
    read_report_file,
)

INTERNAL_ERROR = "internal-error"
"""Finding code for a report whose parse raised: a bug in the parser, not in the report."""

PARSER_BUGS = (ValueError, LookupError, TypeError, ArithmeticError, AttributeError,
               RecursionError, AssertionError)
"""Exceptions that mean the parser tripped over a file; one such file must not stop a run."""


@dataclass(frozen=True, slots=True)
class FileBytes:
    """A report file's bytes and its sidecar's, read once for both its cache key and its
    parse (:func:`read_inputs`)."""

    report: bytes
    side: Path
    """Where its sidecar is (:func:`sidecar_path`)."""
    sidecar: bytes | None
    """The sidecar's bytes, ``None`` when the report has none."""


def read_inputs(path: Path) -> FileBytes:
    """The bytes of the report ``path`` and of its sidecar. Raises :class:`UsageError`
    naming the file when either cannot be read at all (permissions, a file removed during
    the build): that is not a problem of the report."""
    side = sidecar_path(path)
    try:
        return FileBytes(read_bytes(path), side, read_if_file(side))
    except OSError as exc:
        raise UsageError(f"{exc.filename or path}: 无法读取文件（{exc.strerror}）") from exc


def load_report(path: Path, root: Path | None = None) -> Report:
    """Parse, correct and check one report file.

    ``root`` is the folder paths are shown relative to (``content/``); the report's
    ``source.path`` is relative to it, with ``/``.
    """
    return load_source(path, root)[0]


def load_guarded(path: Path, root: Path | None = None,
                 given: FileBytes | None = None) -> tuple[Report, SourceText | None]:
    """:func:`load_source`, but a parser bug gives a report with an ``internal-error``
    finding (and no text) instead of stopping a run over many files."""
    try:
        return load_source(path, root, given)
    except PARSER_BUGS as exc:
        return crashed_report(path, root, exc, given), None


def crashed_report(path: Path, root: Path | None, exc: BaseException,
                   given: FileBytes | None = None) -> Report:
    """A stand-in report for a file whose parse raised, carrying an error finding."""
    data = path.read_bytes() if given is None else given.report
    report = Report(Source(display_path(path, root), hashlib.sha256(data).hexdigest()))
    report.add(severity_of(INTERNAL_ERROR), INTERNAL_ERROR,
               f"解析程序出错（{type(exc).__name__}: {exc}），请把此文件报告给维护者。")
    return report


def load_source(path: Path, root: Path | None = None,
                given: FileBytes | None = None) -> tuple[Report, SourceText]:
    """:func:`load_report`, also returning the decoded text it was parsed from; ``given``:
    the bytes of the file and its sidecar when the caller has read them (:func:`read_inputs`),
    then neither is read nor looked for again (the sidecar itself is read again where there
    is one: :func:`apply_sidecar` takes its path)."""
    text = read_report_file(path, root, None if given is None else given.report)
    report = parse_text(text)
    if given is None:
        side = sidecar_path(path)
        present = side.is_file()
    else:
        side, present = given.side, given.sidecar is not None
    if present and root is not None and not is_inside(side, root):
        report.add(severity_of("sidecar-invalid"), "sidecar-invalid",
                   f"{display_path(side, root)}: 更正文件是指向内容目录之外的符号链接，"
                   "为安全起见未读取，其中的更正未生效。")
    elif present:
        apply_sidecar(report, side, root)
    check_report(report)
    return report, text
