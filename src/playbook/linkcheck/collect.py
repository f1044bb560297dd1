"""Collect: walk a built site, parse every HTML file once, and gather its links and anchors.

Every file under the site is a defined target (hyperlink's `Defined`); only `.html` files are
parsed, with selectolax's lexbor backend and two CSS queries per page (anchors, links).
"""

from __future__ import annotations

import os
import re
from collections import namedtuple

# The elements and attributes that load or link to something (hyperlink's list, plus meta refresh).
LINK_SELECTOR = (
    "a[href],area[href],link[href],img,source,script[src],iframe[src],frame[src],embed[src],"
    "video,audio[src],track[src],input[src],object[data],meta[http-equiv]"
)
# <link rel> values that name a host to warm up, not a document: nothing to check.
HINT_RELS = frozenset({"preconnect", "dns-prefetch"})
# The published address of the page itself (from site_url): not reachable before publishing.
SELF_RELS = frozenset({"canonical", "alternate"})
RE_REFRESH_URL = re.compile(
    r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.IGNORECASE
)


class PageLinks(namedtuple("PageLinks", "anchors links refresh")):
    """What one HTML file defines and points at: anchors (frozenset[str]), links (list[str], as
    written, in document order), refresh (str | None: the target of a meta refresh)."""

    __slots__ = ()


def srcset_urls(value: str) -> list[str]:
    """The URL of each candidate in a srcset (HTML's rules: a URL runs to whitespace; descriptors
    run to the next comma)."""
    urls: list[str] = []
    want_url = True
    tokens = value.split()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if want_url:
            token = token.lstrip(",")
            if not token:
                continue
            if token.endswith(","):
                urls.append(token.rstrip(","))  # no descriptors
            else:
                urls.append(token)
                want_url = False
        elif "," in token:
            want_url = True
            rest = token.split(",", 1)[1]
            if rest:
                tokens.insert(i, rest)  # "1x,b.png": the next URL starts after the comma
    return urls


def refresh_url(content: str) -> str | None:
    """The URL of a meta refresh `content` ("0; url=../new/"), or None when it has none."""
    match = RE_REFRESH_URL.match(content)
    return match.group(2) if match and match.group(2) else None


def parse_page(data: bytes | str) -> PageLinks:
    """The anchors and links of one HTML document (links in document order)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(data)
    anchors: set[str] = set()
    for node in tree.css("[id],a[name]"):  # each query walks the whole tree: one for anchors
        attrs = node.attributes
        anchors.add(attrs.get("id") or "")
        if "name" in attrs and node.tag == "a":
            anchors.add(attrs["name"] or "")
    anchors.discard("")
    links: list[str] = []
    refresh = None
    # One query whose selectors match by element, so no node comes back twice.
    for node in tree.css(LINK_SELECTOR):
        attrs = node.attributes
        tag = node.tag
        if tag == "a" or tag == "area":
            links.append(attrs["href"] or "")
        elif tag == "link":
            href = attrs["href"] or ""
            rel = attrs.get("rel")
            if rel:
                rels = set(rel.lower().split())
                if rels & HINT_RELS or (rels & SELF_RELS and "://" in href):
                    continue
            links.append(href)
        elif tag == "img" or tag == "source":
            src = attrs.get("src")
            if src is not None:
                links.append(src)
            srcset = attrs.get("srcset")
            if srcset:
                links.extend(srcset_urls(srcset))
        elif tag == "video":
            links.extend(attrs[k] for k in ("src", "poster") if attrs.get(k))
        elif tag == "object":
            links.append(attrs["data"] or "")
        elif tag == "meta":
            if (attrs.get("http-equiv") or "").lower() == "refresh":
                refresh = refresh_url(attrs.get("content") or "")
                if refresh is not None:
                    links.append(refresh)
        else:
            links.append(attrs["src"] or "")
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
