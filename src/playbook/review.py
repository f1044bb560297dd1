"""`playbook review`: list pages whose review_by date has passed. It warns; it never fails."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from playbook.dates import build_date
from playbook.frontmatter import FrontMatterError, overdue_pages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the docs folder")
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="judge review dates as of this day (YYYY-MM-DD); default: the build date",
    )


def run(args: argparse.Namespace) -> int:
    today = args.date or build_date(args.docs.parent)
    try:
        overdue = overdue_pages(args.docs, today)
    except FrontMatterError as exc:
        print(f"playbook review: error: {exc}", file=sys.stderr)
        return 2
    if not overdue:
        print(f"No page is past its review date as of {today.isoformat()}.")
        return 0
    print(f"Pages past their review date as of {today.isoformat()}:")
    for src, meta in overdue:
        days = (today - meta.review_by).days
        print(f"  {src}: review by {meta.review_by.isoformat()} ({days} days ago), owner {meta.owner}")
    return 0
