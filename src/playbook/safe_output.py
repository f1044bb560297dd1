"""Write a generated file (a brief, a printed chapter) safely: never where it gets published, and
never half: an existing good file is replaced only by a complete new one.

`check_output_path(path, forbidden_dirs)` runs BEFORE the expensive rendering: it refuses a path
inside docs/, the built site or a publish DEST (a symlink into `DEST.releases/`, see publish.py),
a folder, a device such as /dev/full, a missing or read-only folder. `atomic_write(path, data)`
writes a temporary file in the same folder, syncs it, and renames it over `path`; on any error
(a full disk, a file size limit) the temporary file is removed and `path` is left as it was.
Both raise `OutputError` (a ValueError: the commands print it on one line and exit with 2).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

RELEASES_SUFFIX = ".releases"  # publish.py's releases_dir(dest): dest.with_name(dest.name + ...)
KEEP_OUT = (
    "keep profiles, briefs and prints outside the site, for example in private/ (git-ignored)"
)


class OutputError(ValueError):
    """The output path cannot or must not be written. The message names the path and the fix."""


def _inside(path: Path, folder: Path) -> bool:
    folder = folder.resolve()
    return path == folder or folder in path.parents


def publish_dest(path: Path) -> Path | None:
    """The publish DEST that `path` (resolved) is inside of, or None: a folder `X.releases` whose
    sibling `X` is a symlink (publish.py's layout), wherever the path entered it."""
    for parent in (path, *path.parents):
        if parent.name.endswith(RELEASES_SUFFIX) and len(parent.name) > len(RELEASES_SUFFIX):
            dest = parent.with_name(parent.name[: -len(RELEASES_SUFFIX)])
            if dest.is_symlink():
                return dest
    return None


def published_dirs(config_file: Path) -> list[tuple[Path, str]]:
    """docs_dir and site_dir of the project's mkdocs.yml (defaults docs/ and site/), with why an
    output must stay out of each. Only composed, never constructed: no tag is run."""
    import yaml

    config_file = Path(config_file)
    found = {"docs_dir": "docs", "site_dir": "site"}
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        root = None  # the commands report a broken mkdocs.yml elsewhere; the defaults still hold
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value in found and isinstance(value, yaml.ScalarNode) and value.value:
                found[key.value] = value.value
    project = config_file.parent
    return [
        (project / found["docs_dir"], "which is published on the intranet"),
        (project / found["site_dir"], "the built site, which is published on the intranet"),
    ]


def check_output_path(
    path: Path, forbidden_dirs: Iterable[tuple[Path, str]] = (), what: str = "The output"
) -> None:
    """Raise OutputError unless `path` can be written and is outside every forbidden folder.

    `forbidden_dirs`: (folder, why) pairs, e.g. (docs, "which is published on the intranet").
    """
    path = Path(path)
    resolved = path.resolve()
    for folder, why in forbidden_dirs:
        if _inside(resolved, Path(folder)):
            raise OutputError(f"{what} '{path}' is inside '{folder}', {why}; {KEEP_OUT}.")
    dest = publish_dest(resolved)
    if dest is not None:
        raise OutputError(
            f"{what} '{path}' is inside the published release of '{dest}', which the web server "
            f"serves at once; {KEEP_OUT}."
        )
    if resolved.is_dir():
        example = path / "x.pdf"
        raise OutputError(f"{what} '{path}' is a folder; give a file name, such as '{example}'.")
    try:
        mode = resolved.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"{what} '{path}' cannot be checked: {exc.strerror}.") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(
            f"{what} '{path}' is not a regular file (a device or a pipe); give a file path."
        )
    folder = resolved.parent
    if not folder.is_dir():
        raise OutputError(
            f"{what} '{path}' cannot be written: the folder '{path.parent}' does not exist; "
            "create it first."
        )
    try:  # the real test: can a file be created next to it (where atomic_write will write)?
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{resolved.name}.", suffix=".check"):
            pass
    except OSError as exc:
        raise OutputError(
            f"{what} '{path}' cannot be written: {exc.strerror} in '{path.parent}'; "
            "choose a folder you can write to."
        ) from None


def atomic_write(path: Path, data: bytes, what: str = "The output") -> None:
    """Write `data` to `path` completely or not at all (temporary file, fsync, rename)."""
    path = Path(path)
    target = path.resolve()
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{what} '{path}' cannot be written: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp's 0600 -> what a plain write would give
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        kept = " The existing file was left as it was." if target.exists() else ""
        raise OutputError(f"{what} '{path}' could not be written: {exc.strerror}.{kept}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
