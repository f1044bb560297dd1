"""The new hire's reading path: a week of pages, each with a reading time counted from its text.

`data/onboarding-path.yml` says which pages to read on which day and why each one matters; the
plugin fills the Start here page's `generated('reading-path')` block with `reading_path_html`,
counting the words of each page's rendered HTML. Times are never typed in: change a page and its
time changes with it. No MkDocs imports here; errors are `DataError` naming the file and line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape
from pydantic import Field, ValidationError, model_validator
from selectolax.lexbor import LexborHTMLParser

from playbook import yamlfile
from playbook.data import DataError, Frozen, display_path, read_yaml, require, validation_error
from playbook.render import PageRef

# A careful reading pace for workplace material the reader will act on (a little below the
# ~238 words a minute measured for silent reading of non-fiction, Brysbaert 2019).
WORDS_PER_MINUTE = 200
PATH_FILE = "onboarding-path.yml"
RE_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# Markup that is not read: permalink signs, scripts, styles.
UNREAD = "a.headerlink, script, style, template"


class Step(Frozen):
    page: str = Field(
        min_length=1, pattern=r"^[a-z0-9/_-]+\.md$"
    )  # docs path, e.g. chapters/not-yet.md
    why: str = Field(min_length=1)  # why a new hire reads it, in one sentence


class Day(Frozen):
    day: int = Field(ge=1, le=7)
    title: str = Field(min_length=1)
    goal: str = Field(min_length=1)  # what the reader can do at the end of the day
    pages: tuple[Step, ...] = Field(min_length=1)

    @property
    def anchor(self) -> str:
        return f"day-{self.day}"


class ReadingPath(Frozen):
    days: tuple[Day, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ReadingPath:
        numbers = [d.day for d in self.days]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"days must be numbered 1, 2, 3 ... in order; found {numbers}")
        return self

    @property
    def pages(self) -> list[str]:
        return [step.page for day in self.days for step in day.pages]


def count_words(html: str) -> int:
    """Words a reader sees in a page's HTML (tags, permalink signs and scripts left out)."""
    tree = LexborHTMLParser(html)
    for node in tree.css(UNREAD):
        node.decompose()
    root = tree.body or tree.root
    text = root.text(separator=" ") if root is not None else ""
    return len(RE_WORD.findall(text))


def reading_minutes(words: int, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read `words` at `words_per_minute`, rounded up; at least 1 for any text."""
    if words <= 0:
        return 0
    return max(1, math.ceil(words / words_per_minute))


@dataclass(frozen=True)
class PathFile:
    """The reading path as read from its file: the file's name and the line of each page."""

    path: ReadingPath
    display: str
    lines: dict[str, int]

    def check_pages(self, known_pages: Collection[str]) -> ReadingPath:
        """The path, once every page it lists is one of `known_pages` (else DataError)."""
        for day in self.path.days:
            for step in day.pages:
                if step.page not in known_pages:
                    raise DataError(
                        f"Error reading data file '{self.display}', line {self.lines[step.page]}: "
                        f"day {day.day}: '{step.page}' is not a page of the site. Use a path under "
                        "docs/, such as 'chapters/not-yet.md'."
                    )
        return self.path


def read_path(data_dir: Path, root: Path | None = None) -> PathFile:
    """The reading path in `data_dir/onboarding-path.yml`, validated, with each page's line.

    `root` is the project's folder, which file names in messages are relative to."""
    path = Path(data_dir) / PATH_FILE
    display = display_path(path, Path(data_dir).parent if root is None else root)
    require(path, display, "the new hire's reading path")
    raw = read_yaml(path, display)
    if not isinstance(raw, list):
        raise DataError(
            f"Error reading data file '{display}', line 1: expected a list of days "
            "(- day: 1, title, goal, pages: [{page, why}])."
        )
    days = []
    for index, entry in enumerate(raw):
        try:
            days.append(Day.model_validate(entry))
        except ValidationError as exc:
            raise validation_error(exc, raw, display, f"day {index + 1}", (index,)) from None
    try:
        reading_path = ReadingPath(days=tuple(days))
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise DataError(f"Error reading data file '{display}', line 1: {problem}.") from None
    lines: dict[str, int] = {}
    for d, day in enumerate(reading_path.days):
        for s, step in enumerate(day.pages):
            line = yamlfile.line_of(raw, (d, "pages", s, "page")) or 0
            if step.page in lines:
                raise DataError(
                    f"Error reading data file '{display}', line {line}: day {day.day}: "
                    f"'{step.page}' is listed twice; keep one of them."
                )
            lines[step.page] = line
    return PathFile(reading_path, display, lines)


def load_path(
    data_dir: Path, known_pages: Collection[str] | None = None, root: Path | None = None
) -> ReadingPath:
    """The reading path in `data/onboarding-path.yml`; with `known_pages`, each page must exist."""
    found = read_path(data_dir, root)
    return found.path if known_pages is None else found.check_pages(known_pages)


def _minutes_text(minutes: int) -> str:
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def reading_path_html(
    reading_path: ReadingPath,
    pages: Mapping[str, tuple[PageRef, str]],
    base: str,
    words_per_minute: int = WORDS_PER_MINUTE,
) -> str:
    """The reading path as HTML: one section per day, each page linked with its reading time.

    `pages` maps a docs path to (its PageRef, its rendered HTML); `base` leads from the page
    showing the path to the site root ("../" for start-here/).
    """
    words = {src: count_words(pages[src][1]) for src in reading_path.pages}
    minutes = {src: reading_minutes(n, words_per_minute) for src, n in words.items()}
    total = sum(minutes.values())
    parts = [
        '<div class="pb-reading-path">',
        (
            f'<p class="pb-reading-total">About <strong>{_minutes_text(total)}</strong>'
            f"{f' (about {round(total / 60)} hours)' if total >= 90 else ''} of reading in "
            f"all, over {len(reading_path.days)} days. Times are counted from each page's text at "
            f"{words_per_minute} words a minute, so they change when a page does.</p>"
        ),
    ]
    for day in reading_path.days:
        day_minutes = sum(minutes[step.page] for step in day.pages)
        parts.append(
            f'<section class="pb-day" aria-labelledby="{day.anchor}">'
            f'<h3 id="{day.anchor}">Day {day.day}: {escape(day.title)} '
            f'<span class="pb-day-time">(about {_minutes_text(day_minutes)})</span></h3>'
            f'<p class="pb-day-goal">{escape(day.goal)}</p><ol class="pb-day-pages">'
        )
        for step in day.pages:
            ref = pages[step.page][0]
            parts.append(
                f'<li data-page="{escape(step.page)}" data-words="{words[step.page]}" '
                f'data-minutes="{minutes[step.page]}">'
                f'<a href="{escape(base + ref.url)}">{escape(ref.title)}</a> '
                f'<span class="pb-reading-time">({_minutes_text(minutes[step.page])})</span>'
                f"<br>{escape(step.why)}</li>"
            )
        parts.append("</ol></section>")
    parts.append("</div>")
    return "\n".join(parts)


def reading_path(
    found: PathFile, refs: Mapping[str, PageRef], html: Mapping[str, str], base: str
) -> str:
    """Check the path's pages exist, and render it (what the plugin's fill calls)."""
    loaded = found.check_pages(refs.keys())
    pages = {src: (refs[src], html.get(src, "")) for src in loaded.pages}
    return reading_path_html(loaded, pages, base)
