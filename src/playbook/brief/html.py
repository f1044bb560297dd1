"""Render a brief's content as one self-contained HTML page for Chromium to print.

The Jinja2 template (`templates/brief.html.j2`, autoescaped) lays the brief out; its print CSS
(`templates/brief.css`) gets the running header as literal strings, because `var()` renders as
nothing inside `@page` margin boxes. Figures and sources go through `playbook.render`, escaped.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import jinja2
import segno
from markupsafe import Markup, escape

from playbook import render
from playbook.brief.content import BriefContent
from playbook.brief.pdf import css_string
from playbook.meeting import render_plan

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PAPER = {"a4": "A4", "letter": "letter"}


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def focus_label(tag: str) -> str:
    """'topic:roi' -> 'ROI', 'topic:social-ceo' -> 'social ceo'."""
    words = tag.removeprefix("topic:").split("-")
    return " ".join(w.upper() if len(w) <= 3 and len(words) == 1 else w for w in words)


@functools.lru_cache(maxsize=64)  # one per role page; the brief builder renders each many times
def qr_svg(url: str) -> Markup:
    """A QR code for `url` as inline SVG, labelled for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=3, title=f"QR code: {url}", svgclass="pb-qr")
    return Markup(
        svg.replace("<svg ", '<svg role="img" aria-label="QR code linking to the role page" ', 1)
    )


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def print_css(content: BriefContent, paper: str) -> Markup:
    """The brief's stylesheet with the paper size and the running header filled in."""
    profile = content.profile
    header = f"Executive brief \u2014 prepared for {profile.name}, {profile.title}"
    css = (TEMPLATES / "brief.css").read_text(encoding="utf-8")
    css = css.replace("/*PAPER*/A4", PAPER[paper]).replace('/*HEADER*/""', css_string(header))
    return Markup(css)


def render_html(content: BriefContent, paper: str = "a4") -> str:
    """The whole brief as HTML (A4 or Letter)."""
    if paper not in PAPER:
        raise ValueError(f"paper '{paper}' is not known; use one of: {', '.join(PAPER)}")
    old = content.old_before
    figures = [
        {"inline": Markup(render.stat_inline(stat, number, old)), "stat": stat}
        for number, stat in content.figures
    ]
    answers = [
        [
            Markup(f"{escape(stat.claim.rstrip('.'))}: {render.stat_inline(stat, number, old)}")
            for number, stat in rested
        ]
        for rested in content.rests_on
    ] or [[] for _ in content.card.questions]
    sources = [
        {"number": number, "entry": Markup(render.source_entry_html(stat))}
        for number, stat in content.sources
    ]
    template = _environment().get_template("brief.html.j2")
    return template.render(
        c=content,
        p=content.profile,
        css=print_css(content, paper),
        meeting_date=long_date(content.profile.meeting_date),
        figures=figures,
        answers=answers,
        key_figures=figures[: len(content.key_figures)],
        sources=sources,
        agenda=Markup(render_plan(content.plan)),
        qr=qr_svg(content.role_url),
        short_url=content.role_url.split("://", 1)[-1],
        old_label=render.OLD_LABEL,
        focus=[focus_label(tag) for tag in content.profile.focus],
    )
