"""No inline script or style in the built site: one fixed CSP fits every release.

Material's inline scripts are moved into static files by the template overrides in `overrides/`,
and the charts carry SVG presentation attributes instead of `style=`. What is left is checked
here after every build: an executable inline <script>, a <style> element, a `style=` attribute,
an event-handler attribute (`onclick=`) or a `javascript:` URL on any built page fails the build,
naming the page, unless it is on the reviewed allow-list `inline_allowlist.txt` beside this file.
The allow-list is also what `playbook nginx-conf` adds to the policy (by sha256 hash), so the
policy changes only when the repository's allow-list does, never from one release to the next.

The stub pages of mkdocs-redirects carry one inline script; `rewrite_redirect_stubs` swaps it for
`assets/javascripts/playbook-redirect.js`, which reads the target from the stub's canonical link.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ALLOWLIST = Path(__file__).with_name("inline_allowlist.txt")
KINDS = ("script", "style", "style-attr", "handler", "javascript-url")
# Script types a browser executes; anything else (Material's application/json config) is data.
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href")
REDIRECT_SCRIPT = re.compile(
    r'<script>var anchor=window\.location\.hash\.substr\(1\);location\.href="[^"]*"'
    r'\+\(anchor\?"#"\+anchor:""\)</script>'
)
REDIRECT_JS = "assets/javascripts/playbook-redirect.js"
# mkdocs-redirects' stubs are under 1 KB (its template plus two URLs); larger pages are not stubs.
STUB_MAX_BYTES = 8192


class InlineCodeError(ValueError):
    """The allow-list cannot be read; the message names the line and the fix."""


def csp_hash(text: str) -> str:
    """The CSP source for one inline script, style element or attribute value."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class Inline:
    """One piece of inline code on a page: its kind, CSP hash and the start of its text."""

    kind: str
    hash: str
    sample: str


@dataclass(frozen=True)
class Allowed:
    """One reviewed allow-list entry: this kind and hash, on pages matching `pages` (a glob)."""

    kind: str
    hash: str
    pages: str


def find_inline(html: str | bytes) -> list[Inline]:
    """Every inline script a browser would run, style element, style attribute, event handler
    and javascript: URL in one page, in document order."""
    from selectolax.lexbor import LexborHTMLParser

    found: list[Inline] = []
    root = LexborHTMLParser(html).root
    if root is None:  # lexbor always builds <html>, even for an empty document
        raise ValueError("the HTML parser returned no root element")
    for node in root.traverse(include_text=False):
        element_inline(node, node.attributes, found)
    return found


# Attribute names that never carry inline code (not style=, on...= or a URL attribute): an element
# that has only these (and is no <script> or <style>) needs no look (most of Material's markup).
# Used by the link scan's walk over every element, for pages `inline_selector` cannot read.
# fmt: off
PLAIN_ATTRS = frozenset(
    {
        "class", "id", "title", "type", "for", "xmlns", "viewBox", "d", "rel", "disabled", "name",
        "tabindex", "role", "value", "content", "autocomplete", "hidden", "lang", "charset", "dir",
        "placeholder", "autocapitalize", "autocorrect", "spellcheck", "required", "checked",
        "datetime", "alt", "width", "height", "data-md-component", "data-md-scrollfix",
        "data-md-level", "data-md-toggle", "data-md-type", "data-md-color-scheme",
        "data-md-color-primary", "data-md-color-accent", "data-md-color-media", "data-stat",
        "data-search-exclude", "aria-label", "aria-labelledby", "aria-expanded", "aria-hidden",
    }
)
# fmt: on


# What lexbor's CSS engine can select by itself (in C): scripts, <style>, style= and javascript:
# URLs (a superset: "contains", ASCII case-insensitive; element_inline decides).
SUSPECTS = (
    "script",
    "style",
    "[style]",
    *("[{}*='javascript:' i]".format(name.replace(":", "\\3a ")) for name in URL_ATTRS),
)
# An event handler's name (`on...`, as HTML's tokenizer reads it, lowercased) where a name can
# start: after whitespace, '/' or a quoted value. Words of the text match too (a superset). The
# literal "on" comes first, so the regex engine looks for it at C speed.
RE_HANDLER_NAME = re.compile(rb"on(?<=[\t\n\f\r /'\x22]on)[^\t\n\f\r />=]*")
RE_CSS_PLAIN = re.compile(r"[a-z0-9]")


def _css_name(name: str) -> str:
    """`name` as a CSS identifier: every character but a-z and 0-9 escaped as hex."""
    return "".join(c if RE_CSS_PLAIN.fullmatch(c) else f"\\{ord(c):x} " for c in name)


def inline_selector(data: bytes | str) -> str | None:
    """One CSS selector matching (at least) every element of the HTML page `data` that
    `element_inline` reports, each once, for lexbor (`tree.css`) to find in C instead of walking
    every element in Python; None when the page's text cannot be read this way (a NUL byte,
    bytes that are not UTF-8 in a name): then walk every element."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:
            return None
    if b"\x00" in data:
        return None
    names = set()
    for raw in set(RE_HANDLER_NAME.findall(data.lower())):  # the tokenizer lowercases ASCII only
        # A name with a quote in it may hide the next one (`title="on"onclick=`): its suffixes.
        starts = [0] + [i + 1 for i, byte in enumerate(raw) if byte in b"'\x22"]
        for start in starts:
            if raw.startswith(b"on", start):
                try:
                    names.add(raw[start:].decode("utf-8"))
                except UnicodeDecodeError:
                    return None
    handlers = tuple(f"[{_css_name(name)}]" for name in sorted(names))
    return ":is(" + ",".join(SUSPECTS + handlers) + ")"


def element_inline(node: Any, attrs: dict[str, str | None], found: list[Inline]) -> None:
    """Add the inline code of one element (a selectolax node and its attributes) to `found`;
    the link check's page scan calls this on the tree it parsed (playbook.linkcheck.collect)."""
    tag = node.tag
    if tag == "script" and "src" not in attrs:
        if (attrs.get("type") or "").strip().lower() in JS_TYPES:
            found.append(_inline("script", node.text(deep=True) or ""))
    elif tag == "style":
        found.append(_inline("style", node.text(deep=True) or ""))
    for name, value in attrs.items():
        name = name.lower()
        if name == "style":
            found.append(_inline("style-attr", value or ""))
        elif name.startswith("on"):
            found.append(_inline("handler", value or "", f"{name}="))
        elif name in URL_ATTRS and (value or "").strip().lower().startswith("javascript:"):
            found.append(_inline("javascript-url", value or ""))


def _inline(kind: str, text: str, label: str = "") -> Inline:
    sample = label + " ".join(text.split())
    return Inline(kind, csp_hash(text), sample[:60] + ("..." if len(sample) > 60 else ""))


def read_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    """Lines `KIND 'sha256-...' PAGE-GLOB  # why`; blank lines and comments are skipped."""
    if not path.is_file():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
        if not words:
            continue
        if len(words) != 3 or words[0] not in KINDS or not words[1].startswith("'sha256-"):
            raise InlineCodeError(
                f"{path}, line {number}: expected KIND 'sha256-...' PAGE-GLOB  # reason, with "
                f"KIND one of {', '.join(KINDS)}; got {line.strip()!r}"
            )
        entries.append(Allowed(*words))
    return entries


def check_site(site_dir: Path, allowed: list[Allowed] | None = None) -> list[str]:
    """One message per inline piece not on the allow-list, naming the page, sorted by page."""
    allowed = read_allowlist() if allowed is None else allowed
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        found = find_inline(page.read_text(encoding="utf-8", errors="replace"))
        problems += unlisted(rel, found, allowed)
    return problems


def unlisted(rel: str, found: list[Inline], allowed: list[Allowed]) -> list[str]:
    """One message per piece of `found` on page `rel` that the allow-list does not list."""
    return [
        f"{rel}: inline {item.kind} {item.hash} ({item.sample!r})"
        for item in found
        if not any(
            a.kind == item.kind and a.hash == item.hash and fnmatch.fnmatch(rel, a.pages)
            for a in allowed
        )
    ]


def inline_error(problems: list[str]) -> str:
    """The build error for inline code found in the built site (hooks/postbuild.py)."""
    shown = "\n  ".join(problems[:20])
    more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
    return (
        f"{len(problems)} inline script(s) or style(s) in the built site, which the "
        f"Content-Security-Policy (script-src 'self'; style-src 'self') would block:\n  "
        f"{shown}{more}\nMove the code into a file under overrides/assets/ (or use a CSS "
        f"class), or, after review, list it in {ALLOWLIST}."
    )


def rewrite_redirect_stubs(site_dir: Path) -> list[Path]:
    """Swap the inline script of mkdocs-redirects' stub pages for the static redirect script."""
    changed = []
    for page in sorted(site_dir.rglob("*.html")):
        if page.stat().st_size > STUB_MAX_BYTES:
            continue  # a stub is a few hundred bytes: no need to read every page
        html = page.read_text(encoding="utf-8", errors="replace")
        if not REDIRECT_SCRIPT.search(html):
            continue
        src = os.path.relpath(site_dir / REDIRECT_JS, page.parent).replace(os.sep, "/")
        tag = f'<script src="{src}"></script>'

        def script_tag(_match: re.Match[str], tag: str = tag) -> str:
            return tag

        page.write_text(REDIRECT_SCRIPT.sub(script_tag, html), encoding="utf-8")
        changed.append(page)
    return changed


def content_security_policy(allowed: list[Allowed] | None = None) -> str:
    """Only the site's own origin, plus the allow-list's hashes (none today): the same policy for
    every release, so publishing never needs a server change."""
    allowed = read_allowlist() if allowed is None else allowed
    hashes = {kind: sorted({a.hash for a in allowed if a.kind == kind}) for kind in KINDS}
    script = ["'self'", *hashes["script"]]
    style = ["'self'", *hashes["style"]]
    if hashes["style-attr"] or hashes["handler"]:
        # Attribute values are only allowed by hash with 'unsafe-hashes' (still exact values).
        style += ["'unsafe-hashes'", *hashes["style-attr"]] if hashes["style-attr"] else []
        script += ["'unsafe-hashes'", *hashes["handler"]] if hashes["handler"] else []
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(script),
        "style-src " + " ".join(style),
        # Material's icons are data: URIs in its CSS.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)
