"""Issue 13, finding 7: the external link check against a hostile server on 127.0.0.1.

A gzip bomb, bodies and headers sent one byte a second, a long Retry-After, and redirects to a
documentation address (192.0.2.1), to `file:` and to another loopback name. The whole command
runs as a child process, so its peak memory (max RSS) and its wall time are measured for real.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hostile_server import BOMB_BYTES, DOCUMENTATION_HOST, HostileServer, gzip_bomb, hostile_server

from playbook.linkcheck.external import (
    BODY_LIMIT,
    Options,
    Unresolvable,
    _decoded,
    _run,
    check_external,
    unsafe_redirect,
)
from playbook.linkcheck.pinning import pinned_transport

MAX_TIME = 8.0
PEAK_RSS_LIMIT_KB = 200 * 1024

# Runs the command in a child of a fresh interpreter, so RUSAGE_CHILDREN is that command's alone.
MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": done.returncode, "out": done.stdout, "err": done.stderr,
                  "seconds": time.monotonic() - started,
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@pytest.fixture(name="server", scope="module")
def fixture_server() -> Iterator[HostileServer]:
    gzip_bomb(1), gzip_bomb(2)  # built before any clock starts
    with hostile_server() as server:
        yield server


def site_with(tmp_path: Path, urls: list[str]) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    links = "".join(f'<a href="{u}">x</a>' for u in urls)
    (site / "index.html").write_text(f"<!doctype html><html><body>{links}</body></html>")
    return site


def test_hostile_server_is_bounded_in_memory_and_time(server: HostileServer, tmp_path) -> None:
    paths = [
        "/gzip-bomb",
        "/gzip-bomb-2",
        "/slow-body",
        "/slow-headers",
        "/retry-after",
        "/to-documentation-address",
        "/to-file",
        "/to-localhost",
        "/same-host",
        "/ok",
    ]
    site = site_with(tmp_path, [server.url + p for p in paths])
    command = [
        sys.executable, "-m", "playbook.cli",
        "check-links", str(site), "--external", "--format", "jsonl",
        "--timeout", "2", "--max-time", str(MAX_TIME), "--cache-max-age", "0", "--per-host", "10",
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["err"] == ""
    assert result["max_rss_kb"] < PEAK_RSS_LIMIT_KB, result["max_rss_kb"]
    # The run ends within its --max-time (plus the interpreter's start-up and shut-down).
    assert result["seconds"] < MAX_TIME + 3, result["seconds"]
    rows = {}
    for line in result["out"].splitlines():
        row = json.loads(line)
        rows[row["url"].removeprefix(server.url)] = row
    kinds = {path: row["kind"] for path, row in rows.items()}
    assert kinds == {
        "/slow-body": "timeout",
        "/slow-headers": "timeout",
        "/retry-after": "rate-limited",
        "/to-documentation-address": "unsafe-redirect",
        "/to-file": "unsafe-redirect",
        "/to-localhost": "unsafe-redirect",
    }
    assert result["rc"] == 1  # the timeouts are broken links; the rest are reported apart
    assert rows["/retry-after"]["message"] == (
        "the server asks to wait before asking again (Retry-After: 29; this check waits at most "
        "10 s); check it later."
    )
    assert rows["/to-documentation-address"]["message"] == (
        f"it redirects to 'http://{DOCUMENTATION_HOST}/metadata' (another host with the non-public "
        f"address {DOCUMENTATION_HOST}; --allow-private-redirects follows such redirects on an "
        "intranet), which the check does not follow; check it by hand."
    )
    assert rows["/to-file"]["message"] == (
        "it redirects to 'file:///etc/passwd' (a 'file:' address, not a web page; a link must "
        "lead to an http(s) page), which the check does not follow; check it by hand."
    )
    # Asked once, not retried after 29 s; and no request reached the refused redirect's target.
    assert server.hits[("HEAD", "/retry-after")] == 1
    assert server.hits[("HEAD", "/reached")] + server.hits[("GET", "/reached")] == 0
    # The bombs were fetched (GET after a refused HEAD) and read without inflating them.
    assert server.hits[("GET", "/gzip-bomb")] == 1
    assert server.hits[("GET", "/gzip-bomb-2")] == 1


def test_decoding_is_capped() -> None:
    headers = {"content-encoding": "gzip"}
    body = _decoded(gzip_bomb(1), headers)
    assert body is not None and len(body) == BODY_LIMIT < BOMB_BYTES
    # Two layers are not unpacked at all: the status counts, the anchors are unknown.
    assert _decoded(gzip_bomb(2), {"content-encoding": "gzip, gzip"}) is None


def test_per_url_deadline_ends_dripped_answers(server: HostileServer) -> None:
    links = {server.url + p: ["index.html"] for p in ("/slow-body", "/slow-headers")}
    options = Options(timeout=1, max_retry_wait=0, cache_dir=None, url_deadline=2.5)
    started = time.monotonic()
    problems, _ = check_external(links, options)
    assert time.monotonic() - started < 5
    assert sorted((p.url.removeprefix(server.url), p.kind) for p in problems) == [
        ("/slow-body", "timeout"),
        ("/slow-headers", "timeout"),
    ]
    message = "the server did not answer in time (no complete answer within 2.5 s)."
    assert all(p.message == message for p in problems)


def test_long_retry_after_is_reported_not_waited_for(server: HostileServer) -> None:
    # The review's case: Retry-After 29 on 4 links under --timeout 3 took 116 s.
    links = {f"{server.url}/retry-after?{i}": ["index.html"] for i in range(4)}
    started = time.monotonic()
    problems, _ = check_external(links, Options(timeout=3, cache_dir=None))
    assert time.monotonic() - started < 3
    assert [p.kind for p in problems] == ["rate-limited"] * 4
    assert not any(p.blocking for p in problems)


def test_allow_private_redirects_follows_them(server: HostileServer) -> None:
    before = server.hits[("HEAD", "/reached")]
    links = {server.url + p: ["index.html"] for p in ("/to-localhost", "/same-host")}
    problems, notes = check_external(links, Options(cache_dir=None, allow_private_redirects=True))
    assert problems == []
    assert server.hits[("HEAD", "/reached")] == before + 1
    assert {o.final_url for _, o in notes} == {
        f"http://localhost:{server.port}/reached",
        f"{server.url}/ok",
    }
    # Without the option, a redirect within the same host is still followed.
    links = {server.url + "/same-host": ["index.html"]}
    problems, _ = check_external(links, Options(cache_dir=None))
    assert problems == []


# DNS rebinding: a name that answers a global address to the redirect's check, then a private one.
# No DNS server of ours can answer the system resolver here, so the check is given the answers a
# rebinding server would send; the pinned connection itself is real (to 127.0.0.1).


def test_a_redirect_goes_to_the_address_its_check_approved_not_a_second_answer() -> None:
    answers = [["8.8.8.8"], ["127.0.0.1"]]  # the rebinding name's first and second answers

    async def rebinding(host: str, port: int) -> list[str]:
        return answers.pop(0)

    pins: dict[str, str] = {}
    refused = _run(
        lambda: unsafe_redirect(
            "http://127.0.0.1/", "http://rebind.invalid/x", False, pins, resolve=rebinding
        )
    )
    assert refused is None and pins == {"rebind.invalid": "8.8.8.8"}
    assert answers == [["127.0.0.1"]]  # asked once: the request will not look the name up again

    # An address that is not global is refused, and nothing is pinned.
    pins.clear()
    answers[:] = [["8.8.8.8", "10.0.0.5"]]
    refused = _run(
        lambda: unsafe_redirect(
            "http://127.0.0.1/", "http://mixed.invalid/", False, pins, rebinding
        )
    )
    assert refused is not None and "10.0.0.5" in refused and pins == {}


def test_the_checkers_transport_connects_pinned_names_to_their_address(
    server: HostileServer,
) -> None:
    # `.invalid` never resolves (RFC 6761): the request reaches the server only through the pin.
    pins = {"approved.invalid": "127.0.0.1"}

    async def fetch() -> tuple[int, str]:
        transport = pinned_transport(httpx.Limits(max_connections=2), pins)
        async with httpx.AsyncClient(transport=transport) as client:
            response = await client.get(f"http://approved.invalid:{server.port}/ok")
            return response.status_code, response.request.headers["host"]

    before = server.hits[("GET", "/ok")]
    assert _run(fetch) == (200, f"approved.invalid:{server.port}")
    assert server.hits[("GET", "/ok")] == before + 1


def test_a_redirect_to_a_name_with_no_address_sends_nothing() -> None:
    async def nothing(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    with pytest.raises(Unresolvable, match=r"gone\.invalid has no address"):
        _run(
            lambda: unsafe_redirect("http://127.0.0.1/", "http://gone.invalid/", False, {}, nothing)
        )
