"""Reuse an unchanged page's scan result from the previous build (hooks/postbuild.py).

What a page's check finds (its anchors, links to resolve, problems, inline code) depends only on
its bytes, its path, and the site around it: the set of files and folders, the base path, whether
folder URLs work, and this code. The post-build check of a build keeps each page's result in one
JSON file, `.cache/postbuild-scan.json` beside `mkdocs.yml`, keyed by the page's BLAKE2 digest;
the next build of the same site re-parses only the pages whose bytes changed. Anything else
changed (a file added or removed, another base path, another version of this package or of
selectolax) discards the whole file. Fragments on other pages are always checked anew, since
they depend on the other page's anchors (`Site.problems`).

A cache that cannot be read is ignored (the build checks every page) and one that cannot be
written only costs the next build its speed; neither fails a build.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.cachefile import write_cache_file
from playbook.linkcheck.model import Problem

if TYPE_CHECKING:
    from playbook.linkcheck.internal import PageResult, Site

FORMAT = 1
# The code whose behaviour a cached result records: the link check and the inline-code check.
_HERE = Path(__file__).parent
_CODE = [*sorted(_HERE.glob("*.py")), _HERE.parent / "inline_check.py"]


def page_digest(data: bytes) -> str:
    """The key of one page's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def site_key(site: Site) -> str:
    """What every page's result depends on besides its own bytes and path."""
    digest = hashlib.sha256()
    for part in (
        f"format {FORMAT}",
        sys.version,
        version("selectolax"),
        site.base,
        str(site.directory_urls),
        str(site.inline),
        *sorted(site.files),
        "\0dirs",
        *sorted(site.dirs),
        "\0links",
        *(f"{k}\0{v}" for k, v in sorted(site.real.items())),
        "\0odd",
        *(f"{p.page}\0{p.kind}" for p in site.odd),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\n")
    for code in _CODE:
        if code.is_file():
            digest.update(code.name.encode() + b"\0" + code.read_bytes())
    return digest.hexdigest()


def load(path: Path, key: str) -> dict[str, tuple[str, PageResult]]:
    """The previous build's results (page -> (digest, result)) when `key` matches; else {}."""
    from playbook.inline_check import Inline
    from playbook.linkcheck.internal import PageResult

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("key") != key:
            return {}
        out = {}
        for page, (digest, r) in raw["pages"].items():
            inline = None if r[5] is None else [Inline(*item) for item in r[5]]
            result = PageResult(
                frozenset(r[0]),
                r[1],
                r[2],
                [Problem(*p) for p in r[3]],
                [tuple(p) for p in r[4]],
                inline,
            )
            out[page] = (digest, result)
        return out
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}  # missing, unreadable or from another format: check every page


def save(path: Path, key: str, entries: dict[str, tuple[str, PageResult]]) -> None:
    """Write this build's results (only its pages: the file never grows past one site)."""
    pages: dict[str, Any] = {}
    for page, (digest, r) in sorted(entries.items()):
        inline = None if r.inline is None else [[i.kind, i.hash, i.sample] for i in r.inline]
        pages[page] = [
            digest,
            [sorted(r.anchors), r.refresh, r.external, r.problems, r.pending, inline],
        ]
    text = json.dumps({"key": key, "pages": pages}, ensure_ascii=False, separators=(",", ":"))
    write_cache_file(path, text)  # if it cannot: the next build checks every page again
