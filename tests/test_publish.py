"""`playbook publish DEST`: a failing build leaves DEST exactly as it was; a good one switches it.

Each test runs the real `playbook` command as a subprocess on a copy of the project.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitebuild import BuildResult, copy_project

PLAYBOOK = Path(sys.executable).parent / "playbook"
BROKEN_LINE = "Total: {{ no_such_variable }}"


def tree_state(dest: Path) -> dict[str, str]:
    """What a reader of DEST sees: the symlink target (if any) and a hash of every file's bytes."""
    state = {".symlink": os.readlink(dest) if dest.is_symlink() else "(a real folder)"}
    for path in sorted(dest.rglob("*")):
        rel = path.relative_to(dest).as_posix()
        if path.is_symlink():
            state[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def publish(project: Path, dest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PLAYBOOK), "publish", str(dest), "--config-file", str(project / "mkdocs.yml"), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def break_page(project: Path) -> int:
    """Append an undefined macro variable to start-here.md; return its line number."""
    page = project / "docs" / "start-here.md"
    lines = page.read_text().splitlines()
    lines.append(BROKEN_LINE)
    page.write_text("\n".join(lines) + "\n")
    return len(lines)


def mark_page(project: Path, marker: str) -> None:
    page = project / "docs" / "start-here.md"
    page.write_text(page.read_text() + f"\n{marker}\n")


@pytest.fixture(name="good_folder")
def fixture_good_folder(built_site: BuildResult, tmp_path: Path) -> Path:
    """DEST as a real folder holding a good site (the first publish on a new server)."""
    dest = tmp_path / "www" / "playbook"
    shutil.copytree(built_site.site_dir, dest)
    return dest


def releases(dest: Path) -> list[str]:
    folder = dest.with_name(dest.name + ".releases")
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.exists() else []


def test_failed_build_leaves_a_real_folder_unchanged(good_folder: Path, tmp_path: Path):
    project = copy_project(tmp_path / "project")
    line = break_page(project)
    before = tree_state(good_folder)

    result = publish(project, good_folder)

    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"Doc file 'start-here.md', line {line}: 'no_such_variable' is undefined" in result.stderr
    )
    assert (
        f"the build failed (see the errors above); '{good_folder}' is unchanged." in result.stderr
    )
    assert not good_folder.is_symlink()
    assert tree_state(good_folder) == before
    assert releases(good_folder) == []  # the half-built release is gone


def test_first_publish_keeps_the_real_folder_as_a_release(good_folder: Path, tmp_path: Path):
    project = copy_project(tmp_path / "project")
    mark_page(project, "First published release.")
    (good_folder / "only-in-the-old-folder.txt").write_text("old\n")
    before = tree_state(good_folder)

    result = publish(project, good_folder)

    assert result.returncode == 0, result.stdout + result.stderr
    assert good_folder.is_symlink()
    assert os.readlink(good_folder) == "playbook.releases/0002-" + os.environ["SOURCE_DATE_EPOCH"]
    assert "First published release." in (good_folder / "start-here" / "index.html").read_text()
    assert not (good_folder / "only-in-the-old-folder.txt").exists()
    kept = good_folder.with_name("playbook.releases") / "0001-original"
    assert tree_state(kept) | {".symlink": "(a real folder)"} == before
    assert (
        f"'{good_folder}' was a real folder: it is kept as release 0001-original" in result.stdout
    )


def test_failed_build_leaves_a_published_symlink_unchanged(good_folder: Path, tmp_path: Path):
    # A published DEST: a symlink to a release folder holding a good site.
    dest = good_folder.with_name("site")
    release = good_folder.with_name("site.releases") / "0001-1"
    release.parent.mkdir()
    good_folder.rename(release)
    dest.symlink_to("site.releases/0001-1")
    before = tree_state(dest)
    project = copy_project(tmp_path / "project")
    line = break_page(project)

    result = publish(project, dest)

    assert result.returncode == 1
    assert (
        f"Doc file 'start-here.md', line {line}: 'no_such_variable' is undefined" in result.stderr
    )
    assert "is unchanged and still points to site.releases/0001-1." in result.stderr
    assert tree_state(dest) == before
    assert releases(dest) == ["0001-1"]


def test_publish_switches_keeps_the_previous_release_and_rolls_back(
    good_folder: Path, tmp_path: Path
):
    # Two earlier releases of a good site; DEST points at the newer one.
    dest = good_folder.with_name("site")
    releases_dir = good_folder.with_name("site.releases")
    releases_dir.mkdir()
    shutil.copytree(good_folder, releases_dir / "0001-1")
    (good_folder / "second.txt").write_text("release two\n")
    good_folder.rename(releases_dir / "0002-1")
    dest.symlink_to("site.releases/0002-1")
    before = tree_state(dest)
    project = copy_project(tmp_path / "project")
    mark_page(project, "Release three.")
    epoch = os.environ["SOURCE_DATE_EPOCH"]

    third = publish(project, dest, "--keep", "2")

    assert third.returncode == 0, third.stderr
    assert os.readlink(dest) == f"site.releases/0003-{epoch}"
    assert "Release three." in (dest / "start-here" / "index.html").read_text()
    assert (
        "Previous release: site.releases/0002-1 (use --rollback to return to it)." in third.stdout
    )
    assert "Removed old release 0001-1." in third.stdout
    assert releases(dest) == ["0002-1", f"0003-{epoch}"]

    back = publish(project, dest, "--rollback")
    assert back.returncode == 0, back.stderr
    assert (
        back.stdout.strip() == f"Rolled back: '{dest}' -> site.releases/0002-1 (was 0003-{epoch})."
    )
    assert tree_state(dest) == before  # the previous release was kept byte for byte

    nothing = publish(project, dest, "--rollback")
    assert nothing.returncode == 1
    assert (
        "points to 0002-1, the oldest live release kept; nothing to roll back to." in nothing.stderr
    )
    assert tree_state(dest) == before


SLOW_HOOK = '''"""Test only: hold the build once the site is written, if PLAYBOOK_TEST_SLOW is set."""
import os
import time


def on_post_build(config):
    if os.environ.get("PLAYBOOK_TEST_SLOW"):
        time.sleep(60)
'''


def add_slow_hook(project: Path) -> None:
    (project / "hooks" / "slow.py").write_text(SLOW_HOOK)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("hooks:\n", "hooks:\n  - hooks/slow.py\n", 1))


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def lock_is_free(dest: Path) -> bool:
    import fcntl

    with open(dest.with_name(dest.name + ".releases") / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_sigkill_of_a_publish_kills_its_build_and_never_leaks_into_the_next(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    add_slow_hook(project)
    doomed = project / "docs" / "toolkit" / "doomed.md"
    doomed.write_text("---\nowner: Test\n---\n# Doomed\n\nDeleted before the next publish.\n")
    config = project / "mkdocs.yml"
    not_in_nav = "not_in_nav: |\n  /toolkit/doomed.md\n"
    config.write_text(
        config.read_text().replace("validation:\n", not_in_nav + "\nvalidation:\n", 1)
    )
    dest = tmp_path / "www" / "playbook"
    dest.parent.mkdir()
    releases_dir = dest.with_name("playbook.releases")

    killed = subprocess.Popen(
        [str(PLAYBOOK), "publish", str(dest), "--config-file", str(project / "mkdocs.yml")],
        env=dict(os.environ, PLAYBOOK_TEST_SLOW="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The build has written the doomed page into its staging folder and is still running (a
        # bound, not an expectation: a cold build of a copy took over 60 s on the loaded machine).
        written = ".building-*/toolkit/doomed/index.html"
        assert wait_for(lambda: list(releases_dir.glob(written)), 150)
        staging = next(releases_dir.glob(".building-*"))
        (build_pid,) = children(killed.pid)
        assert not lock_is_free(dest)
        killed.kill()  # SIGKILL: no cleanup in the parent can run
        killed.wait(timeout=10)
        # The build dies with its parent (it would sleep 60 s more); until it has, the lock
        # stays held: whenever the lock is free, the build is gone.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if lock_is_free(dest):
                assert not alive(build_pid), "the lock was free while the build still ran"
                break
            time.sleep(0.02)
        assert not alive(build_pid), "the build outlived its publish"
        assert lock_is_free(dest)
    finally:
        killed.kill()
        if killed.stdout:
            killed.stdout.close()
    assert not dest.exists()

    doomed.unlink()
    config.write_text(config.read_text().replace(not_in_nav, ""))
    mark_page(project, "After the killed publish.")
    result = publish(project, dest)

    assert result.returncode == 0, result.stdout + result.stderr
    assert str(staging) not in result.stdout  # a fresh staging folder, never the killed one's
    assert not staging.exists() and list(releases_dir.glob(".building-*")) == []
    assert "After the killed publish." in (dest / "start-here" / "index.html").read_text()
    assert not (dest / "toolkit" / "doomed").exists()
    assert not (dest / "toolkit" / "doomed" / "index.html").exists()


def test_rollback_after_pruning_walks_back_through_what_was_live(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    dest = tmp_path / "www" / "site"
    dest.parent.mkdir()
    epoch = os.environ["SOURCE_DATE_EPOCH"]
    live = []
    for n in (1, 2, 3):
        mark_page(project, f"Release {n}.")
        result = publish(project, dest, "--keep", "2")
        assert result.returncode == 0, result.stderr
        live.append(os.readlink(dest))
    assert live == [f"site.releases/000{n}-{epoch}" for n in (1, 2, 3)]
    assert releases(dest) == [f"0002-{epoch}", f"0003-{epoch}"]  # --keep 2

    back = publish(project, dest, "--rollback")  # release 3 is rejected
    assert back.returncode == 0, back.stderr
    assert os.readlink(dest) == live[1]

    mark_page(project, "Release 4.")
    fourth = publish(project, dest, "--keep", "2")
    assert fourth.returncode == 0, fourth.stderr
    # Kept: the live release 4 and release 2, live before it; the rejected 3 goes.
    assert releases(dest) == [f"0002-{epoch}", f"0004-{epoch}"]
    assert "Removed old release 0003-" in fourth.stdout

    again = publish(project, dest, "--rollback")
    assert again.returncode == 0, again.stderr
    assert os.readlink(dest) == live[1]  # what was live before 4, never the rejected 3
    assert "Release 2." in (dest / "start-here" / "index.html").read_text()
    assert "Release 3." not in (dest / "start-here" / "index.html").read_text()
    history = dest.with_name("site.releases") / "live-history"
    assert history.read_text().split() == [f"0002-{epoch}"]

    last = publish(project, dest, "--rollback")
    assert last.returncode == 1
    assert "the oldest live release kept; nothing to roll back to." in last.stderr
