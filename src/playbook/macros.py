"""The macros content writers call in pages, as thin functions over the build's loaded data.

`register(env)` is all `macros/__init__.py` does. It also replaces mkdocs-macros' renderer with
one that raises `PluginError` (file, line, fix) instead of printing the error into the page or
calling `exit()`, so `mkdocs build --strict` fails loudly and `mkdocs serve` keeps running.
"""

from __future__ import annotations

from copy import copy
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

from playbook import charts, render

if TYPE_CHECKING:
    from playbook.plugin import BuildState, PlaybookPlugin


def register(env: Any) -> None:
    """Register every playbook macro on a mkdocs-macros `env` and make its errors strict."""
    plugin: PlaybookPlugin = env.conf["plugins"]["playbook"]

    def state() -> BuildState:
        return plugin._state()

    def page_src() -> str:
        return env.page.file.src_path

    def lookup(stat_id: str):
        try:
            return state().catalog.get(stat_id)
        except KeyError as exc:
            raise PluginError(f"Doc file '{page_src()}': {exc.args[0]}") from None

    def stat(stat_id: str, historical: bool = False) -> Markup:
        """A figure inline: value, year, older-data label and a numbered citation."""
        found = lookup(stat_id)
        number = state().cite(page_src(), found, historical)
        return Markup(render.stat_inline(found, number, state().old_before))

    def stat_year(stat_id: str) -> Markup:
        """Only the year of a figure, for sentences such as 'in {{ stat_year('x') }}'."""
        return Markup(escape(lookup(stat_id).year_label))

    def stat_table(*tags: str, caption: str = "", historical: bool = False) -> Markup:
        """A table of every statistic carrying all the given tags, in data order."""
        chosen = state().catalog.tagged(*tags)
        if not chosen:
            raise PluginError(
                f"Doc file '{page_src()}': stat_table{tags!r} matches no statistic. "
                "Check the tags in data/stats/*.yml (for example 'role:cfo')."
            )
        rows = [(state().cite(page_src(), s, historical), s) for s in chosen]
        return Markup(render.stat_table(rows, state().old_before, caption))

    def chart(chart_id: str, historical: bool = True) -> Markup:
        """A chart from data/charts.yml as inline SVG, with its figures cited."""
        catalog = state().catalog
        if chart_id not in catalog.charts:
            raise PluginError(
                f"Doc file '{page_src()}': unknown chart id '{chart_id}'. "
                f"Charts are defined in data/charts.yml: {', '.join(sorted(catalog.charts))}."
            )
        spec = catalog.charts[chart_id]
        try:
            svg = charts.draw_svg(spec, catalog)
        except ValueError as exc:
            raise PluginError(f"Doc file '{page_src()}': {exc}") from None
        ids = list(dict.fromkeys(i for _, group in spec.bars for i in group))
        numbers = sorted({state().cite(page_src(), catalog.stats[i], historical) for i in ids})
        cites = ", ".join(f'<a href="#pb-source-{n}">[{n}]</a>' for n in numbers)
        years = sorted({catalog.stats[i].year_label for i in ids})
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

    def role_card(role: str) -> Markup:
        """One role's tough questions with answer checklists, from data/roles.yml."""
        from playbook import plays_render

        cards = state().roles()
        if role not in cards:
            raise PluginError(
                f"Doc file '{page_src()}': unknown role '{role}'; use one of {', '.join(cards)}."
            )
        return Markup(plays_render.role_card(cards[role]))

    def support_scale() -> Markup:
        """The executive support scale, level by level, from data/support-scale.yml."""
        from playbook import plays_render

        return Markup(plays_render.support_scale(list(state().support_scale().values())))

    def meeting_plan() -> Markup:
        """The meeting agenda with timings, from data/meeting-plan.yml."""
        from playbook import meeting

        return Markup(meeting.render_plan(state().meeting_plan()))

    def brief_builder() -> Markup:
        """The brief builder's form and preview (toolkit/brief-builder/)."""
        from playbook.brief import builder_data, builder_page

        catalog = state().catalog
        return Markup(builder_page.form_html(
            state().roles(), state().support_scale(),
            builder_data.known_industries(catalog), builder_data.known_topics(catalog),
        ))

    def brief_button(role: str) -> Markup:
        """'Prepare a brief for a CFO': opens the brief builder with the role chosen."""
        from playbook.brief import builder_page

        cards = state().roles()
        if role not in cards:
            raise PluginError(
                f"Doc file '{page_src()}': unknown role '{role}'; use one of {', '.join(cards)}."
            )
        return Markup(builder_page.button_html(cards[role], env.page.url))

    for fn in (stat, stat_year, stat_table, chart, generated, glossary, role_card, support_scale, meeting_plan,
               brief_builder, brief_button):
        env.macro(fn, fn.__name__)
    _make_render_strict(env)


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


def _render_calls(j2: jinja2.Environment, markdown: str, variables: dict, cache: dict) -> str | None:
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
        for expr, _found, rest in calls:
            out += [cache[expr].render(variables), rest]
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
        meta = getattr(page, "meta", None) or {}
        if meta.get("render_macros") is False:
            return markdown
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
                raise PluginError(str(exc).replace(f"Doc file '{src}':", f"Doc file '{src}'{where}:", 1)) from None
            raise
        except jinja2.TemplateSyntaxError as exc:
            hint = ""
            if "comment" in exc.message:
                hint = " If you meant a heading id, write it with spaces: { #my-id } (not {#my-id})."
            raise PluginError(
                f"Doc file '{src}'{_template_line(exc, page, markdown)}: macro syntax error: "
                f"{exc.message}.{hint}"
            ) from None
        except jinja2.UndefinedError as exc:
            raise PluginError(
                f"Doc file '{src}'{_template_line(exc, page, markdown)}: {exc.message}. "
                "Check the spelling of the macro or variable; "
                "the playbook's macros are stat, stat_year, stat_table, chart, generated and glossary."
            ) from None
        except Exception as exc:  # a macro's own error: report it with the page, never print it
            raise PluginError(
                f"Doc file '{src}'{_template_line(exc, page, markdown)}: macro error: "
                f"{type(exc).__name__}: {exc}"
            ) from None

    env.render = strict_render
