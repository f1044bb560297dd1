"""The law map and the recent cases: `data/law.yml` and `data/cases.yml`, validated and rendered.

Each legal item says what a rule requires, whom it binds, since when, its primary (official)
source, and an honest "last checked" date: set only when the primary source's own page was read.
Each case says who, when, what they did, what happened, what to learn, and the sources read.
The governance chapter and the recent-cases page render them through macros; the tests read them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from markupsafe import escape
from pydantic import Field, HttpUrl, field_validator, model_validator

from playbook.data import DataError, Frozen, display_path, load_list

Jurisdiction = Literal["US", "EU", "UK"]
CaseKind = Literal["regulated", "b2b", "public-sector", "failed"]
JURISDICTION_NAMES = {"US": "United States", "EU": "European Union", "UK": "United Kingdom"}
# Official hosts a primary source may live on (the host itself or a sub-domain of it).
OFFICIAL_HOSTS = (
    "nlrb.gov",
    "sec.gov",
    "cftc.gov",
    "ftc.gov",
    "ecfr.gov",
    "federalregister.gov",
    "eur-lex.europa.eu",
    "curia.europa.eu",
    "legislation.gov.uk",
    "asa.org.uk",
)
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def is_official(url: str) -> bool:
    host = (urlparse(url).hostname or "").removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


class Link(Frozen):
    title: str = Field(min_length=1)
    url: HttpUrl


class OfficialLink(Link):
    @field_validator("url")
    @classmethod
    def _official(cls, url: HttpUrl) -> HttpUrl:
        if not is_official(str(url)):
            raise ValueError(
                f"'{url}' is not an official source; link the rule's own page on one of "
                + ", ".join(OFFICIAL_HOSTS)
            )
        return url


class ReadPage(Link):
    publisher: str = Field(min_length=1)
    date: date  # the day we read the page (stored copy, via the search tool)


class LawItem(Frozen):
    id: str = Field(pattern=SLUG)
    jurisdiction: Jurisdiction
    title: str = Field(min_length=1)
    requires: str = Field(min_length=1)
    binds: str = Field(min_length=1)
    since: str = Field(min_length=1)
    primary_source: OfficialLink
    also: tuple[OfficialLink, ...] = ()
    last_checked: date | None = None  # only when the primary source's own page was read
    check: str = ""  # what a reader must still confirm with counsel
    read: tuple[ReadPage, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _checked_means_read(self) -> LawItem:
        if self.last_checked is None:
            return self
        official = [p for p in self.read if is_official(str(p.url))]
        if not any(p.date == self.last_checked for p in official):
            raise ValueError(
                f"last_checked is {self.last_checked}, but no official page in 'read' was read "
                "that day; add the primary page you read, or remove last_checked"
            )
        return self


class CaseSource(Link):
    publisher: str = Field(min_length=1)
    year: int = Field(ge=2018)
    read: date


class Case(Frozen):
    id: str = Field(pattern=SLUG)
    who: str = Field(min_length=1)
    year: int = Field(ge=2018)  # a recent case: 2018 or later
    when: str = Field(min_length=1)
    kinds: tuple[CaseKind, ...] = ()
    did: str = Field(min_length=1)
    happened: str = Field(min_length=1)
    learn: str = Field(min_length=1)
    sources: tuple[CaseSource, ...] = Field(min_length=1)


def _unique(items: list, path: str) -> list:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise DataError(
                f"Data file '{path}': the id '{item.id}' is used twice; ids must be unique."
            )
        seen.add(item.id)
    return items


def _load(data_dir: Path, name: str, model: type[Frozen], what: str, root: Path | None) -> list:
    root = Path(data_dir).parent if root is None else root
    path = Path(data_dir) / name
    return _unique(load_list(path, model, root, what, required=True), display_path(path, root))


def load_law(data_dir: Path, root: Path | None = None) -> list[LawItem]:
    return _load(data_dir, "law.yml", LawItem, "items", root)


def load_cases(data_dir: Path, root: Path | None = None) -> list[Case]:
    return _load(data_dir, "cases.yml", Case, "cases", root)


def _link(link: Link) -> str:
    return f'<a href="{escape(str(link.url))}">{escape(link.title)}</a>'


def _checked(item: LawItem) -> str:
    if item.last_checked:
        return f"{item.last_checked.isoformat()}, against the primary source"
    return "not yet checked against the primary source; read it before relying on this summary"


def law_item(item: LawItem) -> str:
    """One rule as a definition list under an h5 heading, in a block with id `law-<id>`."""
    also = "".join(f"<br>Also: {_link(a)}" for a in item.also)
    read = "; ".join(
        f"{_link(p)} ({escape(p.publisher)}, read {p.date.isoformat()})" for p in item.read
    )
    check = f"<dt>Still to confirm</dt><dd>{escape(item.check)}</dd>" if item.check else ""
    return (
        f'<div class="pb-law" id="law-{escape(item.id)}" data-jurisdiction="{item.jurisdiction}">'
        f"<h5>{escape(item.title)}</h5><dl>"
        f"<dt>What it requires</dt><dd>{escape(item.requires)}</dd>"
        f"<dt>Whom it binds</dt><dd>{escape(item.binds)}</dd>"
        f"<dt>Since</dt><dd>{escape(item.since)}</dd>"
        f'<dt>Primary source</dt><dd class="pb-primary">{_link(item.primary_source)}{also}</dd>'
        f'<dt>Last checked</dt><dd class="pb-checked">{escape(_checked(item))}</dd>'
        f"{check}<dt>What we read</dt><dd>{read}</dd></dl></div>"
    )


def law_list(items: list[LawItem], jurisdiction: str | None = None) -> str:
    chosen = [i for i in items if jurisdiction in (None, i.jurisdiction)]
    return "\n".join(law_item(i) for i in chosen)


def law_summary(items: list[LawItem]) -> str:
    """A table of every rule: jurisdiction, rule, since, last checked (links to the entries)."""
    rows = "".join(
        f"<tr><td>{escape(i.jurisdiction)}</td>"
        f'<td><a href="#law-{escape(i.id)}">{escape(i.title)}</a></td>'
        f"<td>{escape(i.since)}</td>"
        f"<td>{escape(i.last_checked.isoformat()) if i.last_checked else 'not yet'}</td></tr>"
        for i in items
    )
    return (
        '<table class="pb-law-summary"><caption>The rules on this page and when we last checked '
        "each against its primary source</caption><thead><tr><th>Where</th><th>Rule</th>"
        f"<th>Since</th><th>Last checked</th></tr></thead><tbody>{rows}</tbody></table>"
    )


KIND_LABELS = {
    "regulated": "regulated industry",
    "b2b": "business to business",
    "public-sector": "public sector",
    "failed": "failed",
}


def case_entry(case: Case) -> str:
    kinds = ", ".join(KIND_LABELS[k] for k in case.kinds)
    sources = "".join(
        f"<li>{_link(s)}, {escape(s.publisher)}, {s.year} (read {s.read.isoformat()})</li>"
        for s in case.sources
    )
    return (
        f'<div class="pb-case" id="case-{escape(case.id)}" data-year="{case.year}" '
        f'data-kinds="{escape(" ".join(case.kinds))}">'
        f"<h3>{escape(case.who)}</h3>"
        f'<p class="pb-case-kinds">{escape(kinds)}</p><dl>'
        f"<dt>When</dt><dd>{escape(case.when)}</dd>"
        f"<dt>What they did</dt><dd>{escape(case.did)}</dd>"
        f"<dt>What happened</dt><dd>{escape(case.happened)}</dd>"
        f"<dt>What to learn</dt><dd>{escape(case.learn)}</dd>"
        f'<dt>Sources</dt><dd><ul class="pb-case-sources">{sources}</ul></dd></dl></div>'
    )


def case_list(cases: list[Case]) -> str:
    return "\n".join(case_entry(c) for c in sorted(cases, key=lambda c: (-c.year, c.id)))
