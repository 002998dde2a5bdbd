"""The project's ``mkdocs.yml`` read with libyaml's parser gives what the pure-Python
parser gives, so the derived configurations are the same bytes either way."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.config import BuildOptions
from generator.site import mkdocs_config
from generator.site.mkdocs_config import config_text, derive_config, load_base_config


def test_the_base_config_reads_the_same_with_either_parser(tmp_path: Path) -> None:
    root = mkdocs_config.project_root()
    text = (root / mkdocs_config.BASE_CONFIG).read_text(encoding="utf-8")
    pure = yaml.load(text, Loader=yaml.SafeLoader)
    fast = load_base_config(root)
    assert fast == pure
    opts = BuildOptions(content=tmp_path / "content", build_dir=tmp_path / "build",
                        site_dir=tmp_path / "site")
    pages = ["index.md", "years/2023.md", "agencies/a.md"]
    for offline in (False, True):
        mine = derive_config(fast, root, opts, pages, offline)
        theirs = derive_config(pure, root, opts, pages, offline)
        assert config_text(mine[0]) == config_text(theirs[0])
        assert mine[1] == theirs[1]
