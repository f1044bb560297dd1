"""Check the links of a built static site: collect -> check -> report, as in lychee.

`check_site(site_dir)` is the pure core (hyperlink's model): every file under the site is a
defined target, every `.html` file is parsed once with selectolax's lexbor backend, its links and
anchors are collected, and each internal link is resolved with set lookups. External links
(`external.py`) and the onboarding registry (`registry.py`) are checked on request. The command
(`cli.py`) and the MkDocs hook (`hooks/postbuild.py`) only call these and report.

Imports stay lazy: `playbook check-links` must start fast.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

if TYPE_CHECKING:
    from playbook.linkcheck.internal import check_site
    from playbook.linkcheck.model import Problem

__all__ = ["Problem", "check_site"]


def __getattr__(name: str):
    # Lazy re-exports: importing the package costs nothing until a name is used.
    if name == "check_site":
        from playbook.linkcheck.internal import check_site

        return check_site
    if name == "Problem":
        from playbook.linkcheck.model import Problem

        return Problem
    raise AttributeError(name)
