"""Find symlinks under a folder that resolve outside it (hooks/docs_inside.py checks `docs/`)."""

from __future__ import annotations

import os
from pathlib import Path


def links_outside(folder: Path) -> list[tuple[Path, str]]:
    """Every symlink under `folder` (not followed) whose target resolves outside it, with the
    target as written; a dangling or looping link counts as outside. Sorted by path."""
    root = os.path.realpath(folder)
    found = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(here) / name
            if not path.is_symlink():
                continue
            try:
                target = os.path.realpath(path, strict=True)
            except OSError:
                found.append((path, os.readlink(path) + " (missing or a loop)"))
                continue
            if os.path.commonpath([root, target]) != root:
                found.append((path, os.readlink(path)))
    return sorted(found)
