"""What the brief needs to know about the site, read from `mkdocs.yml` without building it.

The intranet address (`site_url`, honouring its `!ENV` default) for the QR code and the short
link back to a role's page, and the plugin's `old_before` year for the "older data" label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playbook.project import plugin_config, read_config

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


def read_site_info(config_file: Path) -> SiteInfo:
    """site_url and old_before from mkdocs.yml; ValueError with the fix when site_url is unset."""
    config = read_config(config_file)
    url = str(config.get("site_url") or "").strip()
    if not url:
        raise ValueError(
            f"'{config_file}' has no site_url; the brief links back to the intranet with it. "
            "Set site_url in mkdocs.yml (or PLAYBOOK_SITE_URL)."
        )
    old_before = int(plugin_config(config, "playbook").get("old_before", DEFAULT_OLD_BEFORE))
    return SiteInfo(site_url=url.rstrip("/") + "/", old_before=old_before)
