"""The one formatter of pydantic errors in data files: file, line, record, field and the fix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from playbook import yamlfile
from playbook.data.base import DataError


def field_message(err: Mapping[str, Any], expected: Mapping[str, str]) -> str:
    """What is wrong with one field and, when `expected` knows the field, what it should be."""
    loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
    name = ".".join(loc) or "entry"
    hint = expected.get(name)
    msg = str(err["msg"]).removeprefix("Value error, ")  # pydantic noise
    if err["type"] == "missing":
        what = f"'{name}' is required"
    elif err["type"] == "extra_forbidden":
        what = f"'{name}' is not a known field"
        hint = "one of: " + ", ".join(sorted(k for k in expected if "." not in k))
    else:
        what = f"'{name}': {msg}" if loc else msg
        if hint is None and str(err["type"]).startswith(("int_", "float_")):
            hint = "a number, written without units, commas or quotes"
    return f"{what} (expected: {hint})" if hint else what


def validation_error(
    exc: ValidationError,
    raw: Any,
    display: str,
    record: str = "",
    base: tuple[Any, ...] = (),
    expected: Mapping[str, str] | None = None,
) -> DataError:
    """A DataError for the first error of `exc`, at its line in `raw` (the file's YAML).

    `base` is where the validated value sits in `raw` (such as `(3,)`, the fourth entry of a
    list); `record` names it ("stat 'x'"); `expected` maps field names to the fix, in words.
    """
    err = exc.errors()[0]
    line = yamlfile.line_of(raw, base + tuple(err["loc"])) or "?"
    where = f"{record}: " if record else ""
    text = field_message(err, expected or {})
    return DataError(f"Error reading data file '{display}', line {line}: {where}{text}")
