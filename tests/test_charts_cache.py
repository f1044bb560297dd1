"""Chart SVGs are cached on disk, keyed by the chart, its figures, matplotlib and the drawing code."""

from __future__ import annotations

from datetime import date

from sitebuild import ROOT, build_site, copy_project

from playbook.charts import cache_key, draw_svg
from playbook.data import load_catalog


def test_a_cached_svg_is_reused_and_a_changed_figure_draws_anew(tmp_path):
    catalog = load_catalog(ROOT / "data", date(2030, 1, 1))
    chart = next(iter(catalog.charts.values()))
    cache = tmp_path / "charts"
    first = draw_svg(chart, catalog, cache)
    (cached,) = cache.glob("*.svg")
    assert cached.name == f"{chart.id}-{cache_key(chart, catalog)}.svg"
    assert cached.read_text() == first == draw_svg(chart, catalog)
    assert " style=" not in first and "<style" not in first

    cached.write_text(first.replace("<svg", '<svg data-from-cache="yes"', 1))
    assert 'data-from-cache="yes"' in draw_svg(chart, catalog, cache)  # read, not redrawn

    stat_id = chart.bars[0][1][-1]
    changed = catalog.stats[stat_id].model_copy(update={"amount": 99.5})
    catalog.stats[stat_id] = changed
    assert f"{chart.id}-{cache_key(chart, catalog)}.svg" != cached.name
    redrawn = draw_svg(chart, catalog, cache)
    assert "99.5" in redrawn and 'data-from-cache="yes"' not in redrawn
    assert len(list(cache.glob("*.svg"))) == 2


def test_a_build_fills_the_cache_beside_data_and_a_rebuild_is_identical(tmp_path):
    project = copy_project(tmp_path / "project", caches=False)  # the build must fill it
    first = build_site(project, tmp_path / "one")
    assert first.ok, first.text
    cached = sorted((project / ".cache" / "charts").glob("*.svg"))
    assert len(cached) == len(load_catalog(project / "data", date(2030, 1, 1)).charts)
    second = build_site(project, tmp_path / "two")
    assert second.ok, second.text
    for page in (tmp_path / "one").rglob("*.html"):
        twin = tmp_path / "two" / page.relative_to(tmp_path / "one")
        assert twin.read_bytes() == page.read_bytes(), page
