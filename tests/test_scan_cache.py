"""The post-build scan's cache: an unchanged page keeps its result, anything that matters is
checked again (playbook.linkcheck.scan_cache), on tiny sites in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_linkcheck import fake_config, load_hook, make_site, page

from playbook.linkcheck.internal import scan

FILES: dict[str, str | bytes] = {
    "index.html": page('<h1 id="home">Home</h1><a href="a/">A</a><a href="b/#part">B</a>'),
    "a/index.html": page('<h1 id="a">A</h1><a href="../missing/">gone</a>'),
    "b/index.html": page('<h1 id="part">B</h1><a href="../">home</a>'),
}


@pytest.fixture(name="site")
def fixture_site(tmp_path: Path) -> Path:
    """The three pages of FILES, built in tmp_path/site (its cache: `tmp_path / "scan.json"`)."""
    return make_site(tmp_path / "site", FILES)


def found(site_dir: Path, cache: Path | None) -> list[tuple[str, str, str]]:
    site = scan(site_dir, inline=True, cache=cache)
    return [(p.page, p.url, p.kind) for p in site.problems()]


def test_a_warm_scan_finds_what_a_scan_without_the_cache_finds(site: Path) -> None:
    cache = site.parent / "scan.json"
    expected = [("a/index.html", "../missing/", "missing-file")]
    assert found(site, None) == expected
    assert found(site, cache) == expected  # cold: writes the cache
    assert set(json.loads(cache.read_text())["pages"]) == set(FILES)
    assert found(site, cache) == expected  # warm


def test_an_unchanged_page_takes_its_result_from_the_cache_and_a_changed_one_is_parsed(
    site: Path,
) -> None:
    cache = site.parent / "scan.json"
    found(site, cache)
    # A result only the cache knows: proves the unchanged page was not parsed again.
    raw = json.loads(cache.read_text())
    raw["pages"]["b/index.html"][1][3] = [["b/index.html", "x", "missing-file", None, "planted"]]
    cache.write_text(json.dumps(raw))
    assert ("b/index.html", "x", "missing-file") in found(site, cache)
    # The page changes (same links, other bytes): parsed again, the planted result is gone.
    (site / "b/index.html").write_text(page('<h1 id="part">B!</h1><a href="../">home</a>'))
    assert found(site, cache) == [("a/index.html", "../missing/", "missing-file")]


def test_a_new_file_in_the_site_rechecks_every_page(site: Path) -> None:
    cache = site.parent / "scan.json"
    assert found(site, cache) == [("a/index.html", "../missing/", "missing-file")]
    make_site(site, {"missing/index.html": page("<h1>Here now</h1>")})  # a/ did not change
    assert found(site, cache) == []


def test_a_fragment_on_another_page_is_checked_against_that_page_as_it_is_now(
    site: Path,
) -> None:
    cache = site.parent / "scan.json"
    found(site, cache)
    # index.html is unchanged (its result comes from the cache); its #part is gone from b/.
    (site / "b/index.html").write_text(page('<h1 id="other">B</h1><a href="../">home</a>'))
    assert ("index.html", "b/#part", "missing-fragment") in found(site, cache)


def test_a_broken_or_foreign_cache_file_is_ignored_and_replaced(site: Path) -> None:
    expected = [("a/index.html", "../missing/", "missing-file")]
    for text in ("{not json", '{"key": "another site", "pages": {}}', '{"key": 1}', "[]"):
        cache = site.parent / "scan.json"
        cache.write_text(text)
        assert found(site, cache) == expected
        assert set(json.loads(cache.read_text())["pages"]) == set(FILES)


def test_the_hook_keeps_its_scan_beside_mkdocs_yml_and_warns_the_same_when_warm(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hook = load_hook()
    make_site(tmp_path / "site", FILES)
    make_site(tmp_path / "docs", {"index.md": "# Home"})
    warned = []
    for _ in range(2):
        caplog.clear()
        with caplog.at_level("WARNING", logger="mkdocs.hooks.postbuild"):
            hook.on_post_build(fake_config(tmp_path))
        warned.append(caplog.messages)
    assert warned[0] == warned[1] and "'../missing/'" in warned[0][0]
    cached = json.loads((tmp_path / ".cache" / "postbuild-scan.json").read_text())
    assert set(cached["pages"]) == set(FILES)
