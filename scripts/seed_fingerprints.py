"""Rewrite tests/data/seed-fingerprints.txt from the seed posts in ../shared/seeds.

The copying test (tests/test_content.py) compares every built page with this fingerprint of the
seeds, so it runs on a clone with nothing beside it. Run this when the seeds change:

    .venv/bin/python scripts/seed_fingerprints.py [SEED_DIR]

SEED_DIR defaults to ../shared/seeds beside the repository. Exit status 2 when it is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import copycheck  # noqa: E402  (tests/ is on the path from here on)

FINGERPRINTS = ROOT / "tests" / "data" / "seed-fingerprints.txt"


def main(argv: list[str]) -> int:
    seed_dir = Path(argv[0]) if argv else ROOT.parent / "shared" / "seeds"
    try:
        seeds = copycheck.load_seeds(seed_dir)
    except FileNotFoundError as exc:
        print(f"seed_fingerprints: error: {exc}", file=sys.stderr)
        return 2
    index = copycheck.seed_index(seeds)
    FINGERPRINTS.parent.mkdir(parents=True, exist_ok=True)
    FINGERPRINTS.write_text("".join(copycheck.fingerprint_lines(index)), encoding="utf-8")
    print(
        f"Wrote {FINGERPRINTS.relative_to(ROOT)}: {len(index)} runs of "
        f"{copycheck.MIN_RUN} words from {len(seeds)} seeds.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
