"""Releases reach readers through real nginx with no reload: the configuration is written once for
the DEST symlink, then publishes, a rollback and pruning switch what readers get at the next
request, and Chromium sees no CSP violation on a release built after the configuration."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from nginx_server import free_port, serve
from sitebuild import copy_project

from playbook import cli

PLAYBOOK = Path(sys.executable).parent / "playbook"
SUB_PATH = "/playbooks/social/"
NEW_PAGE = (
    "---\nowner: Test\nlast_reviewed: 2026-01-01\nreview_by: 2099-12-31\n"
    'summary: "A test page."\naudience: staff\n---\n# {title}\n\n{text}\n'
)
CSP_REPORTER = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' ' + (e.sample || '')))"
)


def publish(project: Path, dest: Path, *extra: str, site_url: str | None = None) -> str:
    env = dict(os.environ)
    if site_url:
        env["PLAYBOOK_SITE_URL"] = site_url
    result = subprocess.run(
        [str(PLAYBOOK), "publish", str(dest), "--config-file", str(project / "mkdocs.yml"), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def add_page(project: Path, rel: str, title: str, text: str) -> None:
    page = project / "docs" / rel
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(NEW_PAGE.format(title=title, text=text), encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("validation:\n", f"not_in_nav: |\n  /{rel}\n\nvalidation:\n", 1)
        if "not_in_nav" not in config.read_text()
        else config.read_text().replace("not_in_nav: |\n", f"not_in_nav: |\n  /{rel}\n", 1)
    )


def mark_start(project: Path, marker: str) -> None:
    page = project / "docs" / "start-here.md"
    page.write_text(page.read_text() + f"\n{marker}\n")


class Poller:
    """Requests pages in a loop (bounded) while a publish runs; records any answer but 200."""

    def __init__(self, urls: list[str]) -> None:
        self.urls, self.bad, self.count = urls, [], 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=5) as client:
            while not self.stop.is_set() and self.count < 20000:
                for url in self.urls:
                    status = client.get(url).status_code
                    self.count += 1
                    if status != 200:
                        self.bad.append(f"{url}: {status}")

    def __enter__(self) -> Poller:
        self.thread.start()
        deadline = time.monotonic() + 10
        while self.count < len(self.urls) and time.monotonic() < deadline:
            time.sleep(0.01)  # at least one round before the switch
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def test_publishes_and_rollback_reach_readers_through_nginx_without_reload(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    dest = tmp_path / "www" / "playbook"
    dest.parent.mkdir()
    mark_start(project, "Marker one.")
    publish(project, dest, "--keep", "2")
    conf = tmp_path / "written-once.conf"
    assert cli.main(["nginx-conf", str(dest), "--base-path", SUB_PATH, "-o", str(conf)]) == 0
    assert f"alias {dest}/;" in conf.read_text()

    with serve(dest, tmp_path / "nginx", SUB_PATH) as nginx:
        start = nginx.url + "start-here/"
        assert "Marker one." in httpx.get(start).text
        assert httpx.get(nginx.url + "fresh/").status_code == 404

        # Publish 2: a new page and new text are served at once, with no reload.
        add_page(project, "fresh.md", "Fresh page", "Only in release two and later.")
        mark_start(project, "Marker two.")
        with Poller([nginx.url, start]) as during:
            publish(project, dest, "--keep", "2")
        assert "Marker two." in httpx.get(start).text
        fresh = httpx.get(nginx.url + "fresh/")
        assert fresh.status_code == 200 and "Only in release two and later." in fresh.text

        # Publish 3 prunes release 1 (--keep 2): readers never see an outage.
        mark_start(project, "Marker three.")
        with Poller([nginx.url, start, nginx.url + "fresh/"]) as pruning:
            out = publish(project, dest, "--keep", "2")
        assert "Removed old release 0001-" in out
        assert "Marker three." in httpx.get(start).text

        # Rollback: release 2's content returns at the next request.
        with Poller([nginx.url, start, nginx.url + "fresh/"]) as rolling:
            subprocess.run(
                [str(PLAYBOOK), "publish", str(dest), "--rollback"], check=True, capture_output=True
            )
        back = httpx.get(start).text
        assert "Marker two." in back and "Marker three." not in back
        assert httpx.get(nginx.url + "fresh/").status_code == 200
        for path in ("", "chapters/value-and-roi/", "assets/javascripts/playbook-scope.js"):
            assert httpx.get(nginx.url + path).status_code == 200, path
        assert nginx.process.poll() is None  # the same nginx process, never reloaded

    for poller in (during, pruning, rolling):
        assert poller.count > 0 and poller.bad == []


def test_chromium_sees_no_csp_violation_on_a_release_published_after_the_config(
    tmp_path: Path, browser
):
    project = copy_project(tmp_path / "project")
    dest = tmp_path / "www" / "playbook"
    dest.parent.mkdir()
    publish(project, dest)  # built for the default site URL
    port = free_port()
    with serve(dest, tmp_path / "nginx", SUB_PATH, port=port) as nginx:
        config_before = (nginx.prefix / "nginx.conf").read_text()
        # A later release: another site URL (the one readers now use) and a page two levels deeper.
        add_page(project, "toolkit/deeper/extra.md", "Deeper page", "A page two folders down.")
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text().replace(
                "redirect_maps: {}", "redirect_maps: {'old/start.md': 'start-here.md'}"
            )
        )
        publish(project, dest, site_url=nginx.url)
        assert (nginx.prefix / "nginx.conf").read_text() == config_before

        console: list[str] = []
        context = browser.new_context()
        context.add_init_script(CSP_REPORTER)
        page = context.new_page()
        page.on(
            "console",
            lambda m: m.type in ("error", "warning") and console.append(f"{page.url}: {m.text}"),
        )
        page.on("pageerror", lambda e: console.append(f"{page.url}: uncaught {e}"))
        for path in ("", "toolkit/deeper/extra/", "chapters/tough-questions/cfo/", "no/such/"):
            page.goto(nginx.url + path, wait_until="networkidle")
            # Material's helpers come from the static script, at any depth.
            assert page.evaluate("() => typeof __md_get === 'function'"), path
            assert page.evaluate("() => __md_scope.href") == nginx.url, path
        # A stub of mkdocs-redirects forwards with the reader's anchor, with no inline script.
        page.goto(nginx.url + "old/start/#somewhere", wait_until="networkidle")
        assert page.url == nginx.url + "start-here/#somewhere"
        # The palette toggle stores the choice through __md_set and it survives a reload.
        page.goto(nginx.url + "toolkit/deeper/extra/", wait_until="networkidle")
        scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        page.wait_for_function(
            "s => document.body.getAttribute('data-md-color-scheme') !== s", arg=scheme
        )
        page.reload(wait_until="networkidle")
        assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") != scheme
        # Instant navigation (same site URL now) and search work on the new release.
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").press_sequentially("deeper", delay=10)
        page.wait_for_function(
            "() => document.querySelectorAll('.md-search-result__link').length > 0", timeout=15000
        )
        page.goto(nginx.url, wait_until="networkidle")
        page.evaluate("window.__marker = 1")
        page.locator("a.md-footer__link--next").click()
        page.wait_for_function("p => location.pathname !== p", arg=SUB_PATH)
        assert page.evaluate("() => window.__marker") == 1  # swapped in place: instant navigation
        context.close()
    assert [line for line in console if "/no/such/" not in line] == []
