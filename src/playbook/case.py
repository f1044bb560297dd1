"""The worked case (`data/case/northwind.yml`): validated inputs, computed figures, HTML for pages.

Every number of the case is an illustrative assumption held in the data file. `figures()` turns
the inputs into one flat table of named figures (inputs and everything computed from them:
totals, ratios, cost per outcome, scenario differences), rounded step by step so that what a
page shows always adds up. The `case()`, `case_table()` and `measurement_worksheet()` macros
render them with a visible "assumption" or "computed from assumptions" label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Literal

from markupsafe import escape
from pydantic import AfterValidator, Field, ValidationError, field_validator

from playbook.data import DataError, Frozen, display_path, read_yaml, require, validation_error

CASE_FILE = "case/northwind.yml"
OBJECTIVES = ("listening", "talking", "energizing", "supporting", "embracing")
RUNGS = (
    "Creators",
    "Conversationalists",
    "Critics",
    "Collectors",
    "Joiners",
    "Spectators",
    "Inactives",
)
DAYS_PER_MONTH = 30  # a month of the pilot, for per-month inputs

# What each field expects, in words a content writer can act on.
EXPECTED = {
    "organisation": "the organisation's name",
    "currency": "the currency symbol, such as '£'",
    "pilot_start": "the pilot's first day, written YYYY-MM-DD",
    "pilot_days": "the pilot's length in days, a whole number such as 90",
    "homework": "a mapping with sample_weeks, mentions, claims_percent, unanswered_percent, "
    "unofficial_accounts, competitors_checked and competitors_answering",
    "audience": "a mapping with policyholders, survey_size and ladder",
    "audience.ladder": "a list of rungs, each with rung and percent",
    "audience.ladder.rung": "one of: " + ", ".join(RUNGS),
    "calls": "a mapping with status_calls_per_month and cost_per_call",
    "costs": "a list of cost lines, each with id, item, quantity, unit and unit_cost",
    "scenarios": "exactly two scenarios, ids 'cautious' then 'expected'",
    "scenarios.id": "'cautious' for the first scenario, 'expected' for the second",
    "measures": "one measure for each Groundswell objective: " + ", ".join(OBJECTIVES),
    "measures.objective": "one of: " + ", ".join(OBJECTIVES),
    "measures.level": "an AMEC level: outputs, outtakes, outcomes or impact",
    "review": "a mapping with what happened by the end of the pilot",
}
DIGIT_FIX = "text in the case holds no digits; put the number in a number field"


def _no_digits(value: str) -> str:
    if re.search(r"\d", value):
        raise ValueError(f"'{value}' holds a digit ({DIGIT_FIX})")
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_no_digits)]
Count = Annotated[int, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]


class Homework(Frozen):
    sample_weeks: Annotated[int, Field(ge=1)]
    mentions: Count
    claims_percent: Percent
    unanswered_percent: Percent
    unofficial_accounts: Count
    competitors_checked: Count
    competitors_answering: Count


class Rung(Frozen):
    rung: Literal[RUNGS]  # type: ignore[valid-type]
    percent: Percent


class Audience(Frozen):
    policyholders: Count
    survey_size: Count
    ladder: tuple[Rung, ...] = Field(min_length=1)


class Calls(Frozen):
    status_calls_per_month: Count
    cost_per_call: Annotated[float, Field(gt=0)]


class CostLine(Frozen):
    id: Annotated[str, Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")]
    item: Text
    quantity: Annotated[float, Field(ge=0)]
    unit: Text
    unit_cost: Annotated[float, Field(ge=0)]


class Outcomes(Frozen):
    """The inputs that turn a month of mentions into fixed problems and avoided calls."""

    mentions_per_month: Count
    actionable_percent: Percent
    fixed_percent: Percent
    calls_avoided_per_fix: Annotated[float, Field(ge=0)]


class Scenario(Outcomes):
    id: Literal["cautious", "expected"]
    name: Text


class Measure(Frozen):
    objective: Literal[OBJECTIVES]  # type: ignore[valid-type]
    in_pilot: bool
    level: Literal["outputs", "outtakes", "outcomes", "impact"]
    measure: Text
    baseline: Annotated[float, Field(ge=0)]
    target: Annotated[float, Field(ge=0)]
    unit: Text
    due: date | None = None  # without it: the pilot's last day
    source: Text
    stop: Text


class Review(Outcomes):
    setup_days_planned: Count
    setup_days_actual: Count
    listening_days_at_review: Annotated[float, Field(ge=0)]
    unplanned_costs: tuple[CostLine, ...] = ()


class Case(Frozen):
    organisation: Annotated[str, Field(min_length=1)]
    currency: Annotated[str, Field(min_length=1, max_length=3)]
    pilot_start: date
    pilot_days: Annotated[int, Field(ge=1, le=366)]
    homework: Homework
    audience: Audience
    calls: Calls
    costs: tuple[CostLine, ...] = Field(min_length=1)
    scenarios: tuple[Scenario, Scenario]
    measures: tuple[Measure, ...]
    review: Review

    @field_validator("scenarios")
    @classmethod
    def _cautious_then_expected(cls, value: tuple[Scenario, Scenario]) -> tuple[Scenario, Scenario]:
        if [s.id for s in value] != ["cautious", "expected"]:
            raise ValueError("the scenarios must be 'cautious' first, then 'expected'")
        return value

    @field_validator("measures")
    @classmethod
    def _one_per_objective(cls, value: tuple[Measure, ...]) -> tuple[Measure, ...]:
        if sorted(m.objective for m in value) != sorted(OBJECTIVES):
            raise ValueError("give exactly one measure for each of: " + ", ".join(OBJECTIVES))
        return value

    @field_validator("costs")
    @classmethod
    def _unique_ids(cls, value: tuple[CostLine, ...]) -> tuple[CostLine, ...]:
        ids = [line.id for line in value]
        if len(ids) != len(set(ids)):
            raise ValueError("two cost lines share an id; give each its own")
        return value

    @property
    def pilot_end(self) -> date:
        return self.pilot_start + timedelta(days=self.pilot_days - 1)


def load_case(data_dir: Path, root: Path | None = None) -> Case:
    """The worked case from `data_dir/case/northwind.yml`; DataError names the file and line.

    `root` is the project's folder, which file names in messages are relative to."""
    path = Path(data_dir) / CASE_FILE
    display = display_path(path, Path(data_dir).parent if root is None else root)
    require(path, display, "the worked case's assumptions")
    raw = read_yaml(path, display)
    if not isinstance(raw, dict):
        raise DataError(
            f"Error reading data file '{display}', line 1: expected a mapping of the case's inputs."
        )
    try:
        return Case.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, raw, display, expected=EXPECTED) from None


# --- Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: float | int | date
    unit: str  # "currency", "percent", "date", or a plural noun such as "days"
    computed: bool


def _amount(figure: Figure) -> float:
    """A figure's number (int or float); a date here is a bug in the caller."""
    if isinstance(figure.value, date):
        raise TypeError(f"a {figure.unit} figure is a date, not an amount: {figure.value}")
    return figure.value


def whole(value: float) -> int:
    """Round half up, as a reader would (Python's round() rounds half to even)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _outcomes(prefix: str, o: Outcomes, case: Case, cost: int, out: dict[str, Figure]) -> None:
    """A scenario's (or the review's) inputs and what follows from them, each step rounded."""
    months = case.pilot_days / DAYS_PER_MONTH
    mentions = whole(o.mentions_per_month * months)
    actionable = whole(mentions * o.actionable_percent / 100)
    fixed = whole(actionable * o.fixed_percent / 100)
    avoided = whole(fixed * o.calls_avoided_per_fix)
    savings = whole(avoided * case.calls.cost_per_call)
    status_calls = case.calls.status_calls_per_month * months
    inputs = {
        "mentions_per_month": Figure(o.mentions_per_month, "mentions", False),
        "actionable_percent": Figure(o.actionable_percent, "percent", False),
        "fixed_percent": Figure(o.fixed_percent, "percent", False),
        "calls_avoided_per_fix": Figure(o.calls_avoided_per_fix, "calls", False),
    }
    computed = {
        "mentions": Figure(mentions, "mentions", True),
        "actionable": Figure(actionable, "problems", True),
        "fixed": Figure(fixed, "problems", True),
        "calls_avoided": Figure(avoided, "calls", True),
        "calls_avoided_percent": Figure(
            round(100 * avoided / status_calls, 1) if status_calls else 0, "percent", True
        ),
        "savings": Figure(savings, "currency", True),
        "cost": Figure(cost, "currency", True),
        "net": Figure(savings - cost, "currency", True),
        "cost_per_fix": Figure(whole(cost / fixed) if fixed else 0, "currency", True),
    }
    for key, fig in {**inputs, **computed}.items():
        out[f"{prefix}.{key}"] = fig


def _cost_lines(prefix: str, lines: tuple[CostLine, ...], out: dict[str, Figure]) -> int:
    total = 0
    for line in lines:
        line_total = whole(line.quantity * line.unit_cost)
        out[f"{prefix}.{line.id}.quantity"] = Figure(line.quantity, line.unit, False)
        out[f"{prefix}.{line.id}.unit_cost"] = Figure(line.unit_cost, "currency", False)
        out[f"{prefix}.{line.id}.total"] = Figure(line_total, "currency", True)
        total += line_total
    out[f"{prefix}.total"] = Figure(total, "currency", True)
    return total


def figures(case: Case) -> dict[str, Figure]:
    """Every named figure of the case: the inputs, then everything computed from them."""
    out: dict[str, Figure] = {
        "pilot_days": Figure(case.pilot_days, "days", False),
        "pilot_start": Figure(case.pilot_start, "date", False),
        "pilot_end": Figure(case.pilot_end, "date", True),
        "pilot_months": Figure(round(case.pilot_days / DAYS_PER_MONTH, 1), "months", True),
    }
    hw = case.homework
    claims = whole(hw.mentions * hw.claims_percent / 100)
    units = {
        "sample_weeks": "weeks",
        "mentions": "mentions",
        "unofficial_accounts": "accounts",
        "competitors_checked": "competitors",
        "competitors_answering": "competitors",
    }
    for key, value in hw.model_dump().items():
        out[f"homework.{key}"] = Figure(value, units.get(key, "percent"), False)
    out["homework.claims_mentions"] = Figure(claims, "mentions", True)
    out["homework.unanswered_mentions"] = Figure(
        whole(claims * hw.unanswered_percent / 100), "mentions", True
    )
    out["homework.mentions_per_week"] = Figure(
        whole(hw.mentions / hw.sample_weeks), "mentions", True
    )

    aud = case.audience
    out["audience.policyholders"] = Figure(aud.policyholders, "policyholders", False)
    out["audience.survey_size"] = Figure(aud.survey_size, "respondents", False)
    for rung in aud.ladder:
        key = rung.rung.lower()
        out[f"audience.{key}.percent"] = Figure(rung.percent, "percent", False)
        out[f"audience.{key}.people"] = Figure(
            whole(aud.policyholders * rung.percent / 100), "people", True
        )

    calls = case.calls
    out["calls.status_calls_per_month"] = Figure(calls.status_calls_per_month, "calls", False)
    out["calls.cost_per_call"] = Figure(calls.cost_per_call, "currency", False)
    out["calls.monthly_cost"] = Figure(
        whole(calls.status_calls_per_month * calls.cost_per_call), "currency", True
    )

    cost = _cost_lines("cost", case.costs, out)
    for scenario in case.scenarios:
        _outcomes(scenario.id, scenario, case, cost, out)
    for key in ("mentions", "actionable", "fixed", "calls_avoided", "savings", "net"):
        diff = _amount(out[f"expected.{key}"]) - _amount(out[f"cautious.{key}"])
        out[f"difference.{key}"] = Figure(diff, out[f"expected.{key}"].unit, True)

    for m in case.measures:
        out[f"measure.{m.objective}.baseline"] = Figure(m.baseline, m.unit, False)
        out[f"measure.{m.objective}.target"] = Figure(m.target, m.unit, False)
        out[f"measure.{m.objective}.change"] = Figure(m.target - m.baseline, m.unit, True)

    rv = case.review
    unplanned = _cost_lines("review.unplanned", rv.unplanned_costs, out)
    _outcomes("review", rv, case, cost + unplanned, out)
    out["review.setup_days_planned"] = Figure(rv.setup_days_planned, "days", False)
    out["review.setup_days_actual"] = Figure(rv.setup_days_actual, "days", False)
    out["review.setup_delay"] = Figure(rv.setup_days_actual - rv.setup_days_planned, "days", True)
    out["review.listening_days"] = Figure(rv.listening_days_at_review, "days", False)
    for key in ("fixed", "calls_avoided", "savings", "net"):
        for name in ("cautious", "expected"):
            diff = _amount(out[f"review.{key}"]) - _amount(out[f"{name}.{key}"])
            out[f"review.vs_{name}.{key}"] = Figure(diff, out[f"review.{key}"].unit, True)
    return out


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.1f}"


def format_value(fig: Figure, currency: str, signed: bool = False) -> str:
    """The figure as a reader sees it: '£12,345', '14%', '45 days', '15 March 2027'."""
    value = fig.value
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    sign = "\u2212" if value < 0 else ("+" if signed and value > 0 else "")
    magnitude = abs(value)
    if fig.unit == "currency":
        text = (
            f"{currency}{magnitude:,.2f}"
            if not float(magnitude).is_integer()
            else f"{currency}{int(magnitude):,}"
        )
    elif fig.unit == "percent":
        text = f"{_number(magnitude)}%"
    else:
        unit = fig.unit[:-1] if magnitude == 1 and fig.unit.endswith("s") else fig.unit
        text = f"{_number(magnitude)} {unit}"
    return sign + text


def tag(computed: bool) -> str:
    if computed:
        return (
            '<span class="pb-case__tag pb-case__tag--computed" title="Computed from the '
            'illustrative assumptions in data/case/northwind.yml">computed from assumptions</span>'
        )
    return (
        '<span class="pb-case__tag" title="An illustrative assumption, not a research finding '
        '(data/case/northwind.yml)">assumption</span>'
    )


def lookup(figs: dict[str, Figure], name: str) -> Figure:
    """The figure called `name`; KeyError with a suggestion when there is none."""
    if name not in figs:
        close = get_close_matches(name, list(figs), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise KeyError(
            f"unknown case figure '{name}'.{hint} Case figures come from data/{CASE_FILE} "
            "(see figures() in src/playbook/case.py for their names)."
        )
    return figs[name]


def value_html(figs: dict[str, Figure], name: str, currency: str, signed: bool = False) -> str:
    fig = lookup(figs, name)
    return (
        f'<span class="pb-case__value" data-case="{escape(name)}">'
        f"{escape(format_value(fig, currency, signed))}</span>"
    )


def figure_html(case: Case, figs: dict[str, Figure], name: str, signed: bool = False) -> str:
    """One figure inline, with its label: '£12,345 computed from assumptions'."""
    fig = lookup(figs, name)
    return f'<span class="pb-case">{value_html(figs, name, case.currency, signed)} {tag(fig.computed)}</span>'


# --- Tables -------------------------------------------------------------------------------------


# The tables carry no class: Material styles class-less tables as it does Markdown ones.
def _caption(text: str, computed: bool = True) -> str:
    return f"<caption>{escape(text)} {tag(computed)}</caption>"


def _costs_table(
    case: Case, figs: dict[str, Figure], prefix: str, lines: tuple[CostLine, ...], title: str
) -> str:
    cur = case.currency
    rows = "".join(
        f'<tr><th scope="row">{escape(line.item)}</th>'
        f"<td>{value_html(figs, f'{prefix}.{line.id}.quantity', cur)}</td>"
        f"<td>{value_html(figs, f'{prefix}.{line.id}.unit_cost', cur)}</td>"
        f"<td>{value_html(figs, f'{prefix}.{line.id}.total', cur)}</td></tr>"
        for line in lines
    )
    return (
        f'<div class="pb-case-table"><table>{_caption(title)}'
        '<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Unit cost</th>'
        f'<th scope="col">Cost</th></tr></thead><tbody>{rows}</tbody>'
        f'<tfoot><tr><th scope="row">Total</th><td></td><td></td><td>{value_html(figs, f"{prefix}.total", cur)}</td>'
        "</tr></tfoot></table></div>"
    )


SCENARIO_ROWS = (
    ("mentions", "Mentions over the pilot"),
    ("actionable", "Problems the claims team can act on"),
    ("fixed", "Problems fixed during the pilot"),
    ("calls_avoided", "Status calls avoided"),
    ("savings", "Contact-centre cost saved"),
    ("cost", "Pilot cost"),
    ("net", "Saving minus cost"),
    ("cost_per_fix", "Pilot cost per problem fixed"),
)


def _scenario_table(case: Case, figs: dict[str, Figure], with_review: bool) -> str:
    cur = case.currency
    cols = ["cautious", "expected"] + (["review"] if with_review else [])
    head = "".join(f'<th scope="col">{n}</th>' for n in ("Cautious", "Expected")) + (
        '<th scope="col">Actual at the review</th>'
        if with_review
        else '<th scope="col">Difference</th>'
    )
    rows = []
    for key, label in SCENARIO_ROWS:
        cells = "".join(f"<td>{value_html(figs, f'{col}.{key}', cur)}</td>" for col in cols)
        if not with_review:
            diff = f"difference.{key}"
            cells += (
                f"<td>{value_html(figs, diff, cur, signed=True)}</td>"
                if diff in figs
                else "<td></td>"
            )
        rows.append(f'<tr><th scope="row">{label}</th>{cells}</tr>')
    title = "The pilot: planned and actual" if with_review else "The pilot's two scenarios"
    return (
        f'<div class="pb-case-table"><table>{_caption(title)}<thead><tr><th scope="col">Over the pilot</th>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _inputs_table(case: Case, figs: dict[str, Figure]) -> str:
    """The scenario inputs, side by side: what the cautious and expected cases assume."""
    cur = case.currency
    labels = (
        ("mentions_per_month", "Mentions of us a month"),
        ("actionable_percent", "Share of mentions pointing to a problem we can fix"),
        ("fixed_percent", "Share of those problems fixed within the pilot"),
        ("calls_avoided_per_fix", "Status calls avoided per problem fixed"),
    )
    rows = "".join(
        f'<tr><th scope="row">{label}</th>'
        + "".join(
            f"<td>{value_html(figs, f'{col}.{key}', cur)}</td>" for col in ("cautious", "expected")
        )
        + "</tr>"
        for key, label in labels
    )
    return (
        f'<div class="pb-case-table"><table>{_caption("What each scenario assumes", computed=False)}'
        '<thead><tr><th scope="col">Input</th><th scope="col">Cautious</th><th scope="col">Expected</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></div>"
    )


def _ladder_table(case: Case, figs: dict[str, Figure]) -> str:
    cur = case.currency
    rows = "".join(
        f'<tr><th scope="row">{r.rung}</th>'
        f"<td>{value_html(figs, f'audience.{r.rung.lower()}.percent', cur)}</td>"
        f"<td>{value_html(figs, f'audience.{r.rung.lower()}.people', cur)}</td></tr>"
        for r in case.audience.ladder
    )
    return (
        f'<div class="pb-case-table"><table>{_caption(case.organisation + " policyholders on the ladder")}'
        '<thead><tr><th scope="col">Rung</th><th scope="col">Share of policyholders (assumption)</th>'
        f'<th scope="col">Policyholders (computed)</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


OBJECTIVE_NAMES = {o: o.capitalize() for o in OBJECTIVES}


def worksheet_html(case: Case, figs: dict[str, Figure], pilot_only: bool = False) -> str:
    """The measurement worksheet filled in: one row per Groundswell objective."""
    cur = case.currency
    rows = []
    order = sorted(case.measures, key=lambda m: OBJECTIVES.index(m.objective))
    for m in order:
        if pilot_only and not m.in_pilot:
            continue
        due = m.due or case.pilot_end
        when = f"{due.day} {due:%B %Y}" + ("" if m.due else " (end of pilot)")
        rows.append(
            f'<tr id="measure-{m.objective}"><th scope="row">{OBJECTIVE_NAMES[m.objective]}'
            f"{'' if m.in_pilot else ' (later)'}</th>"
            f"<td>{escape(m.level.capitalize())}</td><td>{escape(m.measure)}</td>"
            f"<td>{value_html(figs, f'measure.{m.objective}.baseline', cur)}</td>"
            f"<td>{value_html(figs, f'measure.{m.objective}.target', cur)}</td>"
            f"<td>{escape(when)}</td><td>{escape(m.source)}</td><td>{escape(m.stop)}</td></tr>"
        )
    title = f"{case.organisation}: measurement worksheet" + (
        ", the pilot's rows" if pilot_only else ""
    )
    return (
        f'<div class="pb-case-table pb-worksheet"><table>{_caption(title, computed=False)}<thead><tr>'
        '<th scope="col">Groundswell objective</th><th scope="col">AMEC level</th>'
        '<th scope="col">Outcome measure</th><th scope="col">Baseline</th><th scope="col">Target</th>'
        '<th scope="col">Date</th><th scope="col">Data source</th><th scope="col">Stop condition</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


TABLES = {
    "costs": lambda c, f: _costs_table(c, f, "cost", c.costs, "Pilot costs"),
    "unplanned": lambda c, f: _costs_table(
        c, f, "review.unplanned", c.review.unplanned_costs, "Costs nobody planned"
    ),
    "inputs": _inputs_table,
    "scenarios": lambda c, f: _scenario_table(c, f, with_review=False),
    "review": lambda c, f: _scenario_table(c, f, with_review=True),
    "ladder": _ladder_table,
    "measures": worksheet_html,
    "pilot-measures": lambda c, f: worksheet_html(c, f, pilot_only=True),
}


def table_html(case: Case, figs: dict[str, Figure], name: str) -> str:
    if name not in TABLES:
        raise KeyError(f"unknown case table '{name}'; use one of: {', '.join(TABLES)}.")
    return TABLES[name](case, figs)
