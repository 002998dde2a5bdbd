"""The MkDocs configuration of one run, derived from the project's ``mkdocs.yml``.

MkDocs resolves ``docs_dir``, ``site_dir`` and ``theme.custom_dir`` against the
config file's folder, but the search plugin's ``jieba_dict_user`` against the
current directory. The build therefore writes ``build/mkdocs.yml`` (and, for the
offline edition, ``build/mkdocs-offline.yml``) with every path absolute, so
``--content``, ``--build-dir`` and ``--site-dir`` may point anywhere and the
build may run from any directory. The top-level ``mkdocs.yml`` stays usable on
its own from the project root (``mkdocs serve`` after ``build --generate-only``).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from generator.config import BuildOptions
from generator.errors import UsageError

BASE_CONFIG = "mkdocs.yml"
DICTIONARY_FILE = "jieba_user_dict.txt"
"""The jieba user dictionary, in the build folder."""
ONLINE_CONFIG = "mkdocs.yml"
OFFLINE_CONFIG = "mkdocs-offline.yml"
"""Derived configurations, in the build folder."""
SHIM_PATH = "assets/vendor/iframe-worker/shim.js"
"""Where the iframe-worker shim goes in the docs tree (its URL must name iframe-worker)."""
SITE_URL_ENV = "SITE_URL"
"""Environment variable giving the public address of the online edition, if known."""


def project_root() -> Path:
    """The folder holding ``mkdocs.yml``, ``overrides/`` and ``package.json``."""
    return Path(__file__).resolve().parents[2]


_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it: the same values as the pure-Python
``SafeLoader`` (the constructor of values is the same Python code; checked on the
project's file by ``tests/test_mkdocs_config.py``) in 0.7 ms instead of 6 ms, every build."""


def load_base_config(root: Path) -> dict[str, Any]:
    """The project's ``mkdocs.yml`` as a mapping."""
    path = root / BASE_CONFIG
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: 无法读取 MkDocs 配置（{exc}）") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{path}: MkDocs 配置应为映射（键: 值），读到的是 {type(data).__name__}")
    return data


def plugin_options(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The options of plugin ``name`` (made editable in place), or ``None`` if not listed."""
    plugins = config.setdefault("plugins", [])
    for i, entry in enumerate(plugins):
        if entry == name:
            plugins[i] = {name: {}}
            return plugins[i][name]  # type: ignore[no-any-return]
        if isinstance(entry, dict) and name in entry:
            entry[name] = entry[name] or {}
            return entry[name]  # type: ignore[no-any-return]
    return None


def nav_files(item: Any) -> list[str]:
    """Every Markdown path named by a nav entry (a page, or a section of them)."""
    if isinstance(item, str):
        return [] if "://" in item else [item]
    if isinstance(item, dict):
        return [f for value in item.values() for f in nav_files(value)]
    if isinstance(item, list):
        return [f for value in item for f in nav_files(value)]
    return []


def prune_nav(nav: list[Any], present: Collection[str]) -> tuple[list[Any], list[str]]:
    """``nav`` without entries whose pages were not generated, and those pages' paths."""
    kept: list[Any] = []
    missing: list[str] = []
    for item in nav:
        files = nav_files(item)
        gone = [f for f in files if f not in present]
        missing.extend(gone)
        if not gone:
            kept.append(item)
    return kept, missing


def site_dirs(present: Collection[str]) -> list[str]:
    """Top-level folders of the built site (for the 404 page to find the site root)."""
    dirs = {p.split("/", 1)[0] for p in present if "/" in p}
    return sorted(dirs | {"assets", "data", "originals", "search"})


def _absolute(root: Path, value: str) -> str:
    return str((root / value).resolve())


def derive_config(base: dict[str, Any], root: Path, opts: BuildOptions,
                  present: Collection[str], offline: bool) -> tuple[dict[str, Any], list[str]]:
    """The configuration for one edition, and the nav pages that were left out."""
    config = copy.deepcopy(base)
    config["docs_dir"] = str(opts.docs_dir.resolve())
    config["site_dir"] = str((opts.offline_dir if offline else opts.site_dir).resolve())
    theme = config.setdefault("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = _absolute(root, theme["custom_dir"])
    search = plugin_options(config, "search")
    if search is not None:
        search["jieba_dict_user"] = str((opts.build_dir / DICTIONARY_FILE).resolve())
    config["hooks"] = [_absolute(root, h) for h in config.get("hooks", [])]
    config["nav"], missing = prune_nav(config.get("nav", []), present)
    config.setdefault("extra", {})["site_dirs"] = site_dirs(present)
    if offline:
        _make_offline(config)
    else:
        site_url = os.environ.get(SITE_URL_ENV, "").strip()
        if site_url:
            config["site_url"] = site_url
    return config, missing


def _make_offline(config: dict[str, Any]) -> None:
    """Enable Material's offline plugin with our own copy of the iframe-worker shim."""
    if plugin_options(config, "offline") is None:
        config["plugins"].append("offline")
    extra = config.setdefault("extra", {})
    extra["polyfills"] = [SHIM_PATH]
    config.pop("site_url", None)


def config_text(config: dict[str, Any]) -> str:
    """``config`` as YAML, keys in their given order."""
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
