"""Record the sha256 hash of every inline script and style in the built site, for the nginx CSP.

Material writes small inline scripts into each page (its scope, the palette, tabs); the SVG
charts carry inline styles. The Content-Security-Policy that `playbook nginx-conf` writes
allows them by hash, never by 'unsafe-inline'; this hook computes those hashes once the site is
written, into `<site_dir>/.csp-hashes.json` (a dotfile: nginx does not serve it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from playbook.hosting import write_hashes

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


# Last of all post-build steps, so the hashes match the final HTML.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    target = write_hashes(Path(config.site_dir))
    log.debug("wrote inline script and style hashes for the Content-Security-Policy to %s", target)
