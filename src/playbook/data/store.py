"""One project's data, each file read and validated once while it is unchanged: `store_for()`.

The MkDocs plugin, the macros, the brief and the commands all ask the same `Store` (one per data
folder and process) for what they need. A value is cached with the modification times and sizes
of the files it was read from, so `mkdocs serve` re-reads only what a writer changed, and a
second build in the same process reads nothing. `Store.preload()` reads every file up front, so
a bad record is reported with its own file and line before any page is rendered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from playbook.data import stats
from playbook.data.base import DataError
from playbook.data.files import display_path

if TYPE_CHECKING:
    from playbook.case import Case, Figure

T = TypeVar("T")

ROLES_FILE = "roles.yml"
OBJECTIONS_FILE = "objections.yml"
SCALE_FILE = "support-scale.yml"
LAW_FILE = "law.yml"
CASES_FILE = "cases.yml"


def _stamp(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """What a cached value depends on: each file's path, modification time and size (-1: none)."""
    stamps = []
    for path in paths:
        try:
            found = path.stat()
            stamps.append((str(path), found.st_mtime_ns, found.st_size))
        except OSError:
            stamps.append((str(path), -1, -1))
    return tuple(stamps)


class Store:
    """The data of the project in `root` (the folder of mkdocs.yml), read from `data_dir`."""

    def __init__(self, data_dir: Path, root: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir.parent if root is None else Path(root)
        self._cache: dict[str, tuple[tuple[Any, ...], Any]] = {}

    def display(self, name: str) -> str:
        """A data file's name as messages show it, such as 'data/roles.yml'."""
        return display_path(self.data_dir / name, self.root)

    def _cached(self, key: str, files: list[Path], load: Callable[[], T], *extra: Any) -> T:
        stamp = (_stamp(files), *extra)
        hit = self._cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = load()
        self._cache[key] = (stamp, value)
        return value

    def catalog(self, today: date) -> stats.Catalog:
        """Statistics, glossary and charts (the future-year check depends on `today`)."""
        files = stats.catalog_files(self.data_dir)
        return self._cached(
            "catalog", files, lambda: stats.load_catalog(self.data_dir, today, self.root), today
        )

    def roles(self) -> dict[str, Any]:
        """Role cards from roles.yml, by role."""
        from playbook.playdata import load_roles

        return self._cached(
            "roles", [self.data_dir / ROLES_FILE], lambda: load_roles(self.data_dir, self.root)
        )

    def stats_only(self, today: date) -> stats.Catalog:
        """Only the statistics (no glossary or charts), for the brief."""
        files = stats.catalog_files(self.data_dir)[:-2]

        def load() -> stats.Catalog:
            found, where = stats.load_stats(self.data_dir / "stats", today, self.root)
            return stats.Catalog(stats=found, where=where)

        return self._cached("stats", files, load, today)

    def objections(self, catalog: stats.Catalog | None = None) -> list[Any]:
        """The objection finder's entries; with `catalog`, every evidence id of the role cards and
        the objections must name a measured statistic."""
        from playbook.playdata import check_evidence, load_objections

        path = self.data_dir / OBJECTIONS_FILE
        items = self._cached(
            "objections", [path], lambda: load_objections(self.data_dir, self.root)
        )
        if catalog is not None:
            cards = self.roles()
            stamp = (_stamp([self.data_dir / ROLES_FILE, path]),)
            checked = self._cache.get("evidence")
            if checked is None or checked[0] != stamp or checked[1] is not catalog.stats:
                roles_file, objections_file = (
                    self.display(ROLES_FILE),
                    self.display(OBJECTIONS_FILE),
                )
                check_evidence(cards, items, catalog.stats, roles_file, objections_file)
                self._cache["evidence"] = (stamp, catalog.stats)
        return items

    def support_scale(self) -> dict[str, Any]:
        """Support levels from support-scale.yml, by key, in level order."""
        from playbook.playdata import load_support_scale

        return self._cached(
            "scale",
            [self.data_dir / SCALE_FILE],
            lambda: load_support_scale(self.data_dir, self.root),
        )

    def meeting_plan(self) -> Any:
        """The meeting agenda from meeting-plan.yml."""
        from playbook.meeting import PLAN_FILE, load_plan

        return self._cached(
            "meeting", [self.data_dir / PLAN_FILE], lambda: load_plan(self.data_dir, self.root)
        )

    def worked_case(self) -> tuple[Case, dict[str, Figure]]:
        """The worked case (case/northwind.yml) and its figures."""
        from playbook import case

        def load() -> tuple[Case, dict[str, Figure]]:
            found = case.load_case(self.data_dir, self.root)
            return found, case.figures(found)

        return self._cached("case", [self.data_dir / case.CASE_FILE], load)

    def law(self) -> list[Any]:
        """The map of rules from law.yml."""
        from playbook.legal import load_law

        return self._cached(
            "law", [self.data_dir / LAW_FILE], lambda: load_law(self.data_dir, self.root)
        )

    def cases(self) -> list[Any]:
        """Recent cases from cases.yml."""
        from playbook.legal import load_cases

        return self._cached(
            "cases", [self.data_dir / CASES_FILE], lambda: load_cases(self.data_dir, self.root)
        )

    def reading_path(self) -> Any:
        """The new hire's reading path from onboarding-path.yml (its pages are checked when shown)."""
        from playbook.onboarding import PATH_FILE, read_path

        return self._cached(
            "reading-path", [self.data_dir / PATH_FILE], lambda: read_path(self.data_dir, self.root)
        )

    def preload(self, today: date | None = None) -> stats.Catalog | None:
        """Read every data file now, so an error names its file before any page uses it. With the
        build's date, the statistics too, and the evidence ids of role cards and objections."""
        catalog = None if today is None else self.catalog(today)
        self.roles()
        self.objections(catalog)
        for load in (self.support_scale, self.meeting_plan, self.worked_case, self.law, self.cases):
            load()
        self.reading_path()
        return catalog


_STORES: dict[tuple[Path, Path], Store] = {}


def store_for(data_dir: Path | str, root: Path | str | None = None) -> Store:
    """The process's one `Store` for this data folder (and project folder)."""
    # Absolute, but symbolic links kept: a linked data folder is still named as the project's.
    folder = Path(os.path.abspath(data_dir))
    project = folder.parent if root is None else Path(os.path.abspath(root))
    key = (folder, project)
    if key not in _STORES:
        _STORES[key] = Store(folder, project)
    return _STORES[key]


def project_store(config_file: Path | str) -> Store:
    """The store of the project configured by `config_file` (mkdocs.yml): the `playbook` plugin's
    `data_dir`, else `data` beside it. Needs no MkDocs plugin, so any engine's macros can use it."""
    from playbook.project import ProjectError, load_project

    try:
        project = load_project(config_file)
    except ProjectError as exc:
        raise DataError(str(exc)) from None
    return store_for(project.data_dir, project.root)


def config_store(conf: Any) -> Store:
    """The store for a loaded configuration, such as mkdocs-macros' `env.conf`, under any engine:
    the `playbook` plugin's validated `data_dir` when the engine runs that plugin, else the
    settings written in the configuration file itself (`project_store`)."""
    # Zensical's configuration names the project's folder (root_dir), not the file.
    config_file = Path(
        conf.get("config_file_path") or Path(conf.get("root_dir") or ".") / "mkdocs.yml"
    )
    plugins: Any = conf.get("plugins")
    plugin = plugins.get("playbook") if hasattr(plugins, "get") else None
    settings: Any = getattr(plugin, "config", None)
    data_dir = settings.get("data_dir") if hasattr(settings, "get") else None
    if data_dir:
        return store_for(config_file.parent / data_dir, config_file.parent)
    return project_store(config_file)
