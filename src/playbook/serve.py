"""Keep `mkdocs serve` answering with the last good pages while a rebuild is failing.

MkDocs 1.6's live-reload server empties its site folder at the start of every rebuild, and after
a failed rebuild it blocks every page request ("The server will appear stuck until build errors
are resolved"), so one typo in a macro stalls the writer's browser. `keep_last_good_site(server)`
wraps the server's builder: the last good site is copied aside before each rebuild; when the rebuild
fails, the error is reported in the terminal and the server serves the site set aside until a
rebuild succeeds. The playbook plugin installs it in `on_serve`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import traceback
from collections.abc import Callable
from typing import Any

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

# The state of mkdocs.livereload.LiveReloadServer (mkdocs 1.6) this relies on.
SERVER_ATTRS = ("builder", "root", "_epoch_cond", "_visible_epoch", "_wanted_epoch")


def keep_last_good_site(server: Any) -> bool:
    """Wrap `server.builder`; False (and nothing changed) if the server lacks the expected state."""
    if not all(hasattr(server, name) for name in SERVER_ATTRS):
        log.debug("mkdocs serve's server has changed; failed rebuilds will block page requests")
        return False
    build: Callable[..., Any] = server.builder
    site_dir = str(server.root)
    last_good = site_dir.rstrip(os.sep) + ".last-good"
    atexit.register(shutil.rmtree, last_good, ignore_errors=True)  # serve removes only its own

    def build_or_keep_last_good(*args: Any, **kwargs: Any) -> None:
        if server.root == site_dir:  # the site being served is good: keep a copy (~50 ms)
            shutil.rmtree(last_good, ignore_errors=True)
            shutil.copytree(site_dir, last_good)  # a copy, not a move: `serve --dirty` builds on it
        try:
            build(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the server
            if not isinstance(exc, SystemExit):
                traceback.print_exc()  # build() has not logged it: show where it happened
            # The site being built is abandoned: serve the last good one, no browser reload.
            with server._epoch_cond:
                server.root = last_good
                server._wanted_epoch = server._visible_epoch
                server._epoch_cond.notify_all()
            reason = "" if isinstance(exc, SystemExit) else f" ({type(exc).__name__}: {exc})"
            log.warning(
                f"The rebuild failed{reason}; still serving the last good build. "
                "Fix the error above and save: the site rebuilds and your browser reloads."
            )
            return
        server.root = site_dir
        shutil.rmtree(last_good, ignore_errors=True)

    server.builder = build_or_keep_last_good
    return True
