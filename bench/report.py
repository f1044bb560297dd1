"""Assemble BENCHMARKS.md from the sections each benchmark writes into bench/results/*.md.

Each benchmark script writes its own Markdown section (with the command that reproduces it) to
bench/results/<name>.md; this script puts them together in a fixed order.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "build_scale",
    "two_engines",
    "data_macros",
    "linkcheck",
    "brief",
    "brief_builder",
    "lighthouse",
    "page_weight",
]


def main() -> None:
    results = ROOT / "bench" / "results"
    sections = {p.stem: p.read_text().strip() for p in sorted(results.glob("*.md"))}
    ordered = [sections.pop(name) for name in ORDER if name in sections] + list(sections.values())
    head = (
        "# Benchmarks\n\n"
        "Measured on the project's machine (2 cores, 24 GB). Every table compares peers in the same "
        "run, as medians of several runs. Regenerate everything with `make bench`, or one section "
        "with the command given under it; `python bench/report.py` reassembles this file.\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(head + "\n" + "\n\n".join(ordered) + "\n")


if __name__ == "__main__":
    main()
