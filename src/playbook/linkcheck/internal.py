"""Check: resolve every internal link of a built site as a Linux web server would.

A link resolves against its page's folder (or the base path, for `/absolute` links), is
percent-decoded, and must name a file that exists with exactly that case; a folder URL needs its
`index.html`. A `#fragment` must be an `id` or `<a name>` on the target page; `#` and `#top`
always work. Links with a scheme (`mailto:`, `tel:`, `javascript:`, `https:`...) or `//` are not
internal: http(s) ones are only checked for being valid URLs here (external.py fetches them).

`check_site(site_dir)` is the whole pipeline: walk, then parse and resolve each page (in worker
processes for large sites, both cores), then check fragments that point at other pages.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import namedtuple
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from playbook.linkcheck.collect import MAX_DEPTH, parse_page, read_page, too_deep, walk
from playbook.linkcheck.model import Problem

RE_UP = re.compile(r"(?:\.\./)+")
ABOVE_ROOT = "\x00above the site's root"  # the root folder's parent (Resolver._up)
RE_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
WEB_SCHEMES = frozenset({"http", "https"})
# Material's 404 page uses absolute URLs on purpose: it is served for any missing path.
NOT_FOUND_PAGE = "404.html"
ALWAYS_VALID_FRAGMENTS = frozenset({"", "top"})
# Below this many pages, starting worker processes costs more than it saves (bench/).
PARALLEL_MIN_PAGES = 300
CHUNK_PAGES = 200

# What resolving one link gives: ("ok", target file or None for the page itself, fragment),
# ("skip",), ("external", url) or ("bad", kind, message, suggested target or None).
Resolution = tuple


class PageResult(
    namedtuple("PageResult", "anchors refresh external problems pending inline", defaults=((),))
):
    """One checked page: anchors (frozenset[str]); refresh (str | None, a redirect stub's
    target); external (list[str], its http(s) links); problems (list[Problem]); pending
    (list of (url, target page, fragment): fragments on other pages, checked once all pages are
    known); inline (list[playbook.inline_check.Inline] when the scan was asked for inline code,
    None for a page that was not parsed)."""

    __slots__ = ()


class Site:
    """A checked site: its files and folders, and each HTML page's result."""

    __slots__ = (
        "base",
        "directory_urls",
        "dirs",
        "files",
        "inline",
        "odd",
        "pages",
        "real",
        "root",
    )

    def __init__(
        self,
        root: str,
        files: set[str],
        dirs: set[str],
        base: str = "/",
        directory_urls: bool = True,
    ) -> None:
        self.root = root
        self.files = files
        self.dirs = dirs
        self.base = base
        self.directory_urls = directory_urls
        self.pages: dict[str, PageResult] = {}
        self.odd: list[Problem] = []  # files that are not served or not read (collect.walk)
        self.real: dict[str, str] = {}  # a symlinked path -> the file it names (collect.walk)
        self.inline = False  # also find each page's inline code (hooks/postbuild.py)

    def problems(self) -> list[Problem]:
        """Every broken internal link, page by page (fragments on other pages last)."""
        out: list[Problem] = list(self.odd)
        for page in sorted(self.pages):
            result = self.pages[page]
            problems = list(result.problems)
            for url, target, fragment in result.pending:
                checked = self.pages.get(self.real.get(target, target))
                if checked is None:
                    continue  # not a page that was read (a symlink to a file that is not HTML)
                message = fragment_problem(checked.anchors, fragment, f"'{target}'")
                if message:
                    problems.append(Problem(page, url, "missing-fragment", None, message))
            out.extend(problems)
        return out

    def external_links(self) -> dict[str, list[str]]:
        """Every http(s) URL in the site (as written) -> the pages that link to it."""
        found: dict[str, list[str]] = {}
        for page in sorted(self.pages):
            for url in dict.fromkeys(self.pages[page].external):
                found.setdefault(url, []).append(page)
        return found


def normalize_base(base_path: str) -> str:
    """'/sub' or 'sub/' -> '/sub/'; '' -> '/'."""
    base = "/" + base_path.strip("/")
    return base if base == "/" else base + "/"


def scan(
    site_dir: str | os.PathLike[str],
    base_path: str = "/",
    directory_urls: bool = True,
    workers: int | None = None,
    inline: bool = False,
    cache: str | os.PathLike[str] | None = None,
) -> Site:
    """Walk, parse and check every page of the built site at `site_dir`.

    `workers`: processes to use; None decides by size (PARALLEL_MIN_PAGES). `inline`: also
    record each page's inline code (PageResult.inline) from the same parse, for the CSP check.
    `cache`: a JSON file (playbook.linkcheck.scan_cache) from which the pages whose bytes did not
    change since the last scan of the same site take their result instead of being parsed
    again, and to which this scan's results are written (one process).
    """
    root = os.path.abspath(site_dir)
    if not os.path.isdir(root):
        raise FileNotFoundError(f"Site folder '{root}' does not exist; build the site first.")
    walked = walk(root)
    site = Site(root, walked.files, walked.dirs, normalize_base(base_path), directory_urls)
    site.odd = [Problem(rel, rel, kind, None, message) for rel, kind, message in walked.odd]
    site.real = walked.unread
    site.inline = inline
    html = sorted(
        f for f in walked.files if f.endswith((".html", ".htm")) and f not in walked.unread
    )
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(html) >= PARALLEL_MIN_PAGES else 1
    if cache is not None:
        from pathlib import Path

        from playbook.linkcheck import scan_cache

        key = scan_cache.site_key(site)
        kept = scan_cache.load(Path(cache), key)
        fresh: dict[str, tuple[str, PageResult]] = {}
        site.pages.update(check_pages(Resolver(site), html, kept, fresh))
        scan_cache.save(Path(cache), key, fresh)
        return site
    if workers <= 1:
        site.pages.update(check_pages(Resolver(site), html))
        return site
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import selectolax.lexbor  # noqa: F401 - imported once here, inherited by the forked workers

    chunks = [html[i : i + CHUNK_PAGES] for i in range(0, len(html), CHUNK_PAGES)]
    # fork: the workers inherit the file set instead of receiving it pickled.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=(site,)) as pool:
        for result in pool.map(_check_chunk, chunks):
            site.pages.update(result)
    return site


_worker_resolver: Resolver | None = None  # set in worker processes only


def _init_worker(site: Site) -> None:
    global _worker_resolver
    _worker_resolver = Resolver(site)


def _check_chunk(rels: list[str]) -> list[tuple[str, PageResult]]:
    assert _worker_resolver is not None
    return check_pages(_worker_resolver, rels)


def check_pages(
    resolver: Resolver,
    rels: list[str],
    kept: dict[str, tuple[str, PageResult]] | None = None,
    fresh: dict[str, tuple[str, PageResult]] | None = None,
) -> list[tuple[str, PageResult]]:
    """Read, parse and check each page; fragments on other pages are left pending.

    With `kept` (page -> (digest of its bytes, result), from the previous scan of the same
    site), a page whose bytes have that digest takes that result; each page read is added to
    `fresh` the same way (playbook.linkcheck.scan_cache)."""
    from playbook.linkcheck.scan_cache import page_digest

    out = []
    root = resolver.site.root
    for rel in rels:
        data = read_page(os.path.join(root, rel))
        if fresh is not None and isinstance(data, bytes):
            digest = page_digest(data)
            earlier = kept.get(rel) if kept else None
            if earlier is not None and earlier[0] == digest:
                result = earlier[1]
            else:
                result = page_result(resolver, rel, data)
            fresh[rel] = (digest, result)
        else:
            result = page_result(resolver, rel, data)
        out.append((rel, result))
    return out


def page_result(resolver: Resolver, rel: str, data: bytes | tuple[str, str]) -> PageResult:
    """One page's result from its bytes, or from the (kind, message) of a page not read."""
    if isinstance(data, bytes) and too_deep(data):
        data = (
            "page-too-complex",
            (
                f"its elements nest more than {MAX_DEPTH} levels deep, which no browser builds; "
                "its links are not checked: fix the template or the HTML that writes it."
            ),
        )
    if isinstance(data, tuple):
        problem = Problem(rel, rel, data[0], None, data[1])
        return PageResult(frozenset(), None, [], [problem], [], None)
    return check_page(resolver, rel, data)


def check_page(resolver: Resolver, page: str, data: bytes | str) -> PageResult:
    """Parse one page and resolve each of its links (see `Resolver`)."""
    parsed = parse_page(data, resolver.site.inline)
    folder = page.rpartition("/")[0]
    links = parsed.links
    if page == NOT_FOUND_PAGE and resolver.base == "/":
        # Its absolute links are written for a base path we were not told: check the rest.
        links = [u for u in links if not u.strip().startswith("/")]
    problems: list[Problem] = []
    pending: list[tuple[str, str, str]] = []
    external: list[str] = []
    files = resolver.site.files
    # A link written twice on a page (navigation and footer) is one problem, checked once.
    for url in dict.fromkeys(links):
        found = resolver.resolve(folder, url)
        state = found[0]
        if state == "ok":
            target, fragment = found[1], found[2]
            if not fragment:
                continue
            if target is None:
                message = fragment_problem(parsed.anchors, fragment, "this page")
                if message:
                    problems.append(Problem(page, url, "missing-fragment", None, message))
            elif target == page:
                message = fragment_problem(parsed.anchors, fragment, f"'{target}'")
                if message:
                    problems.append(Problem(page, url, "missing-fragment", None, message))
            elif target.endswith((".html", ".htm")):
                pending.append((url, target, fragment))
            # else: a fragment on an image or a PDF; nothing to check
        elif state == "external":
            external.append(url.strip())  # as written; external.py adds https: to "//host"
        elif state == "bad":
            _, kind, message, suggestion = found
            if suggestion is not None:
                path = url.strip().partition("#")[0].partition("?")[0]
                is_dir = f"{suggestion}/index.html" in files and (
                    path.endswith("/") or path.rsplit("/", 1)[-1] in ("", ".", "..")
                )
                fix = written_like(url.strip(), folder, suggestion, resolver.base, is_dir)
                message += f" Did you mean '{fix}'?"
            problems.append(Problem(page, url, kind, None, message))
    return PageResult(parsed.anchors, parsed.refresh, external, problems, pending, parsed.inline)


def check_site(
    site_dir: str | os.PathLike[str],
    base_path: str = "/",
    directory_urls: bool = True,
    workers: int | None = None,
) -> list[Problem]:
    """Every broken internal link in the built site at `site_dir` (pure: no logging, no network)."""
    return scan(site_dir, base_path, directory_urls, workers).problems()


class Resolver:
    """Resolves links against one site; caches by (page folder, link), since nav repeats, and a
    link that starts with '../' by the parent folder it leaves from."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.base = site.base
        self.directory_urls = site.directory_urls
        self._cache: dict[tuple[str, str], Resolution] = {}
        # (parent of the page's folder, link starting with '../') -> what it points at
        self._up: dict[tuple[str, str], Resolution] = {}
        self._children: dict[str, dict[str, None]] | None = None

    def resolve(self, folder: str, url: str) -> Resolution:
        """What `url`, written on a page in `folder` ('' for the root), points at."""
        if url[:1] <= " " or url[-1:] <= " ":
            url = url.strip()
        if url[:1] == "#":
            return ("ok", None, url[1:])
        # A link starting with '../' leaves the page's folder, so it points at the same thing from
        # every folder with the same parent; the navigation writes the same strings on every page
        # of a section: resolved once per parent folder.
        if url[:3] == "../":
            parent = folder.rpartition("/")[0] if folder else ABOVE_ROOT
            found = self._up.get((parent, url))
            if found is None:
                found = self._up[(parent, url)] = self._climb(folder, url)
            return found
        if url[:1] == "/" or (":" in url and RE_SCHEME.match(url)):
            return self._cached("", url)  # the same wherever it is written
        return self._cached(folder, url)

    def _climb(self, folder: str, url: str) -> Resolution:
        """A link starting with '../': resolved from the folder its '../'s climb to."""
        climb = RE_UP.match(url)
        if climb is None:  # cannot happen: the url starts with '../'
            raise ValueError(f"no '../' at the start of {url!r}")
        end = climb.end()
        parts = folder.split("/") if folder else []
        up = end // 3
        if up > len(parts):
            return ("bad", "outside-site", "it points above the site's root folder.", None)
        return self._cached("/".join(parts[: len(parts) - up]), url[end:])

    def _cached(self, folder: str, url: str) -> Resolution:
        found = self._cache.get((folder, url))
        if found is None:
            found = self._cache[(folder, url)] = self._resolve(folder, url)
        return found

    def _resolve(self, folder: str, url: str) -> Resolution:
        if url.startswith("//"):
            return self._external("https:" + url)
        if ":" in url.split("/", 1)[0] and RE_SCHEME.match(url):
            scheme = url.split(":", 1)[0].lower()
            return self._external(url) if scheme in WEB_SCHEMES else ("skip",)
        path, _, fragment = url.partition("#")
        path = path.partition("?")[0]
        if not path:
            return ("ok", None, fragment)
        folder_url = path.endswith("/") or path.rsplit("/", 1)[-1] in (".", "..")
        decoded = unquote(path)
        if decoded.startswith("/"):
            absolute = posixpath.normpath(decoded)
            if absolute + "/" == self.base:
                rel = ""
            elif absolute.startswith(self.base) or self.base == "/":
                rel = absolute[len(self.base) :].lstrip("/")
            else:
                return (
                    "bad",
                    "outside-site",
                    f"it points outside the site, which is served under '{self.base}'.",
                    None,
                )
        else:
            rel = posixpath.normpath(posixpath.join(folder, decoded))
            if rel == ".":
                rel = ""
            elif rel == ".." or rel.startswith("../"):
                return ("bad", "outside-site", "it points above the site's root folder.", None)
        return self._lookup(rel, folder_url, fragment)

    def _lookup(self, rel: str, folder_url: bool, fragment: str) -> Resolution:
        files = self.site.files
        if not folder_url and rel in files:
            return ("ok", rel, fragment)
        if rel == "" or rel in self.site.dirs:
            index = rel + "/index.html" if rel else "index.html"
            if index not in files:
                return (
                    "bad",
                    "missing-file",
                    f"the folder '{rel or '.'}/' has no index.html in the built site.",
                    None,
                )
            if not self.directory_urls:
                message = "it names a folder, which only a web server turns into its index.html."
                return ("bad", "missing-file", message, index)
            return ("ok", index, fragment)
        return (
            "bad",
            "missing-file",
            "the target is not found in the built site.",
            self.suggest(rel),
        )

    def _external(self, url: str) -> Resolution:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError as exc:
            return ("bad", "invalid-url", f"it is not a valid URL ({exc}).", None)
        if not parts.hostname or any(c.isspace() for c in parts.netloc):
            return ("bad", "invalid-url", "it is not a valid URL (no host name).", None)
        return ("external", url)

    def suggest(self, rel: str) -> str | None:
        """The closest existing path to a missing one, component by component (difflib)."""
        if self._children is None:
            children: dict[str, dict[str, None]] = {}
            self._children = children
            for path in (*self.site.files, *self.site.dirs):
                parent, _, name = path.rpartition("/")
                children.setdefault(parent, {})[name] = None
        parts, here = [], ""
        for part in rel.split("/"):
            names = self._children.get(here, {})
            if part not in names:
                nearest = closest(part, names)
                if nearest is None:
                    return None
                part = nearest
            parts.append(part)
            here = "/".join(parts)
        return here if here in self.site.files or f"{here}/index.html" in self.site.files else None


def _trigrams(text: str) -> set[str]:
    text = f"  {text.lower()} "
    return {text[i : i + 3] for i in range(len(text) - 2)}


def closest(word: str, names: dict[str, None] | frozenset[str]) -> str | None:
    """The name most like `word`: same letters in another case, else difflib's best match
    (ratio >= 0.6) among the 8 names sharing the most trigrams (cheap in big folders)."""
    lower = word.lower()
    for name in names:
        if name.lower() == lower:
            return name
    candidates: Iterable[str] = names
    if len(names) > 8:
        grams = _trigrams(word)
        candidates = sorted(names, key=lambda n: -len(grams & _trigrams(n)))[:8]
    import difflib

    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def written_like(original: str, folder: str, target: str, base: str, is_dir: bool) -> str:
    """`target` (site-relative) written the way `original` was: relative or absolute, with '/'."""
    fragment = original.partition("#")[2]
    if original.startswith("/"):
        out = base + target
    else:
        out = posixpath.relpath(target or ".", folder or ".")
        out = "./" if out == "." and is_dir else out
    if is_dir and not out.endswith("/"):
        out += "/"
    return out + ("#" + fragment if fragment else "")


def fragment_problem(anchors: frozenset[str], fragment: str, where: str) -> str | None:
    """None when `fragment` names an anchor in `anchors`; else the problem's message."""
    if fragment.lower() in ALWAYS_VALID_FRAGMENTS or fragment in anchors:
        return None
    text = fragment.split(":~:", 1)[0]  # a text fragment (#:~:text=) is the browser's business
    decoded = unquote(text)
    if decoded.lower() in ALWAYS_VALID_FRAGMENTS or decoded in anchors:
        return None
    message = f"there is no anchor '#{decoded}' on {where}."
    close = closest(decoded, anchors)
    return message + (f" Did you mean '#{close}'?" if close else "")
