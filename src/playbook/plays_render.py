"""Pure builders for the playbook's structured plays: role cards and the executive support scale.

`role_card(card)` and `support_scale(levels)` take the validated models from `playbook.playdata`
and return Markdown with raw HTML blocks, for the `role_card()` and `support_scale()` macros.
No MkDocs imports; every piece of data is HTML-escaped, and text that lands in a Markdown heading
also has its Markdown-special characters turned into entities, so data can never become markup.

Stable ids, which other pages and onboarding material link to:
- a role card's questions are `<role>-q<N>` (1-based position in data/roles.yml);
- support levels are `scale-<key>` (for example `scale-needs-a-plan`).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape

from playbook.playdata import RoleCard, SupportLevel

ADDITION_TITLE = "Playbook addition"
SCALE_ADDITION_LABEL = "Playbook addition, not from the seeds"
EVIDENCE_LABEL = "Evidence to bring"

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


def role_card(card: RoleCard) -> str:
    """One role's likely questions, each an H3 with a stable id and an evidence checklist."""
    parts = []
    if card.addition:
        note = card.addition_note or "The seeds do not name this role; the playbook adds it."
        parts.append(addition_note(ADDITION_TITLE, note))
    parts.append(
        f'<p class="pb-role-cares"><strong>What they care about:</strong> {escape(card.cares_about)}</p>'
    )
    for position, item in enumerate(card.questions, start=1):
        parts.append(f"### {heading_text(item.question)} {{ #{question_id(card.role, position)} }}")
        parts.append(
            f'<p class="pb-evidence-label"><strong>{EVIDENCE_LABEL}:</strong></p>\n'
            + task_list(item.checklist, "pb-evidence")
        )
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
