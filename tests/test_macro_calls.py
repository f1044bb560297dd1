"""The macros' page renderer (playbook.macros): the same text as Jinja's own, with less work.

Each `{{ call }}` is rendered with a template compiled once per build, its variables merged once
per page; a page with nothing for Jinja is not rendered at all. Both must give exactly what
rendering the whole page as one Jinja template gives.
"""

from __future__ import annotations

import jinja2
import pytest

from playbook.macros import _has_jinja, _render_calls

PAGES = [
    "# Title\n\nText with {{ stat('a') }} and {{ stat('b') }}.\n",
    "{{ stat('a') }}\n\n{{ stat('a') }}\n\n",
    "A {{ range(3) | list }} and {{ page_title }} and {{ count() }} {{ count() }}\n",
    "No macro here, only text.\n",
    "No macro, no final newline",
    "Two final newlines\n\n",
]


def environment() -> tuple[jinja2.Environment, dict]:
    calls: list[int] = []

    def count() -> int:  # a macro with state: each call must run once, in order
        calls.append(1)
        return len(calls)

    variables = {"stat": lambda i: f"<b>{i}</b>", "page_title": "T", "count": count}
    return jinja2.Environment(undefined=jinja2.StrictUndefined), variables


@pytest.mark.parametrize("page", PAGES)
def test_each_call_rendered_alone_gives_the_whole_template(page: str) -> None:
    j2, variables = environment()
    expected = j2.from_string(page).render(**variables)
    j2, variables = environment()
    assert _render_calls(j2, page, variables, {}) == expected


@pytest.mark.parametrize("page", PAGES)
def test_a_page_without_jinja_is_left_as_jinja_leaves_it(page: str) -> None:
    j2, variables = environment()
    if _has_jinja(j2, page):
        assert "{{" in page
    else:
        assert j2.from_string(page).render(**variables) == page.removesuffix("\n")
    assert _has_jinja(j2, "a {% if x %}b{% endif %}") and _has_jinja(j2, "a {# c #}")
    assert _has_jinja(j2, "a\r\nb")  # Jinja rewrites line ends: rendered


def test_a_failing_call_falls_back_to_the_whole_template() -> None:
    j2, variables = environment()
    assert _render_calls(j2, "{{ missing('x') }}", variables, {}) is None
    assert _render_calls(j2, "{% if 1 %}x{% endif %}", variables, {}) is None
