"""The macros content writers call in pages, as thin functions over the build's loaded data.

`register(env)` is all `macros/__init__.py` does. The data files come from `playbook.data`
(`config_store`: the project's `data_dir`, each file read once per process), not from the MkDocs
plugin, which still supplies the statistics and the per-page citations. It also replaces
mkdocs-macros' renderer with one that raises `PluginError` (file, line, fix) instead of printing
the error into the page or calling `exit()`, so `mkdocs build --strict` fails loudly and
`mkdocs serve` keeps running.
"""

from __future__ import annotations

import re
from copy import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

from playbook import charts, markdown_stash, render, search_view
from playbook.data import DataError, config_store

COUNT_KINDS = ("framework",)  # records that count a framework's parts: never shown through stat()
PLAY_HEADING = re.compile(r"^#{2,3} (?P<title>.+?) \{ #(?P<id>play-[a-z0-9-]+) \}\s*$", re.M)

if TYPE_CHECKING:
    from playbook.buildstate import BuildState
    from playbook.case import Case, Figure
    from playbook.data import Catalog, Store
    from playbook.plugin import PlaybookPlugin


def register(env: Any) -> None:
    """Register every playbook macro on a mkdocs-macros `env` and make its errors strict."""
    plugins: Any = env.conf.get("plugins")
    plugin: PlaybookPlugin | None = plugins.get("playbook") if hasattr(plugins, "get") else None
    # Without the MkDocs plugin (Zensical runs none, and calls this once per page), the process
    # keeps one state for the project, data read; the page to be rendered forgets its citations.
    shared = None if plugin is not None else _shared_state(env.conf)
    if shared is None:
        markdown_stash.reset()  # a new MkDocs build: tokens of the last one are stale
    # Read now, before any page: a data error names its own file and line, never a page.
    store: Store = (
        shared.store
        if shared is not None and shared.store is not None
        else _data(lambda: config_store(env.conf))
    )
    if shared is None:
        _data(store.preload)

    def state() -> BuildState:
        return shared if shared is not None else plugin._state()  # type: ignore[union-attr]

    def stats_catalog() -> Catalog:
        return state().catalog

    def page_src() -> str:
        return page_path(env.page)

    if shared is not None and env.page is not None:
        shared.forget(page_src())

    def html(text: str) -> Markup:
        """A macro's HTML, put in after Markdown has run (playbook.markdown_stash): Markdown
        gets a short token and never re-parses the HTML."""
        return Markup(markdown_stash.stash(text, page_src()))

    known_terms: list[tuple[tuple, dict[str, str]]] = []  # this build's glossary, term: meaning

    def abbreviated(text: str) -> str:
        """Inline HTML with glossary terms in its text marked up as Markdown's abbr extension
        marked them when it parsed the HTML itself."""
        terms = state().catalog.glossary
        if not known_terms or known_terms[0][0] is not terms:
            known_terms[:] = [(terms, render.abbreviation_map(terms))]
        return render.abbreviate(text, known_terms[0][1])

    def inline_html(text: str) -> Markup:
        """Inline HTML, stashed, with glossary terms marked up (`abbreviated`)."""
        return html(abbreviated(text))

    # (stat id, number) -> the figure's HTML and its text in the search index, for one catalog
    figures: dict[tuple[str, int], tuple[str, str]] = {}
    figures_of: list[Catalog] = []

    def lookup(stat_id: str):
        try:
            return state().catalog.get(stat_id)
        except KeyError as exc:
            raise PluginError(f"Doc file '{page_src()}': {exc.args[0]}") from None

    def stat(stat_id: str, historical: bool = False) -> Markup:
        """A figure inline: value, year, older-data label and a numbered citation."""
        found = lookup(stat_id)
        if found.kind in COUNT_KINDS:
            raise PluginError(
                f"Doc file '{page_src()}': stat('{stat_id}') renders a count of a framework's parts "
                f"(kind: {found.kind} in data/stats/), not a measured figure. Write the count in "
                "plain words with an ordinary citation (for example 'three actions (Smith, 2010)')."
            )
        build = state()
        number = build.cite(page_src(), found, historical)
        if not figures_of or figures_of[0] is not build.catalog:
            figures.clear()
            figures_of[:] = [build.catalog]
        key = (found.id, number)
        if key not in figures:
            text = abbreviated(render.stat_inline(found, number, build.old_before))
            figures[key] = (text, search_view.indexed_text(text))
        text, indexed = figures[key]
        # Search reads the figure's text, not its markup (playbook.search_view).
        build.figures.setdefault(page_src(), {})[text] = indexed
        return html(text)

    def stat_year(stat_id: str) -> Markup:
        """Only the year of a figure, for sentences such as 'in {{ stat_year('x') }}'."""
        return Markup(escape(lookup(stat_id).year_label))

    def stat_table(
        *tags: str, caption: str = "", historical: bool = False, since: int | None = None
    ) -> Markup:
        """A table of every statistic carrying all the given tags, newest first; with `since`,
        only those collected in that year or later (undated figures are left out)."""
        chosen = [s for s in state().catalog.tagged(*tags) if s.kind not in COUNT_KINDS]
        if since is not None:
            chosen = [s for s in chosen if s.age_year is not None and s.age_year >= since]
        if not chosen:
            within = f" from {since} on" if since is not None else ""
            raise PluginError(
                f"Doc file '{page_src()}': stat_table{tags!r} matches no statistic{within}. "
                "Check the tags in data/stats/*.yml (for example 'role:cfo')."
            )
        rows = [(state().cite(page_src(), s, historical), s) for s in chosen]
        # Out of the search index: pages rank for their advice; the Sources page indexes figures.
        table = render.stat_table(rows, state().old_before, caption)
        return html(f'<div class="pb-stat-block" data-search-exclude>{table}</div>')

    def chart(chart_id: str, historical: bool = True) -> Markup:
        """A chart from data/charts.yml as inline SVG, with its figures cited."""
        catalog = state().catalog
        if chart_id not in catalog.charts:
            raise PluginError(
                f"Doc file '{page_src()}': unknown chart id '{chart_id}'. "
                f"Charts are defined in {store.display('charts.yml')}: "
                f"{', '.join(sorted(catalog.charts))}."
            )
        spec = catalog.charts[chart_id]
        try:
            # Drawn SVGs are cached beside data/ (.cache/charts/), keyed by chart, figures and matplotlib.
            svg = charts.draw_svg(spec, catalog, store.data_dir.parent / ".cache" / "charts")
        except ValueError as exc:
            raise PluginError(f"Doc file '{page_src()}': {exc}") from None
        ids = list(dict.fromkeys(i for _, group in spec.bars for i in group))
        numbers = sorted({state().cite(page_src(), catalog.stats[i], historical) for i in ids})
        cites = ", ".join(f'<a href="#pb-source-{n}">[{n}]</a>' for n in numbers)
        years = sorted({catalog.stats[i].year_label for i in ids})
        # Left to Markdown: it drops the whitespace-only lines of the SVG, which a stashed chart
        # would keep (the built page must not change; charts are few).
        return Markup(
            f'<figure class="pb-chart" id="chart-{escape(chart_id)}">{svg}'
            f"<figcaption>{escape(spec.title)} ({escape(', '.join(years))}). Sources: {cites}"
            "</figcaption></figure>"
        )

    def generated(name: str) -> Markup:
        """A placeholder the plugin fills in once every page is read (sources, reports)."""
        from playbook.plugin import PLACEHOLDERS

        if name not in PLACEHOLDERS:
            raise PluginError(
                f"Doc file '{page_src()}': generated('{name}') is unknown; use one of "
                + ", ".join(PLACEHOLDERS)
            )
        return Markup(PLACEHOLDERS[name])

    def glossary() -> Markup:
        return Markup(render.glossary_list(state().catalog.glossary))

    def cite_evidence(stat_id: str) -> str:
        """One figure an answer rests on: claim, then the figure with its year and citation.

        Marked historical: the line always shows the year (and the older-data label), and the
        answer it supports is written to stand without the figure."""
        found = lookup(stat_id)
        number = state().cite(page_src(), found, True)
        return f"{escape(found.claim.rstrip('.'))}: " + render.stat_inline(
            found, number, state().old_before
        )

    def role_card(role: str) -> Markup:
        """One role's tough questions with model answers, evidence and checklists, from data/roles.yml."""
        from playbook import plays_render
        from playbook.playdata import objections_for

        cards = _data(store.roles)
        if role not in cards:
            raise PluginError(
                f"Doc file '{page_src()}': unknown role '{role}'; use one of {', '.join(cards)}."
            )
        linked = objections_for(role, _data(lambda: store.objections(stats_catalog())))
        return Markup(plays_render.role_card(cards[role], cite_evidence, linked, page_src()))

    def objections() -> Markup:
        """The objection finder, from data/objections.yml, grouped by the concern under each."""
        from playbook import plays_render

        items = _data(lambda: store.objections(stats_catalog()))
        titles = play_titles({link for item in items for link in item.plays})
        return Markup(plays_render.objection_finder(items, titles, cite_evidence, page_src()))

    def play_titles(links: set[str]) -> dict[str, str]:
        docs = Path(env.conf.get("root_dir") or ".") / env.conf["docs_dir"]
        headings: dict[str, dict[str, str]] = {}
        titles = {}
        for link in sorted(links):
            path, _, anchor = link.partition("#")
            if path not in headings:
                file = docs / path
                text = file.read_text(encoding="utf-8") if file.is_file() else ""
                headings[path] = {m["id"]: m["title"] for m in PLAY_HEADING.finditer(text)}
            if anchor not in headings[path]:
                raise PluginError(
                    f"Data file '{store.display('objections.yml')}': play link '{link}' names no "
                    f"play heading '{{ #{anchor} }}' in docs/{path}. Use an existing #play-... anchor."
                )
            titles[link] = headings[path][anchor]
        return titles

    def support_scale() -> Markup:
        """The executive support scale, level by level, from data/support-scale.yml."""
        from playbook import plays_render

        return Markup(plays_render.support_scale(list(_data(store.support_scale).values())))

    def meeting_plan(meeting: str = "group") -> Markup:
        """The meeting agenda with timings, from data/meeting-plan.yml ('group' or 'one-to-one')."""
        from playbook import meeting as plans

        plan = _data(store.meeting_plan)
        if meeting not in plans.MEETINGS:
            raise PluginError(
                f"Doc file '{page_src()}': meeting_plan('{meeting}'): use one of {plans.MEETINGS}."
            )
        return Markup(plans.render_plan(plan.for_meeting(meeting)))

    def worked_case() -> tuple[Case, dict[str, Figure]]:
        """The worked case and its figures (data/case/northwind.yml), read once."""
        return _data(store.worked_case)

    def case(name: str, signed: bool = False) -> Markup:
        """One figure of the worked case, labelled as an assumption or computed from them."""
        from playbook import case as cases

        try:
            return inline_html(cases.figure_html(*worked_case(), name, signed))
        except KeyError as exc:
            raise PluginError(f"Doc file '{page_src()}': {exc.args[0]}") from None

    def case_table(name: str) -> Markup:
        """A table of the worked case: costs, inputs, scenarios, review, ladder, measures."""
        from playbook import case as cases

        try:
            return Markup(cases.table_html(*worked_case(), name))
        except KeyError as exc:
            raise PluginError(f"Doc file '{page_src()}': {exc.args[0]}") from None

    def law(jurisdiction: str = "") -> Markup:
        """The dated map of rules from data/law.yml, for one jurisdiction (US, EU, UK) or all."""
        from playbook import legal

        if jurisdiction and jurisdiction not in legal.JURISDICTION_NAMES:
            raise PluginError(
                f"Doc file '{page_src()}': law('{jurisdiction}') is unknown; use one of "
                + ", ".join(legal.JURISDICTION_NAMES)
            )
        return Markup(legal.law_list(_data(store.law), jurisdiction or None))

    def law_summary() -> Markup:
        """One table of every rule in data/law.yml with its last-checked date."""
        from playbook import legal

        return Markup(legal.law_summary(_data(store.law)))

    def recent_cases() -> Markup:
        """The recent cases from data/cases.yml, newest first."""
        from playbook import legal

        return Markup(legal.case_list(_data(store.cases)))

    def brief_builder() -> Markup:
        """The brief builder's form and preview (toolkit/brief-builder/)."""
        from playbook.brief import builder_data, builder_page

        catalog = state().catalog
        return Markup(
            builder_page.form_html(
                _data(store.roles),
                _data(store.support_scale),
                builder_data.known_industries(catalog),
                builder_data.known_topics(catalog),
            )
        )

    def brief_button(role: str) -> Markup:
        """'Prepare a brief for a CFO': opens the brief builder with the role chosen."""
        from playbook.brief import builder_page

        cards = _data(store.roles)
        if role not in cards:
            raise PluginError(
                f"Doc file '{page_src()}': unknown role '{role}'; use one of {', '.join(cards)}."
            )
        return Markup(builder_page.button_html(cards[role], env.page.url.lstrip("/")))

    macros = (stat, stat_year, stat_table, chart, generated, glossary, role_card, objections)
    for fn in (
        *macros,
        support_scale,
        meeting_plan,
        law,
        law_summary,
        recent_cases,
        case,
        case_table,
        brief_builder,
        brief_button,
    ):
        env.macro(fn, fn.__name__)
        MACROS[fn.__name__] = fn
    _make_render_strict(env)


def page_path(page: Any) -> str:
    """A page's source path inside docs/, such as 'chapters/not-yet.md', under either engine."""
    file = getattr(page, "file", None)
    return file.src_path if file is not None else page.path


def _shared_state(conf: Any) -> BuildState:
    """The process's build state for an engine without the MkDocs plugin (playbook.buildstate)."""
    from playbook.buildstate import shared_state
    from playbook.dates import BuildDateError

    try:
        return _data(lambda: shared_state(Path(conf.get("root_dir") or ".")))
    except BuildDateError as exc:
        raise PluginError(str(exc)) from None


def _data(load: Any) -> Any:
    """`load()`, with a data error raised as the PluginError MkDocs reports (it names the file)."""
    try:
        return load()
    except (DataError, OSError) as exc:
        raise PluginError(str(exc)) from None


MACROS: dict[
    str, Any
] = {}  # every playbook macro by name, filled by `register` (for error messages)


def unknown_name_hint(message: str) -> str:
    """'Did you mean `stat`?' for an undefined name like a macro's, then the list of real macros."""
    import re
    from difflib import get_close_matches

    name = re.match(r"'([^']+)' is undefined", message)
    close = get_close_matches(name.group(1), MACROS, n=1) if name else []
    hint = (
        f"Did you mean `{close[0]}`? " if close else "Check the spelling of the macro or variable. "
    )
    return hint + "The playbook's macros are " + ", ".join(sorted(MACROS)) + "."


def _template_line(exc: BaseException, page: Any, markdown: str) -> str:
    """', line N' for the failing template line, counted in the source file, or ''."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    line = getattr(exc, "lineno", None) or line
    if line is None:
        return ""
    try:
        source = page.file.content_string
        start = source.find(markdown[:200]) if markdown else -1
        offset = source.count("\n", 0, start) if start > 0 else 0
    except (AttributeError, OSError):
        offset = 0
    return f", line {line + offset}"


def _has_jinja(j2: jinja2.Environment, markdown: str) -> bool:
    """False when Jinja would return `markdown` as it is (but for one trailing newline)."""
    return bool(
        j2.variable_start_string in markdown
        or j2.block_start_string in markdown
        or j2.comment_start_string in markdown
        or "\r" in markdown
        or j2.line_statement_prefix
        or j2.line_comment_prefix
    )


def _render_calls(
    j2: jinja2.Environment, markdown: str, variables: dict, cache: dict
) -> str | None:
    """The page with each `{{ call }}` rendered on its own, or None if it needs a full template.

    Compiling a whole page as a Jinja template took longer than converting it to HTML
    (bench/build_scale_bench.py), yet our pages only hold `{{ stat('...') }}`-style calls. Each
    distinct call is compiled once per build and the text around it is kept, as Jinja keeps it
    (including dropping one trailing newline). Blocks, comments, whitespace control, line
    statements or any error take the full template path, which reports errors as before.
    """
    if (
        j2.block_start_string in markdown
        or j2.comment_start_string in markdown
        or "\r" in markdown
        or j2.line_statement_prefix
        or j2.line_comment_prefix
    ):
        return None
    start, end = j2.variable_start_string, j2.variable_end_string
    first, *chunks = markdown.split(start)
    calls = [chunk.partition(end) for chunk in chunks]
    out = [first]
    try:
        # Compile every call before running any, so a fallback never runs a macro twice.
        for expr, found, _rest in calls:
            if not found or expr[:1] in "-+" or expr[-1:] == "-" or "{" in expr or "}" in expr:
                return None
            if expr not in cache:
                cache[expr] = j2.from_string(start + expr + end)
        # What Template.render(variables) does, but the variables (merged with Jinja's globals)
        # are copied once per page, not twice per call.
        parent: dict | None = None
        for expr, _found, rest in calls:
            template = cache[expr]
            if parent is None:
                parent = dict(template.globals, **variables)
            context = template.new_context(parent, shared=True)
            out += [j2.concat(template.root_render_func(context)), rest]
    except Exception:  # noqa: BLE001 - the full path below raises the same error with its line
        return None
    text = "".join(out)
    return text[:-1] if text.endswith("\n") and not j2.keep_trailing_newline else text


def _make_render_strict(env: Any) -> None:
    """Render pages with Jinja and turn every failure into a PluginError naming the page."""
    compiled: dict[str, jinja2.Template] = {}  # one build's `{{ call }}` templates (_render_calls)

    def strict_render(markdown: str, force_rendering: bool = False) -> str:
        page = env.page
        src = page.file.src_path if page is not None else "(unknown page)"
        markdown_stash.begin_page(src)
        meta = getattr(page, "meta", None) or {}
        if meta.get("render_macros") is False:
            return markdown
        if not _has_jinja(env.env, markdown):  # nothing to render: the text as Jinja returns it
            return (
                markdown[:-1]
                if markdown.endswith("\n") and not env.env.keep_trailing_newline
                else markdown
            )
        variables = copy(env.variables)
        variables.update(meta)
        fast = _render_calls(env.env, markdown, variables, compiled)
        if fast is not None:
            return fast
        try:
            return env.env.from_string(markdown).render(**variables)
        except PluginError as exc:
            where = _template_line(exc, page, markdown)
            if where and str(exc).startswith(f"Doc file '{src}':"):
                raise PluginError(
                    str(exc).replace(f"Doc file '{src}':", f"Doc file '{src}'{where}:", 1)
                ) from None
            raise
        except jinja2.TemplateSyntaxError as exc:
            hint = ""
            if "comment" in (exc.message or ""):
                hint = (
                    " If you meant a heading id, write it with spaces: { #my-id } (not {#my-id})."
                )
            raise PluginError(
                f"Doc file '{src}'{_template_line(exc, page, markdown)}: macro syntax error: "
                f"{exc.message}.{hint}"
            ) from None
        except jinja2.UndefinedError as exc:
            raise PluginError(
                f"Doc file '{src}'{_template_line(exc, page, markdown)}: {exc.message}. "
                + unknown_name_hint(exc.message or "")
            ) from None
        except Exception as exc:  # noqa: BLE001 - a macro's own error: report it with the page, never print it
            raise PluginError(
                f"Doc file '{src}'{_template_line(exc, page, markdown)}: macro error: "
                f"{type(exc).__name__}: {exc}"
            ) from None

    env.render = strict_render
