"""Deterministic output: the same content gives byte-identical Markdown and data files.

Three ``build --generate-only`` runs of the hostile content, each in a fresh process
(``python -m generator``): two cold builds of copies at different paths, with different
``PYTHONHASHSEED``, ``TZ``, ``LANG`` and working directory; then the first again, from
its parse cache. Every file of the build folder is compared, with three exceptions:

- ``stats.json`` holds the stage timings of the last build (seconds: never equal), and
  its counts say which reports came from the cache (different by design between a
  cold and a cached build); its other counts are compared;
- ``mkdocs.yml`` names the build's absolute folders by design (the search plugin needs
  them): it is compared with those folders replaced by a placeholder;
- ``cache/keys.json`` records the content files' inodes and times (how a rebuild knows
  a file is unchanged without reading it): only its keys are compared.

MkDocs' own output (``site/``) is not compared: its sitemap carries the build date.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.site import make_hostile_content
from tests.samples import ROOT

pytestmark = pytest.mark.slow

STATS = "stats.json"
CONFIG = "mkdocs.yml"


def generate(content: Path, build_dir: Path, env: dict[str, str], cwd: Path) -> None:
    command = [sys.executable, "-m", "generator", "build", "--generate-only", "--quiet",
               "--content", str(content), "--build-dir", str(build_dir),
               "--site-dir", str(build_dir.parent / "site"), "--jobs", "2"]
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONHASHSEED", "TZ", "LANG", "LC_ALL", "SOURCE_DATE_EPOCH")}
    done = subprocess.run(command, cwd=cwd, env={**base, "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]


KEYS = "cache/keys.json"


def tree(build_dir: Path) -> dict[str, bytes]:
    """Every file of a build folder, the three documented exceptions normalised."""
    out: dict[str, bytes] = {}
    for path in sorted(build_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(build_dir).as_posix()
        data = path.read_bytes()
        if rel == STATS:
            stats = json.loads(data)
            data = json.dumps({k: v for k, v in stats.items()
                               if k not in ("stages", "parsed", "cached")}).encode()
        elif rel == CONFIG:
            data = data.replace(str(build_dir.parent.resolve()).encode(), b"<ROOT>")
        elif rel == KEYS:
            files = json.loads(data)["files"]
            data = json.dumps({k: v[-1] for k, v in files.items()}, sort_keys=True).encode()
        out[rel] = data
    return out


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    names = sorted(set(a) | set(b))
    return [n for n in names if a.get(n) != b.get(n)]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    one = tmp_path_factory.mktemp("clone-one")
    two = tmp_path_factory.mktemp("somewhere") / "else" / "clone-two"
    two.mkdir(parents=True)
    make_hostile_content(one)
    make_hostile_content(two)
    first = {"PYTHONHASHSEED": "1", "TZ": "UTC", "LANG": "C", "LC_ALL": "C"}
    second = {"PYTHONHASHSEED": "4242", "TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"}
    generate(one / "content", one / "build", first, cwd=one)
    cold = tree(one / "build")
    generate(two / "content", two / "build", second, cwd=ROOT)
    other = tree(two / "build")
    generate(one / "content", one / "build", second, cwd=two)
    cached = tree(one / "build")
    stats = json.loads((one / "build" / STATS).read_text(encoding="utf-8"))
    assert stats["cached"] == stats["reports"] > 30, "the third build did not use the cache"
    return {"cold": cold, "other": other, "cached": cached}


def test_builds_in_other_places_and_environments_are_identical(
        builds: dict[str, dict[str, bytes]]) -> None:
    assert len(builds["cold"]) > 150
    assert differences(builds["cold"], builds["other"]) == []


def test_cached_build_is_identical_to_a_cold_one(builds: dict[str, dict[str, bytes]]) -> None:
    assert differences(builds["cold"], builds["cached"]) == []


def test_every_kind_of_output_is_compared(builds: dict[str, dict[str, bytes]]) -> None:
    names = set(builds["cold"])
    for prefix in ("docs/reports/", "docs/agencies/", "docs/data/reports/", "docs/originals/",
                   "docs/regions/", "docs/years/", "cache/"):
        assert any(n.startswith(prefix) for n in names), prefix
    for name in ("docs/index.md", "docs/data/reports.json", "docs/data/applications.csv",
                 "jieba_user_dict.txt", CONFIG, STATS):
        assert name in names
