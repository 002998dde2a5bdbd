"""``python -m generator build``: generate Markdown and data, then build the site.

Exit codes: 0 done; 1 done, but ``--strict`` was given and some report has an
error-level finding; 2 a usage error (raised as :class:`UsageError` or
:class:`BuildError` and printed by the CLI as one line).
"""

from __future__ import annotations

from typing import TextIO

from generator.config import BuildOptions
from generator.site.build import BuildResult, build_site, finding_totals
from generator.site.progress import Progress

EXIT_OK, EXIT_STRICT = 0, 1

SEVERITY_NAMES = (("error", "错误"), ("warning", "警告"), ("info", "提示"))


def summary_lines(result: BuildResult, progress: Progress) -> list[str]:
    """The closing summary, in Chinese."""
    load, tree = result.load, result.tree
    agencies = {r.agency_key or r.agency or r.source.path for r in result.reports}
    counts = finding_totals(result.reports)
    lines = [
        f"报告 {load.total} 份（新解析 {load.parsed}，取自缓存 {load.cached}），"
        f"机关 {len(agencies)} 个",
        "问题：" + "，".join(f"{name} {counts[key]}" for key, name in SEVERITY_NAMES),
        f"页面 {result.pages} 个（{result.render.rendered}/{result.render.units} 组重新生成，"
        f"其余沿用上次构建）；文件：写入 {tree.written}，未变 {tree.unchanged}，删除 {tree.deleted}",
        f"用时：{progress.timings()}",
    ]
    lines += [f"解析程序出错：{path}" for path in load.crashed]
    if result.nav_missing:
        lines.append("导航中的页面未生成，已从导航略去：" + "、".join(result.nav_missing))
    if result.incremental:
        lines.append("MkDocs 只重建了有变化的页面（其余沿用上次构建的输出；--no-cache 可全部重建）")
    if result.editions:
        lines.append("网站已生成：" + "，".join(str(p) for p in result.editions))
    return lines


def build_command(opts: BuildOptions, stderr: TextIO) -> int:
    """Run the build and print its summary; return the exit code."""
    progress = Progress(stderr, quiet=opts.quiet)
    result = build_site(opts, progress)
    for line in summary_lines(result, progress):
        print(line, file=stderr)
    errors = finding_totals(result.reports)["error"]
    if opts.strict and errors:
        print(f"--strict：{errors} 个错误级问题，退出码 {EXIT_STRICT}", file=stderr)
        return EXIT_STRICT
    return EXIT_OK
