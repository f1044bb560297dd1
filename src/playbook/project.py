"""Where the playbook's files are, for the `playbook` commands: read from mkdocs.yml as MkDocs does.

The project is the folder of `mkdocs.yml`: the one in the current folder, or the file given with
`-f/--config-file`. Its `docs_dir`, `site_dir` and the playbook plugin's `data_dir` are read from
that file and taken relative to its folder, as MkDocs takes them; never from where the package is
installed. The file is read with PyYAML only (no build): `!ENV` is resolved, other tags ignored.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"


def add_config_argument(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """`-f/--config-file` (also `--config`), as MkDocs names it; the value lands in `config_file`."""
    parser.add_argument(
        "-f",
        "--config-file",
        "--config",
        dest="config_file",
        type=Path,
        default=None,
        help=f"the playbook's mkdocs.yml (default: ./{CONFIG_FILE}){purpose}",
    )


def add_site_dir_argument(parser: argparse.ArgumentParser) -> None:
    """`--site-dir`, the built site; None means the `site_dir` of mkdocs.yml."""
    parser.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help="the built site (default: site_dir of mkdocs.yml)",
    )


def add_pdf_arguments(parser: argparse.ArgumentParser, default_output: str) -> None:
    """`-o/--output` (the PDF to write, `default_output` unless given) and `--paper`."""
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(default_output), help="the PDF to write"
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)"
    )


class ProjectError(ValueError):
    """No usable mkdocs.yml; the message says where the command looked and what to do."""


@dataclass(frozen=True)
class Project:
    config_file: Path
    docs_dir: Path
    site_dir: Path
    data_dir: Path

    @property
    def root(self) -> Path:
        """The project's folder: the one holding mkdocs.yml."""
        return self.config_file.parent


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` is resolved, Python object tags are ignored (not imported)."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = items[:-1], items[-1]
    else:
        return None
    for name in names:
        if name in os.environ:
            return os.environ[name]
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as a mapping, without building; ProjectError when missing or not YAML."""
    try:
        text = Path(config_file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(
            f"there is no '{config_file}' in '{Path.cwd()}': run the command in the playbook's "
            "folder (the one with mkdocs.yml), or give its configuration with -f path/to/mkdocs.yml."
        ) from None
    except OSError as exc:
        raise ProjectError(f"cannot read '{config_file}': {exc.strerror}.") from None
    try:
        config = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader with two tags added
    except yaml.YAMLError as exc:
        raise ProjectError(
            f"'{config_file}' is not valid YAML: {' '.join(str(exc).split())}"
        ) from None
    if not isinstance(config, dict):
        raise ProjectError(
            f"'{config_file}' is not an MkDocs configuration (a mapping of settings)."
        )
    return config


def plugin_config(config: dict[str, Any], name: str) -> dict[str, Any]:
    """The settings of plugin `name` in a mkdocs.yml mapping (list or mapping form), or {}."""
    plugins = config.get("plugins") or []
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else (
            next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)
            for p in plugins
        )
    )
    for key, settings in entries:
        if key == name:
            return settings if isinstance(settings, dict) else {}
    return {}


def load_project(config_file: Path | str | None = None) -> Project:
    """The project of `config_file` (default: mkdocs.yml in the current folder)."""
    path = Path(config_file) if config_file is not None else Path(CONFIG_FILE)
    config = read_config(path)
    root = path.parent
    return Project(
        config_file=path,
        docs_dir=root / str(config.get("docs_dir") or "docs"),
        site_dir=root / str(config.get("site_dir") or "site"),
        data_dir=root / str(plugin_config(config, "playbook").get("data_dir") or "data"),
    )
