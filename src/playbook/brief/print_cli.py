"""`playbook print PAGE -o chapter.pdf`: any chapter of the built site as a PDF.

The built `site/` is served on 127.0.0.1 (a random port, from a thread) and the page is printed by
Chromium with the site's own print stylesheet (docs/assets/stylesheets/print.css): no navigation,
collapsed blocks and tabs expanded, page numbers. The only addition is a running header with the
chapter's title, injected as a literal string (var() renders as nothing in margin boxes).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.brief.pdf import css_string
from playbook.browser import serve_directory
from playbook.project import add_config_argument, add_pdf_arguments, add_site_dir_argument
from playbook.safe_output import atomic_write, check_output_path, published_dirs

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SITE_NAME = "Executive Buy-in Playbook"

# Before printing: open every collapsed block, print links to the site with their intranet address
# (not the loopback server's), and give the running header the page's title.
PREPARE = """
({header, base, site}) => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  document.querySelectorAll('a[href]').forEach((a) => {
    if (!a.getAttribute('href').startsWith('#') && a.href.startsWith(base)) {
      a.setAttribute('href', site + a.href.slice(base.length));
    }
  });
  const style = document.createElement('style');
  style.textContent = header;
  document.head.appendChild(style);
}
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "page", help="the chapter: its URL (chapters/value-and-roi/) or its .md path"
    )
    add_pdf_arguments(parser, "chapter.pdf")
    add_site_dir_argument(parser)
    add_config_argument(parser)


def page_path(page: str) -> str:
    """A site-relative URL for PAGE: 'docs/chapters/x.md', 'chapters/x.md', '/chapters/x/' all work."""
    path = page.strip().lstrip("/").removeprefix("docs/")
    if path.endswith(".md"):
        path = path.removesuffix(".md")
        path = (
            path.removesuffix("index") if path == "index" or path.endswith("/index") else path + "/"
        )
    elif path.endswith(".html"):
        path = path.removesuffix("index.html")
    elif path and not path.endswith("/"):
        path += "/"
    return path


def check_page(site_dir: Path, path: str) -> None:
    if not (site_dir / "index.html").is_file():
        raise ValueError(
            f"'{site_dir}' is not a built site (no index.html); run `make build` first."
        )
    if not (site_dir / path / "index.html").is_file():
        known = sorted(
            p.parent.relative_to(site_dir).as_posix() + "/"
            for p in site_dir.glob("chapters/**/index.html")
        )
        close = get_close_matches(path, known, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else " Chapters are under chapters/."
        raise ValueError(f"'{path}' is not a page of the built site '{site_dir}'.{hint}")


def page_title(site_dir: Path, path: str) -> str:
    """The chapter's title from its built HTML (the first <h1>)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser((site_dir / path / "index.html").read_text(encoding="utf-8"))
    node = tree.css_first("article h1") or tree.css_first("h1")
    for anchor in node.css("a.headerlink") if node else []:
        anchor.decompose()
    return " ".join(node.text(strip=False).split()) if node else SITE_NAME


def print_date(site_dir: Path, path: str, repo: Path = Path()) -> datetime:
    """The PDF's dates: SOURCE_DATE_EPOCH (or the last commit), else the page's build time."""
    from playbook.dates import BuildDateError, build_datetime

    try:
        return build_datetime(repo)
    except BuildDateError:
        mtime = (site_dir / path / "index.html").stat().st_mtime
        return datetime.fromtimestamp(int(mtime), tz=timezone.utc)


def print_chapter(
    site_dir: Path,
    page: str,
    paper: str = "a4",
    browser: Browser | None = None,
    config_file: Path | None = None,
) -> bytes:
    """The chapter's PDF bytes; `config_file` (default ./mkdocs.yml) gives the intranet address."""
    from playbook.brief.pdf import url_to_pdf
    from playbook.brief.siteinfo import read_site_info
    from playbook.project import load_project

    path = page_path(page)
    check_page(site_dir, path)
    title = page_title(site_dir, path)
    header = (
        "@page { @top-left { content: "
        + css_string(f"{SITE_NAME} \u2014 {title}")
        + '; font: 8pt "Liberation Sans", Arial, sans-serif; color: #444; } }'
    )
    project = load_project(config_file)
    site = read_site_info(project.config_file).site_url
    with serve_directory(site_dir) as base:
        prepare = {"header": header, "base": base, "site": site}
        when = print_date(site_dir, path, project.root)
        return url_to_pdf(base + path, paper, when, browser, PREPARE, prepare)


def run(args: argparse.Namespace) -> int:
    from playbook.brief.pdf import PdfError
    from playbook.project import load_project

    try:
        project = load_project(args.config_file)
        site_dir = args.site_dir or project.site_dir
        # Before printing: the PDF must not land in the published tree, and must be writable.
        forbidden = [*published_dirs(project.config_file), (site_dir, "the built site")]
        check_output_path(args.output, forbidden, "The PDF")
        data = print_chapter(site_dir, args.page, args.paper, config_file=args.config_file)
        atomic_write(args.output, data, "The PDF")  # an existing PDF stays until this is whole
    except (PdfError, ValueError, OSError) as exc:
        print(f"playbook print: error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {args.output} ({len(data) // 1024} KB)", file=sys.stderr)
    return 0
