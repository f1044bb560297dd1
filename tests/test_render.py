"""`playbook.render` builds page content from data: checked against literal expected strings."""

from __future__ import annotations

from datetime import date

import pytest

from playbook import render
from playbook.data import GlossaryTerm, Stat

OLD = '<span class="pb-old" title="Collected or published before 2015">older data</span>'
PAGE = render.PageRef("Value & ROI", "chapters/value-and-roi/", "chapters/value-and-roi.md")
TODAY = date(2026, 9, 21)
BASE = {
    "id": "execs-on-linkedin",
    "brief_id": "ST-S02",
    "claim": "Executives who use <LinkedIn>",
    "value": "92",
    "amount": 92,
    "unit": "percent",
    "population": "executives",
    "year": 2010,
    "source": {"title": "How & why", "publisher": "WAW", "url": "https://example.org/a?b=1&c=2"},
    "verification": {"status": "verified"},
}


def make(**changes) -> Stat:
    return Stat.model_validate(BASE | changes)


OLD_STAT = make()
SEEDED = make(
    id="meeting-length",
    brief_id="ST-S03",
    value="30-60",
    unit="minutes",
    year=None,
    year_note="not stated",
    year_estimate=2016,
    source={"title": "Seeded", "publisher": "A blogger", "seed": "002_00a2db43c154d3f2.txt"},
    verification={"status": "reported", "by": "The seed"},
)


def test_stat_inline_old_figure():
    assert render.stat_inline(OLD_STAT, 2, 2015) == (
        '<span class="pb-stat" data-stat="execs-on-linkedin"><strong class="pb-stat__value">92%</strong> '
        f'<span class="pb-stat__year">(2010)</span> {OLD}<sup class="pb-cite"><a href="#pb-source-2" '
        'title="Source: How &amp; why. WAW. Year: 2010.">[2]</a></sup></span>'
    )


def test_stat_inline_without_a_stated_year_and_unverified():
    stat = make(
        year=None,
        year_note="n/a",
        display="more than 80%",
        verification={"status": "unverified", "by": "Socialcast <via> WAW"},
    )
    assert render.stat_inline(stat, 1, 2015) == (
        '<span class="pb-stat" data-stat="execs-on-linkedin"><strong class="pb-stat__value">more than 80%'
        '</strong> <span class="pb-stat__year">(year not stated)</span> <span class="pb-unverified">'
        "(reported by Socialcast &lt;via&gt; WAW, not independently confirmed)</span>"
        '<sup class="pb-cite"><a href="#pb-source-1" title="Source: How &amp; why. WAW. Year: year not '
        'stated. Reported by Socialcast &lt;via&gt; WAW.">[1]</a></sup></span>'
    )


def test_estimated_year_counts_for_age_but_reads_as_not_stated():
    assert SEEDED.year_label == "about 2016, year not stated"
    assert not SEEDED.is_old(2015) and SEEDED.is_old(2017)
    assert render.old_label(SEEDED, 2015) == ""
    assert render.old_label(OLD_STAT, 2015) == " " + OLD


def test_source_text_and_key():
    stat = make(
        source={
            "title": "Report.",
            "publisher": "Pew",
            "url": "https://p.org/",
            "published": "2013-05-29",
        }
    )
    assert render.source_text(stat) == "Report. Pew. 2013-05-29."
    assert render.source_key(stat) == ("Report.", "https://p.org/")
    assert render.source_key(SEEDED) == ("Seeded", "002_00a2db43c154d3f2.txt")


def test_source_list_numbers_each_source_once():
    assert render.source_list([]) == ""
    assert render.source_list([(1, OLD_STAT), (2, SEEDED)]) == (
        "\n\n## Sources cited on this page { #sources-cited data-search-exclude }\n\n"
        '<ol class="pb-sources" data-search-exclude>\n'
        '<li id="pb-source-1" value="1"><cite>How &amp; why</cite>. WAW. <a class="pb-url" '
        'href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a></li>\n'
        '<li id="pb-source-2" value="2"><cite>Seeded</cite>. A blogger. Seed post '
        "<code>002_00a2db43c154d3f2.txt</code> (not published on this site). "
        '<span class="pb-secondary">Reported by The seed.</span></li>\n'
        "</ol>\n"
    )


def test_stat_table_escapes_claims_and_refuses_no_rows():
    assert render.stat_table([(1, OLD_STAT)], 2015, caption="CFO <figures>") == (
        '<table class="pb-stat-table"><caption>CFO &lt;figures&gt;</caption><thead><tr>'
        '<th scope="col">What was counted</th><th scope="col">Figure</th><th scope="col">Who was counted'
        "</th></tr></thead><tbody><tr><td>Executives who use &lt;LinkedIn&gt;</td><td>"
        + render.stat_inline(OLD_STAT, 1, 2015)
        + "</td><td>executives</td></tr></tbody></table>"
    )
    with pytest.raises(ValueError, match="no statistics match; check the tag"):
        render.stat_table([], 2015)


def test_sources_index_groups_by_source_and_lists_citing_pages():
    assert render.sources_index([SEEDED, OLD_STAT], {"execs-on-linkedin": [PAGE]}, "../", 2015) == (
        '<div class="pb-sources-index">\n'
        '<section class="pb-source"><p><cite>How &amp; why</cite>. WAW. <a class="pb-url" '
        'href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a></p><ul>\n'
        f'<li id="stat-execs-on-linkedin"><strong>92%</strong> (2010) {OLD}: Executives who use '
        '&lt;LinkedIn&gt;. <span class="pb-cited-on">Cited on: <a href="../chapters/value-and-roi/">'
        "Value &amp; ROI</a></span>"
        '<div class="pb-provenance" data-search-exclude><p class="pb-verification">Verified on the '
        "publisher&#39;s own page.</p></div></li>\n"
        "</ul></section>\n"
        '<section class="pb-source"><p><cite>Seeded</cite>. A blogger. Seed post '
        "<code>002_00a2db43c154d3f2.txt</code> (not published on this site). "
        '<span class="pb-secondary">Reported by The seed.</span></p><ul>\n'
        '<li id="stat-meeting-length"><strong>30-60 minutes</strong> (about 2016, year not stated): '
        "Executives who use &lt;LinkedIn&gt;. "
        '<span class="pb-cited-on">Cited on: <em>not cited on any page</em></span>'
        '<div class="pb-provenance" data-search-exclude><p class="pb-verification">Reported by The seed: '
        "read in an article about the study, not on the publisher&#39;s own page.</p></div></li>\n"
        "</ul></section>\n"
        "</div>"
    )


def test_sources_index_shows_the_quote_the_verification_and_the_caveat_escaped():
    """Provenance anyone can check: the sentence read (as a quote), how it was checked, the caveat;
    kept out of search, and the figure shown once, without its caveat in brackets."""
    new = make(
        id="new-figure",
        year=2024,
        caveat="a <vendor> survey.",
        verification={
            "status": "reported",
            "by": "A & B News",
            "quote": 'They said "92%" of <execs> use it.',
        },
    )
    item = render.sources_index([new], {}, "", 2015).split("\n")[2]
    assert item == (
        '<li id="stat-new-figure"><strong>92%</strong> (2024): Executives who use &lt;LinkedIn&gt;. '
        '<span class="pb-cited-on">Cited on: <em>not cited on any page</em></span>'
        '<div class="pb-provenance" data-search-exclude>'
        '<p class="pb-read-in">Read in: <q>They said &#34;92%&#34; of &lt;execs&gt; use it.</q></p>'
        '<p class="pb-verification">Reported by A &amp; B News: read in an article about the study, '
        "not on the publisher&#39;s own page.</p>"
        '<p class="pb-caveat">Caveat: a &lt;vendor&gt; survey.</p></div></li>'
    )
    unverified = make(verification={"status": "unverified", "by": "a blog"})
    assert "Not verified: reported by a blog, and not confirmed" in render.provenance_html(
        unverified
    )


def test_freshness_report_ages_from_the_build_date_oldest_first():
    assert render.freshness_report(
        [SEEDED, OLD_STAT], {"meeting-length": [PAGE]}, TODAY, 2015, "../../"
    ) == (
        '<p class="pb-report-date">Ages are computed from the build date, 2026-09-21. Figures collected '
        "before 2015 carry the &ldquo;older data&rdquo; label.</p>"
        '<table class="pb-freshness"><thead><tr><th scope="col">Statistic</th><th scope="col">Year</th>'
        '<th scope="col">Age (years)</th><th scope="col">Older data</th><th scope="col">Used on</th></tr>'
        '</thead><tbody><tr><td><a href="../../sources/#stat-execs-on-linkedin">execs-on-linkedin</a></td>'
        "<td>2010</td><td>16</td><td>yes</td><td><em>not cited on any page</em></td></tr>\n"
        '<tr><td><a href="../../sources/#stat-meeting-length">meeting-length</a></td>'
        "<td>about 2016, year not stated</td><td>10</td><td>no</td>"
        '<td><a href="../../chapters/value-and-roi/">Value &amp; ROI</a></td></tr></tbody></table>'
    )


def test_review_report():
    assert render.review_report([], TODAY, "") == (
        '<p class="pb-report-date">As of the build date, 2026-09-21.</p>'
        "<p>Every page is within its review date.</p>"
    )
    assert render.review_report([(PAGE, "Comms <team>", date(2026, 9, 1))], TODAY, "../../") == (
        '<p class="pb-report-date">As of the build date, 2026-09-21.</p><table class="pb-review"><thead>'
        '<tr><th scope="col">Page</th><th scope="col">Owner</th><th scope="col">Review by</th>'
        '<th scope="col">Days overdue</th></tr></thead><tbody><tr><td><a href="../../chapters/value-and-roi/">'
        "Value &amp; ROI</a></td><td>Comms &lt;team&gt;</td><td>2026-09-01</td><td>20</td></tr></tbody></table>"
    )


def test_abbreviations_and_glossary():
    terms = [
        GlossaryTerm(term="ROI", definition="Return on\n  investment [money]", abbreviation=True),
        GlossaryTerm(term="Social CRM/B2B", definition="A <thing> & more"),
    ]
    assert render.abbreviations_used([], "ROI") == ""
    assert render.abbreviations_used(terms, "The ROI of it") == (
        "\n\n*[ROI]: Return on investment [money]\n"
    )
    assert render.glossary_list(reversed(terms)) == (
        '<dl class="pb-glossary">\n<dt id="term-roi">ROI</dt>\n<dd>Return on\n  investment [money]</dd>\n'
        '<dt id="term-social-crm-b2b">Social CRM/B2B</dt>\n<dd>A &lt;thing&gt; &amp; more</dd>\n</dl>'
    )


def test_source_entry_names_the_reporter_once():
    """A publisher line that already names the reporter gets no second 'Reported by' line."""
    named = make(
        source={
            "title": "Survey",
            "publisher": "Gartner (reported by MBN Channel)",
            "url": "https://m.example/",
        },
        verification={"status": "reported", "by": "MBN Channel (citing Gartner)"},
    )
    assert render.source_entry_html(named) == (
        "<cite>Survey</cite>. Gartner (reported by MBN Channel). "
        '<a class="pb-url" href="https://m.example/">https://m.example/</a>'
    )
    other = make(
        source={"title": "Survey", "publisher": "Gartner", "url": "https://m.example/"},
        verification={"status": "reported", "by": "MBN Channel"},
    )
    assert render.source_entry_html(other).endswith(
        '<span class="pb-secondary">Reported by MBN Channel.</span>'
    )
