"""`playbook screenshots`: PNGs of the built site, so a reviewer can see it without opening it.

Writes four full-page shots: the home page, a chapter, the same chapter at phone width (390 px)
and the chapter's print view (print media, as when saving a PDF). The site is built first when
`--site-dir` holds no build (or with `--build`), then served on 127.0.0.1 at a free port and
photographed with Debian's Chromium through Playwright.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from playbook.browser import launch, serve_directory
from playbook.project import add_config_argument, add_site_dir_argument

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
A4_AT_96_DPI = {"width": 794, "height": 1123}
PREFERRED_CHAPTER = "chapters/value-and-roi/"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str  # URL path relative to the site root
    viewport: dict[str, int]
    mobile: bool = False
    print_media: bool = False


class ScreenshotError(ValueError):
    """The site cannot be built or has no page to photograph; the message says what to do."""

    exit_code = 2  # bad input (no built site, no such chapter); 1 when the site does not build


def pick_chapter(site_dir: Path) -> str:
    """The chapter to photograph: the ROI chapter when it exists, else the first one."""
    if (site_dir / PREFERRED_CHAPTER / "index.html").is_file():
        return PREFERRED_CHAPTER
    chapters = sorted((site_dir / "chapters").glob("*/index.html"))
    if not chapters:
        raise ScreenshotError(f"'{site_dir}' has no chapters/*/index.html: is it a built playbook?")
    return chapters[0].parent.relative_to(site_dir).as_posix() + "/"


def shots(chapter: str) -> list[Shot]:
    return [
        Shot("home", "", DESKTOP),
        Shot("chapter", chapter, DESKTOP),
        Shot("chapter-mobile", chapter, PHONE, mobile=True),
        Shot("chapter-print", chapter, A4_AT_96_DPI, print_media=True),
    ]


def take_screenshots(site_dir: Path, out_dir: Path, chapter: str | None = None) -> list[Path]:
    """Photograph the built site in `site_dir` into `out_dir`; returns the PNG paths."""
    from playwright.sync_api import sync_playwright

    if not (site_dir / "index.html").is_file():
        raise ScreenshotError(
            f"'{site_dir}' holds no built site (no index.html): build it with `make build`."
        )
    chapter = chapter or pick_chapter(site_dir)
    if not (site_dir / chapter / "index.html").is_file():
        raise ScreenshotError(f"--chapter {chapter!r}: no such page in '{site_dir}'.")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_directory(site_dir) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            for shot in shots(chapter):
                context = browser.new_context(
                    viewport=shot.viewport,
                    is_mobile=shot.mobile,
                    has_touch=shot.mobile,
                    color_scheme="light",
                )
                page = context.new_page()
                if shot.print_media:
                    page.emulate_media(media="print")
                page.goto(base + shot.path, wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                target = out_dir / f"{shot.name}.png"
                page.screenshot(path=str(target), full_page=True, animations="disabled")
                written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def build(config_file: Path, site_dir: Path) -> None:
    """A strict build of the playbook into `site_dir`, as `make build` does."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        mkdocs_build(load_config(str(config_file), site_dir=str(site_dir.resolve()), strict=True))
    except (MkDocsException, Abort) as exc:
        error = ScreenshotError(f"the site does not build: {' '.join(str(exc).split())}")
        error.exit_code = 1
        raise error from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNGs")
    add_site_dir_argument(parser)
    parser.add_argument(
        "--build", action="store_true", help="build the site first even if it exists"
    )
    add_config_argument(parser)
    parser.add_argument(
        "--chapter", default=None, help=f"page to photograph (default {PREFERRED_CHAPTER})"
    )


def run(args: argparse.Namespace) -> int:
    """Exit status 0, 1 when the site does not build, 2 for bad input."""
    import sys

    from playbook.project import ProjectError, load_project

    try:
        project = load_project(args.config_file)
        site_dir = args.site_dir or project.site_dir
        if args.build or not (site_dir / "index.html").is_file():
            build(project.config_file, site_dir)
        written = take_screenshots(site_dir, args.out, args.chapter)
    except ProjectError as exc:
        print(f"playbook screenshots: error: {exc}", file=sys.stderr)
        return 2
    except ScreenshotError as exc:
        print(f"playbook screenshots: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for path in written:
        print(f"wrote {path}")
    return 0
