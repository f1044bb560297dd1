"""(b) Material and (c) ours built at the same time, one per core: a ratio the host's load cannot skew.

On this shared 2-core machine, CPU seconds of one build swing by 20-30% from run to run
(BENCHMARKS.md), so (b) and (c) timed one after the other give ratios from 1.1 to 1.6. Started
together, each on its own core, both builds see the same load and their CPU ratio holds within a
few percent. Uses the projects of `build_scale_bench.py --against TREE` (bench/.work/N/material,
full and full-before, made by that run), and prints each pair and the median ratio per variant:

- after: this tree, as the second build after any change finds it (the post-build scan cache,
  `.cache/postbuild-scan.json`, holds the unchanged pages);
- after-cold: this tree with that cache deleted before each run (a first build, a fresh clone);
- before: the other tree (`--before`, the code of full-before), for a before/after.

The variants take turns within each run (after, after-cold, before, then again), so a change in
the host's load during the benchmark falls on each of them alike.

    .venv/bin/python bench/build_pairs.py --sizes 1000 3000 --runs 3 --before ../wt/base
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
from pathlib import Path

from build_scale_bench import ENV, MKDOCS
from synth import WORK


def pair(material: Path, ours: Path, env: dict[str, str], out: Path) -> tuple[float, float]:
    """CPU seconds (user + system) of (b) and (c) built together."""
    procs = {}
    for name, project in (("material", material), ("ours", ours)):
        argv = [MKDOCS, "build", "-q", "-d", str(out / f"site-{name}")]
        procs[subprocess.Popen(argv, cwd=project, env=env if name == "ours" else ENV).pid] = name
    cpu: dict[str, float] = {}
    while len(cpu) < 2:
        pid, status, usage = os.wait4(-1, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"the {procs[pid]} build failed in {out}")
        cpu[procs[pid]] = usage.ru_utime + usage.ru_stime
    return cpu["material"], cpu["ours"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", nargs="+", default=["after", "after-cold", "before"])
    parser.add_argument("--before", type=Path, help="the other tree (its src/ for 'before')")
    args = parser.parse_args()
    for pages in args.sizes:
        base = WORK / str(pages)
        setups: dict[str, tuple[Path, dict[str, str]]] = {}
        for variant in args.variants:
            ours, env = base / "full", ENV
            if variant == "before":
                if args.before is None:
                    raise SystemExit("'before' needs --before TREE")
                ours = base / "full-before"
                env = {**ENV, "PYTHONPATH": str(args.before.resolve() / "src")}
            setups[variant] = (ours, env)
            # Untimed first: the brief builder's data is cached on disk, keyed by the code.
            subprocess.run(
                [MKDOCS, "build", "-q", "-d", str(base / "site-ours")],
                cwd=ours,
                env=env,
                check=True,
            )
        # Variants take turns within each run, so a change in the host's load over the minutes
        # of a run falls on all of them alike.
        ratios: dict[str, list[float]] = {variant: [] for variant in setups}
        for run in range(args.runs):
            for variant, (ours, env) in setups.items():
                if variant == "after-cold":
                    (ours / ".cache" / "postbuild-scan.json").unlink(missing_ok=True)
                material, mine = pair(base / "material", ours, env, base)
                ratios[variant].append(mine / material)
                print(
                    f"{pages:5d} pages  {variant:10s} run {run + 1}: material {material:6.2f} s  "
                    f"ours {mine:6.2f} s  ratio {mine / material:.3f}",
                    flush=True,
                )
        for variant, found in ratios.items():
            print(
                f"{pages:5d} pages  {variant:10s} median ratio {statistics.median(found):.3f} "
                f"({min(found):.3f} to {max(found):.3f}, {len(found)} pairs)"
            )


if __name__ == "__main__":
    main()
