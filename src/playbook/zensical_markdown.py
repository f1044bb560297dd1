"""The Python-Markdown extension Zensical loads for the playbook (zensical.yml lists it).

Zensical runs the macros (mkdocs-macros style) and Markdown extensions, but no MkDocs plugin
and no hook. This extension does, for each page, what the `playbook` plugin does in
`on_page_markdown` under MkDocs, from the same package code:
- after the macros: append the page's numbered source list (the figures its macros cited, kept
  by `playbook.buildstate.shared_state`) and the glossary abbreviations the page uses, and
  escape the front-matter values the theme prints raw (title, description, author);
- around the macros: turn a macro's failure into the playbook's error (file, line, fix), kept in
  `LAST_ERROR` so `playbook zensical build` reports it without Zensical's traceback;
- in raw HTML (what macros write): relative links are meant from the page's URL, as MkDocs
  leaves them; Zensical resolves every relative link from the Markdown file's folder instead, so
  they are rewritten from the file's folder here, and Zensical turns them back into the same URL.
"""

from __future__ import annotations

import functools
import importlib
import posixpath
import re
from pathlib import Path
from typing import Any

import jinja2
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markupsafe import escape

from playbook import render

RE_LINK = re.compile(r'(?P<attr>\s(?:href|src))="(?P<url>[^"#/:?][^":]*)"')
LAST_ERROR: list[str] = []  # the playbook's message for the error that stopped the build


def _context(md: Markdown) -> tuple[Any, dict[str, Any]]:
    """Zensical's page being rendered and its configuration (zensical.extensions.context)."""
    from zensical.extensions.context import ContextPreprocessor

    found = ContextPreprocessor.from_markdown(md)
    if found is None:
        raise RuntimeError("playbook.zensical_markdown runs only under Zensical")
    return found.page, found.config


def _line(exc: BaseException, page: Any, config: dict[str, Any], body: str) -> str:
    """', line N' for the failing template line, counted in the page's source file, or ''."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while line is None and tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None:
        return ""
    source = Path(config.get("root_dir") or ".") / config.get("docs_dir", "docs") / page.path
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        return f", line {line}"
    start = text.find(body[:200]) if body else -1
    return f", line {line + (text.count(chr(10), 0, start) if start > 0 else 0)}"


def macro_error(exc: BaseException, page: Any, config: dict[str, Any], body: str) -> str:
    """The playbook's message for a macro failure on `page`: file, line and fix."""
    from mkdocs.exceptions import PluginError

    from playbook.macros import unknown_name_hint

    src = page.path
    where = _line(exc, page, config, body)
    if isinstance(exc, PluginError):
        text = str(exc)
        prefix = f"Doc file '{src}':"
        return text.replace(prefix, f"Doc file '{src}'{where}:", 1) if where else text
    if isinstance(exc, jinja2.TemplateSyntaxError):
        hint = ""
        if "comment" in (exc.message or ""):
            hint = " If you meant a heading id, write it with spaces: { #my-id } (not {#my-id})."
        return f"Doc file '{src}'{where}: macro syntax error: {exc.message}.{hint}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"Doc file '{src}'{where}: {exc.message}. " + unknown_name_hint(exc.message or "")
    return f"Doc file '{src}'{where}: macro error: {type(exc).__name__}: {exc}"


class StrictMacros(Preprocessor):
    """Runs just before Zensical's macros and makes their failures the playbook's errors."""

    def run(self, lines: list[str]) -> list[str]:
        try:
            macros = self.md.preprocessors["macros"]
        except KeyError:
            macros = None
        if macros is not None and not getattr(macros, "_playbook_strict", False):
            run = macros.run

            def strict_run(lines: list[str]) -> list[str]:
                try:
                    return run(lines)
                except Exception as exc:  # noqa: BLE001 - reported with the page, never printed into it
                    page, config = _context(self.md)
                    LAST_ERROR[:] = [macro_error(exc, page, config, "\n".join(lines))]
                    raise RuntimeError(LAST_ERROR[0]) from None

            macros.run = strict_run
            macros._playbook_strict = True
        return lines


class PageSources(Preprocessor):
    """Runs after the macros: appends the page's source list and its glossary abbreviations."""

    def run(self, lines: list[str]) -> list[str]:
        from playbook.buildstate import shared_state

        page, config = _context(self.md)
        try:
            state = shared_state(Path(config.get("root_dir") or "."))
        except Exception as exc:  # noqa: BLE001 - DataError or BuildDateError: its message names the file
            LAST_ERROR[:] = [str(exc)]
            raise RuntimeError(LAST_ERROR[0]) from None
        # As hooks/escape_front_matter.py under MkDocs: the theme prints these as they are.
        for key in ("title", "description", "author"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = str(escape(page.meta[key]))
        markdown = "\n".join(lines)
        markdown += render.source_list(state.cited.get(page.path, []))
        markdown += render.abbreviations_used(state.catalog.glossary, markdown)
        return markdown.split("\n")


@functools.cache
def _markdown_stash() -> Any:
    """playbook.markdown_stash, where the package has it (looked for once)."""
    try:
        return importlib.import_module("playbook.markdown_stash")
    except ImportError:
        return None


def from_source_folder(url: str, src: str) -> str:
    """A link written relative to page `src`'s URL ('x/y.md' is served as 'x/y/'), rewritten
    relative to the folder of its Markdown file, which is how Zensical reads raw HTML links."""
    stem = posixpath.basename(src).removesuffix(".md")
    if stem == "index":
        return url  # the page's URL is its file's folder
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    joined = posixpath.normpath(posixpath.join(stem, path)) if path else stem
    if path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return joined + rest


class RawLinks(Postprocessor):
    """Before the raw HTML goes back into the page: its links, from the Markdown file's folder."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.done: set[int] = set()  # toc runs every postprocessor again on each heading
        self.done_tokens: set[str] = set()

    def run(self, text: str) -> str:
        page, _config = _context(self.md)
        self._tokens(text, page.path)
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if i in self.done:
                continue
            self.done.add(i)
            if isinstance(block, str) and ("href=" in block or "src=" in block):
                stash[i] = RE_LINK.sub(
                    lambda m: f'{m["attr"]}="{from_source_folder(m["url"], page.path)}"', block
                )
        return text

    def _tokens(self, text: str, src: str) -> None:
        """The same for HTML that macros hand over as tokens, put in after this step (the
        `playbook.markdown_stash` extension, where the package has it)."""
        stash = _markdown_stash()
        if stash is None:
            return
        table = stash._table
        for token in set(stash.TOKEN.findall(text)) - self.done_tokens:
            self.done_tokens.add(token)
            if token in table:
                html, owner = table[token]
                fixed = RE_LINK.sub(
                    lambda m: f'{m["attr"]}="{from_source_folder(m["url"], src)}"', html
                )
                table[token] = (fixed, owner)


class PlaybookExtension(Extension):
    """The playbook's page glue for Zensical (zensical.yml: markdown_extensions)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Zensical's macros preprocessor has priority 35: one just before it, one just after.
        md.preprocessors.register(StrictMacros(md), "playbook_strict_macros", 36)
        md.preprocessors.register(PageSources(md), "playbook_page_sources", 34)
        # Python-Markdown puts raw HTML back at priority 30: just before it.
        md.postprocessors.register(RawLinks(md), "playbook_raw_links", 31)


def makeExtension(**kwargs: Any) -> PlaybookExtension:
    return PlaybookExtension(**kwargs)
