"""Pure builders of page content from loaded data: inline figures, citations, tables, reports.

No MkDocs imports here: every function takes data and returns Markdown or HTML text, so each
can be tested against a literal string. Everything that comes from data is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from markupsafe import escape

from playbook.data import GlossaryTerm, Stat

OLD_LABEL = "older data"


@dataclass(frozen=True)
class PageRef:
    """A page of the site as reports link to it."""

    title: str
    url: str  # relative to the site root, e.g. "chapters/roi/"
    src: str = ""


def source_key(stat: Stat) -> tuple[str, str]:
    """Figures from the same source share one number in a page's source list."""
    return (stat.source.title, stat.source.url or stat.source.seed or "")


def source_text(stat: Stat) -> str:
    """The source in one line of plain text: title, publisher, date."""
    src = stat.source
    parts = [src.title, src.publisher]
    if src.published:
        parts.append(src.published)
    return ". ".join(p.rstrip(".") for p in parts) + "."


def hover_text(stat: Stat) -> str:
    text = f"Source: {source_text(stat)} Year: {stat.year_label}."
    if stat.verification.status != "verified":
        text += f" Reported by {stat.verification.by}."
    return text


def old_label(stat: Stat, old_before: int) -> str:
    if not stat.is_old(old_before):
        return ""
    return (
        f' <span class="pb-old" title="Collected or published before {old_before}">'
        f"{OLD_LABEL}</span>"
    )


def stat_inline(stat: Stat, number: int, old_before: int) -> str:
    """The figure as it sits in a sentence: value, year, age label, citation number."""
    caveat = ""
    if stat.verification.status == "unverified":
        caveat = (
            f' <span class="pb-unverified">(reported by {escape(stat.verification.by)}, '
            "not independently confirmed)</span>"
        )
    return (
        f'<span class="pb-stat" data-stat="{escape(stat.id)}">'
        f'<strong class="pb-stat__value">{escape(stat.inline)}</strong> '
        f'<span class="pb-stat__year">({escape(stat.year_label)})</span>'
        f"{old_label(stat, old_before)}{caveat}"
        f'<sup class="pb-cite"><a href="#pb-source-{number}" title="{escape(hover_text(stat))}">'
        f"[{number}]</a></sup></span>"
    )


def source_entry_html(stat: Stat) -> str:
    src = stat.source
    bits = [f"<cite>{escape(src.title)}</cite>", escape(src.publisher)]
    if src.published:
        bits.append(escape(src.published))
    text = ". ".join(str(b) for b in bits) + "."
    if src.url:
        text += f' <a class="pb-url" href="{escape(src.url)}">{escape(src.url)}</a>'
    elif src.seed:
        text += f" Seed post <code>{escape(src.seed)}</code> (not published on this site)."
    if src.interest:
        text += f' <span class="pb-interest">Interest: {escape(src.interest.rstrip("."))}.</span>'
    if stat.verification.status != "verified" and not _named_in_publisher(stat):
        text += f' <span class="pb-secondary">Reported by {escape(stat.verification.by)}.</span>'
    return text


def _named_in_publisher(stat: Stat) -> bool:
    """True when the publisher line already names who reported the figure, e.g. publisher
    "Gartner (reported by MBN Channel)" and by "MBN Channel": saying it twice only adds lines."""
    by = stat.verification.by
    if by is None:  # Verification requires 'by' for any status but 'verified'
        raise ValueError(f"statistic '{stat.id}' is {stat.verification.status} but names no 'by'")
    reporter = by.split(" (", 1)[0].strip().casefold()
    return bool(reporter) and reporter in stat.source.publisher.casefold()


def verification_text(stat: Stat) -> str:
    """How the figure was checked, in plain words (plain text, not escaped)."""
    ver = stat.verification
    if ver.status == "verified":
        return "Verified on the publisher's own page."
    if ver.status == "reported":
        return f"Reported by {ver.by}: read in an article about the study, not on the publisher's own page."
    return f"Not verified: reported by {ver.by}, and not confirmed on the publisher's own page."


def provenance_html(stat: Stat) -> str:
    """What anyone can check about one figure: the sentence it was read in, how it was verified
    and its caveat. Left out of the search index: the Sources page must not rank for its quotes."""
    lines = []
    if stat.verification.quote:
        lines.append(f'<p class="pb-read-in">Read in: <q>{escape(stat.verification.quote)}</q></p>')
    lines.append(f'<p class="pb-verification">{escape(verification_text(stat))}</p>')
    if stat.caveat:
        lines.append(f'<p class="pb-caveat">Caveat: {escape(stat.caveat.rstrip("."))}.</p>')
    return '<div class="pb-provenance" data-search-exclude>' + "".join(lines) + "</div>"


SOURCES_ID = "sources-cited"  # the id of the source list's heading (playbook.search_view finds it)


def source_list(cited: Sequence[tuple[int, Stat]], place: Callable[[str], str] = str) -> str:
    """The numbered source list at the end of a page (Markdown heading, HTML list).

    `place` turns the list's HTML into what the Markdown holds (the plugin passes
    `playbook.markdown_stash.stash`, so Markdown never parses it). Left out of the search index,
    heading and list: a page should not rank for the titles it cites."""
    if not cited:
        return ""
    items = "\n".join(
        f'<li id="pb-source-{number}" value="{number}">{source_entry_html(stat)}</li>'
        for number, stat in cited
    )
    listed = place(f'<ol class="pb-sources" data-search-exclude>\n{items}\n</ol>')
    heading = f"## Sources cited on this page {{ #{SOURCES_ID} data-search-exclude }}"
    return f"\n\n{heading}\n\n{listed}\n"


def stat_table(rows: Sequence[tuple[int, Stat]], old_before: int, caption: str = "") -> str:
    """A table of statistics, newest first: claim, figure with year and citation, population."""
    if not rows:
        raise ValueError("no statistics match; check the tag")
    rows = sorted(rows, key=lambda row: -(row[1].age_year or 0))  # stable: data order within a year
    body = "\n".join(
        "<tr>"
        f"<td>{escape(stat.claim)}</td>"
        f"<td>{stat_inline(stat, number, old_before)}</td>"
        f"<td>{escape(stat.population)}</td>"
        "</tr>"
        for number, stat in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="pb-stat-table">{cap}<thead><tr><th scope="col">What was counted</th>'
        '<th scope="col">Figure</th><th scope="col">Who was counted</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _page_links(pages: Iterable[PageRef], base: str) -> str:
    links = [f'<a href="{escape(base + p.url)}">{escape(p.title)}</a>' for p in pages]
    return ", ".join(links) if links else "<em>not cited on any page</em>"


def sources_index(
    stats: Sequence[Stat], cited_on: dict[str, list[PageRef]], base: str, old_before: int
) -> str:
    """The Sources page: every source, the figures taken from it and the pages citing each, with
    each figure's provenance (the sentence it was read in, its verification and its caveat)."""
    groups: dict[tuple[str, str], list[Stat]] = {}
    for stat in stats:
        groups.setdefault(source_key(stat), []).append(stat)
    parts = ['<div class="pb-sources-index">']
    for key in sorted(groups, key=lambda k: k[0].lower()):
        members = groups[key]
        parts.append(f'<section class="pb-source"><p>{source_entry_html(members[0])}</p><ul>')
        for stat in members:
            pages = cited_on.get(stat.id, [])
            parts.append(
                f'<li id="stat-{escape(stat.id)}"><strong>{escape(stat.figure)}</strong> '
                f"({escape(stat.year_label)}){old_label(stat, old_before)}: {escape(stat.claim.rstrip('.'))}. "
                f'<span class="pb-cited-on">Cited on: {_page_links(pages, base)}</span>'
                f"{provenance_html(stat)}</li>"
            )
        parts.append("</ul></section>")
    parts.append("</div>")
    return "\n".join(parts)


def freshness_report(
    stats: Sequence[Stat],
    cited_on: dict[str, list[PageRef]],
    today: date,
    old_before: int,
    base: str,
) -> str:
    """Every statistic's age in years (from the build date) and the pages that use it."""

    def age(stat: Stat) -> str:
        return "unknown" if stat.age_year is None else str(today.year - stat.age_year)

    ordered = sorted(stats, key=lambda s: (s.age_year is None, s.age_year or 0, s.id))
    rows = "\n".join(
        "<tr>"
        f'<td><a href="{escape(base)}sources/#stat-{escape(s.id)}">{escape(s.id)}</a></td>'
        f"<td>{escape(s.year_label)}</td><td>{age(s)}</td>"
        f"<td>{'yes' if s.is_old(old_before) else 'no'}</td>"
        f"<td>{_page_links(cited_on.get(s.id, []), base)}</td>"
        "</tr>"
        for s in ordered
    )
    return (
        f'<p class="pb-report-date">Ages are computed from the build date, {today.isoformat()}. '
        f"Figures collected before {old_before} carry the &ldquo;{OLD_LABEL}&rdquo; label.</p>"
        '<table class="pb-freshness"><thead><tr><th scope="col">Statistic</th>'
        '<th scope="col">Year</th><th scope="col">Age (years)</th><th scope="col">Older data</th>'
        f'<th scope="col">Used on</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def review_report(overdue: Sequence[tuple[PageRef, str, date]], today: date, base: str) -> str:
    """Pages whose review_by date has passed, as of the build date."""
    head = f'<p class="pb-report-date">As of the build date, {today.isoformat()}.</p>'
    if not overdue:
        return head + "<p>Every page is within its review date.</p>"
    rows = "\n".join(
        f'<tr><td><a href="{escape(base + page.url)}">{escape(page.title)}</a></td>'
        f"<td>{escape(owner)}</td><td>{due.isoformat()}</td>"
        f"<td>{(today - due).days}</td></tr>"
        for page, owner, due in overdue
    )
    return (
        head + '<table class="pb-review"><thead><tr><th scope="col">Page</th>'
        '<th scope="col">Owner</th><th scope="col">Review by</th><th scope="col">Days overdue</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def abbreviation_map(terms: Iterable[GlossaryTerm]) -> dict[str, str]:
    """Each term's definition on one line (Markdown escapes the title), as shown on hover."""
    return {term.term: " ".join(term.definition.split()) for term in terms}


_TAG = re.compile(r"(<[^>]*>)")
_AMP = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.I)  # & not starting an entity


@lru_cache(maxsize=8)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(terms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in longest_first) + r")\b")


def abbreviate(html: str, meanings: Mapping[str, str]) -> str:
    """`html` with each glossary term in its text (not in its tags) wrapped in `<abbr title>`.

    Byte for byte what Markdown's abbr extension makes of a term in a page's text, with the
    attribute escaped as Markdown's serializer does: used for a macro's inline HTML, which
    Markdown no longer parses (playbook.markdown_stash). `html` must be our own markup, whose
    attribute values are escaped (no `>` inside a tag)."""
    if not meanings:
        return html
    pattern = _terms_pattern(tuple(meanings))
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):  # text between tags
        if pattern.search(parts[i]):
            parts[i] = pattern.sub(
                lambda m: f'<abbr title="{_attribute(meanings[m.group(0)])}">{m.group(0)}</abbr>',
                parts[i],
            )
    return "".join(parts)


def _attribute(text: str) -> str:
    """An attribute value escaped as Python-Markdown's HTML serializer escapes it."""
    text = _AMP.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def abbreviations_used(terms: Iterable[GlossaryTerm], text: str) -> str:
    """Abbreviation definitions for the glossary terms that occur in `text`, one block each.

    Markdown matches every defined term against every text node of the page, and re-tests all
    its block processors for each line of a multi-line block: defining only the terms a page
    uses, each in its own block, keeps the glossary's cost per page near zero
    (bench/results/build_scale.md). The HTML is the same as with every term defined.
    """
    if isinstance(terms, tuple) and _definitions and _definitions[0][0] is terms:
        lines = _definitions[0][1]  # the build's glossary (a tuple): written out once per build
    else:
        lines = [
            (term, f"\n\n*[{term}]: {meaning}") for term, meaning in abbreviation_map(terms).items()
        ]
        if isinstance(terms, tuple):
            _definitions[:] = [(terms, lines)]
    used = [line for term, line in lines if term in text]
    return "".join(used) + "\n" if used else ""


_definitions: list[tuple[tuple, list[tuple[str, str]]]] = []  # the last glossary's definitions


def glossary_list(terms: Iterable[GlossaryTerm]) -> str:
    """The glossary page body: one definition per term, with a stable anchor."""
    parts = ['<dl class="pb-glossary">']
    for term in sorted(terms, key=lambda t: t.term.lower()):
        anchor = "term-" + "-".join(term.term.lower().replace("/", " ").split())
        parts.append(f'<dt id="{escape(anchor)}">{escape(term.term)}</dt>')
        parts.append(f"<dd>{escape(term.definition)}</dd>")
    parts.append("</dl>")
    return "\n".join(parts)
