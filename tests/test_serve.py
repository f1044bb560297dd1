"""`make serve`: a macro error during a live rebuild is reported in the terminal, names the file,
and the server keeps serving the last good page until the writer fixes it.

Runs `mkdocs serve` with the Makefile's flags on a copy of the project, as a subprocess.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sitebuild import copy_project

MKDOCS = Path(sys.executable).parent / "mkdocs"
MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"
# Bounds, not expectations: on a quiet 2-core machine a build takes ~4 s and the test ~15 s, but
# the same build took 19 s with eight jobs sharing the cores.
FIRST_BUILD = 90.0  # seconds to wait for the first build (a cold one: the site URL is new)
REBUILD = 30.0  # seconds to wait for each rebuild


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    project: Path
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=5)

    def text(self, path: str) -> str:
        """The page's text, or "" while a rebuild holds the request up."""
        try:
            return self.get(path).text
        except httpx.TimeoutException:
            return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    condition: Callable[[], bool], what: str, server: Server, timeout: float = REBUILD
) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        if server.process.poll() is not None:
            pytest.fail(
                f"the server exited ({server.process.returncode}) while waiting for {what}:\n{server.output}"
            )
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}:\n{server.output}")


def test_makefile_serves_strictly_with_livereload():
    serve = [line for line in MAKEFILE.read_text().splitlines() if "mkdocs serve" in line]
    assert len(serve) == 1
    assert "serve --strict --dev-addr 127.0.0.1:8000 --livereload" in serve[0]


@contextmanager
def running(argv: list[str], project: Path, url: str, env: dict[str, str]) -> Iterator[Server]:
    """A live-preview server started in `project`, its output collected; stopped as Ctrl-C
    stops it (serve removes its temporary site), or killed after 10 s."""
    process = subprocess.Popen(
        argv,
        cwd=project,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(process, url, project)
    assert process.stdout is not None
    reader = threading.Thread(
        target=lambda: server.lines.extend(iter(process.stdout.readline, "")), daemon=True
    )
    reader.start()
    try:
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        process.stdout.close()


@pytest.fixture(name="server")
def fixture_server(tmp_path: Path) -> Iterator[Server]:
    project = copy_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    argv = [str(MKDOCS), "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    with running(argv, project, url, dict(os.environ, PLAYBOOK_SITE_URL=url)) as server:
        wait_for(lambda: "Serving on" in server.output, "the first build", server, FIRST_BUILD)
        yield server


def test_a_macro_error_keeps_the_last_good_page_until_fixed(server: Server):
    page = server.project / "docs" / "start-here.md"
    good = page.read_text()
    first = server.get("start-here/")
    assert first.status_code == 200
    assert "<h1" in first.text
    assert "no_such_variable" not in first.text

    lines = good.splitlines()
    page.write_text("\n".join([*lines, "Total: {{ no_such_variable }}"]) + "\n")
    wait_for(
        lambda: "still serving the last good build" in server.output, "the failed rebuild", server
    )
    assert (
        f"Doc file 'start-here.md', line {len(lines) + 1}: 'no_such_variable' is undefined"
        in server.output
    )
    assert "Traceback" not in server.output  # a clear message, not a crash
    assert server.process.poll() is None
    during = server.get("start-here/")
    assert during.status_code == 200
    assert "no_such_variable" not in during.text
    assert "Total:" not in during.text

    page.write_text(good + "\nThe writer fixed the page.\n")
    wait_for(
        lambda: "The writer fixed the page." in server.text("start-here/"), "the fixed page", server
    )
    assert server.process.poll() is None
