"""`playbook.data`: one store per data folder reads each file once, from the configured
`data_dir`, and a broken data file is reported with its own name and line, never a page's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitebuild import build_site, copy_project

from playbook import yamlfile
from playbook.data import DataError, config_store, project_store, store_for


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture(name="facts_project", scope="module")
def fixture_facts_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the playbook whose data folder is `facts/`, set only through `data_dir`."""
    project = copy_project(tmp_path_factory.mktemp("facts") / "project")
    (project / "data").rename(project / "facts")
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert "      data_dir: data\n" in text
    text = text.replace("      data_dir: data\n", "      data_dir: facts\n")
    config.write_text(text.replace("onboarding_registry: data/", "onboarding_registry: facts/"))
    return project


@pytest.mark.parametrize(
    ("name", "anchor", "broken", "problem"),
    [
        ("roles.yml", "- role: cfo", "- role: cfo\n  title: [Chief", "YAML syntax error"),
        ("meeting-plan.yml", "steps:", "steps: [\n", "YAML syntax error"),
        ("meeting-plan.yml", "minutes: 15", "minutes: fifteen", "'steps.minutes': Input should be"),
    ],
)
def test_a_broken_data_file_is_named_with_its_line_not_a_page(
    facts_project: Path, tmp_path: Path, name: str, anchor: str, broken: str, problem: str
) -> None:
    path = facts_project / "facts" / name
    good = path.read_text()
    line = line_of(path, anchor)
    path.write_text(good.replace(anchor, broken, 1))
    try:
        result = build_site(facts_project, tmp_path / "site")
    finally:
        path.write_text(good)
    assert not result.ok
    errors = [m for m in result.messages if m.startswith("Error reading data file")]
    assert errors and errors[0].startswith(f"Error reading data file 'facts/{name}', line "), (
        result.text
    )
    assert problem in errors[0]
    found = int(errors[0].split(", line ")[1].split(":")[0])
    assert line <= found <= line + 2  # the line changed (or the next, where YAML notices)
    assert "Error reading page" not in result.text and "Doc file" not in result.text
    assert "Traceback" not in result.text


def test_each_file_is_read_once_and_again_only_when_it_changes(tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path / "project")
    reads: list[str] = []
    real = yamlfile.load

    def counting(path, display_name=None):
        reads.append(Path(path).name)
        return real(path, display_name)

    monkeypatch.setattr(yamlfile, "load", counting)
    store = project_store(project / "mkdocs.yml")
    assert store is store_for(project / "data", project)  # one store per data folder and process
    assert store.display("roles.yml") == "data/roles.yml"
    first = store.roles()
    store.preload()
    assert store.roles() is first and reads.count("roles.yml") == 1
    assert reads.count("meeting-plan.yml") == 1
    roles = project / "data" / "roles.yml"
    roles.write_text(roles.read_text() + "\n")
    os.utime(roles, ns=(roles.stat().st_atime_ns, roles.stat().st_mtime_ns + 10**9))
    assert store.roles() is not first and reads.count("roles.yml") == 2
    assert reads.count("meeting-plan.yml") == 1


def test_a_missing_data_file_names_the_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "data" / "meeting-plan.yml").unlink()
    with pytest.raises(
        DataError,
        match=r"^Data file 'data/meeting-plan.yml' is missing; it holds the meeting agenda\.$",
    ):
        store_for(project / "data", project).meeting_plan()


def test_macros_find_the_data_without_the_mkdocs_plugin(facts_project: Path) -> None:
    """Another engine's configuration (no `playbook` plugin object): mkdocs.yml's own data_dir."""
    conf = {"config_file_path": str(facts_project / "mkdocs.yml"), "plugins": {}}
    store = config_store(conf)
    assert store is store_for(facts_project / "facts", facts_project)
    assert store.display("meeting-plan.yml") == "facts/meeting-plan.yml"
    assert store.meeting_plan().one_to_one is not None


def test_a_linked_data_folder_is_named_as_the_projects(tmp_path: Path) -> None:
    real = copy_project(tmp_path / "real") / "data"
    project = tmp_path / "linked"
    project.mkdir()
    (project / "data").symlink_to(real, target_is_directory=True)
    (project / "data" / "roles.yml").write_text("- role: ceo\n  title: [\n")
    with pytest.raises(
        DataError, match=r"^Error reading data file 'data/roles.yml', line 3: YAML syntax error"
    ):
        store_for(project / "data", project).roles()
