"""Issue 13, finding 10: front matter and YAML data that attack or confuse the loaders.

An alias bomb in a page's front matter is refused by the real build before MkDocs or
mkdocs-macros expand it; every YAML error names the file, the line and the fix; a data file over
the size limit is refused before it is parsed, and a syntax error is never parsed twice when big.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sitebuild import build_site, copy_project

from playbook import cli, yamlfile
from playbook.frontmatter import FrontMatterError, check_meta, read_meta

GOOD_FRONT = "owner: Comms\nlast_reviewed: 2026-01-05\nreview_by: 2026-07-05\nsummary: A page.\n"


def alias_bomb(levels: int) -> str:
    """The billion laughs: each level is nine aliases of the one before (9**levels leaves)."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture(name="project", scope="module")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("yaml") / "project")


def page(project: Path, name: str, front: str | bytes, body: str = "# A page\n") -> Path:
    path = project / "docs" / name
    data = front if isinstance(front, bytes) else f"---\n{front}---\n\n{body}".encode()
    path.write_bytes(data)
    return path


def test_alias_bomb_in_front_matter_is_refused_by_the_build(project: Path, tmp_path: Path) -> None:
    path = page(project, "bomb.md", GOOD_FRONT + alias_bomb(9))
    try:
        started = time.monotonic()
        result = build_site(project, tmp_path / "site")
        seconds = time.monotonic() - started
    finally:
        path.unlink()
    assert not result.ok
    assert result.error == "Aborted with a BuildError!"
    assert result.messages[-1] == (
        "Doc file 'bomb.md', line 7: its front matter cannot be read: the alias '*l0' repeats an "
        "anchored value; aliases are not allowed here (they can expand without bound): write the "
        "value out."
    )
    assert seconds < 30  # before the fix: 9 levels ran out of memory inside mkdocs-macros


def test_impossible_date_is_blamed_on_the_date(project: Path, tmp_path: Path, capsys) -> None:
    path = page(project, "late.md", GOOD_FRONT.replace("2026-07-05", "2026-02-30"))
    try:
        result = build_site(project, tmp_path / "site")
        code = cli.main(["review", "--docs", str(project / "docs"), "--date", "2026-03-01"])
    finally:
        path.unlink()
    expected = (
        "Doc file 'late.md', line 4: its front matter cannot be read: '2026-02-30' is not a real "
        "date (day is out of range for month); write a day that exists, as YYYY-MM-DD."
    )
    assert not result.ok and result.messages[-1] == expected
    assert code == 2
    assert capsys.readouterr().err == f"playbook review: error: {expected}\n"


def test_invalid_utf8_in_a_page_is_a_clear_error(project: Path, capsys) -> None:
    path = page(project, "latin1.md", f"---\n{GOOD_FRONT}---\n\n# Caf\xe9\n".encode("latin-1"))
    try:
        code = cli.main(["review", "--docs", str(project / "docs")])
    finally:
        path.unlink()
    assert code == 2
    assert capsys.readouterr().err == (
        "playbook review: error: Doc file 'latin1.md', line 8: it is not valid UTF-8 (byte 0xe9); "
        "save the file as UTF-8.\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- title: A\n  ? [a, b]\n  : x\n",
            "line 2: a list or a mapping is used as a key; a key must be plain text (quote it, or "
            "check the indentation of the line).",
        ),
        (
            "- title: A\n  title: B\n",
            "line 2: the key 'title' appears twice in one entry; keep one of them",
        ),
        (
            alias_bomb(3),
            "line 2: the alias '*l0' repeats an anchored value; aliases are not allowed here (they "
            "can expand without bound): write the value out.",
        ),
    ],
)
def test_data_file_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "stats.yml"
    path.write_text(text)
    with pytest.raises(yamlfile.YamlError) as info:
        yamlfile.load(path, "data/stats.yml")
    assert str(info.value) == f"Error reading data file 'data/stats.yml', {message}"


def test_front_matter_key_errors_carry_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(f"---\n{GOOD_FRONT}? [a]\n: b\n---\n\n# x\n")
    pattern = r"^Doc file 'p.md', line 6: .*a list or a mapping is used as a key"
    with pytest.raises(FrontMatterError, match=pattern):
        read_meta(path, "p.md")


def test_oversized_data_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    row = "- title: A statistic\n  value: 12\n  source: {name: Somebody, year: 2024}\n"
    path.write_text(row * (7_800_000 // len(row)) + "broken: [\n")  # 7.8 MB, the error at the end
    started = time.monotonic()
    with pytest.raises(yamlfile.YamlError) as info:
        yamlfile.load(path, "data/big.yml")
    assert time.monotonic() - started < 0.5
    assert str(info.value) == (
        "Error reading data file 'data/big.yml': it is 7.8 MB, over the 2 MB limit; split it into "
        "smaller files."
    )


def test_large_syntax_error_is_parsed_once(tmp_path: Path) -> None:
    row = "- title: A statistic\n  value: 12\n  source: {name: Somebody, year: 2024}\n"
    big, small = tmp_path / "big.yml", tmp_path / "small.yml"
    rows = (yamlfile.REPARSE_MAX_BYTES + 1000) // len(row) + 1
    big.write_text(row * rows + "- title: [unclosed\n")
    small.write_text(row + "- title: [unclosed\n")
    # Above the bound, libyaml's own message (one parse); below it, the Python parser's clearer
    # one (a second parse, cheap on a small file).
    with pytest.raises(yamlfile.YamlError) as info:
        yamlfile.load(big, "big.yml")
    assert str(info.value).startswith(
        f"Error reading data file 'big.yml', line {3 * rows + 2}: YAML syntax error: did not find "
        "expected ',' or ']'"
    )
    with pytest.raises(yamlfile.YamlError) as info:
        yamlfile.load(small, "small.yml")
    assert str(info.value).startswith(
        "Error reading data file 'small.yml', line 5: YAML syntax error: expected ',' or ']', but "
        "got '<stream end>' (in the flow sequence that starts on line 4)."
    )


def test_front_matter_value_error_carries_its_line(project: Path, tmp_path: Path) -> None:
    # Issue 14: a bad value in front matter names its line, in the build and in `playbook review`.
    front = GOOD_FRONT.replace("review_by: 2026-07-05", "review_by: 2025-01-01")
    path = page(project, "odd.md", front)
    try:
        result = build_site(project, tmp_path / "site")
        with pytest.raises(FrontMatterError) as info:
            check_meta("odd.md", read_meta(path, "odd.md"))
    finally:
        path.unlink()
    assert str(info.value).startswith(
        "Doc file 'odd.md', line 4, has a bad 'review_by' in its front matter: review_by is "
        "before last_reviewed."
    )
    assert f"playbook: {info.value}" in result.warnings


@pytest.mark.parametrize(
    ("front", "plain"),
    [
        (GOOD_FRONT, True),
        (GOOD_FRONT + "# a comment\n\naudience: executive\ntitle: 'A: b'\n", True),
        (GOOD_FRONT + alias_bomb(1), False),  # anchors and aliases: parsed with lines first
        (GOOD_FRONT + "owner: Twice\n", False),  # a duplicate key
        (GOOD_FRONT + "on: x\nyes: y\n", False),  # the same key (true) twice
        (GOOD_FRONT + "tags:\n  - a\n", False),  # nested values
        (GOOD_FRONT + "tags: [a, b]\n", False),
        (GOOD_FRONT + "note: |\n  text\n", False),
        (GOOD_FRONT + "x: !!python/name:os.system\n", False),
    ],
)
def test_only_plain_front_matter_is_left_to_mkdocs(front: str, plain: bool) -> None:
    from playbook.frontmatter import plain_front_matter

    assert plain_front_matter(front) is plain


def test_plain_front_matter_that_mkdocs_cannot_parse_is_named_after_its_parse(
    tmp_path: Path,
) -> None:
    # Plain front matter is parsed once, by MkDocs (read_source does not parse it); when MkDocs
    # could not (page.meta is empty), check_parsed parses it with lines and names the line.
    from mkdocs.utils.meta import get_data

    from playbook.frontmatter import check_parsed, read_source

    path = tmp_path / "p.md"
    path.write_text(f'---\n{GOOD_FRONT}title: "unclosed\n---\n\n# x\n')
    text = read_source(path, "p.md")
    markdown, meta = get_data(text)
    assert meta == {}
    with pytest.raises(FrontMatterError) as info:
        check_parsed("p.md", markdown, meta)
    assert str(info.value).startswith(
        "Doc file 'p.md', line 7: its front matter cannot be read: YAML syntax error: found "
        "unexpected end of stream (in the quoted scalar that starts on line 6)."
    )
    # Duplicate keys are not plain, so read_source parses them itself and refuses them.
    path.write_text(f"---\n{GOOD_FRONT}owner: Twice\n---\n\n# x\n")
    with pytest.raises(
        FrontMatterError, match=r"^Doc file 'p.md', line 6: .*'owner' appears twice"
    ):
        read_source(path, "p.md")


def test_a_yaml_error_in_plain_front_matter_fails_the_build_naming_the_line(
    project: Path, tmp_path: Path
) -> None:
    path = page(project, "broken.md", GOOD_FRONT.replace("summary: A page.", 'summary: "A page.'))
    try:
        result = build_site(project, tmp_path / "site")
    finally:
        path.unlink()
    assert not result.ok
    assert result.messages[-1].startswith(
        "Doc file 'broken.md', line 6: its front matter cannot be read: YAML syntax error: "
    )
    assert "(in the quoted scalar that starts on line 5)" in result.messages[-1]
