"""The `playbook` command. Each subcommand lives in its own module, imported only when used,
so `playbook check-links` starts fast.

Every subcommand module provides `add_arguments(parser)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "check-links": ("playbook.linkcheck.cli", "check the links of a built site"),
    "brief": ("playbook.brief.cli", "print a personalised brief for one executive as a PDF"),
    "print": ("playbook.brief.print_cli", "print any chapter of the built site as a PDF"),
    "book": ("playbook.book", "print the whole built playbook as one PDF book"),
    "publish": ("playbook.publish", "build into a new release and switch DEST to it atomically"),
    "review": ("playbook.review", "list pages past their review date"),
    "freshness": ("playbook.freshness", "list every statistic's age and the pages using it"),
    "nginx-conf": ("playbook.hosting", "write the nginx configuration for a built site"),
    "screenshots": ("playbook.screenshots", "write PNG screenshots of the built site"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="playbook", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        parser.print_help() if not argv or argv[0] in ("-h", "--help") else parser.parse_args(argv)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    name = argv[0]
    module = importlib.import_module(COMMANDS[name][0])
    cmd_parser = argparse.ArgumentParser(prog=f"playbook {name}", description=COMMANDS[name][1])
    module.add_arguments(cmd_parser)
    args = cmd_parser.parse_args(argv[1:])
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
