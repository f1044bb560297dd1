"""What one build knows (data, date, which page cites which figure), under either engine.

`BuildState` is owned by the MkDocs plugin (`playbook.plugin`) when MkDocs builds. Under an
engine that runs no MkDocs plugin (Zensical), `shared_state(root)` gives the process's one state
for the project in `root`: its data through `playbook.data` (read once per process), its
settings from the `playbook` entry of mkdocs.yml, its date from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from playbook import render
from playbook.data import Catalog, DataError, Stat, Store, store_for
from playbook.frontmatter import PageMeta

OLD_BEFORE = 2015  # the `old_before` default of the plugin's settings (playbook.plugin)


def executive_page(src: str, meta: PageMeta | None, patterns: tuple[str, ...] | list[str]) -> bool:
    """Is the page written for executives: `audience: executive`, or a path in `executive_pages`."""
    if meta is not None and meta.audience == "executive":
        return True
    return any(fnmatch.fnmatch(src, pattern) for pattern in patterns)


@dataclass
class BuildState:
    """What one build knows: data, date, and which page cites which figure."""

    catalog: Catalog
    today: date
    old_before: int
    citations: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    cited: dict[str, list[tuple[int, Stat]]] = field(default_factory=dict)
    uses: dict[str, list[tuple[str, bool]]] = field(
        default_factory=dict
    )  # stat id -> (page, historical)
    meta: dict[str, PageMeta] = field(default_factory=dict)
    store: Store | None = None  # the data files (playbook.data), read once
    # page -> {a figure's HTML: its text as the search index reads it} (playbook.search_view)
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    source_lists: dict[str, str] = field(default_factory=dict)  # page -> its source list's HTML

    def cite(self, page_src: str, stat: Stat, historical: bool = False) -> int:
        """Record that `page_src` cites `stat`; return its number in that page's source list."""
        numbers = self.citations.setdefault(page_src, {})
        key = render.source_key(stat)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            self.cited.setdefault(page_src, []).append((numbers[key], stat))
        self.uses.setdefault(stat.id, []).append((page_src, historical))
        return numbers[key]

    def stale_citations(self, is_executive: Callable[[str], bool]) -> list[str]:
        """One message for each citation, on an executive-facing page, of a figure collected
        before `old_before` without historical=True (the freshness check of either engine)."""
        problems = []
        for stat_id, uses in self.uses.items():
            stat = self.catalog.stats[stat_id]
            if not stat.is_old(self.old_before):
                continue
            for src, historical in uses:
                if historical or not is_executive(src):
                    continue
                problems.append(
                    f"Doc file '{src}' is executive-facing and cites '{stat_id}' "
                    f"({stat.year_label}), collected before {self.old_before}. Use a newer "
                    f"figure, or mark it stat('{stat_id}', historical=True) if its age is the point."
                )
        return problems

    def forget(self, page_src: str) -> None:
        """Drop what `page_src` cited, before it is rendered again (a rebuild under `serve`)."""
        self.citations.pop(page_src, None)
        self.cited.pop(page_src, None)
        self.figures.pop(page_src, None)
        self.source_lists.pop(page_src, None)
        for stat_id, uses in list(self.uses.items()):
            kept = [use for use in uses if use[0] != page_src]
            if kept:
                self.uses[stat_id] = kept
            else:
                del self.uses[stat_id]


@dataclass(frozen=True)
class Settings:
    """The `playbook` plugin's settings as written in mkdocs.yml (for engines without plugins)."""

    data_dir: Path
    old_before: int = OLD_BEFORE
    strict_freshness: bool = False
    executive_pages: tuple[str, ...] = ()
    link_check: bool = True
    onboarding_registry: Path | None = None


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):  # from !ENV
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


_SETTINGS: dict[Path, tuple[tuple[int, int], Settings]] = {}


def settings(root: Path, config_file: str = "mkdocs.yml") -> Settings:
    """The playbook plugin's settings read from `root/config_file` (no MkDocs needed); read
    again only when the file changes (Zensical asks once per page)."""
    from playbook.project import ProjectError, plugin_config, read_config

    path = root / config_file
    try:
        found = path.stat()
        stamp = (found.st_mtime_ns, found.st_size)
    except OSError:
        stamp = (-1, -1)
    cached = _SETTINGS.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        conf = plugin_config(read_config(path), "playbook")
    except ProjectError as exc:
        raise DataError(str(exc)) from None
    registry = conf.get("onboarding_registry")
    result = Settings(
        data_dir=root / str(conf.get("data_dir") or "data"),
        old_before=int(conf.get("old_before") or OLD_BEFORE),
        strict_freshness=_flag(conf.get("strict_freshness"), False),
        executive_pages=tuple(conf.get("executive_pages") or ()),
        link_check=_flag(conf.get("link_check"), True),
        onboarding_registry=root / str(registry) if registry else None,
    )
    _SETTINGS[path] = (stamp, result)
    return result


_SHARED: dict[Path, BuildState] = {}


def shared_state(root: Path) -> BuildState:
    """The process's one BuildState for the project in `root`, its data current.

    Raises DataError (naming the file and line) for bad data and BuildDateError for a bad
    SOURCE_DATE_EPOCH. A changed data file gives a new catalog; citations are kept."""
    from playbook.dates import build_date

    root = Path(root).resolve()
    found = settings(root)
    today = build_date(root)
    store = store_for(found.data_dir, root)
    catalog = store.preload(today)
    assert catalog is not None  # preload with a date reads the statistics
    state = _SHARED.get(root)
    if state is None or state.today != today:
        state = _SHARED[root] = BuildState(
            catalog=catalog, today=today, old_before=found.old_before, store=store
        )
    state.catalog = catalog
    return state


def reset_shared_state(root: Path) -> None:
    """Forget every citation of the project in `root` (before a full build)."""
    _SHARED.pop(Path(root).resolve(), None)
