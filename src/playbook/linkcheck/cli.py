"""`playbook check-links SITE_DIR`: check a built static site's links from the command line.

Exit status: 0 when nothing is broken, 1 when something is (login-required, rate-limited and
unsafe-redirect alone do not count), 2 for a usage error (no such folder, a malformed registry).
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "site_dir",
        metavar="SITE_DIR",
        nargs="?",
        default=None,
        help="the built site (default: site_dir of mkdocs.yml, usually site/)",
    )
    parser.add_argument(
        "-f",
        "--config-file",
        default=None,
        metavar="FILE",
        help="the playbook's mkdocs.yml, for the default SITE_DIR (default: ./mkdocs.yml)",
    )
    parser.add_argument(
        "--base-path",
        default="/",
        metavar="/SUB/",
        help="the path the site is served under; an absolute link outside it is broken "
        "(default: /)",
    )
    parser.add_argument("--external", action="store_true", help="also check http(s) links (opt-in)")
    parser.add_argument(
        "--external-fragments",
        action="store_true",
        help="with --external, also check #fragments on external pages (fetches them with GET)",
    )
    parser.add_argument("--format", choices=("text", "jsonl"), default="text", help="output format")
    parser.add_argument(
        "--registry",
        metavar="FILE",
        help="an onboarding registry (e.g. data/onboarding-links.yml) to verify against the site",
    )
    parser.add_argument(
        "--cache-max-age",
        type=float,
        default=86400.0,
        metavar="SECONDS",
        help="reuse external results younger than this (default: 86400; 0 disables the cache)",
    )
    parser.add_argument(
        "--cache-dir",
        default=".cache/linkcheck",
        metavar="DIR",
        help="where external results are kept",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="per external request"
    )
    parser.add_argument(
        "--max-time",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="end the external check after this long; unchecked links are reported (default: 600)",
    )
    parser.add_argument(
        "--max-retry-wait",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="honour a 429's Retry-After up to this long; beyond it report rate-limited "
        "(default: 10)",
    )
    parser.add_argument(
        "--allow-private-redirects",
        action="store_true",
        help="follow redirects to other hosts with non-public addresses (loopback, private, "
        "link-local); by default they are reported as unsafe-redirect and not followed",
    )
    parser.add_argument(
        "--per-host", type=int, default=2, metavar="N", help="parallel requests per host"
    )
    parser.add_argument(
        "--no-directory-urls",
        action="store_true",
        help="the site opens from file:// (use_directory_urls: false): a folder link is broken",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="worker processes (default: by size)"
    )


def run(args: argparse.Namespace) -> int:
    from playbook.linkcheck.internal import scan
    from playbook.linkcheck.report import format_jsonl, format_text

    if args.site_dir is None:
        from playbook.project import ProjectError, load_project

        try:
            args.site_dir = str(load_project(args.config_file).site_dir)
        except ProjectError as exc:
            print(f"playbook check-links: error: {exc}", file=sys.stderr)
            return 2
    try:
        site = scan(args.site_dir, args.base_path, not args.no_directory_urls, args.jobs)
    except FileNotFoundError as exc:
        print(f"playbook check-links: error: {exc}", file=sys.stderr)
        return 2
    problems = site.problems()
    if args.registry:
        from playbook.linkcheck.registry import RegistryError, check_registry, load_registry

        try:
            entries = load_registry(args.registry)
        except RegistryError as exc:
            print(f"playbook check-links: error: {exc}", file=sys.stderr)
            return 2
        problems += check_registry(site, entries, args.registry)
    redirected: list[tuple[str, str]] = []
    if args.external:
        from playbook.linkcheck.external import Options, check_external

        options = Options(
            timeout=args.timeout,
            per_host=max(1, args.per_host),
            check_fragments=args.external_fragments,
            cache_dir=args.cache_dir if args.cache_max_age > 0 else None,
            cache_max_age=args.cache_max_age,
            max_time=args.max_time if args.max_time > 0 else None,
            max_retry_wait=max(0.0, args.max_retry_wait),
            allow_private_redirects=args.allow_private_redirects,
        )
        found, notes = check_external(site.external_links(), options)
        problems += found
        redirected = [(url, outcome.final_url or "") for url, outcome in notes]
    out = format_jsonl(problems) if args.format == "jsonl" else format_text(problems, redirected)
    sys.stdout.write(out)
    return 1 if any(p.blocking for p in problems) else 0
