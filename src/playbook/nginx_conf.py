"""`playbook nginx-conf DEST`: a complete nginx configuration that serves the published site.

DEST is served *through its path*, never resolved: when DEST is the symlink `playbook publish`
switches, every publish and `--rollback` reaches readers at the next request, with no reload
(nginx opens each file anew: `disable_symlinks off`, `open_file_cache off`). The
Content-Security-Policy allows only the site's own files (`script-src 'self'; style-src 'self'`):
the build has no inline script or style (hooks/postbuild.py fails it otherwise), so the policy
is the same for every release. Write the configuration once; regenerate it and reload nginx only
when this command's options or the reviewed allow-list (src/playbook/inline_allowlist.txt) change.

Also: long, immutable caching for Material's hashed assets and revalidation for everything else,
security headers and gzip. Run it with `nginx -p PREFIX -c nginx.conf -e stderr`, where PREFIX is
a writable folder for the pid file, logs and temp files (it runs in the foreground, so it also
fits a systemd unit or a test).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from playbook.inline_check import InlineCodeError, content_security_policy

# Material's fingerprinted assets: bundle.a5f9d56c.min.js, main.57a0d79d.min.css, search.*.min.js.
RE_HASHED_ASSET = r"\.[0-9a-f]{8}\.min\.(?:js|css)$"
RE_LISTEN = re.compile(
    r"^(?:(?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-fA-F:]+\]|localhost):\d{1,5}$|^\d{1,5}$"
)

MIME_TYPES = """\
        text/html html htm;
        text/css css;
        application/javascript js mjs;
        application/json json map;
        application/xml xml;
        application/gzip gz;
        application/pdf pdf;
        text/plain txt;
        image/svg+xml svg;
        image/png png;
        image/jpeg jpg jpeg;
        image/gif gif;
        image/webp webp;
        image/x-icon ico;
        font/woff2 woff2;
        font/woff woff;"""


class HostingError(ValueError):
    """The site folder or an option cannot give a working configuration; the message says why."""


def normalize_base_path(base_path: str) -> str:
    """'/playbooks/social' -> '/playbooks/social/'; the root stays '/'."""
    if not re.fullmatch(r"[A-Za-z0-9._~/-]*", base_path) or "/." in base_path or ".." in base_path:
        raise HostingError(
            f"--base-path {base_path!r}: use letters, digits, '-', '_', '.', '~' and '/' only."
        )
    parts = [part for part in base_path.split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts)


def site_root(site_dir: Path) -> str:
    """DEST as an absolute path with a trailing slash, symlinks kept (never resolved)."""
    root = os.path.abspath(site_dir).rstrip("/") + "/"
    if any(ch in root for ch in '";{}\n\\') or any(ch.isspace() for ch in root):
        raise HostingError(
            f"site folder '{root}' contains a character nginx cannot quote; use a plain path."
        )
    return root


def check_site(site_dir: Path) -> None:
    """DEST must already hold a built site (publish first, then write the configuration)."""
    if not (site_dir / "index.html").is_file():
        raise HostingError(
            f"'{site_dir}' is not a built site (no index.html): run `playbook publish {site_dir}` "
            "(or `make build` for site/) first."
        )


def nginx_conf(
    site_dir: Path,
    listen: str = "127.0.0.1:8080",
    base_path: str = "/",
    user: str | None = None,
) -> str:
    """The whole nginx.conf; pid, logs and temp files are relative to nginx's `-p PREFIX`."""
    if not RE_LISTEN.match(listen):
        raise HostingError(f"--listen {listen!r}: expected ADDRESS:PORT such as 127.0.0.1:8080.")
    base = normalize_base_path(base_path)
    root = site_root(site_dir)
    try:
        csp = content_security_policy()
    except InlineCodeError as exc:
        raise HostingError(str(exc)) from None
    user_line = f"user {user};\n" if user else ""
    # The sub-path itself without a slash, and anything outside it, lead to the site.
    outside = (
        f"""        location = {base.rstrip("/")} {{ return 301 {base}; }}
        location = / {{ return 302 {base}; }}
"""
        if base != "/"
        else ""
    )
    return f"""# nginx configuration for the Executive Buy-in Playbook, written by `playbook nginx-conf`.
# Site: {root} (served through this path: a publish or rollback that switches the symlink is
# seen at the next request, no reload needed)  URL path: {base}
# Run: nginx -p PREFIX -c nginx.conf -e stderr  (PREFIX: a writable folder for pid, logs, temp files)
{user_line}worker_processes auto;
daemon off;
pid nginx.pid;
error_log error.log warn;

events {{
    worker_connections 256;
}}

http {{
    types {{
{MIME_TYPES}
    }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    server_tokens off;
    access_log access.log;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;

    # The site is a symlink that each publish switches: follow it, and open every file anew so a
    # switch is seen at once (these are nginx's defaults, stated so no include changes them).
    disable_symlinks off;
    open_file_cache off;

    gzip on;
    gzip_vary on;
    gzip_comp_level 5;
    gzip_min_length 512;
    gzip_types text/css application/javascript application/json application/xml image/svg+xml text/plain;

    # Material's fingerprinted assets never change under their name; everything else revalidates
    # (ETag), so readers see a new release at once.
    map $uri $playbook_cache_control {{
        "~{RE_HASHED_ASSET}" "public, max-age=31536000, immutable";
        default "no-cache";
    }}

    # The policy governs documents: send it with HTML, and with SVG and XML, which a browser also
    # runs scripts in when opened directly; not with every other asset and 304.
    map $sent_http_content_type $playbook_csp {{
        "~^(?:text/html|image/svg\\+xml|application/xml)" "{csp}";
        default "";
    }}

    server {{
        listen {listen};
        server_name _;
        absolute_redirect off;

        add_header Cache-Control $playbook_cache_control always;
        add_header Content-Security-Policy $playbook_csp always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header X-Frame-Options "SAMEORIGIN" always;
        add_header Referrer-Policy "same-origin" always;
        add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), payment=(), usb=()" always;
        add_header Cross-Origin-Opener-Policy "same-origin" always;
        add_header Cross-Origin-Resource-Policy "same-origin" always;

        error_page 404 {base}404.html;

        # Dotfiles (editor leftovers, build state) are not part of the site.
        location ~ /\\. {{
            return 404;
        }}
{outside}        location {base} {{
            alias {root};
            index index.html;
        }}
    }}
}}
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "site_dir",
        type=Path,
        help="the published DEST (the symlink `playbook publish` switches), or site/",
    )
    parser.add_argument(
        "--listen", default="127.0.0.1:8080", help="ADDRESS:PORT (default 127.0.0.1:8080)"
    )
    parser.add_argument(
        "--base-path", default="/", help="URL path the site lives under, e.g. /playbooks/social/"
    )
    parser.add_argument(
        "--user", default=None, help="worker user when nginx starts as root (default: nginx's)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="write here instead of stdout"
    )


def run(args: argparse.Namespace) -> int:
    try:
        check_site(args.site_dir)
        text = nginx_conf(args.site_dir, args.listen, args.base_path, args.user)
    except HostingError as exc:
        print(f"playbook nginx-conf: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(
            f"Wrote {args.output}: nginx serves {site_root(args.site_dir)} through that path, so "
            "every publish and rollback is live at once. Reload nginx only when this "
            "configuration changes."
        )
    return 0
