"""Role cards and the support scale render to literal, escaped Markdown/HTML with stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import ROOT

from playbook import plays_render
from playbook.playdata import (
    ROLES,
    Question,
    RoleCard,
    SupportLevel,
    load_roles,
    load_support_scale,
)

BOX = (
    '<li class="task-list-item"><label class="task-list-control">'
    '<input type="checkbox" disabled/><span class="task-list-indicator"></span></label> '
)


def _q(question: str, checklist: tuple[str, ...], **overrides) -> Question:
    fields = {
        "question": question,
        "answer": "Here is the cost. It is <small> & known.",
        "if_pushed": "We stop if it grows.",
        "evidence_note": "No good evidence exists.",
        "checklist": checklist,
    }
    fields.update(overrides)
    return Question(**fields)


ANSWER = (
    '<div class="pb-answer"><p class="pb-answer-label"><strong>What to say:</strong></p>'
    "<p>Here is the cost. It is &lt;small&gt; &amp; known.</p>"
    '<p class="pb-if-pushed"><strong>If they push back:</strong> We stop if it grows.</p></div>\n\n'
)


def _card(**overrides) -> RoleCard:
    fields = {
        "role": "cfo",
        "title": "Chief Financial Officer (CFO)",
        "page": "chapters/tough-questions/cfo.md",
        "cares_about": "Cost & return.",
        "questions": (
            _q("What does it cost?", ("List every cost.", "Name the budget line.")),
            _q("What's the <return>?", ("Give a baseline & a target.",)),
        ),
    }
    fields.update(overrides)
    return RoleCard(**fields)


def test_role_card_renders_questions_with_stable_ids_and_task_lists():
    assert plays_render.role_card(_card()) == (
        '<p class="pb-role-cares"><strong>What they care about:</strong> Cost &amp; return.</p>\n\n'
        "### What does it cost? { #cfo-q1 }\n\n"
        + ANSWER
        + '<p class="pb-evidence-label"><strong>Evidence to bring:</strong></p>\n'
        f'<ul class="task-list pb-evidence">{BOX}List every cost.</li>{BOX}Name the budget line.</li></ul>\n\n'
        "### What&#39;s the &lt;return&gt;? { #cfo-q2 }\n\n"
        + ANSWER
        + '<p class="pb-evidence-label"><strong>Evidence to bring:</strong></p>\n'
        f'<ul class="task-list pb-evidence">{BOX}Give a baseline &amp; a target.</li></ul>\n'
    )


def test_role_card_shows_the_addition_note_escaped():
    card = _card(role="cmo", addition=True, addition_note="Not in the <seeds>.")
    assert plays_render.role_card(card).startswith(
        '<div class="admonition note pb-addition"><p class="admonition-title">Playbook addition</p>'
        "<p>Not in the &lt;seeds&gt;.</p></div>\n\n"
    )


def test_heading_text_cannot_become_markdown_or_attributes():
    question = _q("Is *this* [safe] { #x } `now`_?", ("<script>alert(1)</script>",))
    out = plays_render.role_card(_card(questions=(question,)))
    assert (
        "### Is &#42;this&#42; &#91;safe&#93; &#123; &#35;x &#125; &#96;now&#96;&#95;? { #cfo-q1 }"
        in out
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</li>" in out
    assert "<script>" not in out


def _level(level: int, key: str, **overrides) -> SupportLevel:
    fields = {
        "level": level,
        "key": key,
        "name": f"Name {key}",
        "signs": ("Sign & more.",),
        "approach": "Do <this>.",
        "next_steps": ("Step one.",),
    }
    fields.update(overrides)
    return SupportLevel(**fields)


def test_support_scale_orders_levels_and_renders_each_section():
    levels = [
        _level(2, "needs-a-plan", avoid=("Vague asks.",)),
        _level(0, "opposed", addition=True),
    ]
    assert plays_render.support_scale(levels) == (
        '<table><caption>The support scale at a glance</caption><thead><tr><th scope="col">Level</th>'
        '<th scope="col">Where they stand</th><th scope="col">Your approach</th></tr></thead><tbody>'
        '<tr><td>0</td><td><a href="#scale-opposed">Name opposed</a> <em>(playbook addition)</em></td>'
        "<td>Do &lt;this&gt;.</td></tr>"
        '<tr><td>2</td><td><a href="#scale-needs-a-plan">Name needs-a-plan</a></td>'
        "<td>Do &lt;this&gt;.</td></tr></tbody></table>\n\n"
        "### Level 0: Name opposed { #scale-opposed }\n\n"
        '<p class="pb-addition-label"><em>Playbook addition, not from the sources.</em></p>\n\n'
        "<p><strong>How to recognise it:</strong></p>\n<ul><li>Sign &amp; more.</li></ul>\n\n"
        "<p><strong>Approach:</strong> Do &lt;this&gt;.</p>\n\n"
        f'<p><strong>Next steps:</strong></p>\n<ul class="task-list">{BOX}Step one.</li></ul>\n\n'
        "### Level 2: Name needs-a-plan { #scale-needs-a-plan }\n\n"
        "<p><strong>How to recognise it:</strong></p>\n<ul><li>Sign &amp; more.</li></ul>\n\n"
        "<p><strong>Approach:</strong> Do &lt;this&gt;.</p>\n\n"
        f'<p><strong>Next steps:</strong></p>\n<ul class="task-list">{BOX}Step one.</li></ul>\n\n'
        "<p><strong>Avoid:</strong></p>\n<ul><li>Vague asks.</li></ul>\n"
    )


def test_real_data_has_every_role_and_the_four_levels():
    cards = load_roles(ROOT / "data")
    assert sorted(cards) == sorted(ROLES)
    assert {role for role, card in cards.items() if card.addition} == {"cmo", "cio", "chro"}
    for role, card in cards.items():
        assert card.page == f"chapters/tough-questions/{role}.md"
        assert (ROOT / "docs" / card.page).is_file()
        assert not card.addition or card.addition_note
    scale = load_support_scale(ROOT / "data")
    assert list(scale) == ["opposed", "unaware", "needs-a-plan", "enthusiast"]
    assert [lv.addition for lv in scale.values()] == [True, False, False, False]


@pytest.mark.parametrize("name", ["roles.yml", "support-scale.yml", "objections.yml"])
def test_structured_content_types_no_figures(name):
    """Figures belong in data/stats with a source; the role, objection and scale data carry none
    (evidence lines name statistic ids, whose years are part of the id)."""
    lines = (ROOT / "data" / name).read_text().splitlines()
    skip = ("#", "evidence:")
    typed = [
        line
        for line in lines
        if not line.lstrip().startswith(skip)
        and "level:" not in line
        and any(ch.isdigit() for ch in line)
    ]
    assert typed == []


def test_built_pages_carry_the_cards_and_the_scale(built_site):
    site: Path = built_site.site_dir
    cfo = (site / "chapters" / "tough-questions" / "cfo" / "index.html").read_text()
    assert '<h3 id="cfo-q1">What does it cost in total, and which budget pays for it?' in cfo
    assert 'class="task-list pb-evidence"' in cfo
    for role in ("cmo", "cio", "chro"):
        page = (site / "chapters" / "tough-questions" / role / "index.html").read_text()
        assert '<p class="admonition-title">Playbook addition</p>' in page, role
    legal = (site / "chapters" / "tough-questions" / "legal" / "index.html").read_text()
    assert '<p class="admonition-title">Orientation, not legal advice</p>' in legal
    scale = (site / "chapters" / "support-scale" / "index.html").read_text()
    for key in ("opposed", "unaware", "needs-a-plan", "enthusiast"):
        assert f'id="scale-{key}"' in scale
