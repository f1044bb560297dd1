"""Read YAML files with line numbers, so every data error can name the file and the line.

`load(path)` returns plain Python data in which every mapping is a `LineDict`: a dict that also
knows the line it starts on and the line of each of its keys. `line_of(data, loc)` walks a
pydantic error location such as `(3, "source", "url")` back to the line it points at.

Hostile input is refused before it costs anything: a file over `MAX_BYTES`, and any alias
(`*name`), since no file of the playbook needs one and an alias bomb expands to gigabytes in
whatever walks the data next (pydantic, mkdocs-macros). Every error, syntax or not, becomes a
`YamlError` naming the file, the line and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

# A data file larger than this is refused before parsing (the largest real one is ~100 KB).
MAX_BYTES = 2_000_000
# Only texts up to this size are parsed a second time, by the slow parser, for a clearer message.
REPARSE_MAX_BYTES = 200_000
# An anchor (&name) and an alias (*name), as tokens: both must appear for a document to alias.
RE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s,\[\]{}]", re.MULTILINE)
RE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]", re.MULTILINE)


class YamlError(ValueError):
    """A YAML file could not be read. The message names the file, the line and the problem."""


class YamlProblem(Exception):
    """Raised while constructing: (line, message), completed with the file's name by load_text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A mapping that remembers where it was in its file (1-based lines)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


class _PyLoader(yaml.SafeLoader):
    """The pure-Python parser: slower, but its syntax error messages are the clearer ones."""


# libyaml's parser is about ten times faster and still gives every node its line.
# The base is chosen at import time, which mypy cannot follow (types-PyYAML has no common base).
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


Loader = _Loader  # for loaders that extend this one (frontmatter.py)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise YamlProblem(
                key_node.start_mark.line + 1,
                "a list or a mapping is used as a key; a key must be plain text "
                "(quote it, or check the indentation of the line).",
            )
        if key in result:
            raise YamlProblem(
                key_node.start_mark.line + 1,
                f"the key '{key}' appears twice in one entry; keep one of them",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _cls in (_Loader, _PyLoader):
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    # Dates stay text: the schema decides what a date is, and "Feb 2014" must survive as written.
    _cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def refuse_aliases(text: str, loader: type = _Loader) -> None:
    """Raise `YamlProblem` at the first alias (`*name`), found in the events before any node."""
    if not (RE_ANCHOR.search(text) and RE_ALIAS.search(text)):
        return
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark  # the parser marks every event; None only in hand-made ones
            raise YamlProblem(
                mark.line + 1 if mark is not None else 1,
                f"the alias '*{event.anchor}' repeats an anchored value; aliases are not "
                "allowed here (they can expand without bound): write the value out.",
            )


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    start = exc.context_mark
    if exc.problem and exc.context and start and mark and start.line != mark.line:
        # An unclosed bracket or quote: say where it opened, often the line to fix.
        what = exc.context.removeprefix("while parsing a ").removeprefix("while scanning a ")
        problem += f" (in the {what} that starts on line {start.line + 1})"
    return YamlProblem(
        mark.line + 1 if mark else 0,
        f"YAML syntax error: {problem}. "
        "Check the indentation and quoting on that line and the one before it.",
    )


def parse(text: str, loader: type = _Loader) -> Any:
    """Parse YAML text with `loader`; raises `YamlProblem` (line, message) for anything wrong."""
    try:
        refuse_aliases(text, loader)
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - every loader here is a SafeLoader
        except yaml.MarkedYAMLError as exc:
            if len(text) > REPARSE_MAX_BYTES or loader is not _Loader:
                raise _syntax_problem(exc) from None
            # Only on error, and small: parse again with the Python parser for its clearer message.
            return yaml.load(text, Loader=_PyLoader)  # noqa: S506
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc) from None
    except RecursionError:
        raise YamlProblem(0, "the data is nested too deeply; flatten it.") from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise YamlProblem(0, f"it cannot be read as YAML ({exc}).") from None


def load_text(text: str, name: str, what: str = "data file") -> Any:
    """Parse YAML text; `name` is the file name used in error messages."""
    if len(text) > MAX_BYTES:
        raise YamlError(too_big(name, len(text), what))
    try:
        return parse(text)
    except YamlProblem as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise YamlError(f"Error reading {what} '{name}', {where}{exc.message}") from None


def too_big(name: str, size: int, what: str = "data file") -> str:
    return (
        f"Error reading {what} '{name}': it is {size / 1e6:.1f} MB, over the "
        f"{MAX_BYTES / 1e6:g} MB limit; split it into smaller files."
    )


def decode(data: bytes, name: str, what: str = "data file") -> str:
    """UTF-8 text, or a YamlError naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            f"Error reading {what} '{name}', line {line}: it is not valid UTF-8 "
            f"(byte {data[exc.start]:#04x}); save the file as UTF-8."
        ) from None


def load(path: Path, display_name: str | None = None) -> Any:
    name = display_name or str(path)
    size = Path(path).stat().st_size
    if size > MAX_BYTES:
        raise YamlError(too_big(name, size))
    return load_text(decode(Path(path).read_bytes(), name), name)


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line a pydantic error location points at, as near as the data allows."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict):
            if part in node.key_lines:
                line = node.key_lines[part]
            if part not in node:
                break
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
