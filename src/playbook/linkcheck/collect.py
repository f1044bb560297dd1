"""Collect: walk a built site, parse every HTML file once, and gather its links and anchors.

Every file under the site is a defined target (hyperlink's `Defined`); only `.html` files are
parsed, with selectolax's lexbor backend and one CSS query per page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# The elements and attributes that load or link to something (hyperlink's list, plus meta refresh).
HREF_TAGS = frozenset({"a", "area", "link"})
SRC_TAGS = frozenset(
    {"img", "script", "iframe", "frame", "source", "embed", "video", "audio", "track", "input"}
)
SRCSET_TAGS = frozenset({"img", "source"})
# <link rel> values that name a host to warm up, not a document: nothing to check.
HINT_RELS = frozenset({"preconnect", "dns-prefetch"})
# The published address of the page itself (from site_url): not reachable before publishing.
SELF_RELS = frozenset({"canonical", "alternate"})
SELECTOR = "[id],a[name],[href],[src],[srcset],object[data],video[poster],meta[http-equiv]"
RE_REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.I)


@dataclass(slots=True)
class PageLinks:
    """What one HTML file defines (anchors) and points at (links, as written)."""

    anchors: frozenset[str]
    links: list[str]
    # The target of a <meta http-equiv="refresh"> (a redirect stub), as written.
    refresh: str | None = None


def srcset_urls(value: str) -> list[str]:
    """The URL of each candidate in a srcset (HTML's parsing rules, without the descriptors)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            # Skip the descriptors, up to a comma outside parentheses.
            depth = 0
            while i < n and (value[i] != "," or depth):
                depth += value[i] == "("
                depth -= value[i] == ")" and depth > 0
                i += 1
        if url:
            urls.append(url)
    return urls


def refresh_url(content: str) -> str | None:
    """The URL of a meta refresh `content` ("0; url=../new/"), or None when it has none."""
    match = RE_REFRESH_URL.match(content)
    return match.group(2) if match and match.group(2) else None


def parse_page(data: bytes | str) -> PageLinks:
    """The anchors and links of one HTML document, in document order."""
    from selectolax.lexbor import LexborHTMLParser

    anchors: set[str] = set()
    links: list[str] = []
    refresh = None
    seen: set[int] = set()
    for node in LexborHTMLParser(data).css(SELECTOR):
        # lexbor returns a node once per selector it matches: keep the first.
        key = node.mem_id
        if key in seen:
            continue
        seen.add(key)
        attrs = node.attributes
        tag = node.tag
        value = attrs.get("id")
        if value:
            anchors.add(value)
        if "href" in attrs and tag in HREF_TAGS:
            href = attrs["href"] or ""
            if tag != "link":
                links.append(href)
            else:
                rels = set((attrs.get("rel") or "").lower().split())
                if not (rels & HINT_RELS or (rels & SELF_RELS and "://" in href)):
                    links.append(href)
        if tag == "a" and attrs.get("name"):
            anchors.add(attrs["name"])
        if "src" in attrs and tag in SRC_TAGS:
            links.append(attrs["src"] or "")
        if "srcset" in attrs and tag in SRCSET_TAGS:
            links.extend(srcset_urls(attrs["srcset"] or ""))
        if tag == "object" and attrs.get("data"):
            links.append(attrs["data"])
        elif tag == "video" and attrs.get("poster"):
            links.append(attrs["poster"])
        elif tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            refresh = refresh_url(attrs.get("content") or "")
            if refresh is not None:
                links.append(refresh)
    return PageLinks(frozenset(anchors), links, refresh)


def walk(root: str) -> tuple[set[str], set[str]]:
    """Every file and folder under `root`, as '/'-separated paths relative to it."""
    files: set[str] = set()
    dirs: set[str] = set()
    cut = len(root.rstrip(os.sep)) + 1
    for dirpath, _dirnames, filenames in os.walk(root):
        prefix = dirpath[cut:].replace(os.sep, "/")
        if prefix:
            dirs.add(prefix)
            prefix += "/"
        files.update(prefix + name for name in filenames)
    return files, dirs
