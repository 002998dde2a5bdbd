"""The command line: parse arguments, call one library function, map errors to exit codes.

Exit codes, the same for every command:
0 done; 1 done, but ``--strict`` was given and an error-level finding exists;
2 a usage error (no such file, bad arguments), printed as one line; 130 interrupted
(Ctrl-C); 141 the output was closed by its reader (``| head``).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.config import SETTINGS, BuildOptions
from generator.errors import GeneratorError

EXIT_OK, EXIT_STRICT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141
"""Ctrl-C, and the reader of the output closing it (as a shell reports SIGINT and SIGPIPE)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise GeneratorError(f"{self.prog}: {message}")


def _add_settings(parser: argparse.ArgumentParser, command: str) -> None:
    for s in SETTINGS:
        if command not in s.commands:
            continue
        if s.kind is bool:
            parser.add_argument(s.flag, action="store_true", help=s.help)
        else:
            parser.add_argument(s.flag, type=s.kind, default=s.default, metavar="N"
                                if s.kind is int else "DIR", help=f"{s.help} (default: {s.default})")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m generator",
                     description="政府信息公开工作年度报告：解析、核验、生成静态网站")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("parse", help="parse report files and print their data")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--format", choices=("json", "yaml"), default="json")

    c = sub.add_parser("check", help="parse every report under the paths and list findings")
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    _add_settings(c, "check")

    b = sub.add_parser("build", help="generate Markdown and data, then build the site")
    _add_settings(b, "build")

    s = sub.add_parser("serve", help="preview the site with live reload")
    _add_settings(s, "serve")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    return parser


def _options(args: argparse.Namespace) -> BuildOptions:
    opts = BuildOptions()
    for s in SETTINGS:
        if hasattr(args, s.name):
            setattr(opts, s.name, getattr(args, s.name))
    return opts


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    if args.command == "parse":
        from generator.commands.parse import parse_command
        return parse_command(args.files, args.format, sys.stdout)
    if args.command == "check":
        from generator.commands.check import check_command
        return check_command(args.paths, _options(args), sys.stdout, sys.stderr)
    if args.command == "build":
        from generator.commands.build import build_command
        return build_command(_options(args), sys.stderr)
    from generator.commands.serve import serve_command
    return serve_command(_options(args), args.dev_addr)


def _never_unprintable() -> None:
    """Reports are Chinese: on a terminal whose encoding lacks a character (ASCII,
    Latin-1), print it as ``\\uXXXX`` instead of failing with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """The reader of our output went away (``| head``): drop the rest quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        return


def main(argv: Sequence[str] | None = None) -> int:
    _never_unprintable()
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except GeneratorError as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
