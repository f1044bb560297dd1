"""Issue 13, finding 9: briefs and prints never land in the published tree and never destroy a
good file. Refusals happen before any browser starts; a full disk (a real, small tmpfs in a
private mount namespace, and a real RLIMIT_FSIZE) leaves the existing brief as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sitebuild import ROOT

from playbook import cli

PLAYBOOK = Path(sys.executable).parent / "playbook"
CFO = ROOT / "data" / "profiles" / "example-cfo.yml"


def one_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the command in-process; it must exit 2 with exactly one line on stderr."""
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def publish_layout(root: Path) -> Path:
    """publish.py's layout: DEST -> DEST.releases/0001 (a symlink into the releases folder)."""
    release = root / "DEST.releases" / "0001"
    release.mkdir(parents=True)
    (root / "DEST").symlink_to(release)
    return root / "DEST"


@pytest.mark.parametrize(
    ("command", "where", "message"),
    [
        ("brief", "docs/brief.pdf", "is inside 'docs', which is published on the intranet;"),
        ("brief", "site/chapters/brief.pdf", "is inside 'site', the built site,"),
        ("print", "site/x.pdf", "is inside 'site', the built site,"),
        ("brief", "{tmp}/DEST/brief.pdf", "is inside the published release of '{tmp}/DEST',"),
        ("print", "{tmp}/DEST.releases/0001/x.pdf", "inside the published release of '{tmp}/DEST'"),
        ("brief", "/dev/full", "is not a regular file (a device or a pipe); give a file path."),
        ("print", "/dev/full", "is not a regular file (a device or a pipe); give a file path."),
        ("brief", "{tmp}", "is a folder; give a file name, such as '{tmp}/x.pdf'."),
        ("brief", "{tmp}/no/such/brief.pdf", "the folder '{tmp}/no/such' does not exist;"),
    ],
)
def test_output_refused_before_rendering(command, where, message, tmp_path, capsys) -> None:
    publish_layout(tmp_path)
    where = where.format(tmp=tmp_path)
    first = [command, str(CFO)] if command == "brief" else [command, "chapters/value-and-roi/"]
    output = where if where.startswith("/") else str(ROOT / where)
    err = one_error(capsys, [*first, "-o", output])
    assert message.format(ROOT=ROOT, tmp=tmp_path) in err
    assert not (ROOT / where).exists() or where.startswith("/dev") or Path(where).is_dir()


def test_brief_html_is_refused_in_the_built_site(tmp_path, capsys) -> None:
    html, pdf = str(ROOT / "site" / "b.html"), str(tmp_path / "b.pdf")
    err = one_error(capsys, ["brief", str(CFO), "--html", html, "-o", pdf])
    assert err.startswith(f"playbook brief: error: The brief's HTML '{ROOT}/site/b.html' is inside")
    assert not (tmp_path / "b.pdf").exists()


def test_read_only_folder_is_refused(tmp_path, capsys) -> None:
    # Root may write anywhere: a read-only bind is what stops it, so use a read-only file system
    # view when root; otherwise a folder without write permission.
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        folder = Path("/proc/self")  # not writable even by root
    err = one_error(capsys, ["brief", str(CFO), "-o", str(folder / "brief.pdf")])
    assert "cannot be written:" in err and "choose a folder you can write to." in err


def test_long_profile_field_is_refused(tmp_path, capsys) -> None:
    text = "\n".join(line for line in CFO.read_text().splitlines() if not line.startswith("ask"))
    profile = tmp_path / "long.profile.yml"
    profile.write_text(text + "\nask: " + "more budget " * 9000 + "\n")
    err = one_error(capsys, ["brief", str(profile), "-o", str(tmp_path / "b.pdf")])
    assert "'ask' has 107999 characters, more than the 400 a brief has room for;" in err
    assert err.rstrip().endswith("shortened to at most 400 characters.")


def test_atomic_write_under_a_file_size_limit_keeps_the_good_file(tmp_path: Path) -> None:
    good = tmp_path / "brief.pdf"
    good.write_bytes(b"%PDF-1.7 the good brief\n")
    script = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from playbook.safe_output import OutputError, atomic_write
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        try:
            atomic_write(Path({str(good)!r}), b"%PDF-1.7 " + bytes(1_000_000), "The brief")
        except OutputError as exc:
            print(exc)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == (
        f"The brief '{good}' could not be written: File too large. "
        "The existing file was left as it was.\n"
    )
    assert good.read_bytes() == b"%PDF-1.7 the good brief\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]  # no temporary file left


def test_full_disk_never_overwrites_a_good_brief(tmp_path: Path) -> None:
    """A real tmpfs with too little room, in a private mount namespace (unshare): the brief's
    render succeeds, the write fails, and the good A4 brief already there is untouched."""
    good = tmp_path / "good.pdf"
    done = subprocess.run(
        [str(PLAYBOOK), "brief", str(CFO), "-o", str(good)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    disk = tmp_path / "disk"
    disk.mkdir()
    room_kb = (good.stat().st_size // 1024) + 12  # the good file, and not much more
    script = (
        f"mount -t tmpfs -o size={room_kb}k tmpfs {disk} && cp {good} {disk}/brief.pdf && "
        f"{PLAYBOOK} brief {CFO} --paper letter -o {disk}/brief.pdf; echo rc=$?; "
        f"cmp {good} {disk}/brief.pdf && echo same; ls -A {disk}"
    )
    shutil.which("unshare") or pytest.fail("unshare (util-linux) is needed for the tmpfs test")
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=180
    )
    assert done.stdout == "rc=2\nsame\nbrief.pdf\n", done.stderr
    assert done.stderr == (
        f"playbook brief: error: The brief '{disk}/brief.pdf' could not be written: "
        "No space left on device. The existing file was left as it was.\n"
    )
