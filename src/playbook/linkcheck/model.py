"""The link checker's data: one `Problem` per broken link, and the kinds a problem can have."""

from __future__ import annotations

from collections import namedtuple

# Reported, but never by themselves a reason to fail (exit code 1 or a strict build).
SOFT_KINDS = frozenset({"login-required", "rate-limited", "unsafe-redirect"})


class Problem(namedtuple("Problem", "page url kind status message")):
    """One broken link: where it is written, as written, what is wrong and (when known) the fix.

    page: str, the HTML file relative to the site (or the registry file); url: str, as written;
    kind: str, one of missing-file, missing-fragment, outside-site, http-status, redirect-loop,
    timeout, network-error, login-required, invalid-url (the `kind` key of `--format jsonl`);
    status: int | None, the HTTP status; message: str, a clause that follows "contains a link 'URL', but ...", e.g. "the target is not found in the built site.
    Did you mean '../z/'?".

    A named tuple, not a dataclass: importing dataclasses costs the command's start-up time.
    """

    __slots__ = ()

    @property
    def blocking(self) -> bool:
        return self.kind not in SOFT_KINDS

    def as_dict(self) -> dict:
        return self._asdict()
