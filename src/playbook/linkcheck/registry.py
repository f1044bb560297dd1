"""The onboarding registry: site URLs that onboarding material and printed briefs link to.

`data/onboarding-links.yml` is a list of `{url, used_by}`; each `url` is relative to the site
root and may carry an anchor ("start-here/#reading-path"). Every entry must still resolve in the
built site, following redirect stubs (mkdocs-redirects writes meta-refresh pages). A failure is
a `Problem` whose `page` is the registry file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from playbook.linkcheck.internal import Resolver, Site, fragment_problem, written_like
from playbook.linkcheck.model import Problem

MAX_HOPS = 10
FIX = (
    "add a redirect from the old address (plugins.redirects.redirect_maps in mkdocs.yml) "
    "or update the registry."
)


class RegistryError(ValueError):
    """The registry file is missing or malformed; the message names the file, line and fix."""


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    used_by: str
    line: int


def load_registry(path: str | Path, shown_as: str | None = None) -> list[Entry]:
    """The registry's entries, validated; raises RegistryError naming the file and line.

    Read by `playbook.yamlfile`, as every data file is (line numbers, no aliases, size limit)."""
    from playbook import yamlfile

    name = shown_as or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RegistryError(f"Error reading registry file '{name}': {exc.strerror}.") from None
    what = "registry file"
    try:
        root = yamlfile.load_text(yamlfile.decode(data, name, what), name, what)
    except yamlfile.YamlError as exc:
        raise RegistryError(str(exc)) from None
    if root is None:
        return []
    if not isinstance(root, yamlfile.LineList):
        raise RegistryError(
            f"Error reading registry file '{name}', line {getattr(root, 'line', 1) or 1}: expected a "
            "list of entries like '- url: start-here/#reading-path' with 'used_by: ...'."
        )
    entries = []
    for number, (node, line) in enumerate(zip(root, root.item_lines, strict=True), 1):
        where = f"Error reading registry file '{name}', line {line}: entry {number}"
        if not isinstance(node, yamlfile.LineDict):
            raise RegistryError(f"{where}: expected a mapping with 'url' and 'used_by'.")
        url = _scalar(node.get("url"))
        if not url:
            raise RegistryError(
                f"{where}: 'url' is required (a link relative to the site root, e.g. "
                "'start-here/#reading-path')."
            )
        if "://" in url or url.startswith("//"):
            raise RegistryError(
                f"{where}: 'url' must be relative to the site root (e.g. 'start-here/'), "
                f"not '{url}'."
            )
        used = _scalar(node.get("used_by"))
        if not used:
            raise RegistryError(
                f"{where}: 'used_by' is required (what links here, e.g. 'New-hire "
                "onboarding pack')."
            )
        entries.append(Entry(url, used, line))
    return entries


def _scalar(value: object) -> str:
    """A field's text, stripped; '' for a missing field, a list or a mapping."""
    return "" if value is None or isinstance(value, (list, dict)) else str(value).strip()


def check_registry(site: Site, entries: list[Entry], page: str) -> list[Problem]:
    """A problem for every entry that no longer resolves; `page` names the registry file."""
    resolver = Resolver(site)
    problems = []
    for entry in entries:
        problem = _follow(resolver, site, entry)
        if problem is not None:
            kind, message = problem
            message += f" It is used by {entry.used_by}: {FIX}"
            problems.append(Problem(page, entry.url, kind, None, message))
    return problems


def _follow(resolver: Resolver, site: Site, entry: Entry) -> tuple[str, str] | None:
    """None when the entry resolves (through redirect stubs); else (kind, message)."""
    url, folder, fragment = entry.url.lstrip("/"), "", ""
    here = "index.html"  # what a bare "#anchor" refers to: the home page, then each stub
    seen: set[str] = set()
    for _hop in range(MAX_HOPS):
        found = resolver.resolve(folder, url)
        if found[0] == "bad":
            _, kind, message, suggestion = found
            if suggestion is not None and not seen:
                path = url.partition("#")[0]
                is_dir = f"{suggestion}/index.html" in site.files and path.endswith("/")
                message += f" Did you mean '{written_like(url, '', suggestion, '', is_dir)}'?"
            return kind, message
        if found[0] != "ok":
            return None  # a redirect to another site or scheme: not ours to check offline
        target = found[1] if found[1] is not None else here
        if target not in site.files:
            return "missing-file", "the target is not found in the built site."
        # mkdocs-redirects keeps the anchor of the address it was opened with.
        fragment = fragment or found[2]
        page = site.pages.get(target)
        if page is None:
            return None  # a file that is not HTML (a PDF): it exists
        if page.refresh is None:
            message = fragment_problem(page.anchors, fragment, f"'{target}'") if fragment else None
            return ("missing-fragment", message) if message else None
        if target in seen:
            return "redirect-loop", f"the redirect pages loop back to '{target}'."
        seen.add(target)
        url, folder, here = page.refresh, posixpath.dirname(target), target
    return "redirect-loop", f"more than {MAX_HOPS} redirect pages in a row."
