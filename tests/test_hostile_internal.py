"""Issue 13, finding 8: the internal link check on hostile built sites (nesting, symlinks, FIFOs).

Each check runs the real command as a child process with a deadline, so a hang fails the test
instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from playbook.linkcheck.collect import MAX_DEPTH, too_deep
from playbook.linkcheck.internal import scan

PAGE = "<!doctype html><html><head><title>t</title></head><body>{}</body></html>"


def write(root: Path, rel: str, body: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(body), encoding="utf-8")
    return path


def check_links(site: Path, limit: float = 10.0) -> tuple[int, dict[str, dict], float]:
    """Run `playbook check-links SITE --format jsonl`; (exit code, rows by page, seconds)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "playbook.cli", "check-links", str(site), "--format", "jsonl"],
        capture_output=True, text=True, timeout=limit,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert done.stderr == ""
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, {(r["page"], r["url"]): r for r in rows}, seconds


def test_a_million_nested_divs_are_reported_within_ten_seconds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", '<a href="deep.html">deep</a> <a href="missing/">x</a>')
    n = 1_000_000
    (site / "deep.html").write_bytes(
        b"<!doctype html><html><body>" + b"<div>" * n + b'<a href="nowhere/">x</a>' + b"</div>" * n
    )
    code, rows, seconds = check_links(site)
    assert seconds < 10
    assert code == 1
    assert rows[("deep.html", "deep.html")]["kind"] == "page-too-complex"
    assert f"nest more than {MAX_DEPTH} levels deep" in rows[("deep.html", "deep.html")]["message"]
    # The other pages are still checked.
    assert rows[("index.html", "missing/")]["kind"] == "missing-file"


def test_depth_is_counted_only_where_it_matters() -> None:
    normal = PAGE.format("<p>one<p>two<br><img src=a.png>" * 5000).encode()
    assert not too_deep(normal)  # unclosed <p> and void elements do not nest
    assert too_deep(b"<span>" * (MAX_DEPTH + 1) + b"<b>x</b>" * 10_000)


def test_fifos_devices_and_symlinks_are_reported_never_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    outside = tmp_path / "secret"
    write(outside, "passwd.html", "<p>not for the site</p>")
    write(
        site,
        "index.html",
        '<a href="x.html">fifo</a> <a href="zero.html">zero</a> <a href="passwd.html">p</a> '
        '<a href="private/passwd.html">dir</a>',
    )
    os.mkfifo(site / "x.html")  # opening it for reading would block forever
    (site / "zero.html").symlink_to("/dev/zero")  # reading it never ends
    (site / "passwd.html").symlink_to(outside / "passwd.html")
    (site / "private").symlink_to(outside)
    (site / "gone.html").symlink_to(site / "nothing-here.html")
    code, rows, seconds = check_links(site)
    assert seconds < 10
    assert code == 1
    kinds = {key: row["kind"] for key, row in rows.items()}
    assert kinds[("x.html", "x.html")] == "unreadable-file"
    assert rows[("x.html", "x.html")]["message"].startswith("it is a named pipe (FIFO), not a file")
    assert kinds[("zero.html", "zero.html")] == "outside-site"
    assert kinds[("passwd.html", "passwd.html")] == "outside-site"
    assert kinds[("private", "private")] == "outside-site"
    assert kinds[("gone.html", "gone.html")] == "missing-file"
    # Not served, so the links to them are broken too.
    for link in ("passwd.html", "private/passwd.html", "zero.html", "x.html"):
        assert kinds[("index.html", link)] == "missing-file"


def test_folder_symlinks_inside_the_site_are_served_as_nginx_serves_them(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "chapters/a/index.html", '<h2 id="why">Why</h2><a href="../../index.html">home</a>')
    (site / "latest").symlink_to("chapters")  # relative, inside the site
    (site / "mirror").symlink_to(".")  # the site's own root, served again under /mirror/
    (site / "home.html").symlink_to(site / "index.html")
    write(
        site,
        "index.html",
        '<a href="latest/a/">a</a> <a href="latest/a/#why">why</a> <a href="latest/a/#nope">no</a>'
        ' <a href="home.html">home</a>',
    )
    result = scan(site)
    assert "latest/a/index.html" in result.files
    assert {"mirror/index.html", "mirror/chapters/a/index.html"} <= result.files
    assert sorted(result.pages) == ["chapters/a/index.html", "index.html"]  # each page read once
    problems = [(p.page, p.url, p.kind) for p in result.problems()]
    assert problems == [("index.html", "latest/a/#nope", "missing-fragment")]
