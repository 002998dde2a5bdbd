"""Files the site ships besides pages and data: our own CSS/JS and npm libraries.

Our own files live in ``generator/site/assets/`` and go to ``assets/site/``. Libraries
come from ``node_modules/`` (installed by ``npm ci`` from the pinned
``package-lock.json``) and go to ``assets/vendor/``; they are never committed and
never loaded from a CDN.
"""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError
from generator.site.mkdocs_config import SHIM_PATH
from generator.site.tree import TreeWriter

OWN_ASSETS = Path(__file__).resolve().parent / "assets"
OWN_TARGET = "assets/site"
SHIM_SOURCE = ("iframe-worker", "shim", "index.js")
"""The shim inside ``node_modules`` (package iframe-worker, pinned in package.json)."""


def own_assets() -> list[Path]:
    """Our CSS and JS files, sorted."""
    return sorted(p for p in OWN_ASSETS.iterdir() if p.suffix in (".css", ".js"))


def shim_file(root: Path) -> Path:
    """The installed iframe-worker shim; :class:`UsageError` if ``npm ci`` has not run."""
    path = root.joinpath("node_modules", *SHIM_SOURCE)
    if not path.is_file():
        raise UsageError(f"离线版需要 npm 包 iframe-worker（{path} 不存在）：请在 {root} 运行 npm ci")
    return path


def write_assets(writer: TreeWriter, root: Path, offline: bool) -> None:
    """Copy our assets, and for the offline edition the iframe-worker shim and its licence."""
    for path in own_assets():
        writer.write(f"{OWN_TARGET}/{path.name}", path.read_bytes())
    if offline:
        shim = shim_file(root)
        writer.write(SHIM_PATH, shim.read_bytes())
        licence = shim.parents[1] / "LICENSE"
        if licence.is_file():
            writer.write(SHIM_PATH.rsplit("/", 1)[0] + "/LICENSE.txt", licence.read_bytes())
