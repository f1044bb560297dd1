"""Record every file or folder the test process reads outside the repository.

`install()` (called first thing by conftest.py) adds an audit hook (PEP 578) on the `open`,
`os.listdir` and `os.scandir` events, so any read by a test, a fixture or the code it runs, in
this process, is seen before it happens (even one that fails because the file is missing).
Reads inside the repository are fine, and so are reads of what any machine that runs the suite
has: the temporary folder (pytest's tmp_path), this Python and its venv, system folders (fonts,
certificates, /proc) and the user's tool caches (~/.cache: pip, matplotlib, fontconfig). What
sits beside the checkout (FORBIDDEN: its parent folder, other than the checkout) is never fine,
even when the repository itself sits in the temporary folder: a neighbouring folder that one
machine has and a fresh clone lacks. `test_standalone.py` fails on any record.
Child processes (Chromium, nginx, pip) are not audited.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHED = frozenset({"open", "os.listdir", "os.scandir"})
SYSTEM = (
    "/usr",
    "/lib",
    "/lib32",
    "/lib64",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/var/cache/fontconfig",
)


def _prefixes(paths: list[str]) -> tuple[str, ...]:
    out = set()
    for path in paths:
        if path:
            for form in (os.path.abspath(path), os.path.realpath(path)):
                out.add(form.rstrip("/") + "/")
    return tuple(sorted(out))


ALLOWED = _prefixes(
    [
        str(ROOT),
        tempfile.gettempdir(),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sysconfig.get_paths()["stdlib"],
        *site.getsitepackages(),
        os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache"),
        *SYSTEM,
    ]
)
INSIDE = _prefixes([str(ROOT)])


def _beside(root: Path) -> tuple[str, ...]:
    """The checkout's parent folder, whose other folders a clone elsewhere lacks; nothing when an
    allowed place (the temporary folder, the home cache) lies in it, as for a clone in /tmp."""
    parent = _prefixes([str(root.parent)])
    others = [p for p in ALLOWED if not p.startswith(INSIDE)]
    return () if any(p.startswith(parent) for p in others) else parent


FORBIDDEN = _beside(ROOT)

outside: list[str] = []  # "event path" for every read outside the allowed places, in order


def is_outside(path: str) -> bool:
    """True when `path` (absolute) is neither in the repository nor in an allowed place."""
    probe = path.rstrip("/") + "/"
    if probe.startswith(INSIDE):
        return False
    if probe.startswith(FORBIDDEN):
        return True
    return not probe.startswith(ALLOWED)


def _hook(event: str, args: tuple) -> None:
    if event not in WATCHED or not args:
        return
    try:
        target = args[0]
        if target is None:
            target = "."  # os.listdir() / os.scandir() of the current folder
        if isinstance(target, int):
            return  # an open file descriptor: its path was checked when it was opened
        path = os.path.abspath(os.fsdecode(target))
        if is_outside(path):
            outside.append(f"{event} {path}")
    except Exception:  # noqa: BLE001 - an audit hook must never break the read it watches
        return


def install() -> None:
    sys.addaudithook(_hook)
