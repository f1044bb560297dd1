"""The brief builder's HTML: the form (fields of a profile file, choices from the data) and the
"Prepare a brief" button on each role page. The `brief_builder()` and `brief_button()` macros
call these; docs/assets/javascripts/brief-builder.js brings the form to life.

Field names are the profile's own (`playbook.brief.profile.EXPECTED`), so "Download profile"
writes a file `playbook brief` reads unchanged; each field's hint is the profile's own wording.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from playbook.brief.builder_data import DATA_PATH, extra_choices, industry_label
from playbook.brief.html import focus_label
from playbook.brief.profile import EXPECTED
from playbook.playdata import RoleCard, SupportLevel

LABELS = {
    "name": "Name",
    "title": "Title",
    "role": "Role",
    "support_level": "Support level",
    "organisation": "Organisation",
    "industry": "Industry",
    "meeting_date": "Meeting date",
    "presenter": "Presenter",
    "ask": "The ask",
    "focus": "Focus topics",
    "meeting": "Meeting format",
}
CHOICE_LABELS = {"one-to-one": "One-to-one", "group": "Group", "": "Not set"}
PRIVACY = (
    "Everything you type stays in this browser: nothing is sent anywhere, no cookie is set, and "
    "nothing is stored unless you tick \u201cRemember on this device\u201d."
)


def expected(name: str) -> str:
    """The profile's own hint for a field, without its example (the examples are fictional
    people, and no example profile's data goes into the site)."""
    return re.sub(r",? such as .*$", "", EXPECTED.get(name, ""))


def _field(name: str, control: str, hint: str = "") -> str:
    hint_html = f'<p class="pb-field__hint" id="pb-h-{name}">{escape(hint)}</p>' if hint else ""
    return (
        f'<div class="pb-field" data-field="{name}">'
        f'<label for="pb-f-{name}">{escape(LABELS[name])}</label>{hint_html}{control}'
        f'<p class="pb-field__error" id="pb-e-{name}" aria-live="polite"></p></div>'
    )


def _described(name: str, hint: bool) -> str:
    ids = ([f"pb-h-{name}"] if hint else []) + [f"pb-e-{name}"]
    return f'aria-describedby="{" ".join(ids)}"'


def _text(name: str, required: bool = True, kind: str = "text") -> str:
    req = " required" if required else ""
    control = (
        f'<input id="pb-f-{name}" name="{name}" type="{kind}" autocomplete="off"{req} '
        f'data-expected="{escape(expected(name))}" {_described(name, False)}>'
    )
    return _field(name, control)


def _select(name: str, options: list[tuple[str, str]], hint: str = "") -> str:
    items = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in options)
    control = (
        f'<select id="pb-f-{name}" name="{name}" data-expected="{escape(expected(name))}" '
        f"{_described(name, bool(hint))}>{items}</select>"
    )
    return _field(name, control, hint)


def form_html(
    cards: dict[str, RoleCard],
    scale: dict[str, SupportLevel],
    industries: list[str],
    topics: list[str],
) -> str:
    """The builder: form, privacy sentence, actions and the preview's place."""
    fields = [
        _text("name"),
        _text("title"),
        _select("role", [(key, card.title) for key, card in cards.items()]),
        _select("support_level", [(key, level.name) for key, level in scale.items()]),
        _text("organisation"),
        _select(
            "industry",
            [(slug, industry_label(slug)) for slug in industries],
            "Figures about this industry come first.",
        ),
        _text("meeting_date", kind="date"),
        _text("presenter"),
    ]
    for name, values in extra_choices().items():
        fields.append(_select(name, [(v, CHOICE_LABELS.get(v, v)) for v in values]))
    ask = (
        '<textarea id="pb-f-ask" name="ask" rows="3" data-expected="{exp}" {desc}></textarea>'
    ).format(exp=escape(expected("ask")), desc=_described("ask", True))
    fields.append(
        _field(
            "ask", ask, "Optional: without it, the first next step of the support level is used."
        )
    )
    boxes = "".join(
        f'<label class="pb-check"><input type="checkbox" name="focus" value="{escape(tag)}"> '
        f"{escape(focus_label(tag))}</label>"
        for tag in topics
    )
    fields.append(
        '<fieldset class="pb-field pb-focus" data-field="focus"><legend>Focus topics</legend>'
        '<p class="pb-field__hint">Optional: figures on these topics come next.</p>'
        f'<div class="pb-focus__list">{boxes}</div></fieldset>'
    )
    actions = (
        '<div class="pb-builder__actions">'
        '<div class="pb-field"><label for="pb-f-paper">Paper size</label>'
        '<select id="pb-f-paper" name="paper"><option value="a4">A4</option>'
        '<option value="letter">Letter</option></select></div>'
        '<button type="button" class="md-button md-button--primary" data-action="print">Print</button>'
        '<button type="button" class="md-button" data-action="download">Download profile</button>'
        '<label class="md-button pb-file" for="pb-f-open">Open profile</label>'
        '<input id="pb-f-open" class="pb-file__input" type="file" accept=".yml,.yaml,text/yaml">'
        '<label class="pb-check"><input type="checkbox" id="pb-f-remember" name="remember"> '
        "Remember on this device</label>"
        '<button type="button" class="md-button" data-action="forget">Forget</button>'
        '</div><p class="pb-builder__status" id="pb-builder-status" role="status"></p>'
    )
    data = DATA_PATH.rsplit("/", 1)[1]
    return Markup(
        # The data starts loading while the page is parsed, before the script asks for it. The
        # script resolves data-src against the site root (from its own URL), never against
        # location: instant navigation may already show the next page's URL when it runs.
        f'<link rel="preload" href="{data}" as="fetch" type="application/json" crossorigin="anonymous">'
        f'<div class="pb-builder" id="pb-brief-builder" data-src="{DATA_PATH}">'
        f'<p class="pb-builder__privacy" id="pb-privacy">{escape(PRIVACY)}</p>'
        '<form class="pb-builder__form" novalidate aria-label="Profile of the executive" '
        'aria-describedby="pb-privacy">' + "".join(fields) + actions + "</form>"
        '<section class="pb-builder__preview" aria-labelledby="pb-preview-title">'
        '<h2 id="pb-preview-title">Preview</h2>'
        '<p class="pb-builder__loading" id="pb-preview-loading">The preview appears once the page has loaded.</p>'
        '<div class="pb-brief-paper" id="pb-brief-preview"></div></section></div>'
    )


def button_label(card: RoleCard) -> str:
    """'Prepare a brief for a CFO' from 'Chief Financial Officer (CFO)'; else 'for the <title>'."""
    short = re.search(r"\(([A-Z]{2,5})\)", card.title)
    return f"Prepare a brief for {'a ' + short.group(1) if short else 'the ' + card.title}"


def button_html(card: RoleCard, page_url: str) -> str:
    """A link from a page (its URL, e.g. 'chapters/tough-questions/cfo/') to the builder, role chosen."""
    base = "../" * page_url.count("/")
    href = f"{base}{DATA_PATH.rsplit('/', 1)[0]}/?role={card.role}"
    return Markup(
        f'<a class="md-button pb-brief-button" href="{escape(href)}">{escape(button_label(card))}</a>'
    )
