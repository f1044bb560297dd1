"""Check the built site once at the end of every build: internal links, and no inline code.

One scan reads and parses every built page once (playbook.linkcheck.internal.scan; a page whose
bytes did not change since the last build takes its result from `.cache/postbuild-scan.json`,
playbook.linkcheck.scan_cache) and feeds both checks:
- links: everything in the built HTML (raw HTML, macros, templates, hooks), plus the onboarding
  registry (`onboarding_registry` in the `playbook` plugin's settings). A broken link that
  MkDocs' own `validation:` already warned about (a Markdown link to a missing file or anchor)
  is not reported again, so each broken link gives one warning, in MkDocs' wording. A strict
  build fails on them.
- inline code (playbook.inline_check): mkdocs-redirects' stubs are first rewritten to a static
  script; then an inline script, <style>, style= attribute, event handler or javascript: URL on
  any page fails the build, naming the page, unless src/playbook/inline_allowlist.txt lists it.
  This check runs even with `link_check: false`.

Each page is also checked as it is written (`on_post_page`): a macro's placeholder token
(playbook.markdown_stash) left in it, in its title for example, fails the build naming the page.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from playbook import inline_check, markdown_stash

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from playbook.linkcheck.model import Problem

log = logging.getLogger("mkdocs.hooks.postbuild")
# MkDocs' link warnings (mkdocs/structure/pages.py, 1.6): the page's source and the link as written.
RE_MKDOCS_LINK = re.compile(
    r"^Doc file '(?P<src>.+?)' contains (?:a|an unrecognized relative|an absolute) "
    r"link '(?P<url>.*?)', (?:but (?:the doc '(?P<doc>.+?)' does not contain an anchor|"
    r"there is no such anchor on this page)|)",
    re.DOTALL,
)


class MkDocsLinkWarnings(logging.Filter):
    """Remembers the links MkDocs' validation warned about in this build (never hides them)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, str | None]] = []  # (source page, link, anchor's doc)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            match = RE_MKDOCS_LINK.match(record.getMessage())
            if match:
                self.seen.append((match["src"], match["url"], match["doc"]))
        return True


_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
_mkdocs_warnings = MkDocsLinkWarnings()  # reset at each build's start (mkdocs serve rebuilds)
_files: Files | None = None


def on_pre_build(config: MkDocsConfig) -> None:
    global _mkdocs_warnings, _files
    _PAGES_LOG.removeFilter(_mkdocs_warnings)
    _mkdocs_warnings = MkDocsLinkWarnings()
    _PAGES_LOG.addFilter(_mkdocs_warnings)
    _files = None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _files
    _files = files
    return files


def reported_by_mkdocs(
    seen: list[tuple[str, str, str | None]], files: Files | None
) -> set[tuple[str, str]]:
    """(built page, link as it is in the built HTML) for each link MkDocs warned about."""
    if files is None:
        return set()
    out = set()
    for src, url, doc in seen:
        page = files.get_file_from_path(src)
        if page is None:
            continue
        href = url  # MkDocs leaves a link it cannot resolve as written
        target = files.get_file_from_path(doc) if doc else None
        if target is not None:  # a missing anchor on another page: the link was rewritten
            parts = urlsplit(url)
            path = get_relative_url(target.url, page.url)
            href = urlunsplit(("", "", path, parts.query, parts.fragment))
        out.add((page.dest_uri, href))
    return out


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    left = markdown_stash.unreplaced(output) if "pbx" in output else []
    if left:
        raise PluginError(
            f"Doc file '{page.file.src_path}': the built page still holds '{left[0]}', the "
            "placeholder of a macro's HTML (playbook.markdown_stash), which only the page's "
            "Markdown text may hold. Call the macro in the page's text, not in its front matter "
            "or title."
        )
    return output


# Last of all post-build steps (after mkdocs-redirects writes its stubs), on the final HTML.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    _PAGES_LOG.removeFilter(_mkdocs_warnings)  # MkDocs has validated every link by now
    plugin = config.plugins.get("playbook")
    settings = plugin.config if plugin is not None else None
    link_check = settings is None or settings.link_check
    site_dir = Path(config.site_dir)
    for stub in inline_check.rewrite_redirect_stubs(site_dir):
        log.debug("redirect stub %s uses the static redirect script", stub.relative_to(site_dir))
    try:
        allowed = inline_check.read_allowlist()
    except inline_check.InlineCodeError as exc:
        raise PluginError(str(exc)) from None
    if not link_check:
        inline = inline_check.check_site(site_dir, allowed)
        if inline:
            raise PluginError(inline_check.inline_error(inline))
        return
    started = time.perf_counter()
    from playbook.linkcheck.internal import scan

    # The site is served under site_url's path; absolute links (404.html's) resolve against it.
    base = urlsplit(config.site_url or "").path or "/"
    # One process (faster than starting workers for small sites, and safer inside `mkdocs
    # serve`); pages unchanged since the last build take their result from the scan cache.
    cache = scan_cache_file(config)
    site = scan(
        config.site_dir, base, config.use_directory_urls, workers=1, inline=True, cache=cache
    )
    inline = []
    for page in sorted(site.pages):
        result = site.pages[page]
        if result.inline is None:  # not parsed: too large, too deep or unreadable
            reason = result.problems[0].message if result.problems else "it was not read."
            inline.append(f"{page}: not checked for inline code, because {reason}")
        else:
            inline += inline_check.unlisted(page, result.inline, allowed)
    report_links(config, settings, site)
    if inline:
        raise PluginError(inline_check.inline_error(inline))
    # bench/linkcheck_bench.py reads this line to measure what the check adds to a build.
    log.debug(f"Link check: {len(site.pages)} pages in {time.perf_counter() - started:.3f} s")


def scan_cache_file(config: MkDocsConfig) -> Path | None:
    """`.cache/postbuild-scan.json` beside mkdocs.yml (playbook.linkcheck.scan_cache)."""
    if not config.config_file_path:
        return None
    return Path(config.config_file_path).parent / ".cache" / "postbuild-scan.json"


def report_links(config: MkDocsConfig, settings, site) -> None:
    """One warning per page with broken links MkDocs has not already warned about."""
    from playbook.linkcheck.report import warning_messages

    known = reported_by_mkdocs(_mkdocs_warnings.seen, _files)
    problems: list[Problem] = [p for p in site.problems() if (p.page, p.url.strip()) not in known]
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
