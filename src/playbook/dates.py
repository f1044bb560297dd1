"""The build's notion of "today", taken from SOURCE_DATE_EPOCH and never from the clock.

Every age, review status and "generated on" date the site shows comes from `build_date()`, so two
builds of the same commit give the same bytes. The Makefile sets SOURCE_DATE_EPOCH from the last
commit; outside the Makefile we ask git for the same value.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path


class BuildDateError(RuntimeError):
    """Neither SOURCE_DATE_EPOCH nor a git commit gives the build a date."""


def source_date_epoch(repo: Path | None = None) -> int:
    """Seconds since the epoch for this build: SOURCE_DATE_EPOCH, else the last commit's time."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        try:
            return int(value)
        except ValueError as exc:
            raise BuildDateError(
                f"SOURCE_DATE_EPOCH is {value!r}; expected whole seconds since 1970, "
                "for example the output of `git log -1 --format=%ct`."
            ) from exc
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=repo or Path.cwd(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if out:
            return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    raise BuildDateError(
        "The build has no date: set SOURCE_DATE_EPOCH (the Makefile sets it from the last "
        "commit), or build inside the git checkout."
    )


def build_datetime(repo: Path | None = None) -> datetime:
    return datetime.fromtimestamp(source_date_epoch(repo), tz=timezone.utc)


def build_date(repo: Path | None = None) -> date:
    return build_datetime(repo).date()
