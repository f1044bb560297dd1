"""Connections go to the address a redirect's check approved, not to a fresh DNS answer.

`external.unsafe_redirect` follows a redirect to another host only when every address that host
resolves to is global. If httpx then looked the name up again, a name that answers differently
the second time (DNS rebinding) could still send the request to a private address. The redirect
check records the address it approved in `pins` (host -> address), and the client's transport
connects there; TLS still names the host (SNI and the certificate), as httpcore takes those from
the URL, not from the socket.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore
import httpx


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, with pinned hosts connected to their approved address."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, pins: dict[str, str]) -> None:
        self.inner = inner
        self.pins = pins

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = self.pins.get(host.lower(), host)
        return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await self.inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def pinned_transport(limits: httpx.Limits, pins: dict[str, str]) -> httpx.AsyncHTTPTransport:
    """httpx's own transport, whose connection pool resolves pinned hosts from `pins`.

    httpx does not expose the pool's network backend, so it is swapped after construction; the
    versions are locked, and tests/test_linkcheck_external.py fails if the swap stops working."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    pool = transport._pool
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool) or backend is None:
        raise RuntimeError("httpx's transport changed: the redirect pinning cannot be installed")
    pool._network_backend = PinnedBackend(backend, pins)
    return transport
