"""What every data record shares: the frozen pydantic base model, the error type and a location."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict


class DataError(ValueError):
    """A data file is invalid. The message says where and how to fix it."""


class Frozen(BaseModel):
    """A record read from a data file: immutable, no unknown fields, text stripped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


@dataclass(frozen=True)
class Located:
    """Where a record came from: file (relative to the project) and line."""

    file: str
    line: int
