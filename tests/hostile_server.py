"""A hostile HTTP server on 127.0.0.1 for the link checker's tests: it answers the way an attacker
or a broken server would (gzip bombs, bytes dripped one a second, long Retry-After, redirects to
documentation addresses, to `file:` and to another loopback name).

Raw sockets, one thread per connection, so every byte's timing is under the test's control. It
never sends traffic anywhere: the redirect targets are only named, and 192.0.2.0/24 (TEST-NET-1,
RFC 5737) is a documentation block that routes nowhere.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

OK_PAGE = b'<!doctype html><html><body><h2 id="intro">Intro</h2></body></html>'
DOCUMENTATION_HOST = "192.0.2.1"  # TEST-NET-1: refused by the checker, never contacted
BOMB_BYTES = 1 << 29  # what a bomb inflates to (512 MiB of zeros)


@cache
def gzip_bomb(layers: int) -> bytes:
    """BOMB_BYTES of zeros, gzipped `layers` times (two layers: about 1 KB on the wire)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    zeros = bytes(1 << 20)
    data = b"".join(deflate.compress(zeros) for _ in range(BOMB_BYTES >> 20)) + deflate.flush()
    for _ in range(layers - 1):
        data = gzip.compress(data, 9, mtime=0)
    return data


def _head(code: int, headers: dict[str, str], length: int | None) -> bytes:
    reason = {200: "OK", 302: "Found", 405: "Method Not Allowed", 429: "Too Many Requests"}
    lines = [f"HTTP/1.1 {code} {reason.get(code, 'Status')}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class HostileServer:
    """Routes by path; `hits[(method, path)]` counts requests; `url` is its base address."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.hits: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()
        self.closing = threading.Event()

    def serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                method, path = request.split(b" ", 2)[:2]
                method, path = method.decode(), path.decode().partition("?")[0]
                with self.lock:
                    self.hits[(method, path)] += 1
                self.route(conn, method, path)
            except OSError:
                pass  # the checker hung up: what a bounded client does

    def drip(self, conn: socket.socket, data: bytes) -> None:
        """Send `data` two bytes a second until done, the client hangs up, or the server stops:
        each byte well within any read timeout the tests set (1 s or more), so only a deadline
        on the whole answer ends it, even on a loaded machine."""
        for i in range(len(data)):
            if self.closing.wait(0.5 if i else 0):
                return
            conn.sendall(data[i : i + 1])

    def route(self, conn: socket.socket, method: str, path: str) -> None:
        send = conn.sendall
        if path == "/ok":
            send(_head(200, {"Content-Type": "text/html"}, len(OK_PAGE)))
            if method != "HEAD":
                send(OK_PAGE)
        elif path in ("/gzip-bomb", "/gzip-bomb-2"):
            if method == "HEAD":  # as many servers do: HEAD refused, so the checker must GET
                send(_head(405, {}, 0))
                return
            layers = 2 if path.endswith("-2") else 1
            encoding = ", ".join(["gzip"] * layers)
            body = gzip_bomb(layers)
            headers = {"Content-Type": "text/html", "Content-Encoding": encoding}
            send(_head(200, headers, len(body)) + body)
        elif path == "/slow-body":
            if method == "HEAD":
                send(_head(405, {}, 0))
                return
            send(_head(200, {"Content-Type": "text/html"}, 100_000))
            self.drip(conn, b"<" * 100_000)
        elif path == "/slow-headers":
            self.drip(conn, _head(200, {"X-Padding": "p" * 100_000}, 0))
        elif path == "/retry-after":
            send(_head(429, {"Retry-After": "29"}, 0))
        elif path == "/to-documentation-address":
            send(_head(302, {"Location": f"http://{DOCUMENTATION_HOST}/metadata"}, 0))
        elif path == "/to-file":
            send(_head(302, {"Location": "file:///etc/passwd"}, 0))
        elif path == "/to-localhost":
            # Another name for this same server: a different host, whose address is loopback.
            send(_head(302, {"Location": f"http://localhost:{self.port}/reached"}, 0))
        elif path == "/reached":
            send(_head(200, {"Content-Type": "text/html"}, len(OK_PAGE)) + OK_PAGE)
        elif path == "/same-host":
            send(_head(302, {"Location": "/ok"}, 0))
        else:
            send(_head(404, {}, 0))


@contextmanager
def hostile_server() -> Iterator[HostileServer]:
    server = HostileServer()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.closing.set()
        thread.join(5)
        server.sock.close()


if __name__ == "__main__":  # run it by hand: python tests/hostile_server.py
    with hostile_server() as s:
        print(s.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
