"""Build the playbook (or a modified copy of it) in this process and record what MkDocs logged."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "overrides", "macros", "hooks")
# Build caches beside data/ (chart SVGs, the brief builder's pre-rendered data), keyed by what they
# are made from: a copy reuses what the session's build made instead of making it again. Never the
# external-link cache (a test's answers are its own).
CACHE_DIR = ".cache"
NOT_COPIED_CACHES = ("linkcheck",)


@dataclass
class BuildResult:
    site_dir: Path
    ok: bool
    error: str = ""
    records: list[logging.LogRecord] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]

    @property
    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    @property
    def text(self) -> str:
        """Everything a writer would see: the error and every logged message."""
        return "\n".join([self.error, *self.messages])


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def copy_project(dest: Path, caches: bool = True) -> Path:
    """A copy of the playbook's sources in `dest`, to break on purpose.

    With `caches` (the default) the build caches in `.cache/` come along: every entry is keyed by
    its inputs, so a change made to the copy misses the cache and is made anew, and the rest is
    not made again in every copy (a cold build of the playbook costs several times a warm one).
    Tests of the caches themselves, or that two cold builds agree, pass `caches=False`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    if caches and (ROOT / CACHE_DIR).is_dir():
        shutil.copytree(
            ROOT / CACHE_DIR,
            dest / CACHE_DIR,
            ignore=shutil.ignore_patterns(*NOT_COPIED_CACHES, ".tmp-*"),
        )
    return dest


def build_site(project: Path, site_dir: Path, **overrides) -> BuildResult:
    """A strict build of `project/mkdocs.yml` into `site_dir`; never raises for build errors."""
    recorder = _Recorder()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(recorder)
    try:
        config = load_config(
            str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True, **overrides
        )
        build(config)
        return BuildResult(site_dir, True, records=recorder.records)
    except (MkDocsException, Abort, SystemExit) as exc:
        return BuildResult(site_dir, False, error=str(exc), records=recorder.records)
    finally:
        logger.removeHandler(recorder)
