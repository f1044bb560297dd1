"""Check the built site's internal links at the end of every build; a broken one fails --strict.

MkDocs' own `validation:` covers Markdown links; this covers everything else in the built HTML
(raw HTML, macros, templates, hooks), plus the onboarding registry (`onboarding_registry` in the
`playbook` plugin's settings). One warning per page, in MkDocs' wording. No state is kept
between builds: everything comes from `config` and the site folder.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.linkcheck")


def on_post_build(config: MkDocsConfig) -> None:
    plugin = config.plugins.get("playbook")
    settings = plugin.config if plugin is not None else None
    if settings is not None and not settings.link_check:
        return
    started = time.perf_counter()
    from playbook.linkcheck.internal import scan
    from playbook.linkcheck.report import warning_messages

    # The site is served under site_url's path; absolute links (404.html's) resolve against it.
    base = urlsplit(config.site_url or "").path or "/"
    # Small sites: one process is faster than starting workers (and safer inside `mkdocs serve`).
    site = scan(config.site_dir, base, config.use_directory_urls, workers=1)
    problems = site.problems()
    registry_name = None
    registry = settings.onboarding_registry if settings is not None else None
    if registry:
        from playbook.linkcheck.registry import RegistryError, check_registry, load_registry

        project = os.path.dirname(config.config_file_path or "")
        registry_name = os.path.relpath(registry, project).replace(os.sep, "/")
        try:
            entries = load_registry(registry, shown_as=registry_name)
        except RegistryError as exc:
            raise PluginError(str(exc)) from None
        problems += check_registry(site, entries, registry_name)
    for message in warning_messages(problems, config.docs_dir, registry_name):
        log.warning(message)
    # bench/linkcheck_bench.py reads this line to measure what the check adds to a build.
    log.debug(f"Link check: {len(site.pages)} pages in {time.perf_counter() - started:.3f} s")
