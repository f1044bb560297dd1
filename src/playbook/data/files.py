"""Reading one data file: its YAML with line numbers, and its name as error messages show it.

The parsing itself (size limit, alias refusal, line numbers) is `playbook.yamlfile`'s; here its
errors become `DataError`, the one error type of the data layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook import yamlfile
from playbook.data.base import DataError


def display_path(path: Path, root: Path) -> str:
    """`path` as messages name it: relative to the project's folder when inside it."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_yaml(path: Path, display: str) -> Any:
    """The file's YAML (`LineDict`/`LineList` with lines); any error is a DataError naming the line."""
    try:
        return yamlfile.load(path, display)
    except yamlfile.YamlError as exc:
        raise DataError(str(exc)) from None


def require(path: Path, display: str, holds: str) -> None:
    """DataError unless the data file exists; `holds` says what it is for."""
    if not Path(path).exists():
        raise DataError(f"Data file '{display}' is missing; it holds {holds}.")
