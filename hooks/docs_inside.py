"""Refuse symlinks in `docs/` that lead outside it: the build publishes only what is inside `docs/`.

MkDocs follows symlinks when it collects pages and copies files, so a link to `/etc/passwd`, to a
folder elsewhere on the build machine or to `/proc/self/environ` would be published as it is.
Before anything is read, every symlink under `docs/` (file or folder, at any depth) is resolved;
one that resolves outside `docs/` fails the build, naming the file and where it leads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook.docs_inside import links_outside

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(100)  # before any plugin reads a page
def on_pre_build(config: MkDocsConfig) -> None:
    docs = Path(config.docs_dir)
    outside = links_outside(docs)
    if outside:
        listed = "\n  ".join(
            f"{link.relative_to(docs).as_posix()} -> {target}" for link, target in outside
        )
        raise PluginError(
            f"{len(outside)} symlink(s) in {docs.name}/ lead outside it, and the build publishes "
            f"only what is inside {docs.name}/:\n  {listed}\nRemove the link, or copy the file "
            f"into {docs.name}/ if it belongs in the site."
        )
