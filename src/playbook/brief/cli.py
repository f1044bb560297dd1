"""`playbook brief PROFILE.yml -o brief.pdf`: a personalised brief for one executive, as a PDF.

The profile is private (keep it in private/ or as *.profile.yml; both are git-ignored). The
brief is rendered from the playbook's data in one Chromium, A4 by default. Bad input prints one
message naming the file, the field and the allowed values, and exits with status 2 before any
browser starts. While Chromium starts, a worker thread reads the data and renders the HTML.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.project import add_config_argument, add_pdf_arguments
from playbook.safe_output import atomic_write, check_output_path, published_dirs

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from playbook.brief.profile import Profile
    from playbook.playdata import SupportLevel


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", type=Path, help="the executive's profile (YAML)")
    add_pdf_arguments(parser, "brief.pdf")
    parser.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help="the built site; when given, the brief checks that its link back to the role page exists",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the playbook's data (default: data_dir of mkdocs.yml)",
    )
    add_config_argument(parser, ", for site_url and the folders")
    parser.add_argument("--html", type=Path, default=None, help="also write the brief's HTML here")


def project_paths(args: argparse.Namespace) -> Path:
    """Fill in --config and --data-dir from the project's mkdocs.yml; returns its docs folder."""
    from playbook.project import load_project

    project = load_project(args.config_file)
    args.config_file = project.config_file
    args.data_dir = project.data_dir if args.data_dir is None else args.data_dir
    return project.docs_dir


def brief_html(args: argparse.Namespace, profile: Profile, scale: dict[str, SupportLevel]) -> str:
    """The brief's HTML: data read, figures chosen, template rendered."""
    from playbook.brief.content import load_brief
    from playbook.brief.html import render_html
    from playbook.brief.siteinfo import read_site_info
    from playbook.dates import BuildDateError, build_date

    site = read_site_info(args.config_file)
    try:
        today = build_date(args.config_file.parent)
    except BuildDateError:
        today = None
    content = load_brief(profile, scale, args.data_dir, site, today, str(args.profile))
    if args.site_dir is not None:
        check_site_page(args.site_dir, site.page_url(content.card.page)[len(site.site_url) :])
    html = render_html(content, args.paper)
    if args.html is not None:
        atomic_write(args.html, html.encode("utf-8"), "The brief's HTML")
    return html


def build_brief(args: argparse.Namespace, browser: Browser | None = None) -> bytes:
    """The brief's PDF bytes for `args`; raises the errors `run` reports."""
    from playbook.brief.content import read_profile
    from playbook.brief.pdf import chromium, html_to_pdf, print_html

    project_paths(args)
    profile, scale = read_profile(args.profile, args.data_dir)
    day = profile.meeting_date
    when = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)  # the PDF's dates
    with ThreadPoolExecutor(max_workers=1) as pool:
        rendering = pool.submit(brief_html, args, profile, scale)
        if browser is not None:
            return html_to_pdf(rendering.result(), args.paper, when, browser)
        with chromium() as own:
            page = own.new_page()  # opens while the worker renders the HTML
            return print_html(page, rendering.result(), args.paper, when)


def check_site_page(site_dir: Path, url: str) -> None:
    """The role page the brief links to must exist in the built site."""
    target = site_dir / url / "index.html"
    if not target.is_file():
        raise ValueError(
            f"The brief links to '{url}', but '{target}' is not in the built site; "
            "build the site first (make build) or check the role card's page in data/roles.yml."
        )


def keep_private(path: Path, what: str, published: Path) -> None:
    """Profiles and briefs never go into the published tree (docs/ is copied into the site)."""
    if published.resolve() in path.resolve().parents:
        raise ValueError(
            f"{what} '{path}' is inside '{published}', which is published on the intranet; "
            "keep profiles and briefs outside the site, for example in private/ (git-ignored)."
        )


def run(args: argparse.Namespace) -> int:
    from playbook.brief.pdf import PdfError
    from playbook.brief.profile import ProfileError
    from playbook.data import DataError
    from playbook.yamlfile import YamlError

    started = time.perf_counter()
    try:
        docs = project_paths(args)
        keep_private(args.profile, "The profile", docs)
        # Before any rendering: where the brief goes must be private and writable.
        forbidden = published_dirs(args.config_file)
        if args.site_dir is not None:
            forbidden.append((args.site_dir, "the built site"))
        check_output_path(args.output, forbidden, "The brief")
        if args.html is not None:
            check_output_path(args.html, forbidden, "The brief's HTML")
        data = build_brief(args)
        atomic_write(args.output, data, "The brief")  # an existing brief stays until this is whole
    except (ProfileError, DataError, YamlError, PdfError, ValueError, OSError) as exc:
        print(f"playbook brief: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"Wrote {args.output} ({len(data) // 1024} KB) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0
