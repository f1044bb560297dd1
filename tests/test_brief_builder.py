"""The brief builder (toolkit/brief-builder/) in Debian's Chromium, served by the project's nginx
configuration under /playbooks/social/: filled through its labels, printed with `page.pdf`, read
back with pypdf and compared with what `playbook brief` prints for the same profile.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader
from sitebuild import ROOT

from playbook.brief import builder_data
from playbook.brief import cli as brief_cli
from playbook.brief.content import BriefInputs, load_brief, read_profile
from playbook.brief.siteinfo import read_site_info
from playbook.dates import build_date
from playbook.playdata import load_roles

DATA = ROOT / "data"
EXAMPLES = sorted((DATA / "profiles").glob("example-*.yml"))
PAGE = "toolkit/brief-builder/"
XSS = "<img src=x onerror=alert(1)>"
PLAYBOOK = Path(sys.executable).parent / "playbook"


def flat(text: str) -> str:
    return " ".join(text.split())


def open_builder(browser, nginx_site, query: str = "", **context_args):
    context = browser.new_context(accept_downloads=True, **context_args)
    page = context.new_page()
    page.goto(nginx_site.url + PAGE + query, wait_until="load")
    page.wait_for_selector("#pb-brief-builder[data-ready]")
    return context, page


def fill(page, profile) -> None:
    """Fill the form as a person would, finding each field by its visible label."""
    page.get_by_label("Name", exact=True).fill(profile.name)
    page.get_by_label("Title", exact=True).fill(profile.title)
    page.get_by_label("Role", exact=True).select_option(profile.role)
    page.get_by_label("Support level").select_option(profile.support_level)
    page.get_by_label("Organisation").fill(profile.organisation)
    page.get_by_label("Industry").select_option(profile.industry)
    page.get_by_label("Meeting date").fill(profile.meeting_date.isoformat())
    page.get_by_label("Presenter").fill(profile.presenter)
    page.get_by_label("The ask").fill(profile.ask or "")
    if getattr(profile, "meeting", None):  # the meeting format, once the profile model has it
        page.get_by_label("Meeting format").select_option(profile.meeting)
    topics = page.get_by_role("group", name="Focus topics")
    for tag in profile.focus:
        topics.get_by_label(builder_data.focus_label(tag), exact=True).check()


def print_pdf(page) -> PdfReader:
    page.emulate_media(media="print")
    data = page.pdf(tagged=True, outline=True, prefer_css_page_size=True)
    page.emulate_media(media="screen")
    return PdfReader(io.BytesIO(data))


def command_pdf(path: Path, browser) -> PdfReader:
    parser = argparse.ArgumentParser()
    brief_cli.add_arguments(parser)
    return PdfReader(io.BytesIO(brief_cli.build_brief(parser.parse_args([str(path)]), browser)))


STORAGE_TEXT = (
    "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
)


def builder_keys(page) -> list[str]:
    """Every key in localStorage (the palette too: it is saved only when the reader switches it)."""
    return page.evaluate("() => Object.keys(localStorage)")


def shadow_text(page) -> str:
    return page.evaluate("() => document.getElementById('pb-brief-preview').shadowRoot.textContent")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_builder_prints_the_commands_brief(example: Path, browser, nginx_site) -> None:
    profile, scale = read_profile(example, DATA)
    context, page = open_builder(browser, nginx_site)
    fill(page, profile)
    reader = print_pdf(page)
    context.close()
    pages = [p.extract_text() for p in reader.pages]
    assert 3 <= len(pages) <= 8
    cover = flat(pages[0])
    assert profile.name in cover and profile.title in cover
    assert "Page 1 of" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text
        assert f"prepared for {profile.name}, {profile.title}" in flat(text)
    text = flat(" ".join(pages))
    cards = load_roles(DATA)
    mine = {q.question for q in cards[profile.role].questions}
    for question in mine:
        assert flat(question) in text
    other = "cfo" if profile.role != "cfo" else "legal"
    assert [q for q in cards[other].questions if q.question not in mine]
    for question in cards[other].questions:
        if question.question not in mine:
            assert flat(question.question) not in text
    # The same figures and sources as the command chooses, and page for page the same text.
    content = load_brief(
        profile, scale, DATA, read_site_info(ROOT / "mkdocs.yml"), build_date(ROOT)
    )
    assert content.figures
    for _, stat in content.figures:
        assert flat(stat.claim) in text
        assert f"({stat.year_label})" in text
    for _, stat in content.sources:
        assert flat(stat.source.title) in text
    assert pages == [p.extract_text() for p in command_pdf(example, browser).pages]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == profile.name and "Sources" in titles


def test_letter_paper(browser, nginx_site) -> None:
    profile, _ = read_profile(EXAMPLES[0], DATA)
    context, page = open_builder(browser, nginx_site)
    fill(page, profile)
    page.get_by_label("Paper size").select_option("letter")
    box = print_pdf(page).pages[0].mediabox
    context.close()
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_nothing_leaves_the_browser_and_nothing_is_kept(browser, nginx_site) -> None:
    profile, _ = read_profile(DATA / "profiles" / "example-cfo.yml", DATA)
    context, page = open_builder(browser, nginx_site)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    fill(page, profile)
    page.get_by_label("Paper size").select_option("letter")
    print_pdf(page)
    assert [url for url in requests if not url.startswith(("blob:", "data:"))] == []
    assert context.cookies() == []
    assert page.evaluate("() => document.cookie") == ""
    # Material keeps the reader's colour palette (not personal) on every page of the site; the
    # builder stores nothing, and nothing typed is anywhere in storage.
    assert builder_keys(page) == []
    assert profile.name not in page.evaluate(STORAGE_TEXT)
    privacy = page.locator("#pb-privacy").inner_text()
    assert "nothing is sent anywhere" in privacy and "no cookie" in privacy
    # Remembered only when asked, and forgotten on request.
    page.get_by_label("Remember on this device").check()
    stored = json.loads(page.evaluate("() => localStorage.getItem('playbook-brief-builder')"))
    assert stored["name"] == profile.name
    page.reload(wait_until="load")
    page.wait_for_selector("#pb-brief-builder[data-ready]")
    assert page.get_by_label("Name", exact=True).input_value() == profile.name
    page.get_by_role("button", name="Forget").click()
    assert builder_keys(page) == []
    assert profile.name not in page.evaluate(STORAGE_TEXT)
    assert page.get_by_label("Name", exact=True).input_value() == ""
    assert not page.get_by_label("Remember on this device").is_checked()
    context.close()


def test_typed_markup_shows_as_text(browser, nginx_site) -> None:
    context, page = open_builder(browser, nginx_site)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_label("Name", exact=True).fill(XSS)
    page.get_by_label("Organisation").fill(XSS + " & Co")
    page.get_by_label("The ask").fill("pbqxname " + XSS)
    text = shadow_text(page)
    assert XSS in text and XSS + " & Co" in text
    assert "pbqxname " + XSS in text  # a typed token stays as typed: text is never filled in twice
    images = page.evaluate(
        "() => document.getElementById('pb-brief-preview').shadowRoot.querySelectorAll('img').length"
    )
    assert images == 0 and dialogs == []
    context.close()


def test_role_button_opens_the_builder_with_that_role(browser, nginx_site) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(nginx_site.url + "chapters/tough-questions/cfo/", wait_until="load")
    page.get_by_role("link", name="Prepare a brief for a CFO").click()
    page.wait_for_selector("#pb-brief-builder[data-ready]")
    assert page.url.endswith(PAGE + "?role=cfo")
    assert page.get_by_label("Role", exact=True).input_value() == "cfo"
    assert "Questions the Chief Financial Officer (CFO) will ask" in shadow_text(page)
    page.go_back()
    page.wait_for_url("**/chapters/tough-questions/cfo/")
    assert (
        page.evaluate("() => document.adoptedStyleSheets.length") == 0
    )  # its print rules leave too
    context.close()


def test_errors_sit_beside_their_field_and_block_printing(browser, nginx_site) -> None:
    context, page = open_builder(browser, nginx_site)
    page.get_by_role("button", name="Print").click()
    name = page.get_by_label("Name", exact=True)
    assert name.get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.id") == "pb-f-name"
    error = page.locator("#pb-e-name")
    assert error.inner_text().startswith("Required: the executive's name")
    assert error.get_attribute("aria-live") == "polite"
    assert "pb-e-name" in name.get_attribute("aria-describedby")
    assert "Fill in Name, Title" in page.locator("#pb-builder-status").inner_text()
    name.fill("Dana Whitfield")
    assert name.get_attribute("aria-invalid") is None and error.inner_text() == ""
    context.close()


def test_every_control_is_reachable_with_the_keyboard(browser, nginx_site) -> None:
    context, page = open_builder(browser, nginx_site)
    page.get_by_label("Name", exact=True).focus()
    seen = set()
    for _ in range(60):
        seen.add(
            page.evaluate(
                "() => document.activeElement.id || document.activeElement.textContent.trim()"
            )
        )
        page.keyboard.press("Tab")
    for control in (
        "pb-f-name",
        "pb-f-title",
        "pb-f-role",
        "pb-f-support_level",
        "pb-f-organisation",
        "pb-f-industry",
        "pb-f-meeting_date",
        "pb-f-presenter",
        "pb-f-ask",
        "pb-f-paper",
        "Print",
        "Download profile",
        "pb-f-open",
        "pb-f-remember",
        "Forget",
    ):
        assert control in seen, control
    page.get_by_label("Name", exact=True).focus()
    page.keyboard.type("Kim Lee")
    assert "Kim Lee" in shadow_text(page)
    context.close()


def test_download_profile_is_a_file_the_command_prints(browser, nginx_site, tmp_path: Path) -> None:
    profile, _ = read_profile(DATA / "profiles" / "example-legal.yml", DATA)
    context, page = open_builder(browser, nginx_site)
    fill(page, profile)
    page.get_by_label("The ask").fill('Agree a "one page" policy: \\ review # in March.')
    with page.expect_download() as info:
        page.get_by_role("button", name="Download profile").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "priya-castellanos.profile.yml"
    again, _ = read_profile(saved, DATA)
    assert (
        again.model_dump()
        == profile.model_copy(
            update={"ask": 'Agree a "one page" policy: \\ review # in March.'}
        ).model_dump()
    )
    out = tmp_path / "brief.pdf"
    done = subprocess.run(
        [str(PLAYBOOK), "brief", str(saved), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert profile.name in PdfReader(out).pages[0].extract_text()
    # "Open profile" reads a file back into the form, without sending it anywhere.
    page.get_by_role("button", name="Forget").click()
    page.locator("#pb-f-open").set_input_files(str(DATA / "profiles" / "example-cfo.yml"))
    page.wait_for_function("() => document.getElementById('pb-f-name').value === 'Dana Whitfield'")
    assert page.get_by_label("Support level").input_value() == "needs-a-plan"
    assert page.get_by_label("ROI", exact=True).is_checked()
    bad = tmp_path / "bad.profile.yml"
    bad.write_text("name: X\nemail: x@example.org\n")
    page.locator("#pb-f-open").set_input_files(str(bad))
    page.wait_for_function(
        "() => document.getElementById('pb-builder-status').textContent.includes('line 2')"
    )
    assert "'email' is not a profile field" in page.locator("#pb-builder-status").inner_text()
    bad.write_text("name: X\nrole: cfoo\n")
    page.locator("#pb-f-open").set_input_files(str(bad))
    page.wait_for_function(
        "() => document.getElementById('pb-builder-status').textContent.includes('cfoo')"
    )
    assert (
        "'role' is 'cfoo', which is not valid; expected one of: board, ceo, cfo"
        in page.locator("#pb-builder-status").inner_text()
    )
    assert (
        page.get_by_label("Role", exact=True).input_value() == "cfo"
    )  # the form is left as it was
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_builder_has_no_serious_axe_violation(browser, nginx_site, scheme: str) -> None:
    profile, _ = read_profile(DATA / "profiles" / "example-cfo.yml", DATA)
    context, page = open_builder(browser, nginx_site, color_scheme=scheme)
    assert (
        page.locator("body").get_attribute("data-md-color-scheme")
        == {"light": "default", "dark": "slate"}[scheme]
    )
    fill(page, profile)
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_label("Organisation").focus()  # an error shows beside Title
    violations = Axe().run(page).response["violations"]
    context.close()
    assert [
        f"{v['id']} ({v['impact']})" for v in violations if v["impact"] in {"serious", "critical"}
    ] == []


def test_builder_fits_a_phone(browser, nginx_site) -> None:
    context, page = open_builder(
        browser, nginx_site, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page.get_by_label("Name", exact=True).fill("Dana Whitfield")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert "Dana Whitfield" in shadow_text(page)
    context.close()


def test_builder_page_keeps_the_strict_csp(built_site) -> None:
    site = built_site.site_dir
    html = (site / PAGE / "index.html").read_text(encoding="utf-8")
    builder = html[html.index('id="pb-brief-builder"') : html.index("</article>")]
    assert " style=" not in builder and "<script" not in builder
    script = (site / "assets/javascripts/brief-builder.js").read_text(encoding="utf-8")
    assert not re.search(r"\beval\(|new Function|setTimeout\(\s*['\"]|import\(|https?://", script)
    data = (site / builder_data.DATA_PATH).read_text(encoding="utf-8")
    assert "<" not in data  # inert anywhere
    assert 'href="brief-builder/"' in (site / "toolkit/index.html").read_text(encoding="utf-8")
    assert 'href="toolkit/brief-builder/"' in (site / "index.html").read_text(encoding="utf-8")
    for role in load_roles(DATA):
        page = (site / f"chapters/tough-questions/{role}/index.html").read_text(encoding="utf-8")
        assert f'href="../../../toolkit/brief-builder/?role={role}"' in page


def test_builder_data_is_reproducible_and_covers_every_choice(built_site) -> None:
    """Made here, it equals what the session's build wrote (made once per input, in this process
    or read from the build cache), byte for byte; and it holds a brief for every choice."""
    from playbook.brief.content import FIGURE_KINDS
    from playbook.data import load_catalog
    from playbook.meeting import load_plan
    from playbook.playdata import load_objections, load_support_scale

    catalog = load_catalog(DATA, build_date(ROOT))
    inputs = BriefInputs(
        catalog,
        load_roles(DATA),
        load_support_scale(DATA),
        load_plan(DATA),
        read_site_info(ROOT / "mkdocs.yml"),
        tuple(load_objections(DATA)),
    )
    first = builder_data.to_json(builder_data.builder_data(inputs))
    assert (built_site.site_dir / builder_data.DATA_PATH).read_text(encoding="utf-8") == first
    data = json.loads(first)
    extras = list(builder_data._extra_combinations(builder_data.extra_choices()))
    for role, info in data["roles"].items():
        assert len(info["variants"]) == (1 + len(info["industries"])) << len(info["topics"])
        for level in data["levels"]:
            for variant in set(info["variants"]):
                for focused in (False, True):
                    for extra in extras:
                        key = builder_data.brief_key(role, level, variant, focused, extra.values())
                        assert key in data["briefs"]
    assert set(data["topics"]) == {
        t for s in catalog.stats.values() for t in s.tags if t.startswith("topic:")
    }
    assert FIGURE_KINDS


def test_builder_data_is_kept_on_disk_keyed_by_its_inputs(tmp_path: Path) -> None:
    """A build reads the pre-rendered data from `.cache/brief-builder/` when its inputs match."""
    from playbook.data import load_catalog
    from playbook.meeting import load_plan
    from playbook.playdata import load_objections, load_support_scale

    catalog = load_catalog(DATA, build_date(ROOT))
    site = read_site_info(ROOT / "mkdocs.yml")
    rest = (load_roles(DATA), load_support_scale(DATA), load_plan(DATA))
    inputs = BriefInputs(catalog, *rest, site, tuple(load_objections(DATA)))
    key = builder_data.cache_key(inputs)
    assert builder_data.cache_key(inputs) == key  # stable
    moved = dataclasses.replace(site, site_url="https://elsewhere.example.org/")
    assert builder_data.cache_key(dataclasses.replace(inputs, site=moved)) != key  # any input
    cached = tmp_path / f"brief-data-{key}.json"
    cached.write_text('{"from":"disk"}', encoding="utf-8")
    builder_data._MEMO.clear()  # not this process's memory: the file
    assert builder_data.site_json(inputs, cache_dir=tmp_path) == '{"from":"disk"}'
    builder_data._MEMO.clear()


def test_builder_cache_keeps_the_most_recently_used_entries(tmp_path: Path) -> None:
    """`make build` and `make serve` (two site addresses) do not evict each other's entry."""
    import os

    from playbook.data import load_catalog
    from playbook.meeting import load_plan
    from playbook.playdata import load_objections, load_support_scale

    catalog = load_catalog(DATA, build_date(ROOT))
    rest = (load_roles(DATA), load_support_scale(DATA), load_plan(DATA))
    site = read_site_info(ROOT / "mkdocs.yml")
    inputs = BriefInputs(catalog, *rest, site, tuple(load_objections(DATA)))
    ours = f"brief-data-{builder_data.cache_key(inputs)}.json"
    names = [ours, *(f"brief-data-{n:02d}.json" for n in range(1, builder_data.CACHE_KEEP))]
    for age, name in enumerate(names):  # a full cache, ours the oldest entry
        (tmp_path / name).write_text(json.dumps({"n": age}, separators=(",", ":")), "utf-8")
        os.utime(tmp_path / name, (1_000_000 + age, 1_000_000 + age))
    builder_data._MEMO.clear()
    assert builder_data.site_json(inputs, cache_dir=tmp_path) == '{"n":0}'  # read: used now
    builder_data._MEMO.clear()
    builder_data._write_cache(tmp_path / "brief-data-new.json", "{}")
    kept = {f.name for f in tmp_path.glob("brief-data-*.json")}
    assert kept == {ours, "brief-data-02.json", "brief-data-03.json", "brief-data-new.json"}
