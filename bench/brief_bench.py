"""How long `playbook brief` takes as a fresh process, beside a bare Chromium print, in one run.

Each round runs both, alternating, so both see the same machine load:
- brief: `.venv/bin/playbook brief data/profiles/example-cfo.yml -o OUT.pdf` (Python start, data,
  Chromium start, render, print, all included);
- bare: a tiny script that starts Playwright and Chromium the same way, prints a one-line page to
  PDF and exits (the floor any Chromium PDF costs here).
The target is a brief within 1.5 times the bare print. Writes bench/results/brief.md; then run
`bench/report.py` to reassemble BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PROFILE = ROOT / "data" / "profiles" / "example-cfo.yml"
TARGET = 1.5
COMMAND = ".venv/bin/python bench/brief_bench.py --runs {runs}"

BARE = """
import sys
from playwright.sync_api import sync_playwright
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html lang=en><title>x</title><p>One line.</p></html>")
    page.pdf(path=sys.argv[1])
    browser.close()
"""


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree: Python, Playwright's driver, Chromium)."""
    cpu = cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed, cpu_of_children() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=9, help="rounds (each: one brief, one bare print)"
    )
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    with tempfile.TemporaryDirectory() as tmp:
        bare_script = Path(tmp) / "bare_print.py"
        bare_script.write_text(BARE)
        brief_cmd = [str(BIN / "playbook"), "brief", str(PROFILE), "-o", f"{tmp}/brief.pdf"]
        bare_cmd = [str(BIN / "python"), str(bare_script), f"{tmp}/bare.pdf"]
        timed(brief_cmd), timed(bare_cmd)  # warm the disk cache; not counted
        runs: dict[str, list[tuple[float, float]]] = {"brief": [], "bare": []}
        for i in range(args.runs):
            pair = [("brief", brief_cmd), ("bare", bare_cmd)]
            for name, cmd in pair if i % 2 == 0 else pair[::-1]:
                runs[name].append(timed(cmd))
        from pypdf import PdfReader

        pages = len(PdfReader(f"{tmp}/brief.pdf").pages)
    briefs, bares = [w for w, _ in runs["brief"]], [w for w, _ in runs["bare"]]
    brief_cpu = statistics.median(c for _, c in runs["brief"])
    bare_cpu = statistics.median(c for _, c in runs["bare"])
    brief, bare = statistics.median(briefs), statistics.median(bares)
    ratios = [b / p for b, p in zip(briefs, bares, strict=True)]
    ratio = brief / bare
    verdict = "meets" if ratio <= TARGET else "misses"
    load = os.getloadavg()[0]
    section = f"""## Printed brief: `playbook brief` beside a bare Chromium print

Command: `{COMMAND.format(runs=args.runs)}`

Each of {args.runs} rounds runs, alternating which goes first, a fresh `playbook brief
data/profiles/example-cfo.yml -o brief.pdf` (Python start, data, Chromium start, render and print
all included; the brief has {pages} pages) and a tiny script that starts Chromium through
Playwright the same way and prints a one-line page. Wall-clock seconds:

| | median wall | min | max | median CPU (user+sys, whole process tree) |
|---|---|---|---|---|
| `playbook brief` (fresh process) | {brief:.2f} | {min(briefs):.2f} | {max(briefs):.2f} | {brief_cpu:.2f} |
| bare Chromium start + one-line print | {bare:.2f} | {min(bares):.2f} | {max(bares):.2f} | {bare_cpu:.2f} |

Ratio of the wall-clock medians: **{ratio:.2f}x** (median of the per-round ratios:
{statistics.median(ratios):.2f}x; ratio of CPU medians: {brief_cpu / bare_cpu:.2f}x). The target is
at most {TARGET}x, which this run {verdict}. Load average at the end: {load:.1f} on
{os.cpu_count()} cores; the machine is shared, so absolute times vary and the ratios are the
result. On a saturated machine wall time follows CPU time, so the CPU ratio is the steadier figure.
Python {platform.python_version()}.

Why it is close to the floor: one Chromium, `page.set_content` of the brief's own HTML (no
server, no network, no timers), and the data is read and the HTML rendered in a worker thread
while Chromium starts.
"""
    out = ROOT / "bench" / "results" / "brief.md"
    out.write_text(section)
    print(section)


if __name__ == "__main__":
    main()
