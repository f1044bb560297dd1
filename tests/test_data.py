"""`playbook.yamlfile`: YAML with line numbers, so every data error can name the file and line."""

from __future__ import annotations

import pytest

from playbook import yamlfile

TEXT = """\
# a comment
- id: first
  source:
    title: A
    url: ftp://x
  tags: [a, b]
- id: second
  published: 2013-05-29
"""


def test_line_of_walks_a_pydantic_location_to_its_line():
    data = yamlfile.load_text(TEXT, "data/stats/x.yml")
    assert data.item_lines == [2, 7]
    assert yamlfile.line_of(data, ()) == 2
    assert yamlfile.line_of(data, (0,)) == 2
    assert yamlfile.line_of(data, (0, "source")) == 3
    assert yamlfile.line_of(data, (0, "source", "url")) == 5
    assert yamlfile.line_of(data, (0, "tags", 1)) == 6
    assert yamlfile.line_of(data, (1, "published")) == 8


def test_line_of_stops_at_the_nearest_known_line():
    data = yamlfile.load_text(TEXT, "x.yml")
    assert yamlfile.line_of(data, (0, "missing_field")) == 2  # a missing key: the entry's line
    assert yamlfile.line_of(data, (0, "source", "publisher")) == 3
    assert yamlfile.line_of(data, (5, "id")) == 2  # no such entry: where the list starts
    assert yamlfile.line_of({"plain": "dict"}, ("plain",)) is None


def test_dates_stay_text():
    data = yamlfile.load_text(TEXT, "x.yml")
    assert data[1]["published"] == "2013-05-29"


def test_duplicate_key_names_file_and_line():
    with pytest.raises(yamlfile.YamlError) as caught:
        yamlfile.load_text("- id: a\n  year: 2010\n  year: 2011\n", "data/stats/x.yml")
    assert str(caught.value) == (
        "Error reading data file 'data/stats/x.yml', line 3: the key 'year' appears twice in one entry; "
        "keep one of them"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '- id: "unclosed\n  year: 1\n',
            (
                "line 3: YAML syntax error: found unexpected end of stream (in the quoted scalar that starts "
                "on line 1)."
            ),
        ),
        (
            "- id: a\n  claim: a: b\n",
            "line 2: YAML syntax error: mapping values are not allowed here.",
        ),
    ],
)
def test_syntax_error_names_file_line_and_problem(text: str, message: str):
    with pytest.raises(yamlfile.YamlError) as caught:
        yamlfile.load_text(text, "data/stats/x.yml")
    assert str(caught.value) == (
        f"Error reading data file 'data/stats/x.yml', {message} "
        "Check the indentation and quoting on that line and the one before it."
    )
