"""The `playbook` command. Each subcommand lives in its own module, imported only when used,
so `playbook check-links` starts fast.

Every subcommand module provides `add_arguments(parser)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from playbook import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "check-links": ("playbook.linkcheck.cli", "check the links of a built site"),
    "brief": ("playbook.brief.cli", "print a personalised brief for one executive as a PDF"),
    "print": ("playbook.brief.print_cli", "print any chapter of the built site as a PDF"),
    "book": ("playbook.book", "print the whole built playbook as one PDF book"),
    "publish": ("playbook.publish", "build into a new release and switch DEST to it atomically"),
    "review": ("playbook.review", "list pages past their review date"),
    "nginx-conf": ("playbook.nginx_conf", "write the nginx configuration for a built site"),
    "screenshots": ("playbook.screenshots", "write PNG screenshots of the built site"),
    "zensical": (
        "playbook.zensical_build",
        "build (or serve) the site with Zensical instead of MkDocs",
    ),
}

DESCRIPTION = (
    "Build, check and print the Executive Buy-in Playbook, a MkDocs site. Run the commands in "
    "the playbook's folder (the one with mkdocs.yml), or give its configuration with "
    "-f/--config-file: the docs, site and data folders are read from it."
)
EPILOG = (
    "Exit status: 0 when all is well, 1 when a check found problems (broken links, pages past "
    "review, a site that does not build), 2 for bad input or usage. "
    "`playbook COMMAND --help` describes each command."
)


def _exit_code(exc: SystemExit) -> int:
    """argparse exits 0 after --help or --version and 2 on a usage error."""
    return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="playbook", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"playbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    try:
        if not argv or argv[0] not in COMMANDS:
            parser.parse_args(argv)  # --help, --version (exit 0) or an unknown command (exit 2)
            parser.error("a COMMAND is required")
        name = argv[0]
        module = importlib.import_module(COMMANDS[name][0])
        cmd_parser = argparse.ArgumentParser(
            prog=f"playbook {name}",
            description=COMMANDS[name][1][0].upper() + COMMANDS[name][1][1:] + ".",
            epilog=EPILOG,
        )
        module.add_arguments(cmd_parser)
        args = cmd_parser.parse_args(argv[1:])
        return int(module.run(args) or 0)
    except SystemExit as exc:
        return _exit_code(exc)
    except KeyboardInterrupt:
        print(f"playbook {argv[0] if argv else ''}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
