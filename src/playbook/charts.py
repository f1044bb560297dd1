"""Charts drawn at build time with matplotlib, as inline, deterministic, accessible SVG.

Each chart in `data/charts.yml` names the statistics it plots. The SVG has a <title> and <desc>,
ids prefixed by the chart id (so two charts on a page never clash), no date and a fixed hash
salt, and text drawn in `currentColor` so it reads in light mode, dark mode and print. It carries
no `style=` attribute and no <style> element: matplotlib's inline styles become SVG presentation
attributes, so the site's Content-Security-Policy needs only `style-src 'self'`.

Drawing is slow (matplotlib), so each SVG is kept in a disk cache (`.cache/charts/` beside
`data/`), keyed by the chart, the figures it plots, the matplotlib version and this module's code:
a rebuild reuses it, and any change to one of those draws it anew. matplotlib is imported only
when a chart is drawn.

A bar may list fewer ids than the chart has series, for a category that did not exist in the
earlier series (the 2010 ladder's new Conversationalists rung, for example). Its ids fill the
*last* series; the earlier ones are missing, drawn as no bar and labelled "not measured".
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from markupsafe import escape

from playbook.cachefile import write_cache_file
from playbook.data import Catalog, Chart

RE_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
RE_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
RE_ID = re.compile(r'id="([^"]+)"')
RE_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')
RE_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
RE_SIZE = re.compile(r'\s(width|height)="[^"]*"')
RE_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
RE_STYLE_ELEMENT = re.compile(r"\s*<style\b[^>]*>(.*?)</style>\s*", re.DOTALL)
RE_UNIVERSAL_RULE = re.compile(r"^\s*\*\s*\{([^}]*)\}\s*$")
# The SVG presentation attributes matplotlib's styles use; anything else fails loudly.
PRESENTATION = {
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-linejoin", "stroke-linecap",
    "stroke-miterlimit", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "opacity",
    "font-size", "font-family", "font-style", "font-weight", "text-anchor", "clip-path",
}  # fmt: skip
CODE_KEY = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

TEXT_SENTINEL = "#010203"  # drawn text colour, swapped for currentColor afterwards
PALETTE = ("#3f7cc4", "#d27d2d", "#5b9f5a", "#9a6fb0")
MISSING_LABEL = "not measured"


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "playbook",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 11,
            "text.color": TEXT_SENTINEL,
            "axes.labelcolor": TEXT_SENTINEL,
            "axes.edgecolor": TEXT_SENTINEL,
            "xtick.color": TEXT_SENTINEL,
            "ytick.color": TEXT_SENTINEL,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    import matplotlib.pyplot as plt

    return plt


def _values(chart: Chart, catalog: Catalog) -> list[tuple[str, list[float | None]]]:
    """Each bar's amounts, one per series; None where an earlier series has no figure."""
    n_series = max(1, len(chart.series))
    rows = []
    for label, ids in chart.bars:
        if not ids or len(ids) > n_series:
            raise ValueError(
                f"chart '{chart.id}': bar '{label}' lists {len(ids)} statistics but the chart has "
                f"{n_series} series; list one id per series (fewer only when earlier series lack a figure)"
            )
        amounts: list[float | None] = [None] * (n_series - len(ids))
        for stat_id in ids:
            stat = catalog.stats[stat_id]
            if stat.amount is None:
                raise ValueError(
                    f"chart '{chart.id}': stat '{stat_id}' has no numeric amount to plot"
                )
            amounts.append(stat.amount)
        rows.append((label, amounts))
    return rows


def cache_key(chart: Chart, catalog: Catalog) -> str:
    """What the SVG depends on: the chart, each bar's figures, matplotlib and this code."""
    rows = _values(chart, catalog)
    what = [chart.model_dump(mode="json"), rows, version("matplotlib"), CODE_KEY]
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode("utf-8")).hexdigest()


def draw_svg(chart: Chart, catalog: Catalog, cache_dir: Path | None = None) -> str:
    """The chart as an SVG string, ready to inline in a page; from `cache_dir` when drawn before."""
    if cache_dir is None:
        return _draw(chart, catalog)
    cached = cache_dir / f"{chart.id}-{cache_key(chart, catalog)}.svg"
    try:
        return cached.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    svg = _draw(chart, catalog)
    write_cache_file(cached, svg)  # a cache that cannot be written only costs time
    return svg


def _draw(chart: Chart, catalog: Catalog) -> str:
    plt = _pyplot()
    rows = _values(chart, catalog)
    series = list(chart.series) or [""]
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * len(rows) * max(1, len(series)) + 1.2))
    fig.patch.set_alpha(0)
    ax.patch.set_alpha(0)
    height = 0.8 / len(series)
    labels = [label for label, _ in rows]
    for s_index, name in enumerate(series):
        positions = [i + (s_index - (len(series) - 1) / 2) * height for i in range(len(rows))]
        values = [amounts[s_index] for _, amounts in rows]
        drawn = [0.0 if v is None else v for v in values]
        bars = ax.barh(
            positions,
            drawn,
            height=height * 0.92,
            color=PALETTE[s_index % len(PALETTE)],
            label=name or None,
        )
        texts = [MISSING_LABEL if v is None else f"{v:g}" for v in values]
        ax.bar_label(bars, labels=texts, padding=3, fontsize=10)
    ax.set_yticks(range(len(rows)), labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel(chart.unit_label)
    ax.set_xlim(0, max(v for _, amounts in rows for v in amounts if v is not None) * 1.15)
    if len(series) > 1:
        ax.legend(frameon=False, loc="lower right")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return _finish(buffer.getvalue(), chart)


def _finish(svg: str, chart: Chart) -> str:
    svg = RE_XML_PROLOGUE.sub("", svg, count=1)
    svg = RE_METADATA.sub("", svg)
    prefix = f"chart-{chart.id}-"
    svg = RE_ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = RE_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    svg = svg.replace(TEXT_SENTINEL, "currentColor")
    svg, root_attrs = _without_styles(svg, chart)
    title_id, desc_id = f"{prefix}title", f"{prefix}desc"

    def opening(match: re.Match[str]) -> str:
        attrs = RE_SIZE.sub("", match.group(1))
        return (
            f'<svg{attrs}{root_attrs} role="img" aria-labelledby="{title_id} {desc_id}" class="pb-chart__svg">'
            f'<title id="{title_id}">{escape(chart.title)}</title>'
            f'<desc id="{desc_id}">{escape(chart.description)}</desc>'
        )

    return RE_SVG_OPEN.sub(opening, svg, count=1).strip()


def _attributes(declarations: str, chart: Chart) -> str:
    """'fill: #fff; stroke-width: 0.8' -> ' fill="#fff" stroke-width="0.8"'."""
    out = []
    for declaration in declarations.split(";"):
        if not declaration.strip():
            continue
        name, _, value = declaration.partition(":")
        name = name.strip().lower()
        if name not in PRESENTATION:
            raise ValueError(
                f"chart '{chart.id}': matplotlib wrote the style '{name}', which has no SVG "
                "presentation attribute; add it to PRESENTATION in src/playbook/charts.py"
            )
        out.append(f' {name}="{escape(value.strip())}"')
    return "".join(out)


def _without_styles(svg: str, chart: Chart) -> tuple[str, str]:
    """Move matplotlib's `style=` attributes and its one `* {...}` <style> rule into presentation
    attributes (the rule's go on the root <svg>, where they inherit); returns the SVG and them."""
    root = []
    for rule in RE_STYLE_ELEMENT.findall(svg):
        match = RE_UNIVERSAL_RULE.match(rule)
        if match is None:
            raise ValueError(
                f"chart '{chart.id}': matplotlib wrote a <style> rule this code cannot turn into "
                f"attributes ({rule.strip()!r}); update _without_styles in src/playbook/charts.py"
            )
        root.append(_attributes(match.group(1), chart))
    svg = RE_STYLE_ELEMENT.sub("", svg)
    svg = svg.replace("<defs>\n  </defs>", "").replace("<defs></defs>", "")
    svg = RE_STYLE_ATTR.sub(lambda m: _attributes(m.group(1), chart), svg)
    return svg, "".join(root)
