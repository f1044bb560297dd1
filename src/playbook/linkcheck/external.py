"""Check external (http/https) links: opt-in, concurrent, polite, and cached, as lychee does.

Each distinct URL (without its fragment) is fetched once: HEAD first, GET when HEAD is refused,
redirects followed by hand (a maximum, and loop detection), 429 answered by waiting the
`Retry-After` (up to a bound), at most `per_host` requests at a time to one host. Outcomes are
named (`Outcome.status`): ok, redirected, broken, timeout, unreachable, login-required,
rate-limited, unsafe-redirect, redirect-loop, invalid. Successes are cached in
`.cache/linkcheck/`; failures never are.

A hostile server costs bounded time and memory: bodies are asked for without compression
(`Accept-Encoding: identity`), read raw and capped at BODY_LIMIT bytes (one gzip layer, if sent
anyway, is inflated to the same cap); each URL has a deadline on the time its requests take
(a body or headers sent a byte a second end there) and the run has one (`max_time`); a
Retry-After beyond `max_retry_wait` is reported, not waited for. A redirect is followed only to
the same host or to a host whose every address is global, over http(s): anything else (loopback,
private, link-local, documentation addresses, `file:`) is `unsafe-redirect` and gets no request.
The request then goes to the address that was checked (`pinning`), never to a second DNS answer,
and a host with no address at check time is `unreachable` without a request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import sys
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from playbook.linkcheck.cache import Cache
from playbook.linkcheck.model import Problem

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# HEAD answers that may only mean "HEAD is not supported here": ask again with GET.
HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
RE_LOGIN_PATH = re.compile(
    r"/(?:log-?in|sign-?in|sso|saml|oauth2?|auth(?:orize)?|accounts?/login)\b", re.IGNORECASE
)
RE_SIGN_IN_PAGE = re.compile(
    rb"sign[ -]?in|log[ -]?in|single sign-on|type=[\"']?password", re.IGNORECASE
)
BODY_LIMIT = 2_000_000
PROGRESS_MIN = 20
USER_AGENT = "playbook-linkcheck/1.0 (+internal link checker)"
WEB_SCHEMES = frozenset({"http", "https"})
GZIP_ENCODINGS = frozenset({"gzip", "x-gzip", "deflate"})

# Outcome status -> the problem's message.
MESSAGES = {
    "broken": "the server answered {code}{detail}.",
    "login-required": "it needs a sign-in{detail}; check it by hand in a signed-in browser.",
    "timeout": "the server did not answer in time{detail}.",
    "unreachable": "the server could not be reached{detail}.",
    "redirect-loop": "the redirects never end{detail}.",
    "rate-limited": "the server asks to wait before asking again{detail}; check it later.",
    "unsafe-redirect": "it redirects to {final}{detail}, which the check does not follow; "
    "check it by hand.",
    "invalid": "it is not a valid URL{detail}.",
}
# Outcome status -> Problem kind (ok and redirected are not problems).
KIND_OF = {
    "broken": "http-status",
    "timeout": "timeout",
    "unreachable": "network-error",
    "login-required": "login-required",
    "rate-limited": "rate-limited",
    "unsafe-redirect": "unsafe-redirect",
    "redirect-loop": "redirect-loop",
    "invalid": "invalid-url",
}


@dataclass(frozen=True, slots=True)
class Options:
    timeout: float = 10.0
    per_host: int = 2
    max_concurrency: int = 16
    max_redirects: int = 10
    # 429: wait Retry-After up to this many seconds, at most `retries_429` times.
    max_retry_wait: float = 10.0
    retries_429: int = 2
    # The whole run (seconds, None: no limit) and one URL's requests (None: derived, see url_time).
    max_time: float | None = 600.0
    url_deadline: float | None = None
    allow_private_redirects: bool = False
    check_fragments: bool = False
    cache_dir: str | None = ".cache/linkcheck"
    cache_max_age: float = 86400.0
    progress: bool | None = None  # None: on a TTY with at least PROGRESS_MIN URLs

    @property
    def url_time(self) -> float:
        """Seconds one URL's requests may take in all: its reads, its redirects, its waits."""
        if self.url_deadline is not None:
            return self.url_deadline
        return 3 * self.timeout + self.retries_429 * self.max_retry_wait


@dataclass(frozen=True, slots=True)
class Outcome:
    url: str  # as checked, without the fragment
    status: str
    code: int | None = None
    final_url: str | None = None
    detail: str = ""
    anchors: frozenset[str] | None = None
    from_cache: bool = False


@dataclass
class _Run:
    options: Options
    client: object
    pins: dict[str, str]  # host -> the address its check approved (shared with the transport)
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    requests: int = 0
    deadline: float | None = None  # the run's, on the event loop's clock

    def host_limit(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        if host not in self.hosts:
            self.hosts[host] = asyncio.Semaphore(self.options.per_host)
        return self.hosts[host]


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def _run(make_coroutine):
    """asyncio.run, also from a thread whose event loop is busy (a caller using Playwright)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def check_external(
    links: dict[str, list[str]], options: Options | None = None
) -> tuple[list[Problem], list[tuple[str, Outcome]]]:
    """Check every URL in `links` (URL as written -> pages); returns (problems, notes).

    `notes` are (url, outcome) pairs for links that work but redirect: worth updating.
    """
    options = options or Options()
    wanted: dict[str, set[str]] = {}
    for url in links:
        base, _, fragment = url.partition("#")
        frags = wanted.setdefault(base, set())
        if fragment and options.check_fragments:
            frags.add(fragment)
    cache = Cache(options.cache_dir, options.cache_max_age) if options.cache_dir else None
    outcomes = _run(lambda: _check_all(wanted, options, cache))
    if cache is not None and any(not o.from_cache for o in outcomes.values()):
        for base, outcome in outcomes.items():
            if outcome.status in ("ok", "redirected") and not outcome.from_cache:
                anchors = outcome.anchors
                # A missing fragment is a failure: then the page's anchors are not cached.
                if anchors is not None and any(f not in anchors for f in wanted[base]):
                    anchors = None
                cache.put(base, outcome.status, outcome.code, outcome.final_url, anchors)
        cache.save()
    return _problems(links, outcomes, options)


def _problems(links, outcomes, options) -> tuple[list[Problem], list[tuple[str, Outcome]]]:
    from playbook.linkcheck.internal import fragment_problem

    problems, notes = [], []
    for url, pages in links.items():
        base, _, fragment = url.partition("#")
        outcome = outcomes[base]
        if outcome.status in ("ok", "redirected"):
            if outcome.status == "redirected":
                notes.append((url, outcome))
            if fragment and options.check_fragments and outcome.anchors is not None:
                message = fragment_problem(
                    outcome.anchors, fragment, f"'{outcome.final_url or base}'"
                )
                if message:
                    problems += [
                        Problem(p, url, "missing-fragment", outcome.code, message) for p in pages
                    ]
            continue
        message = _message(outcome)
        problems += [Problem(p, url, KIND_OF[outcome.status], outcome.code, message) for p in pages]
    return problems, notes


def _message(outcome: Outcome) -> str:
    detail = f" ({outcome.detail})" if outcome.detail else ""
    return MESSAGES[outcome.status].format(
        code=outcome.code, detail=detail, final=f"'{outcome.final_url}'"
    )


async def _check_all(
    wanted: dict[str, set[str]], options: Options, cache: Cache | None
) -> dict[str, Outcome]:
    import httpx

    from playbook.linkcheck.pinning import pinned_transport

    outcomes: dict[str, Outcome] = {}
    todo = []
    for base, frags in wanted.items():
        hit = cache.get(base, need_anchors=bool(frags)) if cache else None
        if hit is not None:
            outcomes[base] = Outcome(
                base,
                hit["status"],
                hit.get("code"),
                hit.get("final"),
                anchors=frozenset(hit["anchors"]) if hit.get("anchors") is not None else None,
                from_cache=True,
            )
        else:
            todo.append(base)
    if not todo:
        return outcomes
    limits = httpx.Limits(
        max_connections=options.max_concurrency, max_keepalive_connections=options.max_concurrency
    )
    timeout = httpx.Timeout(options.timeout)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    pins: dict[str, str] = {}
    transport = pinned_transport(limits, pins)
    async with httpx.AsyncClient(
        timeout=timeout, transport=transport, follow_redirects=False, headers=headers
    ) as client:
        run = _Run(options, client, pins=pins)
        loop = asyncio.get_running_loop()
        if options.max_time is not None:
            run.deadline = loop.time() + options.max_time
        show = (
            options.progress
            if options.progress is not None
            else (sys.stderr.isatty() and len(todo) >= PROGRESS_MIN)
        )
        progress = _progress(len(todo)) if show else None

        async def one(base: str) -> None:
            try:
                async with asyncio.timeout_at(run.deadline):
                    outcomes[base] = await _check_url(run, base, bool(wanted[base]))
            except TimeoutError:
                detail = f"the run's --max-time of {options.max_time:g} s ran out first"
                outcomes[base] = Outcome(base, "timeout", None, base, detail)
            if progress is not None:
                progress[0].advance(progress[1])

        try:
            await asyncio.gather(*(one(b) for b in todo))
        finally:
            if progress is not None:
                progress[0].stop()
    return outcomes


def _progress(total: int):
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("Checking external links", total=total)
    bar.start()
    return bar, task


async def _check_url(run: _Run, url: str, need_body: bool) -> Outcome:
    import httpx

    start = current = "https:" + url if url.startswith("//") else url  # protocol-relative
    seen = {current}
    budget = [run.options.url_time]  # seconds left for this URL's requests (shared by its hops)
    try:
        for _hop in range(run.options.max_redirects + 1):
            code, headers, body = await _fetch(run, current, need_body, budget)
            if code == 429 and headers.get("x-playbook-wait"):
                detail = (
                    f"Retry-After: {headers.get('retry-after')}; "
                    f"this check waits at most {headers['x-playbook-wait']}"
                )
                return Outcome(url, "rate-limited", code, current, detail)
            location = headers.get("location")
            if code in REDIRECT_CODES and location:
                nxt = urljoin(current, location.strip()).partition("#")[0]
                if nxt in seen:
                    return Outcome(url, "redirect-loop", code, nxt, f"back to {nxt}")
                try:
                    refused = await unsafe_redirect(
                        current, nxt, run.options.allow_private_redirects, run.pins
                    )
                except Unresolvable as exc:
                    return Outcome(url, "unreachable", code, nxt, str(exc))
                if refused:
                    return Outcome(url, "unsafe-redirect", code, nxt, refused)
                seen.add(nxt)
                current = nxt
                continue
            return _classify(url, start, current, code, headers, body)
        return Outcome(
            url, "redirect-loop", None, current, f"more than {run.options.max_redirects} redirects"
        )
    except TimeoutError:
        detail = f"no complete answer within {run.options.url_time:g} s"
        return Outcome(url, "timeout", None, current, detail)
    except httpx.TimeoutException:
        return Outcome(url, "timeout", None, current, f"{run.options.timeout:g} s")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        return Outcome(url, "invalid", None, current, str(exc))
    except httpx.TransportError as exc:
        return Outcome(url, "unreachable", None, current, str(exc) or type(exc).__name__)


async def _resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port)
    return [str(info[4][0]) for info in infos]


class Unresolvable(Exception):
    """A redirect's host had no address when it was checked: no request is sent to it."""


async def unsafe_redirect(
    current: str,
    target: str,
    allow_private: bool,
    pins: dict[str, str] | None = None,
    resolve: Callable[[str, int], Awaitable[list[str]]] | None = None,
) -> str | None:
    """Why a redirect from `current` to `target` is not followed, or None to follow it.

    When another host's name is approved, the address checked goes into `pins`, so the request
    goes there and not to whatever a second lookup answers (DNS rebinding)."""
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return f"a '{scheme}:' address, not a web page; a link must lead to an http(s) page"
    if allow_private:
        return None
    host = (parts.hostname or "").lower()
    if not host or host == (urlsplit(current).hostname or "").lower():
        return None  # the same host: as safe as the link itself
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = await (resolve or _resolve)(host, parts.port or 443)
        except OSError as exc:
            raise Unresolvable(
                f"{host} has no address ({exc.strerror or exc}); nothing was sent to it"
            ) from exc
        addresses = [ipaddress.ip_address(address.partition("%")[0]) for address in found]
        if not addresses:
            raise Unresolvable(f"{host} has no address; nothing was sent to it") from None
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is 127.0.0.1
        if not (mapped or address).is_global:
            return (
                f"another host with the non-public address {address}; "
                "--allow-private-redirects follows such redirects on an intranet"
            )
    if pins is not None:
        pins[host] = str(addresses[0])
    return None


def _classify(url: str, start: str, final: str, code: int, headers, body: bytes | None) -> Outcome:
    redirected = final != start
    if code == 401 or (code == 403 and _sign_in_wall(headers, body, final)):
        return Outcome(url, "login-required", code, final, f"HTTP {code}")
    if code == 429:
        wait = headers.get("retry-after")
        detail = f"too many requests; Retry-After: {wait}" if wait else "too many requests"
        return Outcome(url, "broken", code, final, detail)
    if code >= 400:
        return Outcome(url, "broken", code, final)
    if (
        redirected
        and RE_LOGIN_PATH.search(urlsplit(final).path)
        and not RE_LOGIN_PATH.search(urlsplit(start).path)
    ):
        return Outcome(url, "login-required", code, final, "redirected to a sign-in page")
    anchors = None
    if body is not None and "html" in headers.get("content-type", "html"):
        from playbook.linkcheck.collect import parse_page

        anchors = parse_page(body).anchors
    return Outcome(url, "redirected" if redirected else "ok", code, final, anchors=anchors)


def _sign_in_wall(headers, body: bytes | None, final: str) -> bool:
    return bool(
        "www-authenticate" in headers
        or RE_LOGIN_PATH.search(urlsplit(final).path)
        or (body and RE_SIGN_IN_PAGE.search(body[:65536]))
    )


async def _fetch(
    run: _Run, url: str, need_body: bool, budget: list[float]
) -> tuple[int, dict, bytes | None]:
    """(status, lower-cased headers, body or None) for one URL, HEAD then GET as needed."""
    if not need_body:
        code, headers, _ = await _request(run, "HEAD", url, False, budget)
        if code not in HEAD_REFUSED:
            return code, headers, None
    return await _request(run, "GET", url, True, budget)


async def _request(
    run: _Run, method: str, url: str, read: bool, budget: list[float]
) -> tuple[int, dict, bytes | None]:
    """One request (and its 429 retries) within the URL's `budget`, which it spends."""
    options = run.options
    loop = asyncio.get_running_loop()
    async with run.host_limit(url):
        started = loop.time()
        try:
            async with asyncio.timeout(max(budget[0], 0.0)):
                for attempt in range(options.retries_429 + 1):
                    run.requests += 1
                    code, headers, body = await _send(run.client, method, url, read)
                    if code != 429 or attempt == options.retries_429:
                        return code, headers, body
                    wait = retry_after_seconds(headers.get("retry-after"))
                    wait = 1.0 if wait is None else wait
                    left = budget[0] - (loop.time() - started)
                    if wait > options.max_retry_wait or wait >= left:
                        # Beyond the bound: report it (rate-limited) rather than wait.
                        headers["x-playbook-wait"] = f"{min(options.max_retry_wait, left):.0f} s"
                        return code, headers, body
                    # Wait inside the host's slot: nothing else goes to that host meanwhile.
                    await asyncio.sleep(wait)
        finally:
            budget[0] -= loop.time() - started
    raise AssertionError("unreachable")


async def _send(client, method: str, url: str, read: bool) -> tuple[int, dict, bytes | None]:
    response = await client.send(client.build_request(method, url), stream=True)
    try:
        headers = {k.lower(): v for k, v in response.headers.items()}
        if not read:
            return response.status_code, headers, None
        # Raw bytes: httpx would inflate every Content-Encoding layer without a bound.
        chunks, size = [], 0
        async for chunk in response.aiter_raw():
            chunks.append(chunk)
            size += len(chunk)
            if size >= BODY_LIMIT:
                break
        return response.status_code, headers, _decoded(b"".join(chunks), headers)
    finally:
        await response.aclose()


def _decoded(raw: bytes, headers: dict) -> bytes | None:
    """The body, inflated to at most BODY_LIMIT bytes; None for an encoding not read here."""
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw[:BODY_LIMIT]
    if encoding not in GZIP_ENCODINGS:
        return None  # several layers, br, ...: the status is known, the anchors are not
    try:
        # gzip: a header (auto-detected with +32); deflate: the zlib format.
        inflate = zlib.decompressobj(zlib.MAX_WBITS | (32 if encoding != "deflate" else 0))
        return inflate.decompress(raw, BODY_LIMIT)
    except zlib.error:
        return None
