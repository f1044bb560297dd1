"""`playbook screenshots` writes four PNGs of the built site, none of them blank."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image, ImageStat

from playbook import cli

NAMES = ("home", "chapter", "chapter-mobile", "chapter-print")


def _is_blank(image: Image.Image) -> bool:
    gray = image.convert("L")
    # A page of text on white has a spread of grey levels; a blank shot has one or two.
    return (
        ImageStat.Stat(gray).stddev[0] < 2 or len(gray.getcolors(maxcolors=256) or range(256)) < 8
    )


def test_screenshots_are_written_and_not_blank(built_site, tmp_path):
    out = tmp_path / "shots"
    # Its own process, as `make screenshots` runs it (the session's browser holds this thread).
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "playbook.cli",
            "screenshots",
            "--site-dir",
            str(built_site.site_dir),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.png" for n in NAMES)
    images = {name: Image.open(out / f"{name}.png") for name in NAMES}
    for name, image in images.items():
        assert not _is_blank(image), name
    assert images["home"].width == 1280 and images["chapter"].height >= 800
    assert images["chapter-mobile"].width == 390
    # The print view drops Material's header and navigation: it starts white, not with the indigo bar.
    assert images["chapter-print"].convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    assert images["chapter"].convert("RGB").getpixel((5, 5)) != (255, 255, 255)
    assert f"wrote {out / 'home.png'}" in done.stdout


def test_missing_chapter_is_a_clear_error(built_site, tmp_path, capsys):
    args = [
        "screenshots",
        "--site-dir",
        str(built_site.site_dir),
        "--out",
        str(tmp_path),
        "--chapter",
        "nope/",
    ]
    assert cli.main(args) == 2  # bad input
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("playbook screenshots: error: --chapter 'nope/': no such page")
    assert captured.err.count("\n") == 1  # one line, no traceback
