"""The playbook's structured content: role cards (tough questions) and the executive support scale.

`data/roles.yml` and `data/support-scale.yml` feed both the site (chapter pages, via macros) and
the printed brief, so a question or a checklist item is written once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from playbook.data import DataError, load_list

Role = Literal["ceo", "cfo", "coo", "cmo", "legal", "cio", "chro", "board"]
ROLES: tuple[str, ...] = ("ceo", "cfo", "coo", "cmo", "legal", "cio", "chro", "board")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Question(_Frozen):
    question: str = Field(min_length=1)
    checklist: tuple[str, ...] = Field(min_length=1)  # evidence to bring: answer checklist items


class RoleCard(_Frozen):
    role: Role
    title: str = Field(min_length=1)  # e.g. "Chief Financial Officer"
    page: str = Field(min_length=1)  # docs path of the role's page, e.g. chapters/tough-questions/cfo.md
    addition: bool = False  # True where the playbook adds the role (not in the seeds)
    addition_note: str = ""
    cares_about: str = Field(min_length=1)  # one plain sentence
    questions: tuple[Question, ...] = Field(min_length=1)


class SupportLevel(_Frozen):
    level: int = Field(ge=0, le=3)
    key: str = Field(min_length=1)  # e.g. "needs-a-plan"
    name: str = Field(min_length=1)  # e.g. "Positive, but needs a plan"
    addition: bool = False  # True for level 0, the playbook's own extension
    signs: tuple[str, ...] = Field(min_length=1)  # how to recognise this level
    approach: str = Field(min_length=1)  # the approach in one or two sentences
    next_steps: tuple[str, ...] = Field(min_length=1)
    avoid: tuple[str, ...] = ()


def _load(path: Path, model: type[BaseModel], what: str) -> list:
    return load_list(path, model, path.parent.parent, what, required=True)


def load_roles(data_dir: Path) -> dict[str, RoleCard]:
    cards = {card.role: card for card in _load(data_dir / "roles.yml", RoleCard, "roles")}
    missing = [role for role in ROLES if role not in cards]
    if missing:
        raise DataError(f"Data file 'data/roles.yml' has no card for: {', '.join(missing)}.")
    return cards


def load_support_scale(data_dir: Path) -> dict[str, SupportLevel]:
    levels = _load(data_dir / "support-scale.yml", SupportLevel, "levels")
    return {level.key: level for level in sorted(levels, key=lambda lv: lv.level)}
