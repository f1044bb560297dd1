"""Collect: walk a built site, parse every HTML file once, and gather its links and anchors.

Every file under the site is a defined target (hyperlink's `Defined`); only `.html` files are
parsed, with selectolax's lexbor backend and two CSS queries per page (anchors, links), plus
one for the inline-code check when asked (playbook.inline_check.inline_selector).

Nothing hostile is read: special files (FIFOs, devices, sockets) and symlinks that leave the
site are reported by `walk`, never opened; a folder symlink inside the site is served as nginx
serves it (its files are targets under both names); `read_page` opens regular files only, up to
MAX_PAGE_BYTES, and `too_deep` refuses nesting lexbor would take minutes over (its tree building
is quadratic in depth: 40,000 nested <div>s take 7 s, a million never end).
"""

from __future__ import annotations

import os
import re
import stat
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
MAX_PAGE_BYTES = 20_000_000
# Deeper than browsers build (Blink stops nesting at 512); only pages with many tags are scanned.
MAX_DEPTH = 1000
SCAN_ABOVE_TAGS = 10_000
RE_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# Elements that never nest (void) or whose end tag may be left out: not counted as depth.
FLAT_TAGS = frozenset(
    b"area base br col embed hr img input link meta source track wbr p li dt dd option optgroup "
    b"tr td th thead tbody tfoot colgroup caption rb rt rp rtc html head body".split()
)
SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
RE_REFRESH_URL = re.compile(
    r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.IGNORECASE
)


class PageLinks(namedtuple("PageLinks", "anchors links refresh inline", defaults=((),))):
    """What one HTML file defines and points at: anchors (frozenset[str]), links (list[str], as
    written, in document order), refresh (str | None: the target of a meta refresh), and, when
    asked for, inline (list[playbook.inline_check.Inline]: its inline scripts and styles)."""

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


def parse_page(data: bytes | str, inline: bool = False) -> PageLinks:
    """The anchors and links of one HTML document (links in document order); with `inline`,
    also its inline code (playbook.inline_check), found in the same parsed tree."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(data)
    anchors: set[str] = set()
    for node in tree.css("[id],a[name]"):  # each query walks the whole tree: one for anchors
        lazy = node.attrs  # lexbor reads each attribute on demand, cheaper than a dict of all
        anchors.add(lazy.get("id") or "")
        if "name" in lazy and node.tag == "a":
            anchors.add(lazy["name"] or "")
    found: list = []
    if inline:
        from playbook.inline_check import PLAIN_ATTRS, element_inline, inline_selector

        selector = inline_selector(data)
        if selector is not None:  # lexbor finds the few elements that may hold inline code
            for node in tree.css(selector):
                element_inline(node, node.attributes, found)
        elif tree.root is not None:  # a page whose bytes the selector cannot read: every element
            plain = PLAIN_ATTRS.issuperset
            for node in tree.root.traverse(include_text=False):
                attrs = node.attributes
                tag = node.tag
                if (attrs and not plain(attrs)) or tag == "script" or tag == "style":
                    element_inline(node, attrs, found)
    anchors.discard("")
    links: list[str] = []
    refresh = None
    # One query whose selectors match by element, so no node comes back twice.
    for node in tree.css(LINK_SELECTOR):
        lazy = node.attrs
        tag = node.tag
        if tag == "a" or tag == "area":
            href = lazy.get("href")
            # An SVG <a xlink:href> matches a[href] too (lexbor matches the local name).
            if href is None and "href" not in lazy:
                href = lazy.get("xlink:href")
            links.append(href or "")
        elif tag == "link":
            href = lazy["href"] or ""
            rel = lazy.get("rel")
            if rel:
                rels = set(rel.lower().split())
                if rels & HINT_RELS or (rels & SELF_RELS and "://" in href):
                    continue
            links.append(href)
        elif tag == "img" or tag == "source":
            src = lazy.get("src")
            if src is not None:
                links.append(src)
            srcset = lazy.get("srcset")
            if srcset:
                links.extend(srcset_urls(srcset))
        elif tag == "video":
            links.extend(value for k in ("src", "poster") if (value := lazy.get(k)))
        elif tag == "object":
            links.append(lazy["data"] or "")
        elif tag == "meta":
            if (lazy.get("http-equiv") or "").lower() == "refresh":
                refresh = refresh_url(lazy.get("content") or "")
                if refresh is not None:
                    links.append(refresh)
        else:
            links.append(lazy["src"] or "")
    return PageLinks(frozenset(anchors), links, refresh, found)


class Walked(namedtuple("Walked", "files dirs unread odd")):
    """A site's tree: files and dirs (site-relative, '/'-separated, aliases of folder symlinks
        included), unread (dict[str, str]: symlinks and the files under folder symlinks, never parsed
    -> the file they name, where it is checked), odd (list of
        (path, kind, message): what cannot be served or must not be read)."""

    __slots__ = ()


def _special(mode: int) -> str | None:
    for test, name in SPECIAL:
        if test(mode):
            return name
    return None


def walk(root: str) -> Walked:
    """Every file and folder under `root`, as '/'-separated paths relative to it; see Walked."""
    files: set[str] = set()
    dirs: set[str] = set()
    unread: dict[str, str] = {}
    odd: list[tuple[str, str, str]] = []
    aliases: list[tuple[str, str]] = []  # (folder symlink, the folder it names), site-relative
    real_root = os.path.realpath(root)
    stack = [("", root)]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = list(os.scandir(path))
        except OSError as exc:
            message = f"the folder cannot be read ({exc.strerror}); nothing in it is checked."
            odd.append((prefix.rstrip("/") or ".", "unreadable-file", message))
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                dirs.add(rel)
                stack.append((rel + "/", entry.path))
            elif entry.is_file(follow_symlinks=False):
                files.add(rel)
            elif entry.is_symlink():
                _symlink(real_root, rel, entry.path, files, unread, aliases, odd)
            else:
                kind = _special(entry.stat(follow_symlinks=False).st_mode) or "not a file"
                message = (
                    f"it is {kind}, not a file; the check never reads it (a server would "
                    "hang or fail on it): remove it from the site."
                )
                odd.append((rel, "unreadable-file", message))
    for alias, real in aliases:
        start = real + "/" if real else ""
        dirs.add(alias)
        dirs.update(f"{alias}/{d[len(start) :]}" for d in list(dirs) if d.startswith(start))
        for f in [f for f in files if f.startswith(start)]:
            files.add(f"{alias}/{f[len(start) :]}")
            unread[f"{alias}/{f[len(start) :]}"] = unread.get(f, f)
    return Walked(files, dirs, unread, odd)


def _symlink(real_root, rel, path, files, unread, aliases, odd) -> None:
    """Sort one symlink: a target inside the site (as nginx serves it), or a reported problem."""
    target = os.path.realpath(path)
    inside = target == real_root or target.startswith(real_root + os.sep)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        odd.append(
            (
                rel,
                "missing-file",
                f"it is a symbolic link to '{os.readlink(path)}', which "
                "does not exist: remove it, or put the file itself there.",
            )
        )
        return
    if not inside:
        odd.append(
            (
                rel,
                "outside-site",
                f"it is a symbolic link to '{target}', outside the site; "
                "the check never follows it (a server would publish that file): put a copy "
                "of the file in the site, or remove the link.",
            )
        )
    elif stat.S_ISDIR(mode):
        aliases.append((rel, target[len(real_root) + 1 :].replace(os.sep, "/")))
    elif stat.S_ISREG(mode):
        files.add(rel)
        # Served like its target, which is checked where it really is.
        unread[rel] = target[len(real_root) + 1 :].replace(os.sep, "/")
    else:
        kind = _special(mode) or "not a file"
        odd.append(
            (
                rel,
                "unreadable-file",
                f"it is a symbolic link to {kind}; the check never "
                "reads it: remove it from the site.",
            )
        )


def read_page(path: str) -> bytes | tuple[str, str]:
    """A page's bytes; for anything but a regular file of sane size, (kind, why it is not read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        message = f"it cannot be opened ({exc.strerror}); the check does not read it."
        return "unreadable-file", message
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "unreadable-file", "it is not a regular file; the check does not read it."
        if info.st_size > MAX_PAGE_BYTES:
            return "page-too-complex", (
                f"it is {info.st_size / 1e6:.0f} MB, over the {MAX_PAGE_BYTES / 1e6:.0f} MB "
                "a page may have; its links are not checked."
            )
        return fh.read(info.st_size + 1)  # no larger buffer than the file needs


def too_deep(data: bytes) -> bool:
    """True when elements nest deeper than MAX_DEPTH (only counted on pages with many tags)."""
    if data.count(b"<") <= SCAN_ABOVE_TAGS:
        return False
    depth = 0
    for match in RE_TAG.finditer(data):
        if match.group(2).lower() in FLAT_TAGS:
            continue
        if match.group(1):
            depth = depth - 1 if depth else 0
        elif not match.group(3):
            depth += 1
            if depth > MAX_DEPTH:
                return True
    return False
