"""``python -m generator serve``: preview the site with live reload.

It generates ``build/`` (as ``build --generate-only``), starts ``mkdocs serve`` on
it, and regenerates whenever a file under the content folder changes; MkDocs then
notices the changed pages and reloads the browser. Stop it with Ctrl-C.
"""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import time

from generator.config import BuildOptions
from generator.errors import BuildError, GeneratorError
from generator.site.build import build_site
from generator.site.mkdocs_config import ONLINE_CONFIG, project_root
from generator.site.mkdocs_runner import start_serve
from generator.site.progress import Progress
from generator.site.watch import tree_signature

POLL_SECONDS = 1.0


def regenerate(opts: BuildOptions, progress: Progress) -> None:
    """Write ``build/`` again; a problem is printed, and serving goes on."""
    try:
        result = build_site(opts, progress)
    except GeneratorError as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return
    print(f"已重新生成：{len(result.reports)} 份报告，写入 {result.tree.written} 个文件",
          file=sys.stderr)


def watch(opts: BuildOptions, server: subprocess.Popen[bytes], progress: Progress) -> int:
    """Regenerate on content changes until the server stops; 0, or BuildError if it failed."""
    seen = tree_signature(opts.content)
    while server.poll() is None:
        time.sleep(POLL_SECONDS)
        now = tree_signature(opts.content)
        if now != seen:
            seen = now
            regenerate(opts, progress)
    if server.returncode:
        raise BuildError(f"mkdocs serve 已退出（退出码 {server.returncode}），原因见上方输出")
    return 0


def _stop(signum: int, frame: object) -> None:
    """SIGTERM stops serving like Ctrl-C does (the MkDocs child is stopped too)."""
    raise KeyboardInterrupt


def serve_command(opts: BuildOptions, dev_addr: str) -> int:
    """Generate, serve with live reload, regenerate on change; 0 when stopped with Ctrl-C."""
    opts = dataclasses.replace(opts, generate_only=True, offline=False)
    progress = Progress(sys.stderr, quiet=opts.quiet)
    build_site(opts, progress)
    server = start_serve(opts.build_dir / ONLINE_CONFIG, project_root(), dev_addr)
    signal.signal(signal.SIGTERM, _stop)
    try:
        return watch(opts, server, progress)
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0
