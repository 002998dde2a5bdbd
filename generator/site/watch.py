"""Notice changes under the content folder, for ``serve`` (polling: no extra dependency)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def tree_signature(folder: Path) -> str:
    """A digest of every file's path, size and modification time under ``folder``."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            rel = path.relative_to(folder).as_posix()
            digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
