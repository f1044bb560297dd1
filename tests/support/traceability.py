"""Where each of the content brief's 101 inventory items lives in the playbook, or why it does not.

`data/traceability/*.yml` are lists of `{item, page, anchor}` (the item is carried by that section
of that page) or `{item, left_out: "why"}`. Several entries per item are fine. Every entry keeps
its file and line, so a check can say exactly which line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from playbook.data import DataError, Frozen, read_yaml, validation_error

ITEMS = range(1, 102)  # inventory items #1-#101 of the content brief (Part A)
FOLDER = "traceability"


class Entry(Frozen):
    item: int = Field(ge=ITEMS.start, le=ITEMS.stop - 1)
    page: str | None = Field(default=None, pattern=r"^[a-z0-9/_-]+\.md$")  # docs path
    anchor: str | None = Field(default=None, min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    left_out: str | None = Field(default=None, min_length=1)  # why the item is not carried

    @model_validator(mode="after")
    def _one_kind(self) -> Entry:
        if self.left_out is not None:
            if self.page is not None or self.anchor is not None:
                raise ValueError("give either page and anchor, or left_out, not both")
        elif self.page is None or self.anchor is None:
            raise ValueError(
                "give page and anchor (where the item is carried), or left_out (why not)"
            )
        return self


@dataclass(frozen=True)
class Located:
    """An entry with the file and line it was read from."""

    entry: Entry
    file: str  # e.g. data/traceability/chapters-a.yml
    line: int

    @property
    def where(self) -> str:
        return f"'{self.file}', line {self.line}"


def load_file(path: Path, display: str) -> list[Located]:
    """One traceability file's entries; DataError names the file and the line."""
    raw = read_yaml(path, display) or []
    if not isinstance(raw, list):
        raise DataError(
            f"Error reading data file '{display}', line 1: expected a list of entries such as "
            "'- {item: 19, page: chapters/technographics.md, anchor: play-...}'."
        )
    located = []
    for index, entry in enumerate(raw):
        label = f"entry {index + 1}"
        if isinstance(entry, dict) and "item" in entry:
            label = f"item {entry['item']}"
        try:
            model = Entry.model_validate(entry)
        except ValidationError as exc:
            raise validation_error(exc, raw, display, label, (index,)) from None
        located.append(Located(model, display, raw.item_lines[index]))
    return located


def load_all(data_dir: Path) -> list[Located]:
    """Every entry of every `data/traceability/*.yml`, in file order."""
    folder = data_dir / FOLDER
    files = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    return [
        entry
        for path in files
        for entry in load_file(path, f"{data_dir.name}/{FOLDER}/{path.name}")
    ]


def unaccounted(entries: list[Located]) -> list[int]:
    """Inventory items with no entry at all (neither mapped nor left out)."""
    seen = {located.entry.item for located in entries}
    return [item for item in ITEMS if item not in seen]
