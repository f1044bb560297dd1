"""`playbook publish DEST`: build strictly into a new release folder, then switch DEST to it atomically.

DEST is a symlink to one folder in `DEST.releases/` (next to DEST, so on the same filesystem). A
release is built into a staging folder there; only when the strict build succeeds is it renamed
into place and DEST switched with `os.replace` of a freshly made symlink, which readers see as one
atomic step. A failing build leaves DEST exactly as it was. The last `--keep` releases stay on disk,
and `--rollback` switches DEST back to the release before the current one.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from playbook.dates import BuildDateError, source_date_epoch

RELEASES_SUFFIX = ".releases"
STAGING_PREFIX = ".building-"
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
        with _locked(releases):
            if args.rollback:
                return rollback(dest)
            return publish(dest, Path(os.path.abspath(args.config_file)), args.keep, args.with_book)
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


def publish(dest: Path, config_file: Path, keep: int, with_book: bool = False) -> int:
    releases = releases_dir(dest)
    if dest.exists() and not dest.is_dir():
        raise PublishError(
            f"'{dest}' is a file, not a folder or a symlink to one; move it away first."
        )
    existing = list_releases(releases)
    number = (release_number(existing[-1]) or 0) + 1 if existing else 1
    original: Path | None = None
    if dest.is_dir() and not dest.is_symlink():
        # First publish over a real folder: it becomes release `number`, the new build the next one.
        original = releases / f"{number:04d}-original"
        number += 1
    epoch = _epoch(config_file)
    staging = releases / f"{STAGING_PREFIX}{number:04d}"
    shutil.rmtree(staging, ignore_errors=True)
    print(f"Building release {number} into {staging} ...", flush=True)
    if not build(config_file, staging, epoch):
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
    os.rename(staging, release)
    if original is not None:
        _replace_folder_with_symlink(dest, release, original)
        print(
            f"'{dest}' was a real folder: it is kept as release {original.name} in {releases} "
            f"(use --rollback to return to it), and '{dest}' is now a symlink to the current release."
        )
    else:
        previous = os.readlink(dest) if dest.is_symlink() else None
        switch(dest, release)
        if previous:
            print(f"Previous release: {previous} (use --rollback to return to it).")
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
        print(f"playbook publish: the book could not be made ({exc}); nothing was published.", file=sys.stderr)
        return False
    return True


def rollback(dest: Path) -> int:
    current = current_release(dest)
    if current is None:
        raise PublishError(
            f"'{dest}' is not a symlink to a release in {releases_dir(dest)}; nothing to roll back."
        )
    older = [
        p
        for p in list_releases(releases_dir(dest))
        if (release_number(p) or 0) < (release_number(current) or 0)
    ]
    if not older:
        raise PublishError(
            f"'{dest}' points to {current.name}, the oldest release kept; nothing to roll back to."
        )
    switch(dest, older[-1])
    print(f"Rolled back: '{dest}' -> {os.readlink(dest)} (was {current.name}).")
    return 0


def build(config_file: Path, site_dir: Path, epoch: int) -> bool:
    """A strict MkDocs build in a child process (its errors go straight to the terminal)."""
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
    return subprocess.run(command, env=env, cwd=config_file.parent, check=False).returncode == 0


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
    """Remove all but the newest `keep` releases, never the one DEST points at."""
    current = current_release(dest)
    removed = []
    for old in list_releases(releases_dir(dest))[:-keep]:
        if old != current:
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

    def __enter__(self) -> None:
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise PublishError(
                f"another publish is running ({self.path} is locked); try again when it ends."
            ) from None

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
