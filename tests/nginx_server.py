"""Real nginx on 127.0.0.1 for the tests and benchmarks, with the configuration `playbook
nginx-conf` writes. `serve()` runs it in the foreground from a prefix folder and stops it after.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playbook.nginx_conf import HostingError, nginx_conf, normalize_base_path


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
    """Serve `site_dir` (a folder, or the DEST symlink of `playbook publish`) on 127.0.0.1.

    nginx runs in the foreground from `prefix` (config, pid, logs, temp files). A free port taken
    between choosing and binding it is retried; a `port` given is used as is. Started as root,
    workers stay root so they can read a site in a private temp folder.
    """
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    user = "root" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    base = normalize_base_path(base_path)
    errors = ""
    for _ in range(1 if port else attempts):
        port = port or free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_conf(site_dir, f"127.0.0.1:{port}", base, user), encoding="utf-8")
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
