"""The brief builder's data (toolkit/brief-builder/): every brief, pre-rendered at build time.

The page's script (docs/assets/javascripts/brief-builder.js) holds no brief logic: it puts
together HTML that `playbook brief`'s own code made, and types the reader's words into it as text.

- Figures depend on role, industry and focus. For each role, `assemble` (the command's function)
  runs for every industry and every set of the topics its statistics carry; each distinct choice
  of figures is one of the role's *variants*, and `variants` maps (industry, topic mask) to one.
- For each role, support level, variant and "focus given or not", `render_html` (the command's
  renderer and template) renders the whole brief for a profile whose free-text fields are
  placeholder tokens (`TOKENS`). The brief's blocks are stored once each (`chunks`), a section
  is a list of chunk numbers (`sections`), a brief a list of section numbers (`briefs`). Tokens
  only ever sit in text, never in markup (checked here). A profile field listed in
  `CHOICE_FIELDS` that the profile model has (e.g. `meeting`) is one more dimension of `briefs`.
- `pageCss` holds the brief's @page rules (paper size, running header), `briefCss` the rest of its
  stylesheet, for the preview's shadow root.

The JSON is deterministic (sorted keys, no dates): two builds of one commit give the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import typing
from collections.abc import Iterable, Iterator
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import escape

from playbook.brief import content as brief_content
from playbook.brief.content import BriefInputs
from playbook.brief.html import focus_label, long_date, print_css, render_html
from playbook.brief.profile import EXPECTED, Profile
from playbook.brief.siteinfo import SiteInfo
from playbook.cachefile import write_cache_file
from playbook.data import Catalog

if TYPE_CHECKING:
    from playbook.buildstate import BuildState

DATA_PATH = "toolkit/brief-builder/brief-data.json"
PREFIX = "pbqx"  # tokens are PREFIX + field name, lower case; "Pbqx..." is the same, capitalised
TEXT_FIELDS = ("name", "title", "organisation", "presenter", "industry", "ask", "focus")
TOKENS = {name: PREFIX + name for name in TEXT_FIELDS}
TOKEN_DATE = date(1904, 2, 29)  # no meeting is on this day; its long form is replaced as text
RE_TOKEN = re.compile(PREFIX + "[a-z]+", re.IGNORECASE)
# Profile fields chosen from a short list, beyond role and support level (e.g. `meeting`, once
# the profile model has it): each becomes a choice in the form and a dimension of `briefs`.
CHOICE_FIELDS = ("meeting",)


class BuilderDataError(ValueError):
    """The brief's template or data cannot be pre-rendered for the builder; says what to change."""


def extra_choices() -> dict[str, tuple[str, ...]]:
    """Choice fields the profile model has, with their allowed values ('' when optional)."""
    found = {}
    for name in CHOICE_FIELDS:
        field = Profile.model_fields.get(name)
        if field is None:
            continue
        values: list[str] = []
        for arg in _literal_values(field.annotation):
            values.append("" if arg is None else str(arg))
        if field.default is None and "" not in values:
            values.append("")
        found[name] = tuple(values)
    return found


def _literal_values(annotation: object) -> Iterator[object]:
    if typing.get_origin(annotation) is typing.Literal:
        yield from typing.get_args(annotation)
        return
    for arg in typing.get_args(annotation):
        if arg is type(None):
            yield None
        else:
            yield from _literal_values(arg)


def industry_label(slug: str) -> str:
    return Profile.model_construct(industry=slug).industry_label


def known_industries(catalog: Catalog) -> list[str]:
    return sorted(
        {
            t.removeprefix("industry:")
            for s in catalog.stats.values()
            for t in s.tags
            if t.startswith("industry:")
        }
    )


def known_topics(catalog: Catalog) -> list[str]:
    """The focus topics a profile may name (the ones `check_focus` accepts)."""
    return sorted({t for s in catalog.stats.values() for t in s.tags if t.startswith("topic:")})


def _profile(role: str, level: str, **fields: object) -> Profile:
    values: dict[str, typing.Any] = {
        "name": TOKENS["name"],
        "title": TOKENS["title"],
        "role": role,
        "support_level": level,
        "organisation": TOKENS["organisation"],
        "industry": TOKENS["industry"],
        "meeting_date": TOKEN_DATE,
        "presenter": TOKENS["presenter"],
        "focus": (),
        "ask": TOKENS["ask"],
    }
    values.update(fields)
    return Profile.model_construct(**values)


def _role_variants(
    role: str, inputs: BriefInputs
) -> tuple[dict[str, object], list[tuple[str, tuple[str, ...]]]]:
    """The role's figure choices: the industry and topic tags that matter, and for each distinct
    result one (industry, focus) that gives it."""
    # Only statistics that can be figures matter (content.pick_figures keeps these kinds).
    mine = [
        s for s in inputs.catalog.tagged(f"role:{role}") if s.kind in brief_content.FIGURE_KINDS
    ]
    industries = sorted({t for s in mine for t in s.tags if t.startswith("industry:")})
    topics = sorted({t for s in mine for t in s.tags if t.startswith("topic:")})
    if len(topics) > 12:
        raise BuilderDataError(
            f"Role '{role}' has statistics with {len(topics)} topics; the brief builder pre-renders "
            "every set of them and stops at 12. Tag fewer topics on this role's statistics in data/stats/."
        )
    level = next(iter(inputs.scale))
    seen: dict[tuple, int] = {}
    contents: list[tuple[str, tuple[str, ...]]] = []
    table = []
    for industry in [None, *industries]:
        slug = industry.removeprefix("industry:") if industry else "none-of-these"
        for mask in range(1 << len(topics)):
            focus = tuple(t for i, t in enumerate(topics) if mask >> i & 1)
            made = brief_content.assemble(_profile(role, level, industry=slug, focus=focus), inputs)
            key = (tuple(s.id for _, s in made.figures), made.industry_figures)
            if key not in seen:
                seen[key] = len(contents)
                contents.append((slug, focus))
            table.append(seen[key])
    info = {"industries": industries, "topics": topics, "variants": table}
    return info, contents


class _Chunks:
    """Each distinct block of HTML once, each distinct section (a list of block numbers) once;
    a brief is the list of its sections' numbers."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.groups: dict[tuple[int, ...], int] = {}

    def group(self, blocks: list[str]) -> int:
        key = tuple(self.add(block) for block in blocks)
        return self.groups.setdefault(key, len(self.groups))

    def add(self, html: str) -> int:
        if html not in self.index:
            _check_tokens_in_text(html)
            self.index[html] = len(self.index)
        return self.index[html]

    def listed(self) -> list[str]:
        return list(self.index)


CONTAINERS = {"main", "section", "div", "table", "thead", "tbody", "tfoot", "ol", "ul", "dl"}


def _blocks(html: str) -> Iterator[list[str]]:
    """The brief's <main> cut into blocks, one list per section: containers (sections, lists, tables) become their open
    tag, their children's blocks and their close tag, so a table row or list item shared by many
    briefs is stored once. Whitespace between a container's children is dropped."""
    from selectolax.lexbor import LexborHTMLParser

    main = LexborHTMLParser(html).css_first("main")
    if main is None:
        raise BuilderDataError(
            "The brief template (templates/brief.html.j2) has no <main>; the builder shows what is inside it."
        )
    for node in main.iter(include_text=False):
        yield list(_split(node))


def _split(node) -> Iterator[str]:
    children = list(node.iter(include_text=True))
    texts = [c for c in children if c.tag == "-text"]
    if (
        node.tag not in CONTAINERS
        or not children
        or any((t.text_content or "").strip() for t in texts)
    ):
        yield node.html or ""
        return
    attrs = "".join(f' {k}="{escape(v or "")}"' for k, v in node.attributes.items())
    yield f"<{node.tag}{attrs}>"
    for child in children:
        if child.tag != "-text":
            yield from _split(child)
    yield f"</{node.tag}>"


def _check_tokens_in_text(chunk: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    in_html = len(RE_TOKEN.findall(chunk))
    if not in_html:
        return
    body = LexborHTMLParser(chunk).body
    if body is None:  # lexbor always builds <body>, even for a fragment
        raise BuilderDataError("The HTML parser returned no <body> for a brief section.")
    in_text = len(RE_TOKEN.findall(body.text(deep=True) or ""))
    if in_text != in_html:
        raise BuilderDataError(
            "The brief template puts a profile field inside an HTML attribute; the brief builder "
            f"fills fields as text only. Move it into the element's text: {chunk[:200]!r}"
        )


def _split_page_rules(css: str) -> tuple[str, str]:
    """(the @page rules, everything else) of a stylesheet; braces are matched, comments kept out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    pages, rest, i = [], [], 0
    for match in re.finditer(r"@page\b[^{]*\{", css):
        if match.start() < i:
            continue
        depth, j = 1, match.end()
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        rest.append(css[i : match.start()])
        pages.append(css[match.start() : j])
        i = j
    rest.append(css[i:])
    return "\n".join(pages), "".join(rest)


def _shadow_css(css: str) -> str:
    """The brief's screen and print rules for the preview's shadow root: `body` becomes `:host`,
    which first drops every property the page around it would pass down (Material's fonts)."""
    host = ":host { all: initial; display: block; }\n"
    # On screen: links stand out, and long figures wrap on a phone (paper is wide enough).
    screen = "@media screen { a { text-decoration: underline; } .pb-stat__value, .pb-old { white-space: normal; } }\n"
    return (
        host + re.sub(r"(?m)^(?:html,\s*body|body)(\s*\{)", r":host\1", css).strip() + "\n" + screen
    )


def builder_data(inputs: BriefInputs) -> dict[str, object]:
    """Everything the builder page needs, as plain JSON-ready data."""
    catalog, cards, scale, site = inputs.catalog, inputs.cards, inputs.scale, inputs.site
    chunks = _Chunks()
    choices = extra_choices()
    roles, briefs = {}, {}
    css: dict[str, str] = {}
    for role in cards:
        info, variants = _role_variants(role, inputs)
        card = cards[role]
        roles[role] = {**info, "title": card.title, "url": site.page_url(card.page)}
        for number, (slug, focus) in enumerate(variants):
            for level in scale:
                for focused in (False, True):
                    for extra in _extra_combinations(choices):
                        fields = {name: value or None for name, value in extra.items()}
                        # Chosen for the real industry and focus; shown with tokens in their place.
                        made = brief_content.assemble(
                            _profile(role, level, industry=slug, focus=focus, **fields), inputs
                        )
                        shown = (f"topic:{TOKENS['focus']}",) if focused else ()
                        content = dataclasses.replace(
                            made, profile=_profile(role, level, focus=shown, **fields)
                        )
                        html = render_html(content, "a4")
                        ids = []
                        for section in _blocks(html):
                            ids.append(chunks.group(section))
                        key = "|".join(
                            [role, level, str(number), "1" if focused else "0", *extra.values()]
                        )
                        briefs[key] = ids
                        if not css:
                            for paper in ("a4", "letter"):
                                page_rules, rest = _split_page_rules(str(print_css(content, paper)))
                                css[paper] = page_rules
                                css["brief"] = _shadow_css(rest)
    levels = {}
    for key, scale_level in scale.items():  # the ask a brief shows when the profile has none
        no_ask = _profile(next(iter(cards)), key, ask=None)
        levels[key] = {
            "name": scale_level.name,
            "defaultAsk": brief_content.assemble(no_ask, inputs).ask,
        }
    return {
        "version": 1,
        "prefix": PREFIX,
        "dateToken": long_date(TOKEN_DATE),
        "months": [long_date(date(2000, month, 1)).split(" ")[1] for month in range(1, 13)],
        "fields": list(EXPECTED),
        "choices": {name: list(values) for name, values in choices.items()},
        "roles": roles,
        "levels": levels,
        "topics": {tag: focus_label(tag) for tag in known_topics(catalog)},
        "industries": {slug: industry_label(slug) for slug in known_industries(catalog)},
        "briefs": briefs,
        "chunks": chunks.listed(),
        "sections": [list(key) for key in chunks.groups],
        "pageCss": {"a4": css["a4"], "letter": css["letter"]},
        "briefCss": css["brief"],
        "title": f"Executive brief for {TOKENS['name']}, {TOKENS['title']}",
    }


def _extra_combinations(choices: dict[str, tuple[str, ...]]) -> Iterator[dict[str, str]]:
    combos: list[dict[str, str]] = [{}]
    for name, values in choices.items():
        combos = [{**combo, name: value} for combo in combos for value in values]
    yield from combos


def to_json(data: dict[str, object]) -> str:
    """Deterministic, compact JSON; '<' is escaped so the file is inert in any HTML context."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def brief_key(role: str, level: str, variant: int, focused: bool, extra: Iterable[str] = ()) -> str:
    """The key of one pre-rendered brief in `briefs` (the script builds the same string)."""
    return "|".join([role, level, str(variant), "1" if focused else "0", *extra])


_MEMO: dict[str, str] = {}  # one process's builds (mkdocs serve, the test session) render once
# The code a brief's pre-render runs: any change to the package draws it anew (like the charts).
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_key(inputs: BriefInputs) -> str:
    """What the builder's JSON depends on: the data it shows, the brief's template and stylesheet,
    the package's code and the versions of the libraries that render it."""
    from playbook.brief.html import TEMPLATES

    stats = [s for s in inputs.catalog.stats.values() if s.kind in brief_content.FIGURE_KINDS]
    rest = (inputs.cards, inputs.scale, inputs.plan, inputs.site, inputs.objections)
    parts = [repr(x) for x in (stats, *rest, extra_choices())]
    parts += [
        (TEMPLATES / name).read_text(encoding="utf-8") for name in ("brief.html.j2", "brief.css")
    ]
    parts += [sys.version, *(version(lib) for lib in ("jinja2", "markupsafe", "pydantic"))]
    digest = hashlib.sha256("\0".join(parts).encode())
    for code in sorted(_PACKAGE.rglob("*.py")):
        digest.update(code.relative_to(_PACKAGE).as_posix().encode() + b"\0" + code.read_bytes())
    return digest.hexdigest()


def build_json(state: BuildState, site_url: str) -> str:
    """The builder's JSON for one build, under either engine (the MkDocs plugin's on_files,
    `playbook zensical build`), cached in `.cache/brief-builder/` beside `data/`."""
    store = state.store
    if store is None:
        raise BuilderDataError("the build's data was not loaded before the brief builder's data")
    site = SiteInfo(site_url=(site_url or "/").rstrip("/") + "/", old_before=state.old_before)
    inputs = BriefInputs(
        state.catalog,
        store.roles(),
        store.support_scale(),
        store.meeting_plan(),
        site,
        tuple(store.objections(state.catalog)),
    )
    return site_json(
        inputs,
        cache_dir=store.data_dir.parent / ".cache" / "brief-builder",
    )


def site_json(inputs: BriefInputs, cache_dir: Path | None = None) -> str:
    """The builder's JSON file; rebuilt only when the data, template, stylesheet or code change.

    Pre-rendering every brief takes longer than building a thousand pages, so the JSON is kept in
    this process and, with `cache_dir` (`.cache/brief-builder/` beside `data/`), on disk."""
    key = cache_key(inputs)
    if key in _MEMO:
        return _MEMO[key]
    cached = cache_dir / f"brief-data-{key}.json" if cache_dir is not None else None
    text = None
    if cached is not None:
        try:
            text = cached.read_text(encoding="utf-8")
            os.utime(cached)  # used now: the pruning keeps the most recently used
        except (OSError, UnicodeDecodeError):
            text = None
    if text is None:
        text = to_json(builder_data(inputs))
        if cached is not None:
            _write_cache(cached, text)
    _MEMO.clear()
    _MEMO[key] = text
    return text


CACHE_KEEP = 4  # entries: `make build`, `make serve` and a test's site address each have one


def _write_cache(cached: Path, text: str) -> None:
    """Add one JSON file to the cache folder, keeping the CACHE_KEEP most recently used (each
    site address has its own, as the briefs link to it); a cache that cannot be written only
    costs time."""
    if not write_cache_file(cached, text):
        return
    try:
        entries = sorted(
            cached.parent.glob("brief-data-*.json"), key=lambda f: f.stat().st_mtime_ns
        )
        for old in entries[:-CACHE_KEEP]:
            if old != cached:
                old.unlink(missing_ok=True)
    except OSError:
        pass
