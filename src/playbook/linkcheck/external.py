"""Check external (http/https) links: opt-in, concurrent, polite, and cached, as lychee does.

Each distinct URL (without its fragment) is fetched once: HEAD first, GET when HEAD is refused,
redirects followed by hand (a maximum, and loop detection), 429 answered by waiting the
`Retry-After` (up to a bound), at most `per_host` requests at a time to one host. Outcomes are
named (`Outcome.status`): ok, redirected, broken, timeout, unreachable, login-required,
redirect-loop, invalid. Successes are cached in `.cache/linkcheck/`; failures never are.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
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

# Outcome status -> the problem's message.
MESSAGES = {
    "broken": "the server answered {code}{detail}.",
    "login-required": "it needs a sign-in{detail}; check it by hand in a signed-in browser.",
    "timeout": "the server did not answer in time{detail}.",
    "unreachable": "the server could not be reached{detail}.",
    "redirect-loop": "the redirects never end{detail}.",
    "invalid": "it is not a valid URL{detail}.",
}
# Outcome status -> Problem kind (ok and redirected are not problems).
KIND_OF = {
    "broken": "http-status",
    "timeout": "timeout",
    "unreachable": "network-error",
    "login-required": "login-required",
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
    max_retry_wait: float = 30.0
    retries_429: int = 2
    check_fragments: bool = False
    cache_dir: str | None = ".cache/linkcheck"
    cache_max_age: float = 86400.0
    progress: bool | None = None  # None: on a TTY with at least PROGRESS_MIN URLs


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
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    requests: int = 0

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
    return MESSAGES[outcome.status].format(code=outcome.code, detail=detail)


async def _check_all(
    wanted: dict[str, set[str]], options: Options, cache: Cache | None
) -> dict[str, Outcome]:
    import httpx

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
    async with httpx.AsyncClient(
        timeout=timeout, limits=limits, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    ) as client:
        run = _Run(options, client)
        show = (
            options.progress
            if options.progress is not None
            else (sys.stderr.isatty() and len(todo) >= PROGRESS_MIN)
        )
        progress = _progress(len(todo)) if show else None

        async def one(base: str) -> None:
            outcomes[base] = await _check_url(run, base, bool(wanted[base]))
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
    try:
        for _hop in range(run.options.max_redirects + 1):
            code, headers, body = await _fetch(run, current, need_body)
            location = headers.get("location")
            if code in REDIRECT_CODES and location:
                nxt = urljoin(current, location).partition("#")[0]
                if nxt in seen:
                    return Outcome(url, "redirect-loop", code, nxt, f"back to {nxt}")
                seen.add(nxt)
                current = nxt
                continue
            return _classify(url, start, current, code, headers, body)
        return Outcome(
            url, "redirect-loop", None, current, f"more than {run.options.max_redirects} redirects"
        )
    except httpx.TimeoutException:
        return Outcome(url, "timeout", None, current, f"{run.options.timeout:g} s")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        return Outcome(url, "invalid", None, current, str(exc))
    except httpx.TransportError as exc:
        return Outcome(url, "unreachable", None, current, str(exc) or type(exc).__name__)


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


async def _fetch(run: _Run, url: str, need_body: bool) -> tuple[int, dict, bytes | None]:
    """(status, lower-cased headers, body or None) for one URL, HEAD then GET as needed."""
    if not need_body:
        code, headers, _ = await _request(run, "HEAD", url, read=False)
        if code not in HEAD_REFUSED:
            return code, headers, None
    return await _request(run, "GET", url, read=True)


async def _request(run: _Run, method: str, url: str, read: bool) -> tuple[int, dict, bytes | None]:
    options = run.options
    async with run.host_limit(url):
        for attempt in range(options.retries_429 + 1):
            run.requests += 1
            response = await run.client.send(run.client.build_request(method, url), stream=True)
            try:
                headers = {k.lower(): v for k, v in response.headers.items()}
                code = response.status_code
                if code == 429 and attempt < options.retries_429:
                    wait = retry_after_seconds(headers.get("retry-after"))
                    wait = 1.0 if wait is None else wait
                    if wait <= options.max_retry_wait:
                        # Wait inside the host's slot: nothing else goes to that host meanwhile.
                        await asyncio.sleep(wait)
                        continue
                body = None
                if read:
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= BODY_LIMIT:
                            break
                    body = b"".join(chunks)
                return code, headers, body
            finally:
                await response.aclose()
    raise AssertionError("unreachable")
