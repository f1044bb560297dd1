"""`playbook publish DEST`: build strictly into a new release folder, then switch DEST to it atomically.

DEST is a symlink to one folder in `DEST.releases/` (next to DEST, so on the same filesystem). A
release is built into a fresh staging folder there (`mkdtemp`, never reused); only when the strict
build succeeds is it renamed into place and DEST switched with `os.replace` of a freshly made
symlink, which readers see as one atomic step. A failing build leaves DEST exactly as it was.

The build runs in a child process that dies with its parent (Linux PR_SET_PDEATHSIG) and inherits
the lock on `DEST.releases/.lock`, so the lock is held until both have exited: a killed publish
can never write into the next one's release. Staging folders left by a killed publish are removed
by the next publish.

`DEST.releases/live-history` records, oldest first, the releases that were live: each publish adds
its release, each `--rollback` removes the current one and switches DEST to the one before it, so
rollback walks back through what readers actually had. Pruning keeps the last `--keep` releases of
that history (never fewer than the live one and the one before it) and removes every other release.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playbook.dates import BuildDateError, source_date_epoch

RELEASES_SUFFIX = ".releases"
STAGING_PREFIX = ".building-"
HISTORY_FILE = "live-history"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
RENAME_EXCHANGE = 2  # linux/fs.h: swap two paths atomically (renameat2)
AT_FDCWD = -100


class PublishError(Exception):
    """Publishing cannot go on; the message says why and what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dest", type=Path, help="the published folder (a symlink to the current release)"
    )
    parser.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the MkDocs configuration to build (default: mkdocs.yml)",
    )
    parser.add_argument(
        "--keep",
        type=int,
        default=3,
        help="how many releases to keep for rollback (default: 3, at least 2)",
    )
    parser.add_argument(
        "--with-book",
        action="store_true",
        help="also print the whole playbook as one PDF into the release, linked from Start here",
    )
    parser.add_argument(
        "--rollback",
        action="store_true",
        help="switch DEST back to the release before the current one; builds nothing",
    )


def run(args: argparse.Namespace) -> int:
    dest = Path(os.path.abspath(args.dest))
    releases = releases_dir(dest)
    try:
        if args.keep < 2:
            raise PublishError(
                "--keep must be at least 2: the current release and one to roll back to."
            )
        releases.mkdir(parents=True, exist_ok=True)
        with _locked(releases) as lock_fd:
            if args.rollback:
                return rollback(dest)
            return publish(
                dest, Path(os.path.abspath(args.config_file)), args.keep, lock_fd, args.with_book
            )
    except PublishError as exc:
        print(f"playbook publish: {exc}", file=sys.stderr)
        return 1


def releases_dir(dest: Path) -> Path:
    return dest.with_name(dest.name + RELEASES_SUFFIX)


def release_number(path: Path) -> int | None:
    """The counter a release folder's name starts with (`0003-1790000000` -> 3)."""
    head = path.name.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def list_releases(releases: Path) -> list[Path]:
    """Release folders, oldest first (by their counter, never by the clock)."""
    found = [
        p
        for p in releases.iterdir()
        if p.is_dir() and not p.is_symlink() and release_number(p) is not None
    ]
    return sorted(found, key=lambda p: release_number(p) or 0)


def current_release(dest: Path) -> Path | None:
    """The release folder DEST points at, or None when DEST is not one of our symlinks."""
    if not dest.is_symlink():
        return None
    target = Path(os.path.normpath(dest.parent / os.readlink(dest)))
    return target if target.parent == releases_dir(dest) else None


def publish(
    dest: Path, config_file: Path, keep: int, lock_fd: int | None = None, with_book: bool = False
) -> int:
    releases = releases_dir(dest)
    if dest.exists() and not dest.is_dir():
        raise PublishError(
            f"'{dest}' is a file, not a folder or a symlink to one; move it away first."
        )
    history = read_history(dest)
    remove_stale_staging(releases)
    existing = list_releases(releases)
    number = max([release_number(p) or 0 for p in existing] + [0]) + 1
    original: Path | None = None
    if dest.is_dir() and not dest.is_symlink():
        # First publish over a real folder: it becomes release `number`, the new build the next one.
        original = releases / f"{number:04d}-original"
        number += 1
    epoch = _epoch(config_file)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{number:04d}-", dir=releases))
    print(f"Building release {number} into {staging} ...", flush=True)
    if not build(config_file, staging, epoch, lock_fd):
        shutil.rmtree(staging, ignore_errors=True)
        print(
            f"playbook publish: the build failed (see the errors above); '{dest}' is unchanged"
            + (f" and still points to {os.readlink(dest)}." if dest.is_symlink() else "."),
            file=sys.stderr,
        )
        return 1
    if with_book and not _add_book(staging, config_file):
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    release = releases / f"{number:04d}-{epoch}"
    staging.chmod(0o755)  # mkdtemp makes it private; nginx's workers must read the release
    os.rename(staging, release)
    if original is not None:
        _replace_folder_with_symlink(dest, release, original)
        history = [original.name]
        print(
            f"'{dest}' was a real folder: it is kept as release {original.name} in {releases} "
            f"(use --rollback to return to it), and '{dest}' is now a symlink to the current release."
        )
    else:
        previous = os.readlink(dest) if dest.is_symlink() else None
        switch(dest, release)
        if previous:
            print(f"Previous release: {previous} (use --rollback to return to it).")
    write_history(dest, [*history, release.name])
    print(f"Published release {release.name}: '{dest}' -> {os.readlink(dest)}")
    for old in prune(dest, keep):
        print(f"Removed old release {old.name}.")
    return 0


def _add_book(staging: Path, config_file: Path) -> bool:
    """`--with-book`: the whole playbook as one PDF in the release, linked from Start here."""
    from playbook.book import BookError, add_to_release

    try:
        add_to_release(staging, config_file)
    except (BookError, OSError) as exc:
        print(
            f"playbook publish: the book could not be made ({exc}); nothing was published.",
            file=sys.stderr,
        )
        return False
    return True


def rollback(dest: Path) -> int:
    current = current_release(dest)
    if current is None:
        raise PublishError(
            f"'{dest}' is not a symlink to a release in {releases_dir(dest)}; nothing to roll back."
        )
    history = read_history(dest)
    earlier = [name for name in history[:-1] if (releases_dir(dest) / name).is_dir()]
    if not earlier:
        raise PublishError(
            f"'{dest}' points to {current.name}, the oldest live release kept; "
            "nothing to roll back to."
        )
    switch(dest, releases_dir(dest) / earlier[-1])
    write_history(dest, earlier)
    print(f"Rolled back: '{dest}' -> {os.readlink(dest)} (was {current.name}).")
    return 0


def read_history(dest: Path) -> list[str]:
    """The releases that were live, oldest first, ending with the one DEST points at now.

    Entries whose folder is gone are dropped. Without a history file (releases made before it
    existed), the releases numbered up to the current one stand in for it."""
    releases = releases_dir(dest)
    current = current_release(dest)
    try:
        names = (releases / HISTORY_FILE).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        upto = release_number(current) if current else None
        names = [
            p.name
            for p in list_releases(releases)
            if upto is not None and (release_number(p) or 0) <= upto
        ]
    names = [n for n in names if "/" not in n and (releases / n).is_dir()]
    if current is not None and (not names or names[-1] != current.name):
        names.append(current.name)  # DEST was switched by hand: what readers have is live
    return names


def write_history(dest: Path, names: list[str]) -> None:
    """Replace the history file in one atomic rename."""
    target = releases_dir(dest) / HISTORY_FILE
    tmp = target.with_name(f".{HISTORY_FILE}.{os.getpid()}")
    tmp.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
    os.replace(tmp, target)


def remove_stale_staging(releases: Path) -> None:
    """Staging folders of killed publishes: their build has exited, since we hold the lock."""
    for path in releases.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def build(config_file: Path, site_dir: Path, epoch: int, lock_fd: int | None = None) -> bool:
    """A strict MkDocs build in a child process (its errors go straight to the terminal).

    The child is killed when this process dies, and it inherits `lock_fd`, so the publish lock
    stays held until both have exited."""
    env = dict(
        os.environ,
        SOURCE_DATE_EPOCH=str(epoch),
        NO_MKDOCS_2_WARNING="1",
        DISABLE_MKDOCS_2_WARNING="true",
    )
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(config_file),
        "--site-dir",
        str(site_dir),
    ]
    # Never -q: a quiet strict build does not count warnings (stack notes).
    keep = (lock_fd,) if lock_fd is not None else ()
    with subprocess.Popen(
        command,
        env=env,
        cwd=config_file.parent,
        pass_fds=keep,
        preexec_fn=_die_with_parent(os.getpid()),
    ) as child:
        return child.wait() == 0


def _die_with_parent(parent: int) -> Callable[[], None]:
    """Run in the child before exec: SIGKILL it when the parent dies (Linux), and exit at once
    when the parent is already gone."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

    def setup() -> None:
        if hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return setup


def switch(dest: Path, release: Path) -> None:
    """Point DEST at `release` in one atomic rename of a freshly made symlink."""
    link = dest.with_name(f".{dest.name}.switch-{os.getpid()}")
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, dest.parent), link)
    os.replace(link, dest)


def _replace_folder_with_symlink(dest: Path, release: Path, keep_as: Path) -> None:
    """Swap the real folder DEST for a symlink; the folder moves to `keep_as`."""
    link = dest.with_name(f".{dest.name}.switch-{os.getpid()}")
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, dest.parent), link)
    if _exchange(link, dest):
        os.rename(link, keep_as)  # `link` now names the old folder
        return
    # No renameat2 (not Linux): DEST is missing for the moment between these two renames.
    os.rename(dest, keep_as)
    os.replace(link, dest)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False when unsupported."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def prune(dest: Path, keep: int) -> list[Path]:
    """Remove every release but the last `keep` of the live history (at least 2: the live one and
    the one before it). Releases never live, or rolled back from, go too."""
    kept = set(read_history(dest)[-max(keep, 2) :])
    current = current_release(dest)
    removed = []
    for old in list_releases(releases_dir(dest)):
        if old.name not in kept and old != current:
            shutil.rmtree(old)
            removed.append(old)
    return removed


def _epoch(config_file: Path) -> int:
    if not config_file.is_file():
        raise PublishError(
            f"no MkDocs configuration at '{config_file}'; pass --config-file path/to/mkdocs.yml."
        )
    try:
        return source_date_epoch(config_file.resolve().parent)
    except BuildDateError as exc:
        raise PublishError(str(exc)) from None


class _locked:
    """Hold an exclusive lock on the releases folder, so two publishes never interleave."""

    def __init__(self, releases: Path) -> None:
        self.path = releases / ".lock"

    def __enter__(self) -> int:
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise PublishError(
                f"another publish is running ({self.path} is locked); try again when it ends."
            ) from None
        return self.handle.fileno()

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
