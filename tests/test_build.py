"""The site builds strictly, and a broken source fails the build naming the file."""

from __future__ import annotations

from pathlib import Path

from sitebuild import build_site, copy_project

from playbook import macros


def test_strict_build_has_no_warnings(built_site):
    assert built_site.warnings == []
    assert (built_site.site_dir / "index.html").is_file()


def _break(tmp_path: Path, page: str, text: str):
    project = copy_project(tmp_path / "project")
    target = project / "docs" / page
    target.write_text(target.read_text() + text)
    return build_site(project, tmp_path / "site")


def test_link_to_missing_page_fails_naming_the_file(tmp_path):
    result = _break(tmp_path, "start-here.md", "\n[gone](no-such-page.md)\n")
    assert not result.ok
    assert "Doc file 'start-here.md' contains a link 'no-such-page.md'" in result.text


def test_missing_anchor_fails_naming_the_file(tmp_path):
    result = _break(tmp_path, "start-here.md", "\n[gone](index.md#no-such-anchor)\n")
    assert not result.ok
    assert "Doc file 'start-here.md' contains a link 'index.md#no-such-anchor'" in result.text
    assert "no-such-anchor" in result.text


def test_undefined_macro_variable_fails_naming_the_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "start-here.md"
    lines = page.read_text().splitlines()
    lines.append("Total: {{ no_such_variable }}")
    page.write_text("\n".join(lines) + "\n")
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"Doc file 'start-here.md', line {len(lines)}: 'no_such_variable' is undefined"
        in result.text
    )
    assert "Check the spelling of the macro or variable. The playbook's macros are " in result.text
    assert "case_table, chart, " in result.text
    assert not (tmp_path / "site" / "start-here" / "index.html").exists()


def test_misspelt_macro_gets_did_you_mean_and_the_real_macros(tmp_path):
    result = _break(tmp_path, "start-here.md", "\nSee {{ sta('x') }}.\n")
    assert not result.ok
    assert "'sta' is undefined. Did you mean `stat`? The playbook's macros are " in result.text
    listed = result.text.split("The playbook's macros are ", 1)[1].split(".", 1)[0].split(", ")
    # generated from the registry: every registered macro, and nothing else
    assert listed == sorted(macros.MACROS) and {"stat", "role_card", "meeting_plan"} <= set(listed)


def test_jinja_comment_heading_id_gets_a_hint(tmp_path):
    result = _break(tmp_path, "start-here.md", "\n## Heading {#my-id}\n")
    assert not result.ok
    assert "write it with spaces: { #my-id }" in result.text
