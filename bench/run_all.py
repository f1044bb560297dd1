"""Run every benchmark (`bench/*_bench.py`, in name order), then assemble BENCHMARKS.md.

`make bench` calls this. Each benchmark writes its own section to bench/results/<name>.md;
bench/report.py puts them together. Benchmarks are never part of `make test`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(BENCH.glob("*_bench.py")):
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=BENCH.parent).returncode != 0:
            failed.append(script.name)
    subprocess.run([sys.executable, str(BENCH / "report.py")], cwd=BENCH.parent, check=True)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
