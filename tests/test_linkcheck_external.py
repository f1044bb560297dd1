"""External link checking against real HTTP servers started here on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from argparse import ArgumentParser
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook.linkcheck import cli
from playbook.linkcheck.external import Options, check_external, retry_after_seconds

ANCHORED = b'<!doctype html><html><body><h2 id="intro">Intro</h2><a name="old"></a></body></html>'
SIGN_IN = b'<html><body><form action="/session"><h1>Sign in</h1><input type="password"></form></body></html>'


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes by path; every request is counted on the server (`server.hits`)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_HEAD(self) -> None:
        self.route(head=True)

    def do_GET(self) -> None:
        self.route(head=False)

    def reply(
        self,
        code: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        head: bool = False,
    ) -> None:
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def route(self, head: bool) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.hits[(self.command, path)] += 1
            seen = self.server.hits[("GET", path)] + self.server.hits[("HEAD", path)]

        def r(code: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.reply(code, body, headers, head)

        if path in ("/ok", "/login"):
            r(200, ANCHORED)
        elif path in ("/404", "/410", "/500"):
            r(int(path[1:]), b"no")
        elif path == "/r301":
            r(301, headers={"Location": "/r302"})
        elif path == "/r302":
            r(302, headers={"Location": "/ok"})
        elif path == "/loop-a":
            r(302, headers={"Location": "/loop-b"})
        elif path == "/loop-b":
            r(302, headers={"Location": "/loop-a"})
        elif path.startswith("/chain/"):
            r(302, headers={"Location": f"/chain/{int(path[7:]) + 1}"})
        elif path == "/429":
            if seen == 1:
                r(429, headers={"Retry-After": "1"})
            else:
                r(200, ANCHORED)
        elif path == "/429-forever":
            r(429, headers={"Retry-After": "3600"})
        elif path == "/slow":
            time.sleep(1.5)
            r(200, ANCHORED)
        elif path == "/head-405":
            r(405 if head else 200, ANCHORED)
        elif path == "/401":
            r(401, headers={"WWW-Authenticate": 'Basic realm="intranet"'})
        elif path == "/403-sign-in":
            r(403, SIGN_IN)
        elif path == "/403":
            r(403, b"Forbidden")
        elif path == "/wall":
            r(302, headers={"Location": "/login?next=/wall"})
        else:
            r(404, b"unknown route")


@pytest.fixture(name="server")
def fixture_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hits = Counter()
    server.lock = threading.Lock()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_with(tmp_path: Path, urls: list[str]) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    links = "".join(f'<a href="{u}">x</a>' for u in urls)
    (site / "index.html").write_text(f"<!doctype html><html><body>{links}</body></html>")
    return site


def run_cli(argv: list[str]) -> int:
    parser = ArgumentParser()
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(argv))


def jsonl(out: str) -> dict[str, dict]:
    return {row["url"]: row for row in map(json.loads, out.splitlines())}


def test_outcomes(server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    u = server.url
    down = f"http://127.0.0.1:{closed_port()}/"
    urls = [
        f"{u}{p}"
        for p in (
            "/ok",
            "/404",
            "/410",
            "/500",
            "/r301",
            "/loop-a",
            "/chain/0",
            "/429",
            "/429-forever",
            "/slow",
            "/head-405",
            "/401",
            "/403-sign-in",
            "/403",
            "/wall",
        )
    ] + [down]
    site = site_with(tmp_path, urls)
    argv = [
        str(site),
        "--external",
        "--format",
        "jsonl",
        "--timeout",
        "0.5",
        "--cache-dir",
        str(tmp_path / "c"),
    ]
    assert run_cli(argv) == 1
    rows = jsonl(capsys.readouterr().out)
    got = {url.removeprefix(u): (row["kind"], row["status"]) for url, row in rows.items()}
    assert got == {
        "/404": ("http-status", 404),
        "/410": ("http-status", 410),
        "/500": ("http-status", 500),
        "/loop-a": ("redirect-loop", 302),
        "/chain/0": ("redirect-loop", None),
        "/429-forever": ("rate-limited", 429),
        "/slow": ("timeout", None),
        "/401": ("login-required", 401),
        "/403-sign-in": ("login-required", 403),
        "/403": ("http-status", 403),
        "/wall": ("login-required", 200),
        down: ("network-error", None),
    }
    assert rows[f"{u}/404"]["message"] == "the server answered 404."
    assert rows[f"{u}/wall"]["message"] == (
        "it needs a sign-in (redirected to a sign-in page); check it by hand in a signed-in browser."
    )
    assert rows[f"{u}/429-forever"]["message"] == (
        "the server asks to wait before asking again (Retry-After: 3600; this check waits at most 10 s); check it later."
    )
    assert rows[f"{u}/loop-a"]["message"] == f"the redirects never end (back to {u}/loop-a)."
    assert rows[f"{u}/chain/0"]["message"] == "the redirects never end (more than 10 redirects)."
    # 429 then 200: waited for Retry-After and asked again; the long Retry-After was not waited for.
    assert server.hits[("HEAD", "/429")] == 2
    assert server.hits[("HEAD", "/429-forever")] == 1
    # HEAD refused with 405: asked again with GET.
    assert server.hits[("GET", "/head-405")] == 1
    # Redirect chains are followed (301 -> 302 -> 200) and the result is not a problem.
    assert server.hits[("HEAD", "/ok")] >= 1


def test_login_required_alone_exits_zero_and_redirects_are_listed(
    server, tmp_path: Path, capsys
) -> None:
    site = site_with(tmp_path, [f"{server.url}/401", f"{server.url}/r301"])
    assert run_cli([str(site), "--external", "--cache-dir", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert f"'{server.url}/401' (login-required 401): it needs a sign-in (HTTP 401)" in out
    assert f"  {server.url}/r301 -> {server.url}/ok\n" in out
    assert out.endswith("1 problem on 1 page: 1 login-required.\n")


def test_cache_second_run_makes_no_requests(server, tmp_path: Path, capsys) -> None:
    site = site_with(tmp_path, [f"{server.url}/ok", f"{server.url}/r301", f"{server.url}/head-405"])
    argv = [str(site), "--external", "--cache-dir", str(tmp_path / "cache"), "--format", "jsonl"]
    assert run_cli(argv) == 0
    first = sum(server.hits.values())
    assert first >= 5
    assert run_cli(argv) == 0
    assert sum(server.hits.values()) == first
    assert capsys.readouterr().out == ""
    # Outside the max age, everything is asked again.
    assert run_cli([*argv, "--cache-max-age", "0"]) == 0
    assert sum(server.hits.values()) > first


def test_failures_are_never_cached(server, tmp_path: Path, capsys) -> None:
    site = site_with(tmp_path, [f"{server.url}/ok", f"{server.url}/404"])
    argv = [str(site), "--external", "--cache-dir", str(tmp_path / "cache"), "--format", "jsonl"]
    assert run_cli(argv) == 1
    assert run_cli(argv) == 1
    assert server.hits[("HEAD", "/404")] == 2
    assert server.hits[("HEAD", "/ok")] == 1
    cached = json.loads((tmp_path / "cache" / "external.json").read_text())["entries"]
    assert list(cached) == [f"{server.url}/ok"]


def test_external_fragments(server, tmp_path: Path, capsys) -> None:
    u = server.url
    site = site_with(
        tmp_path, [f"{u}/ok#intro", f"{u}/ok#old", f"{u}/ok#missing", f"{u}/r301#intro"]
    )
    argv = [
        str(site),
        "--external",
        "--external-fragments",
        "--cache-dir",
        str(tmp_path / "c"),
        "--format",
        "jsonl",
    ]
    assert run_cli(argv) == 1
    rows = jsonl(capsys.readouterr().out)
    assert list(rows) == [f"{u}/ok#missing"]
    assert rows[f"{u}/ok#missing"]["kind"] == "missing-fragment"
    assert rows[f"{u}/ok#missing"]["message"] == f"there is no anchor '#missing' on '{u}/ok'."
    assert server.hits[("GET", "/ok")] == 2  # once for /ok, once at the end of /r301's chain
    # Without the flag, fragments are not fetched: HEAD only.
    assert run_cli([str(site), "--external", "--cache-max-age", "0", "--format", "jsonl"]) == 0


def test_per_host_limit(server, tmp_path: Path) -> None:
    active, peak, lock = [0], [0], threading.Lock()
    original = Handler.route

    def counting(self, head: bool) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        try:
            original(self, head)
        finally:
            with lock:
                active[0] -= 1

    Handler.route = counting
    try:
        links = {f"{server.url}/ok?{i}": ["index.html"] for i in range(12)}
        problems, _ = check_external(links, Options(per_host=2, cache_dir=None))
    finally:
        Handler.route = original
    assert problems == []
    assert peak[0] == 2


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
