"""The meeting agenda from `data/meeting-plan.yml`: loaded once into a frozen model, rendered as HTML.

The same plan feeds the toolkit page (the `meeting_plan()` macro) and every printed brief, so a
step or a timing is written once. The timings are playbook guidance, and the page says so. Each
step may also say how it runs in a short one-to-one (`one_to_one`); `plan.for_meeting("one-to-one")`
builds that plan from the same steps, and the file states its total so a slip in the minutes fails.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from pydantic import Field, ValidationError

from playbook import yamlfile
from playbook.data import DataError, Frozen, display_path, read_yaml, require, validation_error

PLAN_FILE = "meeting-plan.yml"
MEETINGS = ("group", "one-to-one")  # a profile's `meeting`; group is the default

# What each field expects, in words a content writer can act on.
EXPECTED = {
    "title": "the agenda's heading, such as 'Meeting agenda'",
    "guidance": "one or two sentences saying the timings are playbook guidance",
    "steps": "a list of steps, each with title, minutes and detail",
    "steps.title": "the step's name, such as 'Open with the ask'",
    "steps.minutes": "a whole number of minutes between 1 and 120",
    "steps.detail": "one or two sentences on what to do in this step",
    "after": "what to do after the meeting, in one or two sentences",
    "steps.one_to_one": "how the step runs in the one-to-one: minutes, and optionally detail; "
    "leave it out to drop the step there",
    "steps.one_to_one.minutes": "a whole number of minutes between 1 and 60",
    "steps.one_to_one.detail": "one or two sentences on the step in a one-to-one",
    "one_to_one": "a mapping with title, guidance, minutes (the total the steps must add up to) and after",
    "one_to_one.title": "the one-to-one agenda's heading, such as 'One-to-one agenda'",
    "one_to_one.guidance": "one or two sentences on when to use the short plan",
    "one_to_one.minutes": "the one-to-one's total in minutes, such as 20; the steps must add up to it",
    "one_to_one.after": "what to do after the one-to-one, in one or two sentences",
}


class ShortStep(Frozen):
    minutes: int = Field(ge=1, le=60, strict=True)
    detail: str | None = Field(default=None, min_length=1)


class MeetingStep(Frozen):
    title: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120, strict=True)
    detail: str = Field(min_length=1)
    one_to_one: ShortStep | None = None


class OneToOne(Frozen):
    title: str = Field(min_length=1)
    guidance: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120, strict=True)
    after: str = Field(min_length=1)


class MeetingPlan(Frozen):
    title: str = Field(min_length=1)
    guidance: str = Field(min_length=1)
    steps: tuple[MeetingStep, ...] = Field(min_length=1)
    after: str = Field(min_length=1)
    one_to_one: OneToOne | None = None

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    def for_meeting(self, meeting: str) -> MeetingPlan:
        """This plan for a 'group' meeting (as written) or a 'one-to-one' (the short steps)."""
        if meeting == "group":
            return self
        if meeting != "one-to-one" or self.one_to_one is None:
            raise ValueError(f"no '{meeting}' plan in data/{PLAN_FILE}; use one of {MEETINGS}")
        short = self.one_to_one
        steps = tuple(
            MeetingStep(
                title=s.title, minutes=s.one_to_one.minutes, detail=s.one_to_one.detail or s.detail
            )
            for s in self.steps
            if s.one_to_one is not None
        )
        return MeetingPlan(
            title=short.title, guidance=short.guidance, steps=steps, after=short.after
        )


def load_plan(data_dir: Path, root: Path | None = None) -> MeetingPlan:
    """The meeting plan from `data_dir/meeting-plan.yml`, validated; DataError names file and line.

    `root` is the project's folder, which file names in messages are relative to."""
    path = Path(data_dir) / PLAN_FILE
    display = display_path(path, Path(data_dir).parent if root is None else root)
    require(path, display, "the meeting agenda")
    raw = read_yaml(path, display)
    if not isinstance(raw, dict):
        raise DataError(
            f"Error reading data file '{display}', line 1: expected a mapping with title, "
            "guidance, steps and after."
        )
    try:
        plan = MeetingPlan.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, raw, display, expected=EXPECTED) from None
    if plan.one_to_one is None:
        raise DataError(
            f"Error reading data file '{display}', line {getattr(raw, 'line', 1)}: 'one_to_one' is "
            f"required (expected: {EXPECTED['one_to_one']})"
        )
    short = plan.for_meeting("one-to-one")
    if short.total_minutes != plan.one_to_one.minutes:
        line = yamlfile.line_of(raw, ("one_to_one", "minutes")) or 1
        raise DataError(
            f"Error reading data file '{display}', line {line}: the steps' one_to_one minutes add up "
            f"to {short.total_minutes}, not the {plan.one_to_one.minutes} that 'one_to_one.minutes' "
            "states; change a step's one_to_one minutes or the total so they agree."
        )
    return plan


def render_plan(plan: MeetingPlan) -> str:
    """The agenda as one HTML block (safe inside Markdown): guidance, timed steps, follow-up."""
    rows = []
    start = 0
    for step in plan.steps:
        end = start + step.minutes
        rows.append(
            f'<tr><td class="pb-agenda__time">{start}&ndash;{end}</td>'
            f'<th scope="row">{escape(step.title)}</th>'
            f'<td class="pb-agenda__minutes">{step.minutes}</td>'
            f"<td>{escape(step.detail)}</td></tr>"
        )
        start = end
    return (
        '<div class="pb-meeting-plan">'
        f'<p class="pb-guidance"><strong>Playbook guidance.</strong> {escape(plan.guidance)}</p>'
        # No class on the table: Material styles class-less tables as it does Markdown ones.
        f"<table><caption>{escape(plan.title)}: {plan.total_minutes} minutes</caption>"
        '<thead><tr><th scope="col">From&ndash;to (min)</th><th scope="col">Step</th>'
        '<th scope="col">Minutes</th><th scope="col">What to do</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody>"
        f'<tfoot><tr><td></td><th scope="row">Total</th><td class="pb-agenda__minutes">'
        f"{plan.total_minutes}</td><td></td></tr></tfoot></table>"
        f'<p class="pb-after"><strong>After the meeting.</strong> {escape(plan.after)}</p>'
        "</div>"
    )
