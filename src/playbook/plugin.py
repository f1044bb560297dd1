"""The `playbook` MkDocs plugin: loads data once per build and owns the build's shared state.

It validates its own settings (see `PlaybookConfig`), reads every file of `data_dir` through
`playbook.data.store_for` in `on_config` (before the macros plugin defines its functions, and
before any page, so a data error names its own file), checks every page's front matter, appends
the glossary's abbreviations and each page's numbered source list, and fills in the generated
pages (Sources, freshness and review reports) once every page has been read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger

from playbook import markdown_stash, onboarding, render, search_view
from playbook.buildstate import BuildState, executive_page
from playbook.data import DataError, store_for
from playbook.dates import BuildDateError, build_date
from playbook.frontmatter import FrontMatterError, check_meta, check_parsed, read_source

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext  # noqa: F401

log = get_plugin_logger(__name__)

PLACEHOLDERS = {
    "sources": "<!-- playbook:sources-index -->",
    "freshness": "<!-- playbook:freshness-report -->",
    "review": "<!-- playbook:review-report -->",
    "reading-path": "<!-- playbook:reading-path -->",
}


class PlaybookConfig(base.Config):
    data_dir = c.Dir(exists=True, default="data")
    # A figure whose year is before this is labelled "older data".
    old_before = c.Type(int, default=2015)
    # Fail the build when an old figure sits on an executive-facing page without historical=True.
    strict_freshness = c.Type(bool, default=False)
    # Pages (glob patterns over src paths) that executives read; front matter `audience: executive`
    # marks a page too.
    executive_pages = c.ListOfItems(c.Type(str), default=[])
    # Check the built site's internal links at the end of each build (hooks/postbuild.py).
    link_check = c.Type(bool, default=True)
    # Onboarding and printed-brief links that must keep resolving.
    onboarding_registry = c.Optional(c.File(exists=True))
    # Show Material's search indexer each page with figures as text and no source list
    # (playbook.search_view): the same index, faster. Off for a plugin that must change pages in
    # on_page_context at priority 0, which the build would otherwise refuse.
    search_view = c.Type(bool, default=True)


def _data_or_plugin_error(loader: Any, arg: Any) -> Any:
    try:
        return loader(arg)
    except (DataError, OSError) as exc:
        raise PluginError(str(exc)) from None


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.state: BuildState | None = None
        self._hidden: dict[str, tuple[str, str]] = {}  # page -> (its HTML, what search is shown)

    # Before the macros plugin's on_config (default priority), which calls define_env.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = Path(config.config_file_path).parent
        try:
            today = build_date(project)
        except BuildDateError as exc:
            raise PluginError(str(exc)) from None
        store = store_for(Path(self.config.data_dir), project)
        # Every data file now, before any page: an error names its own file and line, not a page.
        catalog = _data_or_plugin_error(lambda s: s.preload(today), store)
        self.state = BuildState(
            catalog=catalog, today=today, old_before=self.config.old_before, store=store
        )
        self._hidden.clear()
        log.debug("Loaded %d statistics (build date %s)", len(catalog.stats), today)
        return config

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # Before MkDocs and mkdocs-macros parse the front matter: refuse an alias bomb, name the
        # line (plain front matter is left to MkDocs' parse, checked in _front_matter_parsed).
        if page.file.abs_src_path is None or page.file.generated_by:
            return None
        try:
            return read_source(Path(page.file.abs_src_path), page.file.src_path)
        except FrontMatterError as exc:
            raise PluginError(str(exc)) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the brief builder's data (toolkit/brief-builder/), pre-rendered from the brief's code
        (kept in `.cache/brief-builder/` beside `data/`, keyed by its data, template and code)."""
        from mkdocs.structure.files import File

        from playbook.brief import builder_data

        try:
            text = builder_data.build_json(self._state(), config.site_url or "/")
        except (builder_data.BuilderDataError, DataError) as exc:
            raise PluginError(str(exc)) from None
        files.append(File.generated(config, builder_data.DATA_PATH, content=text))
        return files

    # Before mkdocs-macros renders the page (default priority): front matter MkDocs could not parse.
    @event_priority(100)
    def _front_matter_parsed(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> None:
        if page.meta or page.file.abs_src_path is None or page.file.generated_by:
            return
        try:
            check_parsed(page.file.src_path, markdown, page.meta)
        except FrontMatterError as exc:
            raise PluginError(str(exc)) from None

    def _page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        state = self._state()
        src = page.file.src_path
        if not page.meta and page.file.content_string.startswith("---"):
            log.warning(
                f"Doc file '{src}': its front matter could not be read as YAML. Put values that "
                "contain ': ' or start with a quote in double quotes, e.g. summary: \"A: b\"."
            )
        else:
            try:
                path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
                state.meta[src] = check_meta(src, page.meta, path)
            except FrontMatterError as exc:
                log.warning(str(exc))

        # The list's HTML goes in after Markdown has run (playbook.markdown_stash).
        def place(html: str) -> str:
            state.source_lists[src] = html
            return markdown_stash.stash(html, src)

        markdown += render.source_list(state.cited.get(src, []), place)
        # Glossary terms show their definitions on hover wherever the page uses them.
        return markdown + render.abbreviations_used(state.catalog.glossary, markdown)

    on_page_markdown = CombinedEvent(_front_matter_parsed, _page_markdown)

    # Just before Material's search (priority 0) indexes the page, and just after it.
    @event_priority(1)
    def _show_search_text(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
    ) -> None:
        state, src, full = self._state(), page.file.src_path, page.content
        if not self.config.search_view or full is None:
            return
        if not (src in state.figures or src in state.source_lists):
            return
        view = search_view.for_search(full, state.figures.get(src, {}), state.source_lists.get(src))
        if view != full:
            self._hidden[src] = (full, view)
            page.content = view

    @event_priority(-1)
    def _show_page(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
    ) -> None:
        hidden = self._hidden.pop(page.file.src_path, None)
        if hidden is not None:
            page.content = search_view.after_search(page.file.src_path, *hidden, page.content or "")

    on_page_context = CombinedEvent(_show_search_text, _show_page)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        state = self._state()
        pages = {f.src_path: f.page for f in files.documentation_pages() if f.page is not None}
        refs = {src: render.PageRef(p.title or src, p.url, src) for src, p in pages.items()}
        cited_on = {
            stat_id: [refs[src] for src in dict.fromkeys(s for s, _ in uses) if src in refs]
            for stat_id, uses in state.uses.items()
        }
        self._check_freshness(state)
        stats = list(state.catalog.stats.values())
        for page in pages.values():
            if not page.content or "<!-- playbook:" not in page.content:
                continue
            base_url = "../" * page.url.count("/")
            fills = {
                "sources": lambda base_url=base_url: render.sources_index(
                    stats, cited_on, base_url, state.old_before
                ),
                "freshness": lambda base_url=base_url: render.freshness_report(
                    stats, cited_on, state.today, state.old_before, base_url
                ),
                "review": lambda base_url=base_url: render.review_report(
                    self._overdue(refs), state.today, base_url
                ),
                # Reading times come from each page's rendered text (playbook.onboarding).
                "reading-path": lambda base_url=base_url: _data_or_plugin_error(
                    lambda store: onboarding.reading_path(
                        store.reading_path(),
                        refs,
                        {s: p.content or "" for s, p in pages.items()},
                        base_url,
                    ),
                    state.store,
                ),
            }
            for name, marker in PLACEHOLDERS.items():
                if marker in page.content:
                    page.content = page.content.replace(marker, fills[name]())
        for ref, owner, due in self._overdue(refs):
            log.info("Page '%s' (owner: %s) was due for review on %s", ref.src, owner, due)
        return env

    def _overdue(self, refs: dict[str, render.PageRef]) -> list[tuple[render.PageRef, str, date]]:
        state = self._state()
        return [
            (refs[src], meta.owner, meta.review_by)
            for src, meta in sorted(state.meta.items())
            if src in refs and meta.review_by < state.today
        ]

    def is_executive_page(self, src: str) -> bool:
        return executive_page(src, self._state().meta.get(src), self.config.executive_pages)

    def _check_freshness(self, state: BuildState) -> None:
        problems = state.stale_citations(self.is_executive_page)
        if not problems:
            return
        if self.config.strict_freshness:
            raise PluginError("Strict freshness check failed:\n  " + "\n  ".join(problems))
        # Not strict: one line, the details at debug level (`mkdocs build -v` shows them).
        log.info(
            "%d citations of pre-%d figures on executive-facing pages have no historical=True "
            "marker; strict_freshness would fail them (run `mkdocs build -v` for the list).",
            len(problems),
            state.old_before,
        )
        for problem in problems:
            log.debug(problem)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        # A failed rebuild must not stall `mkdocs serve`: keep serving the last good pages.
        from playbook.serve import keep_last_good_site

        keep_last_good_site(server)
        server.watch(str(Path(self.config.data_dir).resolve()))  # a new statistic rebuilds too
        return server

    def _state(self) -> BuildState:
        if self.state is None:
            raise PluginError("The playbook plugin was used before its on_config ran.")
        return self.state
