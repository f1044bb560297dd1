"""`playbook zensical build|serve`: the playbook built with Zensical instead of MkDocs.

Zensical reads zensical.yml (mkdocs.yml, plus the Zensical glue: the theme overrides of
overrides-zensical/ and the Markdown extension `playbook.zensical_markdown`). It runs the macros
and the Markdown extensions in this process, but no MkDocs plugin and no hook, so this command
does, around `zensical.build`, what the `playbook` plugin and the hooks do under MkDocs, with the
same package code:
- before: the symlink check of docs/ (hooks/docs_inside.py) and the front-matter checks;
- after: the generated pages (Sources, figures by age, pages due for review, the reading path)
  filled in from what every page cited, the brief builder's data file, the freshness check, the
  inline-code check (CSP) and the link check with the onboarding registry (hooks/postbuild.py).
Any problem fails the build with the file, the line or key, and the fix (exit status 1).

`serve` is Zensical's live preview; after each of its rebuilds a watcher thread fills the
generated pages and writes the builder's data again (the checks that stop a build are left to
`build`, as MkDocs' server keeps serving too).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playbook import onboarding, render
from playbook.buildstate import (
    BuildState,
    Settings,
    executive_page,
    reset_shared_state,
    settings,
    shared_state,
)
from playbook.data import DataError
from playbook.dates import BuildDateError
from playbook.frontmatter import FrontMatterError, PageMeta, check_meta, read_meta

CONFIG_FILE = "zensical.yml"
PLACEHOLDERS = {
    "sources": "<!-- playbook:sources-index -->",
    "freshness": "<!-- playbook:freshness-report -->",
    "review": "<!-- playbook:review-report -->",
    "reading-path": "<!-- playbook:reading-path -->",
}
RE_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
RE_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
RE_PAGE_META = re.compile(r'<aside class="pb-page-meta".*?</aside>', re.S)


class BuildFailed(Exception):
    """The build stopped; the message names the file, the line or key, and the fix."""


@dataclass(frozen=True)
class Project:
    """Where a Zensical build of the playbook reads and writes (from mkdocs.yml beside it)."""

    config_file: Path
    root: Path
    conf: dict
    docs_dir: Path
    site_dir: Path
    site_url: str

    @classmethod
    def read(cls, config_file: Path) -> Project:
        from playbook.project import read_config

        config_file = config_file.resolve()
        root = config_file.parent
        conf = read_config(root / "mkdocs.yml")
        return cls(
            config_file=config_file,
            root=root,
            conf=conf,
            docs_dir=root / str(conf.get("docs_dir") or "docs"),
            site_dir=root / str(conf.get("site_dir") or "site"),
            site_url=str(conf.get("site_url") or ""),
        )


def page_url(src: str) -> str:
    """'chapters/x.md' -> 'chapters/x/', 'index.md' -> '' (directory URLs, as MkDocs makes them)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def doc_order(src: str) -> tuple[tuple[int, bool, str], ...]:
    """The order MkDocs reads pages in (and so lists them): in each folder its files first,
    index.md before the others, then its sub-folders, each by name."""
    *folders, name = src.split("/")
    stem = name.removesuffix(".md")
    return (*((1, False, folder) for folder in folders), (0, stem not in ("index", "README"), name))


def built_file(site_dir: Path, src: str) -> Path:
    return site_dir / page_url(src) / "index.html"


def read_pages(docs_dir: Path) -> dict[str, PageMeta]:
    """Every page's checked front matter, by source path; BuildFailed naming each bad page."""
    metas, problems = {}, []
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        try:
            metas[src] = check_meta(src, read_meta(path, src), path)
        except FrontMatterError as exc:
            problems.append(str(exc))
    if problems:
        raise BuildFailed("\n".join(problems))
    return metas


def _title(html: str, site_name: str) -> str:
    found = RE_TITLE.search(html)
    title = found.group(1).strip() if found else ""
    suffix = f" - {site_name}"
    title = title.removesuffix(suffix) if title.endswith(suffix) else title
    import html as htmllib

    return htmllib.unescape(title)


def fill_generated(
    site_dir: Path, state: BuildState, metas: dict[str, PageMeta], site_name: str
) -> list[str]:
    """Fill each generated page's placeholder in the built HTML; the pages filled."""
    assert state.store is not None
    pages: dict[str, str] = {}
    for src in metas:
        file = built_file(site_dir, src)
        if file.is_file():
            pages[src] = file.read_text(encoding="utf-8")
    refs = {
        src: render.PageRef(_title(html, site_name) or src, page_url(src), src)
        for src, html in pages.items()
    }
    cited_on = {
        stat_id: [refs[src] for src in sorted({s for s, _ in uses}, key=doc_order) if src in refs]
        for stat_id, uses in state.uses.items()
    }
    overdue = [
        (refs[src], meta.owner, meta.review_by)
        for src, meta in sorted(metas.items())
        if src in refs and meta.review_by < state.today
    ]
    stats = list(state.catalog.stats.values())
    filled = []
    for src, html in pages.items():
        if "<!-- playbook:" not in html:
            continue
        base = "../" * page_url(src).count("/")
        for name, marker in PLACEHOLDERS.items():
            if marker not in html:
                continue
            if name == "sources":
                text = render.sources_index(stats, cited_on, base, state.old_before)
            elif name == "freshness":
                text = render.freshness_report(stats, cited_on, state.today, state.old_before, base)
            elif name == "review":
                text = render.review_report(overdue, state.today, base)
            else:
                contents = {}
                for other, built in pages.items():
                    found = RE_ARTICLE.search(built)
                    contents[other] = RE_PAGE_META.sub("", found.group(1)) if found else ""
                try:
                    text = onboarding.reading_path(state.store.reading_path(), refs, contents, base)
                except DataError as exc:
                    raise BuildFailed(str(exc)) from None
            html = html.replace(marker, text)
        built_file(site_dir, src).write_text(html, encoding="utf-8")
        filled.append(src)
    return filled


def write_builder_data(site_dir: Path, state: BuildState, site_url: str) -> None:
    """The brief builder's data file (what the plugin's on_files adds under MkDocs)."""
    from playbook.brief import builder_data

    try:
        text = builder_data.build_json(state, site_url)
    except (builder_data.BuilderDataError, DataError) as exc:
        raise BuildFailed(str(exc)) from None
    target = site_dir / builder_data.DATA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def check_freshness(state: BuildState, metas: dict[str, PageMeta], found: Settings) -> None:
    """Old figures on executive pages without historical=True (the plugin's check)."""
    problems = state.stale_citations(
        lambda src: executive_page(src, metas.get(src), found.executive_pages)
    )
    if problems and found.strict_freshness:
        raise BuildFailed("Strict freshness check failed:\n  " + "\n  ".join(problems))


def check_site(site_dir: Path, root: Path, found: Settings, site_url: str, docs: str) -> None:
    """Inline code (CSP) and links of the built site, as hooks/postbuild.py checks them."""
    from playbook import inline_check
    from playbook.linkcheck.internal import scan
    from playbook.linkcheck.report import warning_messages

    inline_check.rewrite_redirect_stubs(site_dir)
    try:
        allowed = inline_check.read_allowlist()
    except inline_check.InlineCodeError as exc:
        raise BuildFailed(str(exc)) from None
    base = urlsplit(site_url or "").path or "/"
    cache = root / ".cache" / "postbuild-scan-zensical.json"  # its pages differ from MkDocs'
    site = scan(site_dir, base, True, inline=True, cache=cache)
    inline: list[str] = []
    for page in sorted(site.pages):
        result = site.pages[page]
        if result.inline is None:
            reason = result.problems[0].message if result.problems else "it was not read."
            inline.append(f"{page}: not checked for inline code, because {reason}")
        else:
            inline += inline_check.unlisted(page, result.inline, allowed)
    problems = []
    if found.link_check:
        problems = site.problems()
        registry_name = None
        if found.onboarding_registry is not None:
            from playbook.linkcheck.registry import RegistryError, check_registry, load_registry

            registry_name = os.path.relpath(found.onboarding_registry, root).replace(os.sep, "/")
            try:
                entries = load_registry(found.onboarding_registry, shown_as=registry_name)
            except RegistryError as exc:
                raise BuildFailed(str(exc)) from None
            problems += check_registry(site, entries, registry_name)
        messages = warning_messages(problems, docs, registry_name)
    else:
        messages = []
    if inline:
        messages.append(inline_check.inline_error(inline))
    if messages:
        raise BuildFailed("\n".join(messages))


def build(config_file: Path) -> Path:
    """Build the site with Zensical and run the playbook's steps; the site folder."""
    import zensical

    from playbook import zensical_markdown
    from playbook.docs_inside import links_outside

    project = Project.read(config_file)
    root, docs_dir = project.root, project.docs_dir
    outside = links_outside(docs_dir)
    if outside:
        listed = "\n  ".join(f"{link.relative_to(docs_dir)} -> {to}" for link, to in outside)
        raise BuildFailed(
            f"{len(outside)} symlink(s) in {docs_dir.name}/ lead outside it, and the build "
            f"publishes only what is inside {docs_dir.name}/:\n  {listed}\nRemove the link, or "
            f"copy the file into {docs_dir.name}/ if it belongs in the site."
        )
    metas = read_pages(docs_dir)
    try:
        found = settings(root)
        reset_shared_state(root)
        shared_state(root)  # every data file now: an error names its own file, not a page
    except Exception as exc:  # noqa: BLE001 - DataError, BuildDateError: the message names the file
        raise BuildFailed(str(exc)) from None
    zensical_markdown.LAST_ERROR.clear()
    try:
        # clean: every page is rendered again, so every citation is recorded in this process.
        zensical.build(str(project.config_file), {"clean": True, "strict": True})
    except RuntimeError as exc:
        if zensical_markdown.LAST_ERROR:
            raise BuildFailed(zensical_markdown.LAST_ERROR[0]) from None
        raise BuildFailed(
            f"Zensical stopped: {exc}. Fix each problem it listed above (file:line:column); for "
            "a link, name an existing page relative to the Markdown file, such as "
            "../chapters/value-and-roi.md#play-lead-with-value."
        ) from None
    write_generated(project, metas)
    check_freshness(shared_state(root), metas, found)
    check_site(project.site_dir, root, found, project.site_url, str(docs_dir))
    return project.site_dir


def write_generated(project: Project, metas: dict[str, PageMeta]) -> list[str]:
    """After Zensical has written the site (`build`, and each rebuild under `serve`): the
    generated pages filled in and the brief builder's data written. The pages filled."""
    state = shared_state(project.root)
    site_name = str(project.conf.get("site_name") or "")
    # The data first: once the generated pages show the new citations, the builder has its data.
    write_builder_data(project.site_dir, state, project.site_url)
    return fill_generated(project.site_dir, state, metas, site_name)


def _last_written(site_dir: Path) -> tuple[int, ...] | None:
    """When Zensical last finished writing the site: it writes these after every (re)build."""
    try:
        return tuple(
            (site_dir / name).stat().st_mtime_ns for name in ("search.json", "sitemap.xml")
        )
    except OSError:
        return None


def watch_rebuilds(project: Project, stop: threading.Event, poll: float = 0.25) -> None:
    """Run `write_generated` once each Zensical rebuild has settled (its last files unchanged for
    one poll), until `stop`. A problem is reported on stderr and the server keeps going, as
    MkDocs' server does."""
    done = None
    while not stop.wait(poll):
        seen = _last_written(project.site_dir)
        if (
            seen is None
            or seen == done
            or stop.wait(poll)
            or _last_written(project.site_dir) != seen
        ):
            continue
        done = seen
        try:
            filled = write_generated(project, read_pages(project.docs_dir))
        except (BuildFailed, DataError, BuildDateError, OSError) as exc:
            print(f"WARNING - playbook: after the rebuild: {exc}", file=sys.stderr, flush=True)
            continue
        shown = ", ".join(filled) or "no page"
        print(f"INFO - playbook: filled in {shown}; brief builder data written", flush=True)


def serve(config_file: Path, dev_addr: str) -> None:
    """Zensical's live preview, with the generated pages and the builder data after each
    rebuild (a reader sees them on the next page load after the rebuild)."""
    import zensical

    project = Project.read(config_file)
    reset_shared_state(project.root)
    shared_state(project.root)  # bad data stops here, naming its file, before the server starts
    stop = threading.Event()
    watcher = threading.Thread(target=watch_rebuilds, args=(project, stop), daemon=True)
    watcher.start()
    try:
        zensical.serve(str(project.config_file), {"dev_addr": dev_addr, "open": False})
    finally:
        stop.set()
        watcher.join(timeout=5)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("build", "serve"), help="build site/, or serve it")
    parser.add_argument("-f", "--config-file", default=CONFIG_FILE, help=f"default: {CONFIG_FILE}")
    parser.add_argument(
        "-a", "--dev-addr", default="127.0.0.1:8000", help="serve: address and port"
    )


def run(args: argparse.Namespace) -> int:
    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(
            f"playbook zensical: there is no '{config_file}' here: run the command in the "
            "playbook's folder, or give it with -f path/to/zensical.yml.",
            file=sys.stderr,
        )
        return 2
    if args.action == "serve":
        try:
            serve(config_file, args.dev_addr)
        except (DataError, BuildDateError) as exc:  # bad data or SOURCE_DATE_EPOCH: names it
            print(f"ERROR - {exc}", file=sys.stderr)
            return 1
        return 0
    try:
        site_dir = build(config_file)
    except BuildFailed as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        print("Aborted with a playbook error: the Zensical build failed.", file=sys.stderr)
        return 1
    print(f"Zensical build done: {site_dir}")
    return 0
