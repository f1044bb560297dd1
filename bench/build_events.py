"""Where a build's CPU goes: CPU seconds per MkDocs event handler, Markdown and page templates.

Runs `mkdocs` in this process with each plugin and hook event handler, `Page.render` (Markdown)
and `_build_page` (the page template) timed by `time.process_time`, then prints the totals. Unlike
cProfile (wall clock, heavy per-call overhead), the figures add up to the build's CPU time, so two
setups can be compared on a loaded machine. Used for the "Where the time goes" paragraph of
bench/results/build_scale.md:

    cd bench/.work/1000/full && ../../../../.venv/bin/python ../../../build_events.py build -q -d /tmp/s
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from collections import defaultdict
from typing import Any

import mkdocs.commands.build as build_module
import mkdocs.plugins
from mkdocs.structure.pages import Page

SPENT: dict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - start

    setattr(owner, name, wrapper)


def run_event(
    self: mkdocs.plugins.PluginCollection, name: str, item: Any = None, **kwargs: Any
) -> Any:
    """PluginCollection.run_event (MkDocs 1.6), timing each handler."""
    for method in self.events[name]:
        # MkDocs names the plugin that adds a generated file (File.generated) from this.
        self._current_plugin = self._event_origins.get(method, "<unknown>")
        start = time.process_time()
        data = method(item, **kwargs) if item is not None else method(**kwargs)
        SPENT[f"on_{name}: {getattr(method, '__module__', '?')}"] += time.process_time() - start
        if data is not None:
            item = data
    self._current_plugin = None
    return item


def report() -> None:
    times = os.times()
    print(f"CPU {times.user + times.system:.2f} s (user + system), of which:", file=sys.stderr)
    for label, seconds in sorted(SPENT.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {seconds:6.2f} s  {label}", file=sys.stderr)


if __name__ == "__main__":
    mkdocs.plugins.PluginCollection.run_event = run_event  # type: ignore[method-assign]
    timed(Page, "render", "Page.render (Markdown, plugins' page events excluded)")
    timed(build_module, "_build_page", "_build_page (page template, page events included)")
    atexit.register(report)
    from mkdocs.__main__ import cli

    cli()
