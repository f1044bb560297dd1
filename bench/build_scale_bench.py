"""How the build scales: plain MkDocs vs Material vs our full configuration, at 100 to 3,000 pages.

Generates synthetic playbooks shaped like ours (bench/synth.py) into bench/.work/, times full
strict builds of the three setups in the same run (interleaved, median of several runs), records
each build's peak memory (wait4 rusage of the `mkdocs build` process), fits how time grows with
pages, and times the live-reload rebuild after a one-line edit under `mkdocs serve`. Writes
bench/results/build_scale.md and a raw JSON next to the work folder.

    .venv/bin/python bench/build_scale_bench.py            # 100, 1000, 3000 pages (about 15 min)
    .venv/bin/python bench/build_scale_bench.py --sizes 100 --runs 1 --serve-sizes 100
"""

from __future__ import annotations

import argparse
import json
import math
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import synth

ROOT = synth.ROOT
MKDOCS = str(ROOT / ".venv" / "bin" / "mkdocs")
RESULTS = ROOT / "bench" / "results" / "build_scale.md"
RAW = synth.WORK / "build_scale.json"
ENV = {
    **os.environ,
    "SOURCE_DATE_EPOCH": "1790000000",
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "PYTHONDONTWRITEBYTECODE": "1",
}
LABELS = {
    "plain": "(a) plain MkDocs",
    "material": "(b) Material (our theme)",
    "full": "(c) ours, full",
    "zensical": "(d) ours, Zensical",
}
PLAYBOOK = str(ROOT / ".venv" / "bin" / "playbook")
RE_BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


@dataclass
class Build:
    seconds: float
    cpu_seconds: float  # user + system time of the build process: robust to load from other jobs
    max_rss_mb: float


@dataclass
class SizeResult:
    pages: int
    builds: dict[str, list[Build]] = field(default_factory=dict)
    site_mb: dict[str, float] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # 1-minute load average before and after
    hooks_cpu: dict[str, float] = field(default_factory=dict)  # the (c) hooks' work, redone alone

    def median(self, setup: str) -> float:
        return statistics.median(b.seconds for b in self.builds[setup])

    def cpu(self, setup: str) -> float:
        return statistics.median(b.cpu_seconds for b in self.builds[setup])

    def peak_mb(self, setup: str) -> float:
        return max(b.max_rss_mb for b in self.builds[setup])


def timed_build(
    project: Path,
    site: Path,
    log_file: Path,
    runner: list[str] | None = None,
    env: dict | None = None,
) -> Build:
    """One `mkdocs build --strict` in a subprocess: wall time and the process's peak RSS. With
    a zensical.yml in `project`, `playbook zensical build` (into project/site, moved to `site`)."""
    zensical = runner is None and (project / "zensical.yml").is_file()
    command = (
        [PLAYBOOK, "zensical", "build"]
        if zensical
        else [*(runner or [MKDOCS]), "build", "--strict", "-d", str(site)]
    )
    with open(log_file, "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            cwd=project,
            env=env or ENV,
            stdout=log,
            stderr=log,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log_file.read_text()[-3000:]
        raise SystemExit(f"Build of {project} failed ({proc.returncode}); log {log_file}:\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    if zensical:
        shutil.rmtree(site, ignore_errors=True)
        (project / "site").rename(site)
    return Build(seconds=seconds, cpu_seconds=cpu, max_rss_mb=usage.ru_maxrss / 1024)


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure_size(pages: int, runs: int, setups: tuple[str, ...]) -> SizeResult:
    base = synth.WORK / str(pages)
    projects = {s: synth.make_project(base / s, pages, s).parent for s in setups}
    result = SizeResult(pages=pages, builds={s: [] for s in setups}, load=[os.getloadavg()[0]])
    for run in range(runs):
        # Interleaved, so a burst of load from other jobs hits every setup alike.
        for setup in setups:
            build = timed_build(
                projects[setup], base / f"site-{setup}", base / f"build-{setup}.log"
            )
            result.builds[setup].append(build)
            print(
                f"{pages:5d} pages  {setup:8s} run {run + 1}: {build.seconds:7.2f} s  cpu {build.cpu_seconds:6.2f} s  "
                f"{build.max_rss_mb:6.0f} MB",
                flush=True,
            )
    result.site_mb = {s: dir_mb(base / f"site-{s}") for s in setups}
    if "full" in setups:
        result.hooks_cpu = hooks_cpu(base / "site-full")
    result.load.append(os.getloadavg()[0])
    return result


def hooks_cpu(site: Path) -> dict[str, float]:
    """CPU seconds of what hooks/postbuild.py does on the built (c) site: one scan whose parse of
    each page feeds both the link check and the inline-code check."""
    from playbook import inline_check
    from playbook.linkcheck.internal import scan

    start = time.process_time()
    allowed = inline_check.read_allowlist()
    checked = scan(str(site), "/playbooks/social/", True, workers=1, inline=True)  # as the hook
    for page, result in checked.pages.items():
        inline_check.unlisted(page, result.inline or [], allowed)
    checked.problems()
    return {"postbuild": time.process_time() - start}


# Runs mkdocs with the two speed-ups in src/playbook undone ("before") or as they are ("after").
AB_RUNNER = """import sys
from playbook import macros, render

if sys.argv.pop(1) == "before":
    macros._render_calls = lambda *args: None  # every page compiled as one Jinja template
    # every glossary term appended to every page, as one Markdown block
    render.abbreviations_used = lambda terms, text: "\n\n" + "\n".join(
        f"*[{term}]: {meaning}" for term, meaning in render.abbreviation_map(terms).items()
    ) + "\n"
from mkdocs.__main__ import cli
sys.exit(cli())
"""
RAW_AB = synth.WORK / "build_scale_ab.json"


def measure_speedups(pages: int, runs: int) -> dict[str, object]:
    """Before/after CPU and wall time of the full setup for this session's two speed-ups."""
    project = synth.make_project(synth.WORK / str(pages) / "full", pages, "full").parent
    runner = synth.WORK / "ab_runner.py"
    runner.write_text(AB_RUNNER)
    python = str(ROOT / ".venv" / "bin" / "python")
    out: dict[str, list[Build]] = {"before": [], "after": []}
    for run in range(runs):
        for which in out:
            build = timed_build(
                project,
                synth.WORK / str(pages) / "site-ab",
                synth.WORK / str(pages) / f"build-{which}.log",
                runner=[python, str(runner), which],
            )
            out[which].append(build)
            print(
                f"{pages:5d} pages  {which:6s} run {run + 1}: {build.seconds:7.2f} s  cpu {build.cpu_seconds:6.2f} s",
                flush=True,
            )
    shutil.rmtree(synth.WORK / str(pages) / "site-ab", ignore_errors=True)
    return {
        "pages": pages,
        "runs": runs,
        "load": os.getloadavg()[0],
        **{k: [asdict(b) for b in v] for k, v in out.items()},
    }


def render_speedups(ab: list[dict]) -> list[str]:
    lines = [
        "",
        "Speed-ups made in this round, measured before/after on setup (c) (same run, subprocesses "
        'interleaved; "before" undoes them by monkeypatching, see `AB_RUNNER`): (1) `playbook.macros` '
        "renders each `{{ call }}` with a template compiled once per build instead of compiling "
        "every page as a Jinja template; (2) each page gets abbreviation definitions only for the "
        "glossary terms it contains, one Markdown block each, instead of all ~40 terms appended as one "
        "block (Markdown re-tested every block processor against the remaining lines once per term, "
        "then matched all terms against every text node). The built site is byte-identical either way.",
        "",
        "| pages | CPU before (median / best) | CPU after (median / best) | wall before | wall after | runs |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in ab:
        med = {k: statistics.median(b["cpu_seconds"] for b in r[k]) for k in ("before", "after")}
        best = {k: min(b["cpu_seconds"] for b in r[k]) for k in ("before", "after")}
        wall = {k: statistics.median(b["seconds"] for b in r[k]) for k in ("before", "after")}
        lines.append(
            f"| {r['pages']:,} | {med['before']:.2f} s / {best['before']:.2f} s | **{med['after']:.2f} s** / "
            f"{best['after']:.2f} s ({100 * (best['after'] / best['before'] - 1):+.0f}% best to best) | "
            f"{wall['before']:.2f} s | {wall['after']:.2f} s | {r['runs']} |"
        )
    lines += ["", "Reproduce with `.venv/bin/python bench/build_scale_bench.py --ab 100 1000`."]
    return lines


def measure_against_tree(pages: int, runs: int, before: Path) -> dict[str, object]:
    """Material, (c) as `before` (another checkout of the project, e.g. the commit a change started
    from) and (c) as this tree, interleaved in one run: a before/after that load cannot skew."""
    base = synth.WORK / str(pages)
    material = synth.make_project(base / "material", pages, "material").parent
    after = synth.make_project(base / "full", pages, "full").parent
    old = base / "full-before"
    shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(after, old, symlinks=True)
    for name in synth.LINKED:  # the same pages, with the other tree's code and data
        (old / name).unlink()
        (old / name).symlink_to(before / name, target_is_directory=True)
    with open(before / "mkdocs.yml", encoding="utf-8") as fh:
        before_config = synth.yaml.load(fh, Loader=synth.get_yaml_loader())
    config = old / "mkdocs.yml"
    text = re.sub(
        r"(?m)^hooks:\n(?:- .*\n)+",
        "hooks:\n" + "".join(f"- {h}\n" for h in before_config.get("hooks", [])),
        config.read_text(),
    )
    # The other tree's Markdown extensions too (it may lack ours, e.g. playbook.markdown_stash).
    loaded = synth.yaml.load(text, Loader=synth.get_yaml_loader())
    loaded["markdown_extensions"] = before_config.get("markdown_extensions", [])
    config.write_text(synth.yaml.dump(loaded, sort_keys=False))
    envs = {
        "material": ENV,
        "before": {**ENV, "PYTHONPATH": str(before / "src")},
        "after": ENV,
        "after-cold": ENV,
    }
    # "after-cold" is this tree with no post-build scan cache (a first build, a fresh clone's CI):
    # the same project as "after", its `.cache/postbuild-scan.json` deleted before each run.
    projects = {"material": material, "before": old, "after": after, "after-cold": after}
    scan_cache = after / ".cache" / "postbuild-scan.json"
    out: dict[str, list[Build]] = {k: [] for k in projects}
    # One untimed build of each (c) first: the brief builder's data is cached on disk, keyed by
    # the tree's code, so each tree's first build would otherwise pay for it (BENCHMARKS.md).
    for which in ("before", "after"):
        warm = timed_build(
            projects[which], base / f"site-{which}", base / f"build-{which}.log", env=envs[which]
        )
        print(f"{pages:5d} pages  {which:8s} warm-up: cpu {warm.cpu_seconds:6.2f} s", flush=True)
    for run in range(runs):
        for which, project in projects.items():
            if which == "after-cold":
                scan_cache.unlink(missing_ok=True)
            build = timed_build(
                project, base / f"site-{which}", base / f"build-{which}.log", env=envs[which]
            )
            out[which].append(build)
            print(
                f"{pages:5d} pages  {which:8s} run {run + 1}: {build.seconds:7.2f} s  cpu {build.cpu_seconds:6.2f} s",
                flush=True,
            )
    for which in projects:
        shutil.rmtree(base / f"site-{which}", ignore_errors=True)
    return {
        "pages": pages,
        "runs": runs,
        "load": os.getloadavg()[0],
        "before": str(before),
        **{k: [asdict(b) for b in v] for k, v in out.items()},
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_rebuilds(project: Path, edits: int) -> dict[str, list[float]]:
    """Seconds from a one-line edit to mkdocs serve's "Reloading browsers", per edit. With a
    zensical.yml in `project`: `playbook zensical serve`, until its rebuild reports ("No issues
    found" or "N issues found")."""
    page = project / "docs" / synth.page_src(1)
    original = page.read_text(encoding="utf-8")
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    zensical = (project / "zensical.yml").is_file()
    address = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [PLAYBOOK, "zensical", "serve", "--dev-addr", address]
        if zensical
        else [MKDOCS, "serve", "--strict", "--livereload", "--dev-addr", address],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put((time.perf_counter(), re.sub(r"\x1b\[[0-9;]*m", "", line)))

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(text: str, timeout: float = 600) -> tuple[float, list[str]]:
        seen, deadline = [], time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                stamp, line = lines.get(timeout=1)
            except queue.Empty:
                if proc.poll() is not None:
                    break
                continue
            seen.append(line)
            if text in line:
                return stamp, seen
        raise SystemExit(
            f"mkdocs serve in {project}: no '{text}' line; it logged:\n{''.join(seen)[-3000:]}"
        )

    out: dict[str, list[float]] = {"reload": [], "build": []}
    try:
        wait_for("issues found" if zensical else "Serving on")
        for n in range(edits):
            time.sleep(2)  # let the file watcher settle after the previous build
            start = time.perf_counter()
            page.write_text(original + f"\nA one-line edit, number {n}.\n", encoding="utf-8")
            if zensical:  # a changed page only: no "Reloading..." line, just the report
                stamp, seen = wait_for("issues found")
            else:
                stamp, seen = wait_for("Reloading browsers")
            out["reload"].append(stamp - start)
            built = [float(m.group(1)) for line in seen if (m := RE_BUILT.search(line))]
            if built:
                out["build"].append(built[-1])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        page.write_text(original, encoding="utf-8")
    return out


def load_size(data: dict) -> SizeResult:
    builds = {s: [Build(**b) for b in runs] for s, runs in data["builds"].items()}
    return SizeResult(
        data["pages"], builds, data["site_mb"], data["load"], data.get("hooks_cpu", {})
    )


def part_commands(parts: list[dict]) -> str:
    return "\n    ".join(part.get("command", "") for part in parts)


def exponent(points: list[tuple[int, float]]) -> float:
    """The k in time ~ pages^k, fitted by least squares on log-log."""
    xs = [math.log(p) for p, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def render(
    sizes: list[SizeResult], serve: dict[int, dict[str, dict[str, list[float]]]], command: str
) -> str:
    setups = [s for s in synth.SETUPS if any(s in r.builds for r in sizes)]
    lines = [
        "## Build scale: plain MkDocs, Material, and our full configuration",
        "",
        "Synthetic playbooks shaped like ours (`bench/synth.py`): per content page, front matter "
        "(owner, last_reviewed, review_by, summary), ~600 words, two plays with `{ #play-id }` "
        "headings and the six H3 parts, four `{{ stat('...') }}` calls with real ids from "
        "`data/stats`, ten internal links (a third with anchors); 100 pages per folder, plus 5 "
        "root pages (home, Sources, Glossary, the two reports). Setups are derived from the real "
        "`mkdocs.yml` at run time: **(a)** default `mkdocs` theme, no plugins, `attr_list` only; "
        "**(b)** our theme, features (`navigation.prune` included), extensions, `extra`, "
        "`validation` and the `search` plugin, without macros, `playbook`, `redirects` and hooks; "
        "**(c)** our whole configuration (all plugins and hooks; the onboarding registry points at "
        "synthetic pages; no `nav`, so MkDocs builds it from the folders). (a) and (b) build the "
        "same pages with each macro call replaced by plain text of the same length. Times are "
        "medians of full `mkdocs build --strict` subprocesses, run interleaved: wall-clock, and CPU "
        "(user + system of the build process, which the other jobs on this shared 2-core machine "
        "disturb far less than wall time); memory is the peak RSS of the build process (max over runs).",
        "",
        "| pages | setup | wall (median) | CPU (median) | peak RSS | site size |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in sizes:
        for s in [s for s in setups if s in r.builds]:
            lines.append(
                f"| {r.pages:,} | {LABELS[s]} | {r.median(s):.2f} s | {r.cpu(s):.2f} s | "
                f"{r.peak_mb(s):.0f} MB | {r.site_mb[s]:.0f} MB |"
            )
    if {"full", "material"} <= set(setups):
        lines += [
            "",
            "What our configuration adds to Material, and how much of it the post-build check is (its "
            "work redone alone on the built (c) site: `scan(..., inline=True)` as hooks/postbuild.py "
            "calls it, one parse per page for the link check and the inline-code check):",
            "",
            "| pages | (c) / (b) wall | (c) / (b) CPU | (c) − (b) CPU | post-build check | runs | load (1 min) |",
            "|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in sizes:
            extra = r.cpu("full") - r.cpu("material")
            hooks = f"{sum(r.hooks_cpu.values()) if r.hooks_cpu else float('nan'):.2f} s"
            load = " → ".join(f"{x:.1f}" for x in r.load)
            lines.append(
                f"| {r.pages:,} | {r.median('full') / r.median('material'):.2f} | "
                f"**{r.cpu('full') / r.cpu('material'):.2f}** | {extra:+.2f} s | {hooks} | "
                f"{len(r.builds['full'])} | {load} |"
            )
    if {"full", "zensical"} <= set(setups):
        lines += [
            "",
            "Two engines, the same pages and configuration: (c) MkDocs + Material with the "
            "`playbook` plugin and hooks (`make build`), (d) Zensical through zensical.yml with "
            "`playbook zensical build` (`make build ENGINE=zensical`: Zensical's build, then the "
            "same post-build steps: generated pages, brief-builder data, freshness, inline-code "
            "and link checks). CPU is the whole build process, Zensical's Rust threads included.",
            "",
            "| pages | (c) MkDocs wall | (d) Zensical wall | (c) CPU | (d) CPU | (d) / (c) CPU | runs |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in sizes:
            if not {"full", "zensical"} <= set(r.builds):
                continue
            lines.append(
                f"| {r.pages:,} | {r.median('full'):.2f} s | {r.median('zensical'):.2f} s | "
                f"{r.cpu('full'):.2f} s | {r.cpu('zensical'):.2f} s | "
                f"**{r.cpu('zensical') / r.cpu('full'):.2f}** | {len(r.builds['zensical'])} |"
            )
    skipped = [f"{r.pages:,}" for r in sizes if "plain" in setups and "plain" not in r.builds]
    if skipped:
        lines += [
            "",
            f"(a) was not run at {', '.join(skipped)} pages (`--plain-max`, to fit the time on this "
            "shared machine): the default theme puts the whole navigation into every page, so it grows "
            "quadratically (k in the next table; stack notes section 6: 80 s at 3,000 pages).",
        ]
    lines += [
        "",
        "CPU time per content page, and how build cost grows with pages (k = 1 is linear; "
        "fitted over the sizes measured for that setup):",
        "",
    ]
    lines += [
        "| setup | "
        + " | ".join(f"{r.pages:,} pages" for r in sizes)
        + " | k, CPU ∝ pages^k | k, wall |"
    ]
    lines += ["|---|" + "---:|" * len(sizes) + "---:|---:|"]
    for s in setups:
        have = [r for r in sizes if s in r.builds]
        per = " | ".join(
            f"{1000 * r.cpu(s) / r.pages:.1f} ms" if s in r.builds else "–" for r in sizes
        )
        k_cpu = f"{exponent([(r.pages, r.cpu(s)) for r in have]):.2f}" if len(have) > 1 else "–"
        k_wall = f"{exponent([(r.pages, r.median(s)) for r in have]):.2f}" if len(have) > 1 else "–"
        lines.append(f"| {LABELS[s]} | {per} | {k_cpu} | {k_wall} |")
    if serve:
        lines += [
            "",
            "Live reload under `mkdocs serve --strict --livereload`: seconds from appending one line to "
            'one page until the server logs "Reloading browsers" (median of the edits; this includes '
            "MkDocs' file polling, up to 0.5 s), and MkDocs' own \"Documentation built in\" time.",
            "",
            "| pages | setup | edit → reload (median) | rebuild as logged (median) | edits |",
            "|---:|---|---:|---:|---:|",
        ]
        for pages, per_setup in serve.items():
            for s, out in per_setup.items():
                built = f"{statistics.median(out['build']):.2f} s" if out["build"] else "–"
                lines.append(
                    f"| {pages:,} | {LABELS[s]} | {statistics.median(out['reload']):.2f} s | {built} "
                    f"| {len(out['reload'])} |"
                )
    lines += [
        "",
        "**Where the time goes**: `bench/build_events.py` runs a build with every plugin and hook "
        "event, Markdown conversion (`Page.render`) and the page template (`_build_page`) timed in CPU "
        "seconds, so (b) and (c) can be compared on a loaded machine (cProfile's wall-clock figures "
        "cannot). What (c) adds beyond (b): (1) a fixed start-up cost, paid once per build: importing "
        "mkdocs-macros, building the pydantic models and reading `data/`; this is why the ratio is "
        "worst on small sites. (2) Markdown conversion of the content our plugins add to each page: "
        "every figure is inline HTML with a hover title, every page gets a numbered source list (raw "
        "HTML, which `md_in_html` parses with Python's `html.parser`) and abbreviation definitions "
        "for the glossary terms it uses; the search plugin then indexes the larger HTML. (3) The "
        "post-build hook, which reads and parses every built page once for the link check and the "
        "inline-code check (column above). (4) Our page events: front matter read with line numbers, "
        "mkdocs-macros' per-page work and our renderer.",
        "",
        "Material trap found on the way: with `navigation.sections`, top-level sections are always "
        "expanded, so `navigation.prune` cannot prune them. Ten 100-page folders at the top level "
        "put all 1,000 pages into every page's navigation (1,046 nav items per page, a 377 MB site, "
        "and a profiled build of 1,089 s instead of 156 s). Our docs nest folders under `chapters/`, "
        "and so do the synthetic pages; keep large folders below a top-level section.",
    ]
    if RAW_AB.exists():
        lines += render_speedups(json.loads(RAW_AB.read_text()))
    lines += [
        "",
        f"Machine: {os.cpu_count()} cores shared with other jobs (load averages above). Reproduce with "
        "(the runs may be split over several processes and merged with `--merge`):",
        "",
        f"    {command}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--runs", type=int, default=3, help="runs per setup below 3,000 pages")
    parser.add_argument(
        "--runs-large", type=int, default=2, help="runs per setup at 3,000 pages and more"
    )
    parser.add_argument("--setups", nargs="+", default=list(synth.SETUPS), choices=synth.SETUPS)
    parser.add_argument("--serve-sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument(
        "--serve-setups",
        nargs="+",
        default=["material", "full", "zensical"],
        choices=synth.SETUPS,
    )
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, do not write bench/results")
    parser.add_argument("--plain-max", type=int, help="skip setup (a) above this many pages")
    parser.add_argument("--raw", default=str(RAW), help="where to write the raw results (JSON)")
    parser.add_argument(
        "--merge", nargs="+", metavar="RAW", help="only render these raw results together"
    )
    parser.add_argument(
        "--ab",
        type=int,
        nargs="*",
        metavar="PAGES",
        help="only measure this round's speed-ups before/after at these sizes",
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="TREE",
        help="only measure (c) of TREE (another checkout) against (c) of this tree and (b)",
    )
    args = parser.parse_args()
    if args.against:
        results = [measure_against_tree(n, args.runs, args.against.resolve()) for n in args.sizes]
        Path(args.raw).write_text(json.dumps(results, indent=1))
        for r in results:
            cpu = {
                k: statistics.median(b["cpu_seconds"] for b in r[k])
                for k in ("material", "before", "after", "after-cold")
                if k in r
            }
            print(
                f"{r['pages']:,} pages: CPU material {cpu['material']:.2f} s, before {cpu['before']:.2f} s "
                f"({cpu['before'] / cpu['material']:.2f}x), after {cpu['after']:.2f} s "
                f"({cpu['after'] / cpu['material']:.2f}x)"
                + (
                    f", after with no scan cache {cpu['after-cold']:.2f} s "
                    f"({cpu['after-cold'] / cpu['material']:.2f}x)"
                    if "after-cold" in cpu
                    else ""
                )
            )
        return
    if args.ab:
        RAW_AB.write_text(json.dumps([measure_speedups(n, args.runs) for n in args.ab], indent=1))
        print("\n".join(render_speedups(json.loads(RAW_AB.read_text()))))
        return
    command = ".venv/bin/python bench/build_scale_bench.py" + "".join(f" {a}" for a in sys.argv[1:])
    if args.merge:
        parts = [json.loads(Path(path).read_text()) for path in args.merge]
        sizes = sorted(
            (load_size(d) for part in parts for d in part["sizes"]), key=lambda r: r.pages
        )
        serve = {int(n): v for part in parts for n, v in part["serve"].items()}
        text = render(sizes, serve, part_commands(parts))
        print(text)
        RESULTS.write_text(text)
        return
    sizes = [
        measure_size(
            n,
            args.runs if n < 3000 else args.runs_large,
            tuple(
                s
                for s in args.setups
                if s != "plain" or args.plain_max is None or n <= args.plain_max
            ),
        )
        for n in args.sizes
    ]
    serve: dict[int, dict[str, dict[str, list[float]]]] = {}
    for n in args.serve_sizes:
        serve[n] = {}
        for s in args.serve_setups:
            project = synth.WORK / str(n) / s
            if not (project / "mkdocs.yml").exists():
                synth.make_project(project, n, s)
            serve[n][s] = serve_rebuilds(project, args.edits)
            print(f"{n:5d} pages  {s:8s} serve: {serve[n][s]}", flush=True)
    Path(args.raw).write_text(
        json.dumps(
            {"sizes": [asdict(r) for r in sizes], "serve": serve, "command": command}, indent=1
        )
    )
    text = render(sizes, serve, command)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        for n in args.sizes:  # the sites are large (GBs at 3,000 pages without prune)
            for s in args.setups:
                shutil.rmtree(synth.WORK / str(n) / f"site-{s}", ignore_errors=True)


if __name__ == "__main__":
    main()
