"""Lighthouse scores and page weight of the playbook served through the project's nginx config.

- Lighthouse 13.5.0 (tools/npm, `make npm-deps`) on the home page and one chapter, all four
  categories, several runs each; the table gives the median score per category.
- Page weight: bytes over the wire (headers + compressed bodies, Chromium's encodedDataLength) on a
  first visit with an empty cache and on a repeat visit in the same browser, through nginx
  (gzip, immutable hashed assets, revalidated HTML) beside Python's plain `http.server` (no
  compression, no cache headers), in the same run.

Writes bench/results/lighthouse.md and bench/results/page_weight.md; then run `bench/report.py`
to reassemble BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from nginx_fixture import SUB_PATH
from nginx_server import serve
from test_lighthouse import lighthouse_command, lighthouse_env

from playbook.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory
from playbook.screenshots import pick_chapter

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMMAND = ".venv/bin/python bench/lighthouse_bench.py --runs {runs}"


def build(site_dir: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True))


def lighthouse(url: str, report: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; a trace hiccup (NO_NAVSTART under load) is retried."""
    for _ in range(attempts):
        done = subprocess.run(
            lighthouse_command(url, report), env=lighthouse_env(), capture_output=True, text=True
        )
        if done.returncode == 0:
            data = json.loads(report.read_text())
            if data.get("runtimeError") is None and all(
                data["categories"][c]["score"] is not None for c in CATEGORIES
            ):
                return data
    raise SystemExit(f"lighthouse kept failing on {url}:\n{done.stderr[-2000:]}")


def lighthouse_table(
    base: str, pages: dict[str, str], runs: int, tmp: Path
) -> tuple[list[str], dict]:
    rows, raw = [], {}
    for name, path in pages.items():
        scores = {c: [] for c in CATEGORIES}
        for i in range(runs):
            report = lighthouse(base + path, tmp / f"{name}-{i}.json")
            for c in CATEGORIES:
                scores[c].append(round(report["categories"][c]["score"] * 100))
        raw[name] = scores
        cells = [
            f"{statistics.median(scores[c]):.0f} ({min(scores[c])}–{max(scores[c])})"
            for c in CATEGORIES
        ]
        rows.append(f"| {name} (`{path or '/'}`) | " + " | ".join(cells) + " |")
    return rows, raw


def visit_bytes(browser, url: str) -> tuple[int, int, int, int]:
    """(bytes, requests) on a first visit with an empty cache, then on a repeat visit."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: list[tuple[str, int]] = []
    cdp.on(
        "Network.loadingFinished",
        lambda e: seen.append((e["requestId"], int(e["encodedDataLength"]))),
    )
    results = []
    for _ in range(2):
        seen.clear()
        page.goto(url, wait_until="networkidle")
        wire = [n for _, n in seen]
        results += [sum(wire), sum(1 for n in wire if n > 0)]
    context.close()
    return tuple(results)  # type: ignore[return-value]


def page_weight_table(nginx_base: str, plain_base: str, pages: dict[str, str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for name, path in pages.items():
            for server, base in (
                ("nginx (project config)", nginx_base),
                ("python http.server", plain_base),
            ):
                first, first_n, repeat, repeat_n = visit_bytes(browser, base + path)
                rows.append(
                    f"| {name} | {server} | {first / 1024:.1f} KiB ({first_n}) | {repeat / 1024:.1f} KiB ({repeat_n}) |"
                )
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument(
        "--site-dir", type=Path, default=None, help="a built site to use instead of building"
    )
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        site = args.site_dir
        if site is None:
            site = tmp / "site"
            build(site)
        chapter = pick_chapter(site)
        pages = {"home": "", "chapter": chapter}
        with serve(site, tmp / "nginx", SUB_PATH) as nginx, serve_directory(site) as plain:
            lh_rows, _raw = lighthouse_table(nginx.url, pages, args.runs, tmp)
            weight_rows = page_weight_table(nginx.url, plain, pages)
    load = os.getloadavg()[0]
    lh_version = json.loads((ROOT / "tools/npm/node_modules/lighthouse/package.json").read_text())[
        "version"
    ]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    results = ROOT / "bench" / "results"
    (results / "lighthouse.md").write_text(
        "## Lighthouse: the playbook through its nginx configuration\n\n"
        f"Command: `{COMMAND.format(runs=args.runs)}`\n\n"
        f"Lighthouse {lh_version} under Node {node}, Debian Chromium headless, default settings (mobile "
        "form factor, simulated throttling), against nginx on 127.0.0.1 serving the site under "
        f"`{SUB_PATH}` with the configuration `playbook nginx-conf` writes. Median score of "
        f"{args.runs} runs per page (min–max in brackets):\n\n"
        "| page | performance | accessibility | best practices | SEO |\n|---|---|---|---|---|\n"
        + "\n".join(lh_rows)
        + "\n\n`tests/test_lighthouse.py` holds accessibility and best practices at 95 or more on both "
        "pages in `make test`. Performance is measured with Lighthouse's simulated slow 4G and 4x CPU "
        f"slowdown, so it moves with machine load (load average {load:.1f} on 2 cores at the end of "
        "this run).\n"
    )
    (results / "page_weight.md").write_text(
        "## Page weight: first and repeat visit\n\n"
        f"Command: `{COMMAND.format(runs=args.runs)}` (same run as the Lighthouse table)\n\n"
        "Bytes on the wire for one page load in headless Chromium (headers plus compressed bodies, "
        "from the DevTools protocol's `encodedDataLength`, until the network is idle, search index "
        "included), with the number of requests that transferred anything in brackets. The repeat "
        "visit is a second navigation to the same page in the same browser context. nginx with the "
        "project's configuration is compared with Python's `http.server` over the same files in the "
        "same run:\n\n"
        "| page | server | first visit | repeat visit |\n|---|---|---|---|\n"
        + "\n".join(weight_rows)
        + "\n\nOn a repeat visit through nginx the hashed Material bundle and stylesheets come from the "
        "browser cache without a request (`Cache-Control: immutable`), and the HTML, the playbook's "
        "own CSS and the search index are revalidated with a `304` (`no-cache` plus ETag), so a new "
        "build is seen at once. `http.server` sends no `Cache-Control`, so Chromium caches its "
        "responses heuristically (from `Last-Modified`) and a repeat visit may transfer nothing: "
        f"cheaper, but a reader can be shown a stale page after a new build. Python {platform.python_version()}.\n"
    )
    print((results / "lighthouse.md").read_text())
    print((results / "page_weight.md").read_text())


if __name__ == "__main__":
    main()
