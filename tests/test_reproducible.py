"""Two builds of the same sources give a byte-identical site; every date comes from SOURCE_DATE_EPOCH.

The second build runs as a separate `mkdocs build --strict` process, from a copy of the project at
another path and with another PYTHONHASHSEED, so absolute paths, set ordering and clocks that leak
into the output all show up as differences.
"""

from __future__ import annotations

import difflib
import gzip
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sitebuild import ROOT, BuildResult, build_site, copy_project

from playbook.data import load_catalog
from playbook.frontmatter import read_meta

MKDOCS = Path(sys.executable).parent / "mkdocs"
OTHER_EPOCH = 1893456000  # 2030-01-01T00:00:00Z, a date no test run happens on


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def first_difference(a: bytes, b: bytes) -> str:
    """A short, readable account of where two files differ."""
    if a[:2] == b"\x1f\x8b":  # gzip: compare the header, then the content
        a, b = a[:10] + gzip.decompress(a), b[:10] + gzip.decompress(b)
    lines = difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(),
        b.decode("utf-8", "replace").splitlines(),
        lineterm="",
        n=0,
    )
    return "\n".join(line[:300] for line in list(lines)[:8])


def test_two_builds_are_byte_identical(built_site: BuildResult, tmp_path: Path):
    project = copy_project(tmp_path / "elsewhere" / "project", caches=False)  # made anew
    env = dict(os.environ, PYTHONHASHSEED="4242")
    second = tmp_path / "second-site"
    run = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(second)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr

    first_files, second_files = site_files(built_site.site_dir), site_files(second)
    assert sorted(first_files) == sorted(second_files)
    for must in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "index.html"):
        assert must in first_files
    differing = {
        name: first_difference(data, second_files[name])
        for name, data in first_files.items()
        if data != second_files[name]
    }
    assert differing == {}


CHART_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from playbook.charts import draw_svg
from playbook.data import load_catalog
catalog = load_catalog(Path(sys.argv[1]), date(2030, 1, 1))
sys.stdout.write("\\n---\\n".join(draw_svg(chart, catalog) for chart in catalog.charts.values()))
"""


def test_charts_are_the_same_svg_in_every_process():
    """Every chart in data/charts.yml, drawn here and in a process with another hash seed."""
    from playbook.charts import draw_svg

    catalog = load_catalog(ROOT / "data", date(2030, 1, 1))
    here = "\n---\n".join(draw_svg(chart, catalog) for chart in catalog.charts.values())
    run = subprocess.run(
        [sys.executable, "-c", CHART_SCRIPT, str(ROOT / "data")],
        env=dict(os.environ, PYTHONHASHSEED="7"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == here
    assert here.count("<svg") == len(catalog.charts) >= 1
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d|<dc:date|<metadata", here)


def test_source_date_epoch_sets_every_date_the_site_shows(
    built_site: BuildResult, tmp_path: Path, monkeypatch
):
    session_day = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC).date()
    review = (built_site.site_dir / "reports" / "review" / "index.html").read_text()
    assert f"As of the build date, {session_day.isoformat()}." in review

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(OTHER_EPOCH))
    result = build_site(copy_project(tmp_path / "project", caches=False), tmp_path / "site")
    assert result.ok, result.text
    site = result.site_dir
    assert (
        "As of the build date, 2030-01-01."
        in (site / "reports" / "review" / "index.html").read_text()
    )
    assert (
        "Ages are computed from the build date, 2030-01-01."
        in (site / "reports" / "freshness" / "index.html").read_text()
    )
    sitemap = (site / "sitemap.xml").read_text()
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {"2030-01-01"}
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    assert int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little") == OTHER_EPOCH

    # Nothing reads the clock: today's date appears nowhere in a site built for 2030, except on a
    # page whose writer typed it into the front matter (last_reviewed on a page reviewed today).
    today = date.today()
    assert today != date(2030, 1, 1)
    typed_today = set()
    for page in (ROOT / "docs").rglob("*.md"):
        meta = read_meta(page)
        if today.isoformat() in {str(meta.get("last_reviewed")), str(meta.get("review_by"))}:
            stem = page.relative_to(ROOT / "docs").with_suffix("").as_posix()
            typed_today.add(f"{stem}.html" if stem.endswith("index") else f"{stem}/index.html")
    spellings = {
        today.isoformat(),
        today.strftime("%B %-d, %Y"),
        today.strftime("%-d %B %Y"),
        today.strftime("%b %-d, %Y"),
        today.strftime("%d/%m/%Y"),
        today.strftime("%m/%d/%Y"),
    }
    # A date written in the sources themselves (a page reviewed today, a rule checked today) is
    # content, not the clock: leave such spellings out, and check the rest.
    written = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for folder in ("docs", "data")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".md", ".yml")
    )
    spellings = {s for s in spellings if s not in written}
    found = {
        name: [s for s in spellings if s.encode() in data]
        for name, data in site_files(site).items()
        if name.endswith((".html", ".xml", ".json", ".svg", ".txt", ".js"))
        and name not in typed_today
        and any(s.encode() in data for s in spellings)
    }
    assert found == {}
