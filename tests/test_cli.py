"""The `playbook` command behaves like a conventional CLI: --version, --help for every command,
paths from the current folder or -f, user errors as one line on stderr with exit status 2, and
exit status 1 when a check finds problems."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT

from playbook import __version__
from playbook.cli import COMMANDS, main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"playbook {__version__}\n"


def test_help_lists_every_command_and_the_exit_statuses(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert [name for name in COMMANDS if f"\n    {name}" in out] == list(COMMANDS)
    assert "freshness" not in out  # listed once, never existed
    assert "2 for bad input or usage." in " ".join(out.split())
    assert out.rstrip().endswith("describes each command.")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_its_own_help(capsys, command):
    assert main([command, "--help"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"usage: playbook {command} ")
    assert captured.err == ""


@pytest.mark.parametrize(
    "argv", [[], ["no-such-command"], ["review", "--no-such-option"], ["freshness"]]
)
def test_usage_errors_exit_2_on_stderr(capsys, argv):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error:" in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["brief", "data/profiles/example-cfo.yml", "-o", "b.pdf"],
        ["print", "chapters/value-and-roi/"],
        ["check-links"],
        ["review"],
        ["screenshots"],
    ],
)
def test_commands_outside_the_project_say_where_they_looked(capsys, monkeypatch, tmp_path, argv):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"playbook {argv[0]}: error: there is no 'mkdocs.yml' in '{tmp_path}': run the command in the "
        "playbook's folder (the one with mkdocs.yml), or give its configuration with -f "
        "path/to/mkdocs.yml.\n"
    )
    assert not (tmp_path / "b.pdf").exists()


def test_paths_come_from_the_config_file_given_with_f(capsys, monkeypatch, tmp_path):
    project = tmp_path / "elsewhere"
    project.mkdir()
    (project / "mkdocs.yml").write_text(
        "site_name: X\ndocs_dir: pages\nplugins:\n  - search\n  - playbook:\n      data_dir: facts\n"
    )
    (project / "pages").mkdir()
    (project / "pages" / "a.md").write_text(
        '---\nowner: Comms\nlast_reviewed: 2020-01-01\nreview_by: 2021-01-01\nsummary: "A."\n---\n# A\n'
    )
    monkeypatch.chdir(tmp_path)
    assert (
        main(["review", "-f", "elsewhere/mkdocs.yml", "--date", "2030-01-01"]) == 1
    )  # found problems
    out = capsys.readouterr().out
    assert out.startswith(
        "Pages past their review date as of 2030-01-01:\n  a.md: review by 2021-01-01"
    )
    from playbook.project import load_project

    found = load_project(project / "mkdocs.yml")
    assert (found.docs_dir, found.site_dir, found.data_dir) == (
        project / "pages",
        project / "site",
        project / "facts",
    )


def test_review_outside_git_without_a_date_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above
    done = subprocess.run(
        [str(Path(sys.executable).parent / "playbook"), "review"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(
        "playbook review: error: The build has no date: set SOURCE_DATE_EPOCH"
    )
    assert done.stderr.count("\n") == 1
