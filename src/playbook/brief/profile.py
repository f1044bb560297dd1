"""An executive's profile (a small YAML file), validated into a frozen `Profile`.

Real profiles are private: keep them in `private/` or as `*.profile.yml`, both git-ignored and
outside `docs/`. Only fictional examples ship, in `data/profiles/example-*.yml`. The first bad
field raises `ProfileError` naming the file, the line, the field and the allowed values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from playbook import yamlfile
from playbook.data import Frozen
from playbook.playdata import ROLES, Role

RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RE_TOPIC = re.compile(r"^topic:[a-z0-9]+(?:-[a-z0-9]+)*$")

# What each field expects, in words the person preparing the meeting can act on.
EXPECTED = {
    "name": "the executive's name as it should appear on the cover, such as 'Dana Whitfield'",
    "title": "the executive's job title, such as 'Chief Financial Officer'",
    "role": "one of: " + ", ".join(ROLES),
    "support_level": "one of the support scale's levels (data/support-scale.yml)",
    "organisation": "the organisation's name",
    "industry": "the industry, such as 'financial-services' or 'telecom'",
    "meeting_date": "a date written YYYY-MM-DD, such as 2027-03-04",
    "presenter": "who presents the brief, such as 'Sam Okafor, Communications'",
    "focus": "a list of topic tags such as 'topic:roi' or 'topic:governance'",
    "ask": "one sentence: the decision, budget or time you will ask for",
    "meeting": "group (the default: the full meeting plan) or one-to-one (the short plan for one executive)",
}


# The longest each text field may be: the brief is two pages, and a field has one line or three.
MAX_CHARS = {
    "name": 80,
    "title": 120,
    "support_level": 60,
    "organisation": 120,
    "industry": 60,
    "presenter": 120,
    "ask": 400,
}
MAX_FOCUS = 8


class ProfileError(ValueError):
    """A profile file is invalid. The message names the file, the line, the field and the fix."""


class Profile(Frozen):
    name: str = Field(min_length=1, max_length=MAX_CHARS["name"])
    title: str = Field(min_length=1, max_length=MAX_CHARS["title"])
    role: Role
    support_level: str = Field(min_length=1, max_length=MAX_CHARS["support_level"])
    organisation: str = Field(min_length=1, max_length=MAX_CHARS["organisation"])
    industry: str = Field(min_length=1, max_length=MAX_CHARS["industry"])
    meeting_date: date
    presenter: str = Field(min_length=1, max_length=MAX_CHARS["presenter"])
    focus: tuple[str, ...] = Field(default=(), max_length=MAX_FOCUS)
    ask: str | None = Field(default=None, max_length=MAX_CHARS["ask"])
    meeting: Literal["group", "one-to-one"] = "group"

    @field_validator("meeting_date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> date:
        text = str(value).strip()
        if not RE_DATE.match(text):
            raise ValueError("not a YYYY-MM-DD date")
        return date.fromisoformat(text)  # ValueError for 2027-02-30 and the like

    @field_validator("focus")
    @classmethod
    def _topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [tag for tag in value if not RE_TOPIC.match(tag)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a topic tag")
        return value

    @property
    def industry_label(self) -> str:
        """The industry as the brief prints it: 'financial-services' -> 'Financial services'."""
        text = " ".join(self.industry.replace("-", " ").split())
        return text[:1].upper() + text[1:]

    @property
    def industry_tag(self) -> str:
        """The statistics tag for this industry: 'Financial services' -> 'industry:financial-services'."""
        return "industry:" + "-".join(re.findall(r"[a-z0-9]+", self.industry.lower()))


def _error(
    exc: ValidationError, raw: object, display: str, allowed_levels: Iterable[str]
) -> ProfileError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    name = str(loc[0]) if loc else "profile"
    line = yamlfile.line_of(raw, loc) or 1
    expected = EXPECTED.get(name, "")
    if name == "support_level":
        expected = "one of: " + ", ".join(allowed_levels)
    given = raw.get(name) if isinstance(raw, dict) else None
    if err["type"] in ("string_too_long", "too_long"):
        limit = err.get("ctx", {}).get("max_length")
        size = len(given) if isinstance(given, (str, list)) else "too many"
        unit = "topics" if isinstance(given, list) else "characters"
        what = f"'{name}' has {size} {unit}, more than the {limit} a brief has room for"
        expected = f"{expected}, shortened to at most {limit} {unit}"
    elif err["type"] == "missing":
        what = f"'{name}' is required"
    elif err["type"] == "extra_forbidden":
        what = f"'{name}' is not a profile field"
        expected = "only these fields: " + ", ".join(EXPECTED)
    elif given is not None and not isinstance(given, (list, dict)):
        what = f"'{name}' is '{given}', which is not valid"
    else:
        what = f"'{name}' is not valid ({err['msg'].removeprefix('Value error, ')})"
    return ProfileError(
        f"Error reading profile '{display}', line {line}: {what}; expected {expected}."
    )


def load_profile(path: Path, support_levels: Iterable[str]) -> Profile:
    """Read and validate one profile; `support_levels` are the keys of the support scale."""
    path = Path(path)
    display = str(path)
    levels = list(support_levels)
    if not path.is_file():
        raise ProfileError(f"Profile '{display}' not found; give the path to a profile YAML file.")
    try:
        raw = yamlfile.load(path, display)
    except yamlfile.YamlError as exc:
        raise ProfileError(str(exc).replace("data file", "profile", 1)) from None
    if not isinstance(raw, yamlfile.LineDict):  # load makes every mapping a LineDict
        raise ProfileError(
            f"Error reading profile '{display}', line 1: expected a mapping with the fields "
            + ", ".join(EXPECTED)
            + "."
        )
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as exc:
        raise _error(exc, raw, display, levels) from None
    if profile.support_level not in levels:
        line = raw.key_lines.get("support_level", 1)
        raise ProfileError(
            f"Error reading profile '{display}', line {line}: 'support_level' is "
            f"'{profile.support_level}', which is not valid; expected one of: {', '.join(levels)}."
        )
    return profile
