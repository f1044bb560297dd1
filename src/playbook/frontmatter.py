"""Every page's front matter: owner, last_reviewed, review_by and a summary, checked and typed.

Used by the plugin during the build and by `playbook review` outside it, so both agree on what a
page owes and when it is due for review.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

REQUIRED = ("owner", "last_reviewed", "review_by", "summary")


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


def check_meta(src: str, meta: dict[str, Any]) -> PageMeta:
    """Validate one page's front matter; the error names the page, the field and the fix."""
    try:
        return PageMeta.model_validate(meta or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"]) or "front matter"
        if err["type"] == "missing":
            problem = f"is missing '{name}' in its front matter"
        else:
            problem = f"has a bad '{name}' in its front matter: {err['msg']}"
        raise FrontMatterError(
            f"Doc file '{src}' {problem}. Every page starts with front matter giving "
            "owner, last_reviewed and review_by (dates as YYYY-MM-DD) and a one-line summary."
        ) from None


def read_meta(path: Path) -> dict[str, Any]:
    """The front matter of one Markdown file, parsed the way MkDocs parses it."""
    from mkdocs.utils.meta import get_data

    _, meta = get_data(path.read_text(encoding="utf-8"))
    return meta


def overdue_pages(docs_dir: Path, today: date) -> list[tuple[str, PageMeta]]:
    """Pages whose review_by date is before `today`, oldest first."""
    overdue = []
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        meta = check_meta(src, read_meta(path))
        if meta.review_by < today:
            overdue.append((src, meta))
    return sorted(overdue, key=lambda item: item[1].review_by)
