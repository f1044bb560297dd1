"""Pure builders for the playbook's structured plays: role cards and the executive support scale.

`role_card(card, ...)`, `objection_finder(...)` and `support_scale(levels)` take the validated
models from `playbook.playdata` and return Markdown with raw HTML blocks, for the `role_card()`,
`objections()` and `support_scale()` macros. Figures are passed in already rendered (the macro
cites them), so this module never sees the build state.
No MkDocs imports; every piece of data is HTML-escaped, and text that lands in a Markdown heading
also has its Markdown-special characters turned into entities, so data can never become markup.

Stable ids, which other pages and onboarding material link to:
- a role card's questions are `<role>-q<N>` (1-based position in data/roles.yml);
- support levels are `scale-<key>` (for example `scale-needs-a-plan`);
- objections are their own ids (`objection-...`), grouped under `objections-<group>` headings.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence

from markupsafe import escape

from playbook.playdata import Objection, RoleCard, SupportLevel

ADDITION_TITLE = "Playbook addition"
SCALE_ADDITION_LABEL = "Playbook addition, not from the sources"
EVIDENCE_LABEL = "Evidence to bring"
ANSWER_LABEL = "What to say"
PUSHED_LABEL = "If they push back"
RESTS_ON_LABEL = "What this rests on"
OBJECTIONS_HEADING = "If they object"
OBJECTIONS_PAGE = "chapters/objections.md"

# Renders one statistic id as it sits in a list (claim, figure, year, citation), citing it.
EvidenceRenderer = Callable[[str], str]

# Characters Markdown (or attr_list) would read as markup inside a heading line.
_MD_SPECIAL = {
    "*": "&#42;",
    "_": "&#95;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "#": "&#35;",
    "\\": "&#92;",
}


def heading_text(text: str) -> str:
    """Data text made safe for a Markdown heading: HTML-escaped, Markdown characters as entities."""
    return "".join(_MD_SPECIAL.get(ch) or str(escape(ch)) for ch in text)


def question_id(role: str, position: int) -> str:
    """The stable anchor of a role card's question: position is 1-based."""
    return f"{role}-q{position}"


def level_id(key: str) -> str:
    return f"scale-{key}"


def task_list(items: Iterable[str], css_class: str = "") -> str:
    """A tick-box list that looks like pymdownx.tasklist's (disabled checkboxes)."""
    extra = f" {css_class}" if css_class else ""
    rows = "".join(
        '<li class="task-list-item"><label class="task-list-control">'
        '<input type="checkbox" disabled/><span class="task-list-indicator"></span></label> '
        f"{escape(item)}</li>"
        for item in items
    )
    return f'<ul class="task-list{extra}">{rows}</ul>'


def plain_list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def addition_note(title: str, text: str) -> str:
    """A visible Material 'note' admonition (the HTML the admonition extension would make)."""
    return (
        f'<div class="admonition note pb-addition"><p class="admonition-title">{escape(title)}</p>'
        f"<p>{escape(text)}</p></div>"
    )


def doc_link(from_src: str, to_src: str) -> str:
    """A Markdown link target from one docs page to another (plus any #anchor), relative."""
    path, _, anchor = to_src.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_src) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def evidence_html(evidence: Sequence[str], note: str, cite: EvidenceRenderer) -> str:
    """What an answer rests on: the cited figures, and the note where no honest evidence exists.

    Left out of the search index, like source lists: pages rank for their advice, not their citations."""
    parts = []
    if evidence:
        parts.append(
            '<ul class="pb-rests-on">' + "".join(f"<li>{cite(i)}</li>" for i in evidence) + "</ul>"
        )
    if note:
        parts.append(f'<p class="pb-evidence-note">{escape(note)}</p>')
    return (
        f'<div class="pb-rests" data-search-exclude><p class="pb-rests-label"><strong>{RESTS_ON_LABEL}:</strong></p>'
        + "".join(parts)
        + "</div>"
    )


def objection_links(from_src: str, objections: Sequence[Objection]) -> str:
    """A Markdown list linking each objection (what the executive says) to its entry."""
    return "\n".join(
        f"- [{heading_text(item.said)}]({doc_link(from_src, OBJECTIONS_PAGE + '#' + item.id)})"
        for item in objections
    )


def role_card(
    card: RoleCard,
    cite: EvidenceRenderer | None = None,
    objections: Sequence[Objection] = (),
    page_src: str = "",
) -> str:
    """One role's likely questions: each an H3 with a stable id, the model answer, the pushback
    line, what the answer rests on (figures cited through `cite`), and the evidence checklist;
    then links to the objections this role often raises."""
    parts = []
    if card.addition:
        note = (
            card.addition_note or "The early sources do not name this role; the playbook adds it."
        )
        parts.append(addition_note(ADDITION_TITLE, note))
    parts.append(
        f'<p class="pb-role-cares"><strong>What they care about:</strong> {escape(card.cares_about)}</p>'
    )
    for position, item in enumerate(card.questions, start=1):
        parts.append(f"### {heading_text(item.question)} {{ #{question_id(card.role, position)} }}")
        parts.append(
            f'<div class="pb-answer"><p class="pb-answer-label"><strong>{ANSWER_LABEL}:</strong></p>'
            f"<p>{escape(item.answer)}</p>"
            f'<p class="pb-if-pushed"><strong>{PUSHED_LABEL}:</strong> {escape(item.if_pushed)}</p></div>'
        )
        if cite is not None:
            parts.append(evidence_html(item.evidence, item.evidence_note, cite))
        parts.append(
            f'<p class="pb-evidence-label"><strong>{EVIDENCE_LABEL}:</strong></p>\n'
            + task_list(item.checklist, "pb-evidence")
        )
    if objections:
        parts.append(f"### {OBJECTIONS_HEADING} {{ #{card.role}-objections }}")
        parts.append(
            "<p>What this role often says when the answer does not land, and what to do next:</p>"
        )
        parts.append(objection_links(page_src or card.page, objections))
    return "\n\n".join(parts) + "\n"


def group_id(group: str) -> str:
    return "objections-" + "-".join(
        "".join(c if c.isalnum() else " " for c in group.lower()).split()
    )


def objection_finder(
    objections: Sequence[Objection],
    play_titles: dict[str, str],
    cite: EvidenceRenderer,
    page_src: str = OBJECTIONS_PAGE,
) -> str:
    """The objection finder: an index of what executives say, then one H3 entry per objection
    under an H2 per concern, each with the concern, a reply, the plays (by title) and evidence.
    `play_titles` maps 'docs/path.md#play-id' to the play's heading."""
    groups: dict[str, list[Objection]] = {}
    for item in objections:
        groups.setdefault(item.group, []).append(item)
    index = ["<p><strong>Find what they said:</strong></p>"]
    for group, items in groups.items():
        links = "; ".join(f'<a href="#{item.id}">{escape(item.said)}</a>' for item in items)
        index.append(f'<p class="pb-objection-index"><strong>{escape(group)}:</strong> {links}</p>')
    parts = ["\n".join(index)]
    for group, items in groups.items():
        parts.append(f"## {heading_text(group)} {{ #{group_id(group)} }}")
        for item in items:
            parts.append(f"### &ldquo;{heading_text(item.said)}&rdquo; {{ #{item.id} }}")
            parts.append(
                f'<p class="pb-concern"><strong>The concern under it:</strong> {escape(item.concern)}</p>\n'
                f'<p class="pb-reply"><strong>Reply:</strong> {escape(item.reply)}</p>'
            )
            plays = "\n".join(
                f"- [{heading_text(play_titles[link])}]({doc_link(page_src, link)})"
                for link in item.plays
            )
            parts.append(f'<p class="pb-plays-label"><strong>Plays to use:</strong></p>\n\n{plays}')
            parts.append(evidence_html(item.evidence, item.evidence_note, cite))
    return "\n\n".join(parts) + "\n"


def _summary_table(levels: list[SupportLevel]) -> str:
    rows = "".join(
        "<tr>"
        f'<td>{level.level}</td><td><a href="#{level_id(level.key)}">{escape(level.name)}</a>'
        + (" <em>(playbook addition)</em>" if level.addition else "")
        + f"</td><td>{escape(level.approach)}</td></tr>"
        for level in levels
    )
    return (
        '<table><caption>The support scale at a glance</caption><thead><tr><th scope="col">Level</th>'
        '<th scope="col">Where they stand</th><th scope="col">Your approach</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _level_section(level: SupportLevel) -> str:
    parts = [f"### Level {level.level}: {heading_text(level.name)} {{ #{level_id(level.key)} }}"]
    if level.addition:
        parts.append(f'<p class="pb-addition-label"><em>{SCALE_ADDITION_LABEL}.</em></p>')
    parts.append(f"<p><strong>How to recognise it:</strong></p>\n{plain_list(level.signs)}")
    parts.append(f"<p><strong>Approach:</strong> {escape(level.approach)}</p>")
    parts.append(f"<p><strong>Next steps:</strong></p>\n{task_list(level.next_steps)}")
    if level.avoid:
        parts.append(f"<p><strong>Avoid:</strong></p>\n{plain_list(level.avoid)}")
    return "\n\n".join(parts)


def support_scale(levels: list[SupportLevel]) -> str:
    """The scale: a summary table, then one H3 section per level, lowest level first."""
    ordered = sorted(levels, key=lambda lv: lv.level)
    parts = [_summary_table(ordered), *(_level_section(level) for level in ordered)]
    return "\n\n".join(parts) + "\n"
