"""Fail the build when a built page carries inline code the Content-Security-Policy would block.

The policy `playbook nginx-conf` writes allows scripts and styles from the site's own files only
(`script-src 'self'; style-src 'self'`), the same for every release. After the site is written,
this hook rewrites mkdocs-redirects' stub pages to use a static script, then checks every page
(playbook.inline_check): an inline script, <style>, style= attribute, event handler or
javascript: URL fails the build, naming the page, unless src/playbook/inline_allowlist.txt lists it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from playbook.inline_check import ALLOWLIST, InlineCodeError, check_site, rewrite_redirect_stubs

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger(__name__)


# Last of all post-build steps (after mkdocs-redirects writes its stubs), on the final HTML.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for stub in rewrite_redirect_stubs(site):
        log.debug("redirect stub %s uses the static redirect script", stub.relative_to(site))
    try:
        problems = check_site(site)
    except InlineCodeError as exc:
        raise PluginError(str(exc)) from None
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise PluginError(
            f"{len(problems)} inline script(s) or style(s) in the built site, which the "
            f"Content-Security-Policy (script-src 'self'; style-src 'self') would block:\n  "
            f"{shown}{more}\nMove the code into a file under overrides/assets/ (or use a CSS "
            f"class), or, after review, list it in {ALLOWLIST}."
        )
