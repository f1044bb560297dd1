"""The external-link cache: one JSON file in `.cache/linkcheck/`, successes only, with a max age.

A URL checked within `max_age` seconds is not fetched again (lychee's `.lycheecache` idea).
Failures are never stored, so a broken link is checked afresh on every run.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

CACHE_FILE = "external.json"
VERSION = 1


class Cache:
    def __init__(
        self, directory: str | os.PathLike[str], max_age: float, now: float | None = None
    ) -> None:
        self.path = Path(directory) / CACHE_FILE
        self.max_age = max_age
        self.now = time.time() if now is None else now
        self.entries: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("version") == VERSION:
            self.entries = {
                url: entry
                for url, entry in data.get("entries", {}).items()
                if isinstance(entry, dict) and self.now - entry.get("checked", 0) <= max_age
            }

    def get(self, url: str, need_anchors: bool = False) -> dict | None:
        """The fresh cached success for `url`, or None (also when its anchors are needed but
        were not stored)."""
        entry = self.entries.get(url)
        if entry is None or (need_anchors and entry.get("anchors") is None):
            return None
        return entry

    def put(self, url: str, status: str, code: int | None, final: str | None, anchors=None) -> None:
        self.entries[url] = {
            "checked": self.now,
            "status": status,
            "code": code,
            "final": final,
            "anchors": sorted(anchors) if anchors is not None else None,
        }

    def save(self) -> None:
        """Write atomically (a temporary file, then rename), so a killed run leaves no half file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({"version": VERSION, "entries": self.entries}, indent=0), encoding="utf-8"
        )
        os.replace(tmp, self.path)
