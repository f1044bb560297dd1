"""Find sentences copied from the seed posts: runs of N or more words in a row shared with a seed.

The playbook's prose must be our own: facts and short credited quotes carry over from the seeds,
sentences do not. Text marked as a quote (`<q>` and `<blockquote>` in the built HTML, that is
`<q>...</q>` and `>` blockquotes in Markdown) is left out of the comparison, and so are the titles
and addresses of cited works (`<cite>`, and link text that is a URL), which must be given exactly.
Words are compared in lower case, with curly apostrophes made straight, so punctuation and markup
cannot hide a copy.

The seed texts are not part of the repository, so the tests compare with their fingerprint,
 `tests/data/seed-fingerprints.txt`: every run of MIN_RUN words of every seed,
normalised as above and hashed (the first 16 hex digits of its SHA-256). It holds no seed text.
`scripts/seed_fingerprints.py` rewrites it when the seeds change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

MIN_RUN = 12  # words in a row shared with a seed that count as copying
RE_WORD = re.compile(r"[a-z0-9']+")
# Quoted text, cited titles, and markup that is not prose.
QUOTED = "q, blockquote, cite"
RE_URL_TEXT = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.IGNORECASE)
NOT_PROSE = "script, style, template, a.headerlink"


@dataclass(frozen=True)
class CopiedRun:
    """A run of at least MIN_RUN words that appears in both a page and a seed."""

    page: str
    seed: str
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


def words(text: str) -> list[str]:
    """The words of `text`, lower case, apostrophes straightened."""
    return RE_WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def ngrams(tokens: list[str], n: int = MIN_RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def shingle_hash(gram: tuple[str, ...]) -> str:
    """A run of words as its fingerprint: 16 hex digits of the SHA-256 of the words, space-joined."""
    return hashlib.sha256(" ".join(gram).encode("utf-8")).hexdigest()[:16]


def seed_index(seeds: Mapping[str, str], n: int = MIN_RUN) -> dict[str, str]:
    """Every run of `n` words in the seeds, as its fingerprint, mapped to the first seed that has it."""
    index: dict[str, str] = {}
    for name in sorted(seeds):
        for gram in sorted(ngrams(words(seeds[name]), n)):
            index.setdefault(shingle_hash(gram), name)
    return index


FINGERPRINT_HEADER = (
    "# Fingerprints of the seed posts (their texts are not in the repository): one line per run of {n} words, as\n"
    "# '<first 16 hex digits of sha256(words joined by one space)> <seed file>'. Words are lower case,\n"
    "# apostrophes straightened (tests/support/copycheck.py). No seed text is stored here.\n"
    "# Regenerate with: .venv/bin/python scripts/seed_fingerprints.py\n"
)


def fingerprint_lines(index: Mapping[str, str], n: int = MIN_RUN) -> Iterator[str]:
    """The fingerprint file's lines for a `seed_index`, sorted so a rewrite diffs cleanly."""
    yield FINGERPRINT_HEADER.format(n=n)
    yield f"n {n}\n"
    for digest, seed in sorted(index.items()):
        yield f"{digest} {seed}\n"


def read_fingerprints(path: Path) -> tuple[dict[str, str], int]:
    """(fingerprint -> seed, run length) from a file written by `fingerprint_lines`."""
    index: dict[str, str] = {}
    n = MIN_RUN
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if key == "n":
            n = int(value)
        elif len(key) == 16 and value:
            index[key] = value
        else:
            raise ValueError(f"{path}, line {number}: expected '<16 hex digits> <seed file>'")
    return index, n


def load_seeds(seed_dir: Path) -> dict[str, str]:
    """The seed texts by file name; a clear error when the folder is missing or empty."""
    if not seed_dir.is_dir():
        raise FileNotFoundError(
            f"The seed folder '{seed_dir}' is missing. Regenerating the seed fingerprints needs the "
            "seed posts: pass their folder to scripts/seed_fingerprints.py."
        )
    seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted(seed_dir.glob("*.txt"))}
    if not seeds:
        raise FileNotFoundError(f"The seed folder '{seed_dir}' has no *.txt files.")
    return seeds


def unquoted_text(html: str, selector: str | None = None) -> str:
    """The visible text of `html` (or of its `selector` element) without quotes and markup."""
    tree = LexborHTMLParser(html)
    for node in tree.css(f"{QUOTED}, {NOT_PROSE}"):
        node.decompose()
    for link in tree.css("a"):
        if RE_URL_TEXT.match(link.text()):
            link.decompose()
    root = tree.css_first(selector) if selector else tree.body
    if root is None:
        root = tree.body or tree.root
    return root.text(separator=" ") if root is not None else ""


def copied_runs(
    page: str, text: str, index: Mapping[str, str], n: int = MIN_RUN
) -> list[CopiedRun]:
    """The maximal runs of `n` or more words of `text` found in a seed (by fingerprint), one per run."""
    tokens = words(text)
    shared = [index.get(shingle_hash(tuple(tokens[i : i + n]))) for i in range(len(tokens) - n + 1)]
    runs: list[CopiedRun] = []
    i = 0
    while i < len(shared):
        seed = shared[i]
        if seed is None:
            i += 1
            continue
        # Extend the run while each next window of n words is still shared.
        end = i + n
        while end < len(tokens) and shared[end - n + 1] is not None:
            end += 1
        runs.append(CopiedRun(page, seed, tuple(tokens[i:end])))
        i = end
    return runs


def check_pages(
    pages: Iterable[tuple[str, str]], seeds: Mapping[str, str], n: int = MIN_RUN
) -> list[CopiedRun]:
    """Every copied run in `pages`, given as (name, plain text) pairs, against seed texts."""
    return find_copies(pages, seed_index(seeds, n), n)


def find_copies(
    pages: Iterable[tuple[str, str]], index: Mapping[str, str], n: int = MIN_RUN
) -> list[CopiedRun]:
    """Every copied run in `pages` against a fingerprint index (`seed_index`, `read_fingerprints`)."""
    return [run for name, text in pages for run in copied_runs(name, text, index, n)]


def source_line(source: str, run: CopiedRun, lead: int = 6) -> int | None:
    """The line of a Markdown source where `run` starts, when it can be found there."""
    head = run.words[:lead]
    pattern = r"[^a-z0-9']+".join(re.escape(w) for w in head)
    found = re.search(pattern, source.lower().replace("\u2019", "'"))
    if found is None:
        return None
    return source.count("\n", 0, found.start()) + 1
