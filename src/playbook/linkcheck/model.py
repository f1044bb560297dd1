"""The link checker's data: one `Problem` per broken link, and the kinds a problem can have."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Every kind a problem can have (the `kind` key of `--format jsonl`).
KINDS = (
    "missing-file",
    "missing-fragment",
    "outside-site",
    "http-status",
    "redirect-loop",
    "timeout",
    "network-error",
    "login-required",
    "invalid-url",
)
# Reported, but never by themselves a reason to fail (exit code 1 or a strict build).
SOFT_KINDS = frozenset({"login-required"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken link: where it is written, as written, what is wrong and (when known) the fix.

    `message` is a clause that follows "contains a link 'URL', but ...", e.g. "the target is not
    found in the built site. Did you mean '../z/'?".
    """

    page: str
    url: str
    kind: str
    status: int | None
    message: str

    @property
    def blocking(self) -> bool:
        return self.kind not in SOFT_KINDS

    def as_dict(self) -> dict:
        return asdict(self)


def sort_key(problem: Problem) -> tuple[str, str, str]:
    return (problem.page, problem.url, problem.kind)
