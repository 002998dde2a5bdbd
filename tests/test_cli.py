"""The command line through its real entry point: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from generator.cli import main
from tests.samples import ROOT, SAMPLES

SAMPLE = SAMPLES / "003_ba856e7fbea35249.txt"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_parse_one_file_prints_the_schema_object() -> None:
    result = run("parse", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("schema_version", "agency", "agency_key", "year", "region", "template",
                "published", "source", "sections", "proactive", "applications", "review",
                "litigation_direct", "litigation_after_review", "inferred", "corrections",
                "unparsed", "findings"):
        assert key in data
    assert data["agency"] == "隰县人民政府" and data["region"]["code"] == "141031"


def test_parse_several_files_prints_json_lines(capsys: object) -> None:
    files = sorted(str(p) for p in SAMPLES.glob("*.txt"))
    result = run("parse", *files)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == len(files)
    assert [json.loads(x)["source"]["path"].rsplit("/", 1)[-1] for x in lines] == \
        [f.rsplit("/", 1)[-1] for f in files]


def test_parse_yaml() -> None:
    result = run("parse", str(SAMPLE), "--format", "yaml")
    docs = list(yaml.safe_load_all(result.stdout))
    assert result.returncode == 0 and docs[0]["year"] == 2022


def test_check_strict_on_the_samples_exits_0() -> None:
    result = run("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共 5 份报告" in result.stdout
    assert "content/reports/samples/002_920749c33098c28e.txt:" in result.stdout


def test_check_strict_exits_1_on_an_error_finding(tmp_path: Path) -> None:
    from tests.minireport import mini_report

    bad = tmp_path / "bad.txt"
    bad.write_text(mini_report(cells={"granted": ["3", "1", "0", "0", "0", "0", "5"]}),
                   encoding="utf-8")
    assert run("check", str(bad)).returncode == 0
    result = run("check", "--strict", str(bad))
    assert result.returncode == 1
    assert "identity-broken" in result.stdout


def test_missing_file_is_one_line_and_exit_2() -> None:
    result = run("parse", "no/such/file.txt")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no/such/file.txt" in result.stderr and "Traceback" not in result.stderr


def test_bad_arguments_exit_2(capsys: object) -> None:
    assert main(["parse"]) == 2
    assert main(["nonsense"]) == 2
    assert main(["parse", "--format", "xml", str(SAMPLE)]) == 2
