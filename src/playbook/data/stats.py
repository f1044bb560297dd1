"""Statistics, glossary terms and chart definitions: their schemas and `load_catalog`.

Everything the site shows about a figure (its value, year, source and age) comes from the `Stat`
objects built here. The first bad record raises `DataError` with the file, the line, the record
and the field, so a content writer can fix it without reading Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from playbook.data.base import DataError, Frozen, Located
from playbook.data.errors import validation_error
from playbook.data.files import display_path, read_yaml
from playbook.yamlfile import LineDict, LineList

RE_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RE_BRIEF_ID = re.compile(r"^ST-[SB]\d{2}$")
RE_TAG = re.compile(r"^[a-z]+:[a-z0-9-]+$")
RE_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

SEED_FILES = (
    "000_21a38449091ec4b7.txt",
    "001_f22ce8386ae5df52.txt",
    "002_00a2db43c154d3f2.txt",
    "003_2f687ef7f1d1222b.txt",
    "004_1fef18310b3af882.txt",
)

# What each field expects, in words a content writer can act on.
EXPECTED = {
    "id": "a kebab-case id such as 'ceo-social-presence-2015'",
    "brief_id": "the content brief's id, such as 'ST-B05'",
    "claim": "one sentence saying what was counted",
    "value": "the value exactly as the source reports it, as text, such as '>80' or '30-60'",
    "amount": "a number a chart can use, or leave it out",
    "unit": "the unit as reported, such as 'percent'",
    "population": "who was counted",
    "year": "an integer year, or null together with a year_note",
    "year_note": "a short note on the year, required when year is null",
    "year_estimate": "an integer year estimated when the source gives none, used only for age",
    "source": "a mapping with title, publisher, and a url or a seed",
    "source.title": "the source's title",
    "source.publisher": "the publisher or author",
    "source.url": "an http(s) URL",
    "source.seed": "one of the seed files: " + ", ".join(SEED_FILES),
    "source.published": "the publication date as the source gives it, such as '2013-05-29'",
    "source.interest": "the publisher's or sponsor's stake in the result, as a sentence shown beside the source, such as 'Sprout Social sells social media software'",
    "verification": "a mapping with status (verified, reported or unverified), by and note; by is needed unless verified",
    "verification.status": "one of: verified, reported, unverified",
    "verification.by": "who reported the figure (required unless status is verified)",
    "verification.quote": "the exact sentence (at most 40 words) the figure was read in, containing its value; required from 2021 on",
    "caveat": "a short warning shown wherever the figure appears, such as how an estimate was made",
    "tags": "a list of tags such as 'role:cfo', 'industry:retail' or 'topic:trust'",
    "display": "how the figure reads inline, such as 'more than 80%'",
    "kind": "one of: finding, framework, anecdote, rule",
}


class Source(Frozen):
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str | None = None
    seed: str | None = None
    published: str | None = None
    # Who gains from the answer: a vendor's survey of its own market says so beside the source.
    interest: str | None = Field(default=None, min_length=1)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not RE_URL.match(value):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value

    @field_validator("seed")
    @classmethod
    def _known_seed(cls, value: str | None) -> str | None:
        if value is not None and value not in SEED_FILES:
            raise ValueError(f"'{value}' is not one of the seed files")
        return value

    @model_validator(mode="after")
    def _url_or_seed(self) -> Source:
        if self.url is None and self.seed is None:
            raise ValueError(
                "a source needs a url, or a seed when the figure comes from a seed post"
            )
        return self


QUOTE_FROM_YEAR = 2021  # figures from this year on must carry verification.quote
QUOTE_MAX_WORDS = 40


class Verification(Frozen):
    status: Literal["verified", "reported", "unverified"]
    by: str | None = None
    note: str = ""
    quote: str | None = None  # the exact sentence the figure was read in

    @model_validator(mode="after")
    def _by_when_reported(self) -> Verification:
        if self.status != "verified" and not self.by:
            raise ValueError(f"status '{self.status}' needs 'by': who reported the figure")
        return self


class Stat(Frozen):
    id: str
    brief_id: str
    kind: Literal["finding", "framework", "anecdote", "rule"] = "finding"
    claim: str = Field(min_length=1)
    value: str = Field(min_length=1)
    display: str | None = None
    amount: float | None = None
    unit: str = Field(min_length=1)
    population: str = Field(min_length=1)
    year: int | None
    year_note: str | None = None
    year_estimate: int | None = None
    source: Source
    verification: Verification
    tags: tuple[str, ...] = ()
    caveat: str | None = None

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not RE_KEBAB.match(value):
            raise ValueError(f"'{value}' is not kebab-case")
        return value

    @field_validator("brief_id")
    @classmethod
    def _brief(cls, value: str) -> str:
        if not RE_BRIEF_ID.match(value):
            raise ValueError(f"'{value}' is not a brief id like 'ST-B05'")
        return value

    @field_validator("value", "unit", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(f"{value!r} is not text; put it in quotes")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [tag for tag in value if not RE_TAG.match(tag)]
        if bad:
            raise ValueError(f"tags {bad} are not of the form 'kind:value'")
        return value

    @model_validator(mode="after")
    def _year_note(self) -> Stat:
        if self.year is None and not self.year_note:
            raise ValueError("year is null, so year_note must say why (what the source says)")
        return self

    @model_validator(mode="after")
    def _role_tags_need_a_source(self) -> Stat:
        """Role tags put a figure in executive tables and briefs: not for unverified figures."""
        roles = [tag for tag in self.tags if tag.startswith("role:")]
        if roles and self.verification.status == "unverified":
            raise ValueError(
                f"an unverified figure cannot carry role tags {roles}: they put it in "
                "executive tables and briefs; remove them, or verify the figure"
            )
        return self

    @model_validator(mode="after")
    def _quote(self) -> Stat:
        """From 2021 on, the sentence the figure was read in, with the value in it."""
        quote = self.verification.quote
        if quote is None:
            if self.age_year is not None and self.age_year >= QUOTE_FROM_YEAR:
                raise ValueError(
                    f"verification.quote is required for figures from {QUOTE_FROM_YEAR} on "
                    f"(this one is from {self.age_year}): add the exact sentence you read the "
                    "figure in, as quote: under verification"
                )
            return self
        words = len(quote.split())
        if words > QUOTE_MAX_WORDS:
            raise ValueError(
                f"verification.quote has {words} words; quote only the sentence that holds "
                f"the figure (at most {QUOTE_MAX_WORDS} words)"
            )
        if not value_in_quote(self.value, quote):
            raise ValueError(
                f"verification.quote does not contain the value '{self.value}'; quote the "
                "sentence the figure was read in, or write the value exactly as that sentence does"
            )
        return self

    @property
    def age_year(self) -> int | None:
        """The year used to judge the figure's age: the year, else the estimate, else None."""
        return self.year if self.year is not None else self.year_estimate

    def is_old(self, old_before: int) -> bool:
        return self.age_year is not None and self.age_year < old_before

    @property
    def year_label(self) -> str:
        """The year as the page shows it."""
        if self.year is not None:
            return str(self.year)
        if self.year_estimate is not None:
            return f"about {self.year_estimate}, year not stated"
        return "year not stated"

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    @property
    def figure(self) -> str:
        """The figure alone, without its caveat: "84%", "$63.1 million"."""
        if self.display:
            return self.display
        if self.unit == "percent":
            return f"{self.value}%"
        return f"{self.value} {self.unit}"

    @property
    def inline(self) -> str:
        """The figure as it reads in a sentence, with its caveat."""
        return f"{self.figure} ({self.caveat})" if self.caveat else self.figure


def value_in_quote(value: str, quote: str) -> bool:
    """True when the value appears in the quote as written (number words aside, case ignored)."""
    return value.casefold() in quote.casefold()


class GlossaryTerm(Frozen):
    term: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    abbreviation: bool = False
    see: tuple[str, ...] = ()


class Chart(Frozen):
    id: str
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    kind: Literal["barh", "bar", "grouped-barh"] = "barh"
    unit_label: str = "percent"
    series: tuple[str, ...] = ()
    bars: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not RE_KEBAB.match(value):
            raise ValueError(f"'{value}' is not kebab-case")
        return value


@dataclass
class Catalog:
    """All statistics, glossary terms and charts of one build, parsed once."""

    stats: dict[str, Stat] = field(default_factory=dict)
    where: dict[str, Located] = field(default_factory=dict)
    glossary: tuple[GlossaryTerm, ...] = ()
    charts: dict[str, Chart] = field(default_factory=dict)

    def get(self, stat_id: str) -> Stat:
        """The statistic with this id; KeyError with a suggestion when there is none."""
        try:
            return self.stats[stat_id]
        except KeyError:
            raise KeyError(unknown_id_message(stat_id, self.stats)) from None

    def tagged(self, *tags: str) -> list[Stat]:
        """Statistics carrying every tag given, in data order."""
        return [stat for stat in self.stats.values() if all(stat.has_tag(t) for t in tags)]


def unknown_id_message(stat_id: str, known: Mapping[str, Any]) -> str:
    close = get_close_matches(stat_id, list(known), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"unknown statistic id '{stat_id}'.{hint} Ids are defined in data/stats/*.yml."


def load_stats(stats_dir: Path, today: date, root: Path | None = None) -> tuple[dict, dict]:
    """Every statistic under `stats_dir`, validated; ids unique across files; no future years."""
    root = root or stats_dir.parent.parent
    stats: dict[str, Stat] = {}
    where: dict[str, Located] = {}
    brief_ids: dict[str, str] = {}
    files = sorted(stats_dir.glob("*.yml")) + sorted(stats_dir.glob("*.yaml"))
    if not files:
        raise DataError(
            f"No statistics found: '{display_path(stats_dir, root)}' has no *.yml files."
        )
    for path in files:
        display = display_path(path, root)
        raw = read_yaml(path, display)
        if raw is None:
            continue
        if not isinstance(raw, LineList):
            raise DataError(
                f"Error reading data file '{display}', line 1: expected a list of statistics "
                "(each entry starting with '- id: ...')."
            )
        for index, entry in enumerate(raw):
            line = raw.item_lines[index]
            if not isinstance(entry, LineDict):
                raise DataError(
                    f"Error reading data file '{display}', line {line}: entry {index + 1} is not "
                    "a mapping; each statistic starts with '- id: ...'."
                )
            record = f"stat '{entry.get('id', f'#{index + 1}')}'"
            try:
                stat = Stat.model_validate(entry)
            except ValidationError as exc:
                raise validation_error(exc, raw, display, record, (index,), EXPECTED) from None
            if stat.id in stats:
                first = where[stat.id]
                raise DataError(
                    f"Error reading data file '{display}', line {line}: {record}: duplicate id; "
                    f"it is already defined in '{first.file}', line {first.line}. "
                    "Give one of them another id."
                )
            if stat.brief_id in brief_ids:
                raise DataError(
                    f"Error reading data file '{display}', line {line}: {record}: brief_id "
                    f"'{stat.brief_id}' is already used by stat '{brief_ids[stat.brief_id]}'."
                )
            if stat.year is not None and stat.year > today.year:
                year_line = entry.key_lines.get("year", line)
                raise DataError(
                    f"Error reading data file '{display}', line {year_line}: {record}: 'year' "
                    f"is {stat.year}, which is in the future (the build's date is "
                    f"{today.isoformat()}); expected the year the data was collected or published."
                )
            stats[stat.id] = stat
            where[stat.id] = Located(display, line)
            brief_ids[stat.brief_id] = stat.id
    return stats, where


def load_list(
    path: Path,
    model: type[BaseModel],
    root: Path,
    what: str,
    required: bool = False,
    expected: Mapping[str, str] | None = None,
) -> list[Any]:
    """A YAML list of `model` records; errors name the file, line, record and field.

    `expected` says in words what each field expects; by default only the field names are known.
    """
    display = display_path(path, root)
    if not path.exists():
        if required:
            raise DataError(f"Data file '{display}' is missing; it holds the {what}.")
        return []
    raw = read_yaml(path, display) or []
    if not isinstance(raw, list):
        raise DataError(f"Error reading data file '{display}', line 1: expected a list of {what}.")
    hints = dict.fromkeys(model.model_fields, "") if expected is None else expected
    items = []
    for index, entry in enumerate(raw):
        label = None
        if isinstance(entry, dict):
            label = next((entry[k] for k in ("id", "term", "role", "key") if entry.get(k)), None)
        try:
            items.append(model.model_validate(entry))
        except ValidationError as exc:
            record = f"{what[:-1]} '{label or index + 1}'"
            raise validation_error(exc, raw, display, record, (index,), hints) from None
    return items


def catalog_files(data_dir: Path) -> list[Path]:
    """The files `load_catalog` reads (for caches keyed by their modification times)."""
    stats = Path(data_dir) / "stats"
    found = sorted(stats.glob("*.yml")) + sorted(stats.glob("*.yaml"))
    return [stats, *found, Path(data_dir) / "glossary.yml", Path(data_dir) / "charts.yml"]


def load_catalog(data_dir: Path, today: date, root: Path | None = None) -> Catalog:
    """Read `data/` once: stats/*.yml, glossary.yml and charts.yml; `root` is the project's folder."""
    data_dir = Path(data_dir)
    root = data_dir.parent if root is None else root
    stats, where = load_stats(data_dir / "stats", today, root)
    glossary = load_list(data_dir / "glossary.yml", GlossaryTerm, root, "terms")
    charts_file = data_dir / "charts.yml"
    charts = {c.id: c for c in load_list(charts_file, Chart, root, "charts")}
    for chart in charts.values():
        for _label, ids in chart.bars:
            for stat_id in ids:
                if stat_id not in stats:
                    raise DataError(
                        f"Error reading data file '{display_path(charts_file, root)}': chart "
                        f"'{chart.id}': " + unknown_id_message(stat_id, stats)
                    )
    return Catalog(stats=stats, where=where, glossary=tuple(glossary), charts=charts)
