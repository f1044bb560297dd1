"""The meeting agenda from `data/meeting-plan.yml`: loaded once into a frozen model, rendered as HTML.

The same plan feeds the toolkit page (the `meeting_plan()` macro) and every printed brief, so a
step or a timing is written once. The timings are playbook guidance, and the page says so.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from playbook import yamlfile
from playbook.data import DataError

PLAN_FILE = "meeting-plan.yml"

# What each field expects, in words a content writer can act on.
EXPECTED = {
    "title": "the agenda's heading, such as 'Meeting agenda'",
    "guidance": "one or two sentences saying the timings are playbook guidance",
    "steps": "a list of steps, each with title, minutes and detail",
    "steps.title": "the step's name, such as 'Open with the ask'",
    "steps.minutes": "a whole number of minutes between 1 and 120",
    "steps.detail": "one or two sentences on what to do in this step",
    "after": "what to do after the meeting, in one or two sentences",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class MeetingStep(_Frozen):
    title: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120, strict=True)
    detail: str = Field(min_length=1)


class MeetingPlan(_Frozen):
    title: str = Field(min_length=1)
    guidance: str = Field(min_length=1)
    steps: tuple[MeetingStep, ...] = Field(min_length=1)
    after: str = Field(min_length=1)

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


def _message(exc: ValidationError, raw: object, display: str) -> DataError:
    err = exc.errors()[0]
    name = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or "plan"
    line = yamlfile.line_of(raw, tuple(err["loc"])) or 1
    if err["type"] == "missing":
        what = f"'{name}' is required"
    elif err["type"] == "extra_forbidden":
        what = f"'{name}' is not a known field"
    else:
        what = f"'{name}': {err['msg']}"
    expected = EXPECTED.get(name) or "one of the fields: " + ", ".join(k for k in EXPECTED if "." not in k)
    return DataError(f"Error reading data file '{display}', line {line}: {what} (expected {expected}).")


def load_plan(data_dir: Path) -> MeetingPlan:
    """The meeting plan from `data_dir/meeting-plan.yml`, validated; DataError names file and line."""
    path = Path(data_dir) / PLAN_FILE
    display = f"data/{PLAN_FILE}"
    if not path.exists():
        raise DataError(f"Data file '{display}' is missing; it holds the meeting agenda.")
    raw = yamlfile.load(path, display)
    if not isinstance(raw, dict):
        raise DataError(
            f"Error reading data file '{display}', line 1: expected a mapping with title, "
            "guidance, steps and after."
        )
    try:
        return MeetingPlan.model_validate(raw)
    except ValidationError as exc:
        raise _message(exc, raw, display) from None


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
        f'<table><caption>{escape(plan.title)}: {plan.total_minutes} minutes</caption>'
        '<thead><tr><th scope="col">From&ndash;to (min)</th><th scope="col">Step</th>'
        '<th scope="col">Minutes</th><th scope="col">What to do</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><td></td><th scope="row">Total</th><td class="pb-agenda__minutes">'
        f"{plan.total_minutes}</td><td></td></tr></tfoot></table>"
        f'<p class="pb-after"><strong>After the meeting.</strong> {escape(plan.after)}</p>'
        "</div>"
    )
