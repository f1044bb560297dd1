"""Macros' HTML put in after Markdown (playbook.markdown_stash) renders as Markdown rendered it.

Each case converts one page twice with the site's Markdown extensions (mkdocs.yml): once with a
macro's HTML written into the Markdown, as before, and once with the token `stash` returns; the
HTML and the table of contents must be the same. A token left over fails the build, naming the
page.
"""

from __future__ import annotations

import json
import re

import markdown
import pytest
from mkdocs.config import load_config
from sitebuild import ROOT, build_site, copy_project
from test_render import OLD_STAT, SEEDED

from playbook import markdown_stash, render
from playbook.markdown_stash import StashError

FIGURE = (
    '<span class="pb-stat" data-stat="x"><strong class="pb-stat__value">42%</strong> '
    '<span class="pb-stat__year">(2021)</span><sup class="pb-cite">'
    '<a href="#pb-source-1" title="Source: A survey. Publisher. Year: 2021.">[1]</a></sup></span>'
)
LIST = '<ol class="pb-sources" data-search-exclude>\n<li id="pb-source-1" value="1">A</li>\n</ol>'
TABLE = '<div class="pb-stat-block" data-search-exclude><table><tr><td>a</td></tr></table></div>'


def site_markdown() -> markdown.Markdown:
    """A Markdown converter with the site's extensions and settings, ours included."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert "playbook.markdown_stash" in config.markdown_extensions
    return markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )


def both(page: str, html: str) -> tuple[tuple[str, list], tuple[str, list]]:
    """(HTML, toc) of `page` with `{}` replaced by `html` itself, then by its token."""
    out = []
    for text in (page.replace("{}", html), page.replace("{}", markdown_stash.stash(html, "p.md"))):
        md = site_markdown()
        out.append((md.convert(text), md.toc_tokens))  # type: ignore[attr-defined]
    return out[0], out[1]


@pytest.mark.parametrize(
    "page",
    [
        "A figure {} in a sentence.\n",
        "{}\n",
        "## Growth {} this year { #growth }\n\nText.\n",
        "| What | Figure |\n|---|---|\n| Spend | {} |\n",
        '!!! note "Watch"\n\n    The figure {} is old.\n',
        '<div class="grid" markdown>\n\nInside {} a block.\n\n</div>\n',
        "See [the figure {}](#growth).\n\n## Growth { #growth }\n",
        "- one {}\n- two\n",
        "> Quoted {} text.\n",
        "Term\n:   Defined with {}.\n",
    ],
)
def test_inline_html_renders_as_before(page: str):
    before, after = both(page, FIGURE)
    assert after == before
    assert "pbx" not in after[0]


def test_heading_toc_and_id_carry_the_text_not_the_token():
    before, (html, toc) = both("## Growth {} now\n", FIGURE)
    assert (html, toc) == before
    assert toc[0]["id"] == "growth-42-20211-now"
    assert toc[0]["name"] == "Growth 42% (2021)[1] now"
    assert "pbx" not in json.dumps(toc)


@pytest.mark.parametrize("html", [LIST, TABLE])
def test_block_html_alone_on_its_line_renders_as_before(html: str):
    page = "Before.\n\n{}\n\n## After { #after }\n\nEnd.\n"
    before, after = both(page, html)
    assert after == before
    assert f"{html}\n\n<h2" in after[0]


def test_the_source_list_renders_as_before():
    cited = [(1, OLD_STAT), (2, SEEDED)]
    md = site_markdown()
    raw = md.convert("Text.\n" + render.source_list(cited))
    stashed = site_markdown().convert(
        "Text.\n" + render.source_list(cited, lambda html: markdown_stash.stash(html, "p.md"))
    )
    assert stashed == raw
    assert '<ol class="pb-sources" data-search-exclude>' in stashed


def test_abbreviate_matches_markdowns_abbr_extension():
    meanings = {"ROI": 'Return on "investment" & cost', "ROI of social": "Longer term"}
    text = '<strong class="v" title="ROI">an ROI of 9%</strong> (ROI)'
    page = text + "\n\n*[ROI]: " + meanings["ROI"] + "\n\n*[ROI of social]: Longer term\n"
    expected = markdown.Markdown(extensions=["abbr"]).convert(page)
    assert f"<p>{render.abbreviate(text, meanings)}</p>" == expected
    assert render.abbreviate(text, {}) == text


def test_unknown_token_fails_naming_the_page():
    markdown_stash.begin_page("chapters/x.md")
    with pytest.raises(StashError, match=r"Doc file 'chapters/x.md'.*'pbxffffffffx'"):
        site_markdown().convert("Left over: pbxffffffffx.\n")


def test_token_in_an_attribute_fails_naming_the_page():
    token = markdown_stash.stash(FIGURE, "chapters/y.md")
    with pytest.raises(StashError, match=r"Doc file 'chapters/y.md'.*inside an HTML tag"):
        site_markdown().convert(f'[link](#a "{token}")\n')


def test_a_left_over_token_fails_the_build_naming_the_page(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "start-here.md"
    page.write_text(page.read_text() + "\nA stale placeholder: pbxfffffffex.\n")
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert "Doc file 'start-here.md': the HTML holds 'pbxfffffffex'" in result.text


def test_a_token_in_a_page_title_fails_the_build_naming_the_page(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "chapters" / "not-yet.md"  # its nav entry takes the page's title
    text = page.read_text()
    assert text.startswith("---\n")
    page.write_text("---\ntitle: Not yet pbx0000fffex\n" + text[4:])
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert re.search(
        r"Doc file '[^']+[.]md': the built page still holds 'pbx0000fffex'", result.text
    ), result.text


def test_no_token_reaches_the_built_site_or_its_search_index(built_site):
    site = built_site.site_dir
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert markdown_stash.unreplaced(index) == []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        assert markdown_stash.unreplaced(page.read_text(encoding="utf-8")) == [], page
    # The figures and source lists are the macros' HTML, put in whole.
    roi = (site / "chapters" / "value-and-roi" / "index.html").read_text(encoding="utf-8")
    assert roi.count('<span class="pb-stat" data-stat=') >= 3
    assert '<ol class="pb-sources" data-search-exclude>' in roi
    assert "of 99% (an estimate" in roi and '<abbr title="Return on investment' in roi
