"""Generate synthetic playbooks shaped like ours, and the three MkDocs setups that build them.

Used by bench/build_scale_bench.py and bench/data_macros_bench.py. Each content page has front
matter (owner, last_reviewed, review_by, summary), about 600 words, two plays with `{ #play-id }`
headings and the six H3 parts, four statistics through `{{ stat('...') }}` with real ids from
data/stats, and ten internal links (a third with anchors); 100 pages per folder, the folders
inside one top-level `chapters/` folder as in our docs. The "plain"
variant replaces every macro call by plain text of the same length, for setups without macros.

The setups are derived from the real mkdocs.yml at run time, so they follow it:
  plain     default mkdocs theme, no plugins, only attr_list (the pages' heading ids);
  material  our theme, features, extensions, extra and validation; search only; no hooks;
  full      our whole configuration (plugins, hooks, extensions); nav left to MkDocs.
  zensical  the full configuration built with Zensical (`playbook zensical build`, zensical.yml).
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import get_yaml_loader

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PER_FOLDER = 100
SETUPS = ("plain", "material", "full", "zensical")
# Plugins and files that are ours (or exist for our content): removed for the "material" setup.
OUR_PLUGINS = ("macros", "playbook", "redirects")
# Parts of the project the full setup reads; linked (not copied) so they stay the real ones.
LINKED = ("macros", "hooks", "overrides", "data")
RE_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)

WORDS = [
    "executive",
    "board",
    "budget",
    "pilot",
    "customers",
    "listen",
    "engage",
    "trust",
    "peers",
    "value",
    "risk",
    "cost",
    "time",
    "policy",
    "legal",
    "brand",
    "reach",
    "campaign",
    "metric",
    "audience",
    "story",
    "evidence",
    "question",
    "answer",
    "meeting",
    "sponsor",
    "team",
    "channel",
    "response",
    "crisis",
    "reputation",
    "sales",
    "service",
    "support",
    "training",
    "review",
    "report",
    "quarter",
    "forecast",
    "decision",
    "approval",
    "governance",
    "platform",
    "community",
    "feedback",
    "insight",
    "competitor",
    "market",
    "share",
    "growth",
    "retention",
    "employee",
    "recruit",
    "message",
    "voice",
    "tone",
    "content",
    "plan",
    "measure",
    "baseline",
    "target",
    "outcome",
    "impact",
    "leader",
    "champion",
    "skeptic",
    "concern",
    "objection",
    "proof",
]
PLAY_PARTS = ("Why it matters", "How", "Key questions", "Time and people", "Pitfalls", "Sources")
SPECIAL_PAGES = {
    "index.md": ("Synthetic playbook", "Start at any section below.\n\n"),
    "sources.md": ("Sources", "{{ generated('sources') }}\n"),
    "glossary.md": ("Glossary", "{{ glossary() }}\n"),
    "reports/freshness.md": ("Figures by age", "{{ generated('freshness') }}\n"),
    "reports/review.md": ("Pages due for review", "{{ generated('review') }}\n"),
}


def stat_ids() -> list[str]:
    """Every statistic id in the real data/stats that `stat()` renders (not a framework's count of
    its parts), in file order."""
    ids = []
    for path in sorted((ROOT / "data" / "stats").glob("*.yml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        ids += [rec["id"] for rec in records if rec.get("kind", "finding") != "framework"]
    return ids


def page_src(i: int) -> str:
    # Nested like ours (chapters/tough-questions/): with navigation.sections, a top-level folder's
    # pages are always visible, so 100-page folders at the top would defeat navigation.prune.
    return f"chapters/part-{i // PER_FOLDER:02d}/page-{i:05d}.md"


def _rel(from_src: str, to_src: str) -> str:
    return os.path.relpath(to_src, os.path.dirname(from_src) or ".").replace(os.sep, "/")


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _para(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(8, 16))
        out.append(_sentence(rng, n))
        left -= n
    return " ".join(out)


def _play(i: int, tag: str, rng: random.Random, links: list[str], stats: list[str]) -> str:
    """One play: `{ #play-id }` heading, one-line summary, the six H3 parts."""
    title = _sentence(rng, 5).rstrip(".")
    steps = "\n".join(f"{n}. {_para(rng, 14)}" for n in range(1, 5))
    questions = "\n".join(f"- [ ] {_sentence(rng, 9)[:-1]}?" for _ in range(4))
    body = {
        "Why it matters": f"{_para(rng, 45)} {stats[0]} {_para(rng, 20)} {links[0]}",
        "How": f"{steps}\n5. {_para(rng, 8)} {links[1]} {stats[1]}",
        "Key questions": questions,
        "Time and people": f"{_para(rng, 30)} {links[2]}",
        "Pitfalls": f"{_para(rng, 40)} {links[3]}",
        "Sources": f"{_para(rng, 12)} {links[4]}",
    }
    parts = [f"## {title} {{ #play-p{i:05d}-{tag} }}", "", f"*{_sentence(rng, 14)}*", ""]
    for name in PLAY_PARTS:
        parts += [f"### {name}", "", body[name], ""]
    return "\n".join(parts)


def _front_matter(title: str, i: int) -> str:
    # Some pages are overdue, as in a real playbook (the review report lists them).
    review_by = "2026-01-15" if i % 17 == 0 else "2027-06-01"
    return (
        "---\n"
        f"owner: Team {i % 7}\n"
        "last_reviewed: 2025-12-01\n"
        f"review_by: {review_by}\n"
        f'summary: "{title}: what to do and why."\n'
        "---\n\n"
    )


def content_page(i: int, pages: int, ids: list[str], seed: int = 7) -> str:
    """The Markdown of content page `i` of `pages` (with macro calls)."""
    rng = random.Random(seed * 1_000_003 + i)
    src = page_src(i)
    links = []
    for n in range(10):
        j = rng.randrange(pages)
        label = " ".join(rng.choice(WORDS) for _ in range(3))
        anchor = f"#play-p{j:05d}-{'ab'[n % 2]}" if n % 3 == 0 else ""
        links.append(f"[{label}]({_rel(src, page_src(j))}{anchor})")
    links.append(f"[the second play](#play-p{i:05d}-b)")
    stats = [f"{{{{ stat('{rng.choice(ids)}') }}}}" for _ in range(4)]
    title = f"Page {i}: {_sentence(rng, 4).rstrip('.')}"
    return (
        _front_matter(title, i)
        + f"# {title}\n\n{_para(rng, 40)} {links[10]} {links[5]}\n\n"
        + _play(i, "a", rng, links[0:5], stats[0:2])
        + "\n"
        + _play(i, "b", rng, links[6:10] + links[5:6], stats[2:4])
    )


def plain_text(markdown: str) -> str:
    """The page with every macro call replaced by plain text of the same length."""
    filler = "about forty percent of executives said so " * 4

    def repl(match: re.Match[str]) -> str:
        n = len(match.group(0))
        return (filler * (n // len(filler) + 1))[:n]

    return RE_MACRO.sub(repl, markdown)


def write_docs(docs: Path, pages: int, macros: bool, ids: list[str], assets: bool = True) -> int:
    """Write the synthetic docs folder (replaced); return the number of Markdown pages."""
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    convert = (lambda s: s) if macros else plain_text
    for src, (title, body) in SPECIAL_PAGES.items():
        text = _front_matter(title, 1) + f"# {title}\n\n" + body
        if src == "index.md":
            text += "\n".join(
                f"- [Part {k}]({page_src(k * PER_FOLDER)})"
                for k in range((pages - 1) // PER_FOLDER + 1)
            )
        path = docs / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(convert(text) + "\n", encoding="utf-8")
    for i in range(pages):
        path = docs / page_src(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(convert(content_page(i, pages, ids)), encoding="utf-8")
    if assets:
        shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    return pages + len(SPECIAL_PAGES)


def real_config() -> dict[str, Any]:
    """The real mkdocs.yml as data (!ENV values resolved to their defaults)."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=get_yaml_loader())  # noqa: S506 (our own file; !!python/name)


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def setup_config(setup: str, registry: Path | None = None) -> dict[str, Any]:
    """The mkdocs.yml (as data) of one setup, derived from the real one."""
    real = real_config()
    base = {
        "site_name": real["site_name"],
        "site_url": real.get("site_url"),
        "docs_dir": "docs",
        "strict": True,
        "validation": real.get("validation", {}),
    }
    if setup == "plain":
        return {
            **base,
            "theme": {"name": "mkdocs"},
            "plugins": [],
            "markdown_extensions": ["attr_list"],
        }
    config = {k: v for k, v in real.items() if k != "nav"}
    config["docs_dir"] = "docs"
    if setup == "material":
        config["plugins"] = [
            p for p in real.get("plugins", []) if _plugin_name(p) not in OUR_PLUGINS
        ]
        config.pop("hooks", None)
        # Our own Markdown extensions (playbook.markdown_stash) are part of (c) only.
        config["markdown_extensions"] = [
            e
            for e in real.get("markdown_extensions", [])
            if not _plugin_name(e).startswith("playbook.")
        ]
        return config
    if setup not in ("full", "zensical"):
        raise ValueError(f"unknown setup {setup!r}; use one of {SETUPS}")
    # The real onboarding registry names real pages: point it at synthetic ones instead.
    for entry in config.get("plugins", []):
        if isinstance(entry, dict) and "playbook" in entry and registry is not None:
            entry["playbook"]["onboarding_registry"] = str(registry)
    return config


def write_registry(path: Path, pages: int) -> Path:
    """An onboarding registry of synthetic URLs (with anchors), like data/onboarding-links.yml."""
    step = max(1, pages // 8)
    entries = [{"url": "sources/", "used_by": "Printed briefs"}] + [
        {"url": page_src(i)[:-3] + f"/#play-p{i:05d}-a", "used_by": f"Onboarding pack {i}"}
        for i in range(0, pages, step)
    ]
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return path


def make_project(dest: Path, pages: int, setup: str) -> Path:
    """A buildable synthetic project for one setup; returns its mkdocs.yml."""
    dest.mkdir(parents=True, exist_ok=True)
    ours = setup in ("full", "zensical")
    write_docs(dest / "docs", pages, macros=ours, ids=stat_ids(), assets=(setup != "plain"))
    registry = write_registry(dest / "onboarding-links.yml", pages) if ours else None
    # The theme's overrides are part of "material" too; macros, hooks and data only of "full";
    # Zensical reads mkdocs.yml through zensical.yml, with its own theme overrides.
    linked = (*LINKED, "overrides-zensical") if setup == "zensical" else LINKED
    if setup == "zensical":
        shutil.copy2(ROOT / "zensical.yml", dest / "zensical.yml")
    for name in linked if ours else ("overrides",) if setup == "material" else ():
        link = dest / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(ROOT / name, target_is_directory=True)
    config_file = dest / "mkdocs.yml"
    config_file.write_text(
        yaml.dump(setup_config(setup, registry), sort_keys=False), encoding="utf-8"
    )
    return config_file
