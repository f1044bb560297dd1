"""The package installs without `-e` and works from the project folder, as a stranger would use it.

A wheel is built from a copy of the sources and installed (not editable) into a throwaway venv,
offline (`--no-index`). Its dependencies are the project venv's, already installed from the
hash-checked lock, made visible through a .pth file, so nothing is downloaded. Then the installed
`playbook` command runs in the repository: `brief` and `check-links` find mkdocs.yml, data/ and
docs/ from the current folder (never from where the package lives), the private-output guard holds,
and every command answers `--help`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from pypdf import PdfReader
from sitebuild import ROOT, BuildResult

from playbook.cli import COMMANDS

PROJECT_PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(name="installed", scope="module")
def fixture_installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a throwaway venv with the playbook installed from a wheel."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", source / "pyproject.toml")
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    built = run(
        [
            *PROJECT_PIP,
            "wheel",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "-w",
            str(work / "wheels"),
            str(source),
        ],
        work,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((work / "wheels").glob("playbook-*.whl"))
    venv = work / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work
    )
    # The dependencies: the project venv's packages, after the throwaway venv's own (the wheel).
    Path(purelib.stdout.strip(), "project-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    done = run(
        [*PROJECT_PIP, "--python", str(python), "install", "--no-index", "--no-deps", str(wheel)],
        work,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


def test_the_installed_package_is_a_copy_without_test_only_code(installed: Path):
    where = run(
        [str(installed / "python"), "-c", "import playbook; print(playbook.__file__)"], ROOT
    )
    package = Path(where.stdout.strip()).parent
    assert package.is_relative_to(installed.parent), package  # the wheel's copy, not src/
    assert (package / "templates" / "brief.html.j2").is_file()  # package data is installed
    assert not [
        p.name
        for p in package.glob("*.py")
        if p.stem in ("copycheck", "readability", "traceability")
    ]
    version = run([str(installed / "playbook"), "--version"], ROOT)
    assert (version.returncode, version.stdout) == (0, "playbook 0.1.0\n")


def test_installed_brief_and_check_links_work_from_the_project_folder(
    installed: Path, built_site: BuildResult, tmp_path: Path
):
    env = {**os.environ, "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}"}
    playbook = str(installed / "playbook")
    brief = run(
        [playbook, "brief", "data/profiles/example-cfo.yml", "-o", str(tmp_path / "b.pdf")],
        ROOT,
        env,
    )
    assert brief.returncode == 0, brief.stderr
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "b.pdf").pages)
    assert "Dana Whitfield" in text  # the example profile, read relative to the current folder
    links = run(
        [
            playbook,
            "check-links",
            str(built_site.site_dir),
            "--registry",
            "data/onboarding-links.yml",
        ],
        ROOT,
        env,
    )
    assert (links.returncode, links.stdout) == (0, "No broken links.\n"), links.stderr
    # The guard against publishing a private brief: docs/ comes from the project, not the package.
    guarded = run(
        [playbook, "brief", "data/profiles/example-cfo.yml", "-o", "docs/leak.pdf"], ROOT, env
    )
    assert guarded.returncode == 2
    assert guarded.stderr.startswith(
        "playbook brief: error: The brief 'docs/leak.pdf' is inside 'docs'"
    )
    assert not (ROOT / "docs" / "leak.pdf").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_installed_command_help_exits_0(installed: Path, command: str):
    done = run([str(installed / "playbook"), command, "--help"], ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: playbook {command} ")
    assert done.stderr == ""
