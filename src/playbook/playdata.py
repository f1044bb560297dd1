"""The playbook's structured content: role cards (tough questions with model answers), the
objection finder and the executive support scale.

`data/roles.yml`, `data/objections.yml` and `data/support-scale.yml` feed both the site (chapter
pages, via macros) and the printed brief (and the brief builder), so an answer is written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from playbook.data import DataError, Frozen, Stat, display_path, load_list, unknown_id_message

Role = Literal["ceo", "cfo", "coo", "cmo", "legal", "cio", "chro", "board"]
ROLES: tuple[str, ...] = ("ceo", "cfo", "coo", "cmo", "legal", "cio", "chro", "board")


RE_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
RE_DIGIT = re.compile(r"\d")
RE_OBJECTION_ID = re.compile(r"^objection-[a-z0-9]+(-[a-z0-9]+)*$")
RE_PLAY_LINK = re.compile(r"^[a-z0-9/_.-]+\.md#play-[a-z0-9-]+$")
ANSWER_SENTENCES = (2, 4)


def sentence_count(text: str) -> int:
    """Sentences in plain prose: a full stop, question or exclamation mark before a space or the end."""
    return len(RE_SENTENCE_END.findall(text.strip()))


def _no_digits(value: str, field: str) -> str:
    if RE_DIGIT.search(value):
        raise ValueError(
            f"the {field} has a number typed into it; numbers come only from data/stats/*.yml "
            "(list the stat id under 'evidence' instead)"
        )
    return value


class _Evidenced(Frozen):
    """A piece of advice resting on statistics (ids from data/stats/), or a note saying none exists."""

    evidence: tuple[str, ...] = ()
    evidence_note: str = ""

    @model_validator(mode="after")
    def _some_evidence(self) -> _Evidenced:
        if not self.evidence and not self.evidence_note:
            raise ValueError(
                "needs 'evidence' (stat ids from data/stats/*.yml) or, where no honest evidence "
                "exists, an 'evidence_note' saying so (e.g. 'No good evidence exists; say so and "
                "offer the pilot's own numbers.')"
            )
        return self


class Question(_Evidenced):
    question: str = Field(min_length=1)
    answer: str = Field(
        min_length=1
    )  # what to say: 2 to 4 plain sentences, in the executive's terms
    if_pushed: str = Field(min_length=1)  # one line for when the executive pushes back
    checklist: tuple[str, ...] = Field(min_length=1)  # evidence to bring: answer checklist items

    @field_validator("answer")
    @classmethod
    def _answer(cls, value: str) -> str:
        low, high = ANSWER_SENTENCES
        count = sentence_count(value)
        if not low <= count <= high:
            raise ValueError(
                f"the answer has {count} sentences; write {low} to {high} plain sentences"
            )
        return _no_digits(value, "answer")

    @field_validator("if_pushed")
    @classmethod
    def _pushed(cls, value: str) -> str:
        if sentence_count(value) > 2 or "\n" in value:
            raise ValueError("if_pushed is one line: one or two short sentences")
        return _no_digits(value, "if_pushed line")


class RoleCard(Frozen):
    role: Role
    title: str = Field(min_length=1)  # e.g. "Chief Financial Officer"
    page: str = Field(
        min_length=1
    )  # docs path of the role's page, e.g. chapters/tough-questions/cfo.md
    addition: bool = False  # True where the playbook adds the role (not in the seeds)
    addition_note: str = ""
    cares_about: str = Field(min_length=1)  # one plain sentence
    questions: tuple[Question, ...] = Field(min_length=1)


class Objection(_Evidenced):
    id: str
    group: str = Field(min_length=1)  # the concern under the objection, shown as a heading
    said: str = Field(min_length=1)  # what the executive says, in their words
    concern: str = Field(min_length=1)
    reply: str = Field(min_length=1)
    plays: tuple[str, ...] = Field(min_length=1)  # docs paths with a #play-... anchor
    roles: tuple[Role, ...] = ()  # role cards that link to this entry

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RE_OBJECTION_ID.match(value):
            raise ValueError(f"'{value}' is not an objection id like 'objection-no-budget'")
        return value

    @field_validator("plays")
    @classmethod
    def _plays(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [link for link in value if not RE_PLAY_LINK.match(link)]
        if bad:
            raise ValueError(
                f"plays {bad} must be docs paths with a play anchor, "
                "like 'chapters/value-and-roi.md#play-plan-with-ropes'"
            )
        return value

    @field_validator("reply")
    @classmethod
    def _reply(cls, value: str) -> str:
        return _no_digits(value, "reply")


class SupportLevel(Frozen):
    level: int = Field(ge=0, le=3)
    key: str = Field(min_length=1)  # e.g. "needs-a-plan"
    name: str = Field(min_length=1)  # e.g. "Positive, but needs a plan"
    addition: bool = False  # True for level 0, the playbook's own extension
    signs: tuple[str, ...] = Field(min_length=1)  # how to recognise this level
    approach: str = Field(min_length=1)  # the approach in one or two sentences
    next_steps: tuple[str, ...] = Field(min_length=1)
    avoid: tuple[str, ...] = ()


def _load(path: Path, model: type[BaseModel], what: str, root: Path | None) -> list:
    return load_list(path, model, path.parent.parent if root is None else root, what, required=True)


def load_roles(data_dir: Path, root: Path | None = None) -> dict[str, RoleCard]:
    """The role cards of `data_dir/roles.yml` by role; `root` (the project's folder) names files."""
    path = Path(data_dir) / "roles.yml"
    cards = {card.role: card for card in _load(path, RoleCard, "roles", root)}
    missing = [role for role in ROLES if role not in cards]
    if missing:
        display = display_path(path, Path(data_dir).parent if root is None else root)
        raise DataError(f"Data file '{display}' has no card for: {', '.join(missing)}.")
    return cards


def load_support_scale(data_dir: Path, root: Path | None = None) -> dict[str, SupportLevel]:
    levels = _load(Path(data_dir) / "support-scale.yml", SupportLevel, "levels", root)
    return {level.key: level for level in sorted(levels, key=lambda lv: lv.level)}


def load_objections(data_dir: Path, root: Path | None = None) -> list[Objection]:
    """The objection finder's entries, in file order; ids must be unique."""
    path = Path(data_dir) / "objections.yml"
    items = _load(path, Objection, "objections", root)
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            display = display_path(path, Path(data_dir).parent if root is None else root)
            raise DataError(
                f"Data file '{display}': the id '{item.id}' is used twice; "
                "ids must be unique (they are published anchors)."
            )
        seen.add(item.id)
    return items


def objections_for(role: str, objections: Iterable[Objection]) -> list[Objection]:
    """The entries a role card links to, in file order."""
    return [item for item in objections if role in item.roles]


def check_evidence(
    cards: Mapping[str, RoleCard],
    objections: Iterable[Objection],
    stats: Mapping[str, Stat],
    roles_file: str = "data/roles.yml",
    objections_file: str = "data/objections.yml",
) -> None:
    """Every evidence id names a measured figure (not a framework count); the error names the
    file, the entry and the fix."""

    def problem(stat_id: str) -> str:
        if stat_id not in stats:
            return unknown_id_message(stat_id, stats)
        if stats[stat_id].kind == "framework":
            return (
                f"'{stat_id}' counts a framework's parts (kind: framework), which is not evidence; "
                "cite a measured figure or write an evidence_note."
            )
        return ""

    for card in cards.values():
        for position, item in enumerate(card.questions, start=1):
            for stat_id in item.evidence:
                if message := problem(stat_id):
                    raise DataError(
                        f"Error in data file '{roles_file}': role '{card.role}', question {position} "
                        f"('{item.question}'), evidence: {message}"
                    )
    for entry in objections:
        for stat_id in entry.evidence:
            if message := problem(stat_id):
                raise DataError(
                    f"Error in data file '{objections_file}': '{entry.id}', evidence: {message}"
                )
