"""The command line given bad input: one clear line naming the file, never a traceback.

Exit codes: 0 done, 1 ``--strict`` with error findings, 2 a usage error. Most cases
run ``generator.cli.main`` in this process; a few run ``python -m generator`` in a
child process, the real entry point, where a traceback would show.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.hostile import payloads as hx
from tests.minireport import mini_report
from tests.samples import ROOT, SAMPLES


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
        pipe_to_head: bool = False) -> tuple[int, str, str]:
    """``python -m generator ARGS`` in a child process: exit code, stdout, stderr."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    command = [sys.executable, "-m", "generator", *args]
    if pipe_to_head:
        shell = " ".join(f"'{a}'" for a in command) + " | head -c 10 >/dev/null; exit ${PIPESTATUS[0]}"
        done = subprocess.run(["bash", "-c", shell], cwd=cwd, env=full_env, capture_output=True,
                              timeout=120, check=False)
    else:
        done = subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, timeout=120,
                              check=False)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(mini_report(), encoding="utf-8")
    return path


@pytest.mark.parametrize(("args", "named"), [
    (["parse", "/no/such/report.txt"], "/no/such/report.txt"),
    (["parse", "{tmp}"], "{tmp}"),
    (["check", "/no/such/folder"], "/no/such/folder"),
    (["check", "{tmp}/page.md"], "page.md"),
    (["build", "--content", "/no/such/content"], "/no/such/content"),
    (["build", "--content", "{tmp}"], "reports"),
    (["build", "--jobs", "many"], "many"),
    (["parse", "--format", "xml", "{tmp}/r.txt"], "xml"),
    (["frobnicate"], "frobnicate"),
    ([], "command"),
    (["parse"], "FILE"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              args: list[str], named: str) -> None:
    (tmp_path / "page.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text(mini_report(), encoding="utf-8")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert named.replace("{tmp}", str(tmp_path)) in one_line(err)


def test_site_dir_that_would_wipe_the_content_is_refused(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    (content / "reports" / "r.txt").write_text(mini_report(), encoding="utf-8")
    code = main(["build", "--content", str(content), "--site-dir", str(content),
                 "--build-dir", str(tmp_path / "build"), "--generate-only"])
    assert code == 2
    assert str(content) in one_line(capsys.readouterr().err)
    assert (content / "reports" / "r.txt").is_file()


@pytest.mark.parametrize("data", [hx.binary_blob(), b"", hx.encoded(mini_report(), "gbk"),
                                  hx.hostile_text().encode()])
def test_parse_of_a_broken_or_hostile_file_prints_its_data(tmp_path: Path, data: bytes,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    assert main(["parse", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source"]["path"].endswith("x.txt")


def test_check_strict_exits_1_on_error_findings_and_names_each_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "binary.txt").write_bytes(hx.binary_blob())
    (tmp_path / "ok.txt").write_text(mini_report(), encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "binary.txt" in out and "decode-failed" in out
    assert main(["check", str(tmp_path)]) == 0


def test_real_entry_point_usage_error(tmp_path: Path) -> None:
    code, _, err = run("parse", str(tmp_path / "missing.txt"))
    assert code == 2
    assert "missing.txt" in one_line(err)


def test_real_entry_point_on_a_hostile_file_names_it_in_findings(tmp_path: Path) -> None:
    path = tmp_path / "<script>.txt"
    path.write_bytes(hx.binary_blob())
    code, out, err = run("check", "--strict", str(path))
    assert code == 1 and "Traceback" not in err
    assert "<script>.txt" in out and "decode-failed" in out


def test_real_entry_point_with_an_ascii_terminal(report_file: Path) -> None:
    """Regression: PYTHONIOENCODING=ascii made printing a report a UnicodeEncodeError."""
    code, out, err = run("parse", str(report_file), env={"PYTHONIOENCODING": "ascii"})
    assert code == 0 and "Traceback" not in err
    assert json.loads(out)["agency"] == "繁峙县人民政府办公室"


def test_real_entry_point_piped_into_head() -> None:
    """Regression: `parse ... | head` ended with a BrokenPipeError traceback."""
    files = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
    code, _, err = run("parse", "--format", "yaml", *files, pipe_to_head=True)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code == 141
