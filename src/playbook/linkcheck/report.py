"""Report: problems as JSON lines, as text grouped by page, or as MkDocs-style build warnings."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence

from playbook.linkcheck.model import Problem


def by_page(problems: list[Problem]) -> list[tuple[str, list[Problem]]]:
    """Problems grouped by page, pages in order of first appearance."""
    order: dict[str, list[Problem]] = {}
    for problem in problems:
        order.setdefault(problem.page, []).append(problem)
    return list(order.items())


def format_jsonl(problems: list[Problem]) -> str:
    """One JSON object per problem (page, url, kind, status, message), one per line."""
    return "".join(json.dumps(p.as_dict(), ensure_ascii=False) + "\n" for p in problems)


def summary(problems: list[Problem]) -> str:
    if not problems:
        return "No broken links."
    kinds = Counter(p.kind for p in problems)
    pages = len({p.page for p in problems})
    parts = ", ".join(
        f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} on {pages} page{'s' if pages != 1 else ''}: {parts}."


def format_text(problems: list[Problem], redirected: Sequence[tuple[str, str]] = ()) -> str:
    """Problems grouped by page, each naming the link as written; then redirects; then a summary."""
    lines: list[str] = []
    for page, items in by_page(problems):
        lines.append(f"{page}:")
        for p in items:
            status = f" {p.status}" if p.status is not None else ""
            lines.append(f"  '{p.url}' ({p.kind}{status}): {p.message}")
        lines.append("")
    if redirected:
        lines.append("Redirected (they work; consider linking to the final address):")
        lines += [f"  {url} -> {final}" for url, final in redirected]
        lines.append("")
    lines.append(summary(problems))
    return "\n".join(lines) + "\n"


def doc_file(built: str, docs_dir: str | None) -> str | None:
    """The Markdown source of a built page ('x/index.html' -> 'x.md' or 'x/index.md'), if any."""
    if not docs_dir or not built.endswith(".html"):
        return None
    stem = built[: -len(".html")]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")].rstrip("/")
        candidates = (
            [f"{folder}/index.md", f"{folder}/README.md", f"{folder}.md"]
            if folder
            else ["index.md", "README.md"]
        )
    else:
        candidates = [f"{stem}.md"]
    for candidate in candidates:
        if os.path.isfile(os.path.join(docs_dir, candidate)):
            return candidate
    return None


def warning_messages(
    problems: list[Problem], docs_dir: str | None = None, registry: str | None = None
) -> list[str]:
    """One message per page, in MkDocs' wording: "Doc file 'x.md' (built as 'x/index.html')
    contains a link '../y/', but ..."."""
    messages = []
    for page, items in by_page(problems):
        if page == registry:
            subject, verb = f"Onboarding registry '{page}'", "lists"
        else:
            source = doc_file(page, docs_dir)
            subject = (
                f"Doc file '{source}' (built as '{page}')"
                if source
                else f"File '{page}' in the built site"
            )
            verb = "contains"
        if len(items) == 1:
            p = items[0]
            messages.append(f"{subject} {verb} a link '{p.url}', but {p.message}")
        else:
            body = "\n".join(f"  - a link '{p.url}', but {p.message}" for p in items)
            messages.append(f"{subject} {verb} {len(items)} broken links:\n{body}")
    return messages
