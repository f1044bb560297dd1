"""`playbook review`: list pages whose review_by date has passed.

Exit status: 0 when no page is overdue, 1 when some are (the list goes to stdout), 2 for bad
input (no mkdocs.yml, a bad front matter, no build date). The build itself only warns.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from playbook.project import add_config_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument(
        "--docs", type=Path, default=None, help="the docs folder (default: docs_dir of mkdocs.yml)"
    )
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="judge review dates as of this day (YYYY-MM-DD); default: the build date "
        "(SOURCE_DATE_EPOCH, else the last commit)",
    )


def run(args: argparse.Namespace) -> int:
    from playbook.dates import BuildDateError, build_date
    from playbook.frontmatter import FrontMatterError, overdue_pages
    from playbook.project import ProjectError, load_project

    try:
        if args.docs is None:
            project = load_project(args.config_file)
            docs, root = project.docs_dir, project.root
        else:
            docs, root = args.docs, args.docs.parent
        if not docs.is_dir():
            raise ProjectError(
                f"the docs folder '{docs}' does not exist; give it with --docs or -f."
            )
        today = args.date or build_date(root)
        overdue = overdue_pages(docs, today)
    except (FrontMatterError, BuildDateError, ProjectError, OSError) as exc:
        print(f"playbook review: error: {exc}", file=sys.stderr)
        return 2
    if not overdue:
        print(f"No page is past its review date as of {today.isoformat()}.")
        return 0
    print(f"Pages past their review date as of {today.isoformat()}:")
    for src, meta in overdue:
        days = (today - meta.review_by).days
        print(
            f"  {src}: review by {meta.review_by.isoformat()} ({days} days ago), owner {meta.owner}"
        )
    return 1
