"""Read YAML files with line numbers, so every data error can name the file and the line.

`load(path)` returns plain Python data in which every mapping is a `LineDict`: a dict that also
knows the line it starts on and the line of each of its keys. `line_of(data, loc)` walks a
pydantic error location such as `(3, "source", "url")` back to the line it points at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class YamlError(ValueError):
    """A YAML file could not be read. The message names the file, the line and the problem."""


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
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise YamlError(
                f"line {key_node.start_mark.line + 1}: the key '{key}' appears twice in one entry; "
                "keep one of them"
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


def load_text(text: str, name: str) -> Any:
    """Parse YAML text; `name` is the file name used in error messages."""
    try:
        try:
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
        except yaml.MarkedYAMLError:
            # Only on error: parse again with the Python parser for its clearer message.
            return yaml.load(text, Loader=_PyLoader)  # noqa: S506
    except YamlError as exc:
        raise YamlError(f"Error reading data file '{name}', {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        problem = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if exc.problem and exc.context and start and mark and start.line != mark.line:
            # An unclosed bracket or quote: say where it opened, often the line to fix.
            what = exc.context.removeprefix("while parsing a ").removeprefix("while scanning a ")
            problem += f" (in the {what} that starts on line {start.line + 1})"
        raise YamlError(
            f"Error reading data file '{name}', line {line}: YAML syntax error: {problem}. "
            "Check the indentation and quoting on that line and the one before it."
        ) from None


def load(path: Path, display_name: str | None = None) -> Any:
    return load_text(path.read_text(encoding="utf-8"), display_name or str(path))


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
