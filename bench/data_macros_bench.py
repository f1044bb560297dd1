"""What loading data/ and rendering macros cost in a full build of the real playbook (issue 4).

Measures, on the real site in the same run:
  * `load_catalog` alone (median of many calls) and the cold import of `playbook.data`;
  * how many times data is loaded per build (must be once, whatever the number of pages),
    counted on the real site and on a synthetic 1,000-page playbook;
  * full builds (subprocesses, interleaved, medians) of the same pages three ways: without our
    plugins and hooks (the pages as the macros rendered them, captured from a full build), with
    the macros and `playbook` plugins but no hooks, and the full configuration;
  * a cProfile of a full build: the share of time inside `playbook.*`, `mkdocs_macros` and the
    hooks, attributed at the plugin-event boundary so nested calls are not counted twice.
Writes bench/results/data_macros.md.

    .venv/bin/python bench/data_macros_bench.py
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import logging
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import synth
import yaml
from build_scale_bench import ENV, Build, timed_build

ROOT = synth.ROOT
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results" / "data_macros.md"
BASE = synth.WORK / "real"
VARIANTS = {
    "material": "pages as rendered, no macros / playbook / redirects, no hooks",
    "plugins": "macros + playbook + redirects, no hooks",
    "full": "full configuration (plugins + hooks)",
}
CAPTURE_HOOK = '''"""Bench only: write each page's Markdown as the Markdown converter will receive it."""
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

OUT = Path(__file__).parent / "captured"


@event_priority(-100)  # after the macros and playbook plugins
def on_page_markdown(markdown, page, config, files):
    target = OUT / page.file.src_path
    target.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(dict(page.meta), sort_keys=False, allow_unicode=True) if page.meta else ""
    target.write_text(("---\\n" + front + "---\\n\\n" if front else "") + markdown, encoding="utf-8")
    return markdown
'''


def derived_config(variant: str, hooks: list[str] | None = None) -> dict[str, Any]:
    """The real mkdocs.yml for one variant (nav kept: this is the real site)."""
    config = synth.real_config()
    config["strict"] = False  # work is the same; warnings are counted and reported instead
    if variant == "material":
        config["plugins"] = [
            p for p in config.get("plugins", []) if synth._plugin_name(p) not in synth.OUR_PLUGINS
        ]
        config.pop("hooks", None)
    elif variant == "plugins":
        config.pop("hooks", None)
    if hooks:
        config["hooks"] = list(config.get("hooks", [])) + hooks
    return config


def link_project(dest: Path, docs: Path, config: dict[str, Any]) -> Path:
    """A project folder reading the real data, macros, hooks and overrides, with `docs` as docs."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in (*synth.LINKED, "docs"):
        link = dest / name
        if link.is_symlink():
            link.unlink()
        elif link.exists():
            shutil.rmtree(link)
        link.symlink_to(docs if name == "docs" else ROOT / name, target_is_directory=True)
    config_file = dest / "mkdocs.yml"
    config_file.write_text(yaml.dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def inprocess_build(config_file: Path, site: Path) -> int:
    """Build in this process (for counting and profiling); returns the number of warnings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    counter = _WarningCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        build(load_config(config_file=str(config_file), site_dir=str(site)))
    finally:
        logger.removeHandler(counter)
    return counter.count


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def count_loads(config_file: Path, site: Path) -> tuple[int, collections.Counter[str], int]:
    """Build once, counting load_catalog calls and YAML files parsed by playbook.yamlfile."""
    from playbook import yamlfile
    from playbook.data import stats as data

    calls = {"catalog": 0}
    files: collections.Counter[str] = collections.Counter()
    real_catalog, real_text = data.load_catalog, yamlfile.load_text

    def counting_catalog(*args: Any, **kwargs: Any) -> Any:
        calls["catalog"] += 1
        return real_catalog(*args, **kwargs)

    def counting_text(text: str, name: str) -> Any:
        files[Path(name).name] += 1
        return real_text(text, name)

    data.load_catalog = counting_catalog  # what playbook.data.store calls
    yamlfile.load_text = counting_text
    try:
        warnings = inprocess_build(config_file, site)
    finally:
        data.load_catalog = real_catalog
        yamlfile.load_text = real_text
    return calls["catalog"], files, warnings


def time_load_catalog(repeat: int) -> tuple[float, float]:
    """(median seconds of load_catalog, median cold import seconds of playbook.data)."""
    from playbook.data import load_catalog

    today = synth_today()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_catalog(ROOT / "data", today)
        times.append(time.perf_counter() - start)
    code = (
        "import time; t = time.perf_counter(); import playbook.data; print(time.perf_counter() - t)"
    )
    imports = [
        float(
            subprocess.run(
                [PYTHON, "-c", code], capture_output=True, text=True, check=True, env=ENV
            ).stdout
        )
        for _ in range(3)
    ]
    return statistics.median(times), statistics.median(imports)


def synth_today() -> Any:
    from playbook.dates import build_date

    return build_date(ROOT)


def group_of(filename: str) -> str | None:
    if "/src/playbook/" in filename:
        return "playbook"
    if "/mkdocs_macros/" in filename:
        return "mkdocs_macros"
    if "site-packages" not in filename and f"{os.sep}hooks{os.sep}" in filename:
        return "hooks/" + Path(filename).name
    return None


def profile_shares(config_file: Path, site: Path, out: Path) -> dict[str, Any]:
    """cProfile one in-process build; inclusive time per group, measured where MkDocs calls in."""
    profiler = cProfile.Profile()
    profiler.enable()
    inprocess_build(config_file, site)
    profiler.disable()
    profiler.dump_stats(out)
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    total = max(v[3] for v in stats.values())
    inclusive: collections.Counter[str] = collections.Counter()
    events: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for func, (_cc, _nc, tottime, _ct, callers) in stats.items():
        group = group_of(func[0])
        if group is None:
            continue
        own[group] += tottime
        for caller, edge in callers.items():
            # Plugin and hook events are dispatched by mkdocs/plugins.py: entering there is
            # entering our code; anything it calls (Jinja, pydantic, yaml) is counted with it.
            if caller[0].endswith(f"mkdocs{os.sep}plugins.py"):
                inclusive[group.split("/")[0]] += edge[3]
                events[f"{group}: {func[2]}"] += edge[3]
            # mkdocs-macros calls our strict_render for each page (Jinja plus our macros).
            elif group == "playbook" and group_of(caller[0]) == "mkdocs_macros":
                inclusive["playbook run by mkdocs_macros"] += edge[3]
    return {"total": total, "inclusive": inclusive, "events": events, "own": own}


def render(r: dict[str, Any], command: str) -> str:
    b = r["builds"]
    base_cpu = statistics.median(x.cpu_seconds for x in b["material"])
    base_wall = statistics.median(x.seconds for x in b["material"])
    lines = [
        "## Data and macros: what they cost in a full build of the real playbook",
        "",
        f"The real site: {r['pages']} Markdown pages, {r['stats']} statistics in `data/stats`.",
        "",
        "| measurement | result |",
        "|---|---|",
        f"| `load_catalog(data/)` alone, warm (median of {r['repeat']}) | {1000 * r['catalog_s']:.0f} ms |",
        f"| cold `import playbook.data` (pydantic, models; median of 3) | {1000 * r['import_s']:.0f} ms |",
        f"| `load_catalog` calls per build, real site ({r['pages']} pages) | **{r['calls_real']}** |",
        f"| `load_catalog` calls per build, synthetic {r['synth_pages']:,}-page playbook | **{r['calls_synth']}** |",
        f"| YAML files parsed per build (real / synthetic {r['synth_pages']:,} pages) | {sum(r['files_real'].values())} / "
        f"{sum(r['files_synth'].values())}: {', '.join(f'{k} ×{v}' for k, v in sorted(r['files_real'].items()))} |",
        "",
        f"Full builds of the same pages (median of {r['runs']}, subprocesses run interleaved; CPU is user+system "
        "time of the build process, which other jobs on the machine disturb less than wall time). The first "
        "row builds the Markdown the macros and `playbook` plugin produced (captured from a full build), so "
        "all three convert the same text; it lacks only the generated Sources and report tables, which the "
        "plugin fills in after conversion.",
        "",
        "| variant | wall | CPU | CPU vs first row | peak RSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, label in VARIANTS.items():
        wall = statistics.median(x.seconds for x in b[name])
        cpu = statistics.median(x.cpu_seconds for x in b[name])
        rss = max(x.max_rss_mb for x in b[name])
        lines.append(
            f"| {label} | {wall:.2f} s ({wall / base_wall:.2f}×) | {cpu:.2f} s | +{cpu - base_cpu:.2f} s "
            f"({100 * (cpu / base_cpu - 1):+.0f}%) | {rss:.0f} MB |"
        )
    p = r["profile"]
    lines += [
        "",
        f"cProfile of one in-process full build ({p['total']:.1f} s under the profiler): time inside our code, "
        "counted from where MkDocs' plugin machinery calls in (everything our code calls, such as Jinja, "
        "pydantic and YAML, is included).",
        "",
        "| code | inclusive time | share of build | self time in its own files |",
        "|---|---:|---:|---:|",
    ]
    rows = {
        "`mkdocs_macros` plugin events": ("mkdocs_macros", p["own"]["mkdocs_macros"]),
        "… of which our page renderer and macros (`playbook.macros`)": (
            "playbook run by mkdocs_macros",
            None,
        ),
        "`playbook` plugin events (data loading, front matter, sources, reports)": (
            "playbook",
            p["own"]["playbook"],
        ),
    }
    for label, (key, own_time) in rows.items():
        own_cell = f"{own_time:.2f} s" if own_time is not None else "(in the row above)"
        lines.append(
            f"| {label} | {p['inclusive'][key]:.2f} s | {100 * p['inclusive'][key] / p['total']:.1f}% | {own_cell} |"
        )
    hooks_total = sum(v for k, v in p["inclusive"].items() if k == "hooks")
    own_hooks = sum(v for k, v in p["own"].items() if k.startswith("hooks/"))
    lines.append(
        f"| hooks | {hooks_total:.2f} s | {100 * hooks_total / p['total']:.1f}% | {own_hooks:.2f} s |"
    )
    lines += ["", "By event:", "", "| event | inclusive time |", "|---|---:|"]
    lines += [f"| `{k}` | {v:.2f} s |" for k, v in p["events"].most_common() if v >= 0.005]
    lines += [
        "",
        f"Warnings in these builds (non-strict, so the numbers hold while content is being written): "
        f"{r['warnings']}. Load average (1 min) before → after: {r['load'][0]:.1f} → {r['load'][1]:.1f} "
        f"on {os.cpu_count()} cores. Reproduce with:",
        "",
        f"    {command}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20, help="load_catalog calls to time")
    parser.add_argument("--synth-pages", type=int, default=1000)
    args = parser.parse_args()
    os.environ.update(ENV)  # the in-process builds need the same fixed build date
    command = ".venv/bin/python bench/data_macros_bench.py" + "".join(f" {a}" for a in sys.argv[1:])
    r: dict[str, Any] = {"load": [os.getloadavg()[0]], "runs": args.runs, "repeat": args.repeat}
    r["synth_pages"] = args.synth_pages
    r["catalog_s"], r["import_s"] = time_load_catalog(args.repeat)
    r["stats"] = len(synth.stat_ids())
    r["pages"] = sum(1 for _ in (ROOT / "docs").rglob("*.md"))

    # A full build that also captures the rendered Markdown; it is the counting build too.
    captured = BASE / "capture" / "captured"
    shutil.rmtree(captured, ignore_errors=True)
    (BASE / "capture").mkdir(parents=True, exist_ok=True)
    (BASE / "capture" / "capture_hook.py").write_text(CAPTURE_HOOK)
    hook = str(BASE / "capture" / "capture_hook.py")
    capture_cfg = link_project(BASE / "capture", ROOT / "docs", derived_config("full", [hook]))
    r["calls_real"], r["files_real"], r["warnings"] = count_loads(
        capture_cfg, BASE / "capture" / "site"
    )
    for path in (ROOT / "docs").rglob("*"):  # assets and other non-Markdown files
        if path.is_file() and path.suffix != ".md":
            target = captured / path.relative_to(ROOT / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    synth_cfg = synth.make_project(BASE / f"synth-{args.synth_pages}", args.synth_pages, "full")
    r["calls_synth"], r["files_synth"], _ = count_loads(
        synth_cfg, synth.WORK / "real" / "synth-site"
    )
    shutil.rmtree(synth.WORK / "real" / "synth-site", ignore_errors=True)

    projects = {
        "material": link_project(BASE / "material", captured, derived_config("material")).parent,
        "plugins": link_project(BASE / "plugins", ROOT / "docs", derived_config("plugins")).parent,
        "full": link_project(BASE / "full", ROOT / "docs", derived_config("full")).parent,
    }
    builds: dict[str, list[Build]] = {name: [] for name in projects}
    for run in range(args.runs):
        for name, project in projects.items():
            build = timed_build(project, BASE / f"site-{name}", BASE / f"build-{name}.log")
            builds[name].append(build)
            print(
                f"run {run + 1} {name:8s} {build.seconds:6.2f} s  cpu {build.cpu_seconds:6.2f} s",
                flush=True,
            )
    r["builds"] = builds
    r["profile"] = profile_shares(
        projects["full"] / "mkdocs.yml", BASE / "profile-site", BASE / "full.prof"
    )
    r["load"].append(os.getloadavg()[0])
    text = render(r, command)
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
