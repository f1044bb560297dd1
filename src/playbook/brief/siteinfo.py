"""What the brief needs to know about the site, read from `mkdocs.yml` without building it.

The intranet address (`site_url`, honouring its `!ENV` default) for the QR code and the short
link back to a role's page, and the plugin's `old_before` year for the "older data" label.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_OLD_BEFORE = 2015


@dataclass(frozen=True)
class SiteInfo:
    site_url: str  # always ends with "/"
    old_before: int = DEFAULT_OLD_BEFORE

    def page_url(self, src_path: str) -> str:
        """The published address of a docs page: 'chapters/a/b.md' -> site_url + 'chapters/a/b/'."""
        stem = src_path.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            stem = stem.removesuffix("index")
        else:
            stem += "/"
        return self.site_url + stem


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` is resolved, Python object tags are ignored (not imported)."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1], items[-1]
    for name in names:
        if name in os.environ:
            return os.environ[name]
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_site_info(config_file: Path) -> SiteInfo:
    """site_url and old_before from mkdocs.yml; ValueError with the fix when site_url is unset."""
    config = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_Loader) or {}  # noqa: S506
    url = str(config.get("site_url") or "").strip()
    if not url:
        raise ValueError(
            f"'{config_file}' has no site_url; the brief links back to the intranet with it. "
            "Set site_url in mkdocs.yml (or PLAYBOOK_SITE_URL)."
        )
    old_before = DEFAULT_OLD_BEFORE
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("playbook"), dict):
            old_before = int(plugin["playbook"].get("old_before", DEFAULT_OLD_BEFORE))
    return SiteInfo(site_url=url.rstrip("/") + "/", old_before=old_before)
