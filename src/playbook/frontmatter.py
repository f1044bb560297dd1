"""Every page's front matter: owner, last_reviewed, review_by and a summary, checked and typed.

Used by the plugin during the build and by `playbook review` outside it, so both agree on what a
page owes and when it is due for review.

`read_source` reads a page the way MkDocs will and checks its front matter first: invalid UTF-8,
a YAML error, an impossible date or an alias (`*name`, the alias bomb) each raise
`FrontMatterError` naming the page and the line, before MkDocs or mkdocs-macros parse it. Plain
`key: value` front matter (every real page's) is parsed once, by MkDocs: `check_parsed` parses it
again, with lines, only when MkDocs could not, and `check_meta` only when a value is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from playbook import yamlfile

REQUIRED = ("owner", "last_reviewed", "review_by", "summary")
# MkDocs' own pattern (mkdocs.utils.meta.YAML_RE): what it treats as a page's front matter.
RE_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
MAX_FRONT_MATTER = 20_000  # characters; real front matter is a few hundred
# One line of a plain front matter: a comment, a blank line, or `key: value` with a simple key and
# a value that opens no collection, block scalar or tag and holds no anchor or alias (& or *).
RE_PLAIN_LINE = re.compile(r"#.*|[ \t]*|[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t]+[^\s&*!|>{}\[\]-][^&*]*)?")
FIX = (
    "Every page starts with front matter giving owner, last_reviewed and review_by "
    "(dates as YYYY-MM-DD) and a one-line summary."
)


class FrontMatterError(ValueError):
    """A page's front matter is missing a field or has a bad value."""


class PageMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    owner: str = Field(min_length=1)
    last_reviewed: date
    review_by: date
    summary: str = Field(min_length=1)
    audience: Literal["staff", "executive"] = "staff"

    @model_validator(mode="after")
    def _order(self) -> PageMeta:
        if self.review_by < self.last_reviewed:
            raise ValueError("review_by is before last_reviewed")
        return self


def check_meta(src: str, meta: Mapping[str, Any], path: Path | None = None) -> PageMeta:
    """Validate one page's front matter; the error names the page, the line, the field and the
    fix. Lines come from `meta` when `read_meta` made it, else from re-reading `path`."""
    try:
        return PageMeta.model_validate(meta or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        # No location: the one rule across fields (_order), which review_by breaks.
        name = ".".join(str(p) for p in err["loc"]) or "review_by"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            problem = f"is missing '{name}' in its front matter"
        else:
            problem = f"has a bad '{name}' in its front matter: {message}"
        key = str(err["loc"][0]) if err["loc"] else "review_by"
        lines = getattr(meta, "key_lines", None)
        if lines is None and path is not None:
            try:
                lines = getattr(read_meta(path, src), "key_lines", None)
            except (FrontMatterError, OSError):
                lines = None
        line = (lines or {}).get(key) if err["type"] != "missing" else None
        where = f", line {line}," if line else ""
        raise FrontMatterError(f"Doc file '{src}'{where} {problem}. {FIX}") from None


class _Loader(yamlfile.Loader):
    """yamlfile's loader (lines, no aliases) with YAML dates, as MkDocs reads front matter."""


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yamlfile.YamlProblem(
            node.start_mark.line + 1,
            f"'{node.value}' is not a real date ({exc}); write a day that exists, as YYYY-MM-DD.",
        ) from None


_Loader.yaml_implicit_resolvers = dict(yaml.SafeLoader.yaml_implicit_resolvers)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def parse_front_matter(src: str, text: str) -> dict[str, Any]:
    """A page's front matter ({} when it has none); FrontMatterError names the line."""
    match = RE_FRONT.match(text)
    if not match:
        return {}
    body = match.group(1)
    if len(body) > MAX_FRONT_MATTER:
        raise FrontMatterError(
            f"Doc file '{src}': its front matter is {len(body)} characters long, over the "
            f"{MAX_FRONT_MATTER} limit; keep it to the page's owner, dates and summary."
        )
    try:
        # "\n" stands for the opening '---': line numbers are the file's.
        data = yamlfile.parse("\n" + body, _Loader)
    except yamlfile.YamlProblem as exc:
        where = f", line {exc.line}" if exc.line else ""
        raise FrontMatterError(
            f"Doc file '{src}'{where}: its front matter cannot be read: {exc.message}"
        ) from None
    return data if isinstance(data, dict) else {}


# Keys YAML reads as true, false or null, not as text (`on:` and `yes:` are the same key).
NOT_TEXT_KEYS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def plain_front_matter(body: str) -> bool:
    """True when every line of a front matter is a plain `key: value` (see RE_PLAIN_LINE), each key
    once: nothing an alias bomb, a duplicate key or a nested value could hide in. MkDocs' own parse
    of it (`page.meta`) is then all the build reads; anything else is parsed here too."""
    keys = set()
    for line in body.split("\n"):
        if not RE_PLAIN_LINE.fullmatch(line):
            return False
        key, colon, _ = line.partition(":")
        if colon and not key.startswith("#"):
            if key in keys or key.lower() in NOT_TEXT_KEYS:
                return False
            keys.add(key)
    return True


def read_source(path: Path, src: str) -> str:
    """A page's text, refused (FrontMatterError) if not UTF-8 or its front matter is hostile.

    A plain front matter (`plain_front_matter`) is left to MkDocs, which parses every page's
    front matter anyway: the plugin parses it again, with lines, only when MkDocs could not
    (`check_parsed`). Any other front matter is parsed here first, with lines and no aliases."""
    data = Path(path).read_bytes()
    try:
        text = yamlfile.decode(data, src, "page")
    except yamlfile.YamlError as exc:
        raise FrontMatterError(str(exc).replace("Error reading page", "Doc file", 1)) from None
    # As MkDocs reads it (File.content_string): no byte-order mark, universal newlines.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = RE_FRONT.match(text)
    if match and (len(match.group(1)) > MAX_FRONT_MATTER or not plain_front_matter(match.group(1))):
        parse_front_matter(src, text)
    return text


def check_parsed(src: str, markdown: str, meta: Mapping[str, Any]) -> None:
    """After MkDocs has read a page (its text `markdown`, its front matter `meta`): when MkDocs
    found front matter it could not parse (a YAML error, a date that does not exist), raise the
    FrontMatterError that names the line, as `read_source` does for other front matter."""
    if not meta and RE_FRONT.match(markdown):
        parse_front_matter(src, markdown)


def read_meta(path: Path, src: str | None = None) -> dict[str, Any]:
    """The front matter of one Markdown file, parsed the way MkDocs parses it (but safely)."""
    src = src or str(path)
    return parse_front_matter(src, read_source(path, src))  # read_source left plain ones to us


def overdue_pages(docs_dir: Path, today: date) -> list[tuple[str, PageMeta]]:
    """Pages whose review_by date is before `today`, oldest first."""
    overdue = []
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        meta = check_meta(src, read_meta(path, src))
        if meta.review_by < today:
            overdue.append((src, meta))
    return sorted(overdue, key=lambda item: item[1].review_by)
