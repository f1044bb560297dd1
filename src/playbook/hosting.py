"""`playbook nginx-conf`: a complete nginx configuration that serves the built site on an intranet.

It sets long, immutable caching for Material's hashed assets and revalidation for everything
else, security headers, and a Content-Security-Policy that allows only the site's own origin.
Material writes small inline scripts into every page, and the build-time SVG charts carry inline
styles; they are allowed by their sha256 hashes, which `hooks/csp_hashes.py` computes at build
time into `<site_dir>/.csp-hashes.json` (nginx never serves dotfiles). The configuration is
self-contained: run it with `nginx -p PREFIX -c nginx.conf -e stderr`, where PREFIX is a writable
folder for the pid file, logs and temp files (it runs in the foreground, so it also fits a systemd unit or a test).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HASHES_FILE = ".csp-hashes.json"
# Material's fingerprinted assets: bundle.a5f9d56c.min.js, main.57a0d79d.min.css, search.*.min.js.
RE_HASHED_ASSET = r"\.[0-9a-f]{8}\.min\.(?:js|css)$"
RE_LISTEN = re.compile(
    r"^(?:(?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-fA-F:]+\]|localhost):\d{1,5}$|^\d{1,5}$"
)
# Script types a browser executes; anything else (application/json config) is data.
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}

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


def csp_hash(text: str) -> str:
    """The CSP source for one inline script, style element or style attribute."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class InlineHashes:
    """What a page or the site runs or styles inline, as sorted CSP hash sources."""

    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()  # <style> elements
    style_attrs: tuple[str, ...] = ()  # style="..." attributes (build-time SVG charts)

    def __or__(self, other: InlineHashes) -> InlineHashes:
        return InlineHashes(
            tuple(sorted({*self.scripts, *other.scripts})),
            tuple(sorted({*self.styles, *other.styles})),
            tuple(sorted({*self.style_attrs, *other.style_attrs})),
        )


def page_hashes(html: str) -> InlineHashes:
    """Hashes of every inline script a browser executes (not JSON data), style element and
    style attribute in one page."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    scripts = {
        csp_hash(node.text(deep=True) or "")
        for node in tree.css("script")
        if "src" not in node.attributes
        and (node.attributes.get("type") or "").strip().lower() in JS_TYPES
    }
    styles = {csp_hash(node.text(deep=True) or "") for node in tree.css("style")}
    attrs = {csp_hash(node.attributes.get("style") or "") for node in tree.css("[style]")}
    return InlineHashes(tuple(sorted(scripts)), tuple(sorted(styles)), tuple(sorted(attrs)))


def site_hashes(site_dir: Path) -> InlineHashes:
    """The union over every HTML file of the built site, sorted so the output is reproducible."""
    total = InlineHashes()
    for page in sorted(site_dir.rglob("*.html")):
        total = total | page_hashes(page.read_text(encoding="utf-8"))
    return total


def write_hashes(site_dir: Path) -> Path:
    """Write the site's inline hashes to `<site_dir>/.csp-hashes.json`."""
    target = site_dir / HASHES_FILE
    found = site_hashes(site_dir)
    data = {
        "script": list(found.scripts),
        "style": list(found.styles),
        "style-attr": list(found.style_attrs),
    }
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return target


def read_hashes(site_dir: Path) -> InlineHashes:
    """The hashes the build wrote; a missing or stale-format file is a clear error."""
    target = site_dir / HASHES_FILE
    if not (site_dir / "index.html").is_file():
        raise HostingError(
            f"'{site_dir}' is not a built site (no index.html): run `make build` first."
        )
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        return InlineHashes(tuple(data["script"]), tuple(data["style"]), tuple(data["style-attr"]))
    except FileNotFoundError as exc:
        raise HostingError(
            f"'{target}' is missing: build the site with `make build` (hooks/csp_hashes.py writes it, "
            "and it must be listed under `hooks:` in mkdocs.yml)."
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise HostingError(
            f"'{target}' is not the hooks/csp_hashes.py format: rebuild the site."
        ) from exc


def content_security_policy(hashes: InlineHashes) -> str:
    """Only the site's own origin. Inline scripts and styles are allowed by hash, never by
    'unsafe-inline'; style attributes (matplotlib's SVG) need 'unsafe-hashes', which still
    allows only those exact attribute values."""
    style = ["'self'", *hashes.styles]
    if hashes.style_attrs:
        style += ["'unsafe-hashes'", *hashes.style_attrs]
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *hashes.scripts]),
        "style-src " + " ".join(style),
        # Material's icons are data: URIs in its CSS.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def normalize_base_path(base_path: str) -> str:
    """'/playbooks/social' -> '/playbooks/social/'; the root stays '/'."""
    if not re.fullmatch(r"[A-Za-z0-9._~/-]*", base_path) or "/." in base_path or ".." in base_path:
        raise HostingError(
            f"--base-path {base_path!r}: use letters, digits, '-', '_', '.', '~' and '/' only."
        )
    parts = [part for part in base_path.split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts)


def nginx_conf(
    site_dir: Path,
    listen: str = "127.0.0.1:8080",
    base_path: str = "/",
    hashes: InlineHashes | None = None,
    user: str | None = None,
) -> str:
    """The whole nginx.conf; pid, logs and temp files are relative to nginx's `-p PREFIX`."""
    if not RE_LISTEN.match(listen):
        raise HostingError(f"--listen {listen!r}: expected ADDRESS:PORT such as 127.0.0.1:8080.")
    base = normalize_base_path(base_path)
    root = str(site_dir.resolve()).rstrip("/") + "/"
    if '"' in root or ";" in root or "\n" in root:
        raise HostingError(
            f"site folder '{root}' contains a character nginx cannot quote; move it."
        )
    csp = content_security_policy(hashes or InlineHashes())
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
# Site: {root}  URL path: {base}
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

    gzip on;
    gzip_vary on;
    gzip_comp_level 5;
    gzip_min_length 512;
    gzip_types text/css application/javascript application/json application/xml image/svg+xml text/plain;

    # Material's fingerprinted assets never change under their name; everything else revalidates
    # (ETag), so readers see a new build at once.
    map $uri $playbook_cache_control {{
        "~{RE_HASHED_ASSET}" "public, max-age=31536000, immutable";
        default "no-cache";
    }}

    # The policy governs documents: send it with HTML only, not with every asset and 304.
    map $sent_http_content_type $playbook_csp {{
        "~^text/html" "{csp}";
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

        # Dotfiles (.csp-hashes.json, editor leftovers) are not part of the site.
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


@dataclass(frozen=True)
class NginxServer:
    """A running test instance: `url` is the site's address including its base path."""

    url: str
    origin: str
    site_dir: Path
    prefix: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(process: subprocess.Popen, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@contextmanager
def serve(
    site_dir: Path, prefix: Path, base_path: str = "/", port: int | None = None, attempts: int = 3
) -> Iterator[NginxServer]:
    """Serve a built site with the project's nginx configuration on 127.0.0.1 at a free port.

    nginx runs in the foreground from `prefix` (config, pid, logs, temp files). A free port taken
    between choosing and binding it is retried; a `port` given is used as is. Started as root,
    workers stay root so they can read a site in a private temp folder.
    """
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    hashes = read_hashes(site_dir)
    user = "root" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    base = normalize_base_path(base_path)
    errors = ""
    for _ in range(1 if port else attempts):
        port = port or free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(
            nginx_conf(site_dir, f"127.0.0.1:{port}", base, hashes, user), encoding="utf-8"
        )
        log = (prefix / "stderr.log").open("w+")
        process = subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", "nginx.conf", "-e", "stderr"],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        if _wait_for_port(process, port, timeout=10):
            origin = f"http://127.0.0.1:{port}"
            try:
                yield NginxServer(origin + base, origin, site_dir, prefix, process)
            finally:
                process.terminate()
                process.wait(timeout=10)
                log.close()
            return
        process.kill()
        process.wait(timeout=10)
        log.seek(0)
        errors = log.read()
        log.close()
        port = None
    raise HostingError(f"nginx did not start with {prefix / 'nginx.conf'}:\n{errors}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site_dir", type=Path, help="the built site (make build writes site/)")
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
        hashes = read_hashes(args.site_dir)
        text = nginx_conf(args.site_dir, args.listen, args.base_path, hashes, args.user)
    except HostingError as exc:
        print(f"playbook nginx-conf: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(
            f"Wrote {args.output}; the CSP allows {len(hashes.scripts)} inline scripts, "
            f"{len(hashes.styles)} style elements and {len(hashes.style_attrs)} style attributes by hash."
        )
    return 0
