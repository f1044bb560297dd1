"""The link checker's core, registry, command and hook, on tiny synthetic sites in tmp_path."""

from __future__ import annotations

import importlib.util
import json
import re
from argparse import ArgumentParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from sitebuild import ROOT, build_site, copy_project

from playbook.linkcheck import cli
from playbook.linkcheck.collect import parse_page, refresh_url, srcset_urls
from playbook.linkcheck.internal import check_site, scan
from playbook.linkcheck.model import Problem
from playbook.linkcheck.registry import RegistryError, check_registry, load_registry
from playbook.linkcheck.report import format_text, warning_messages

PAGE = "<!doctype html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def page(body: str = "", head: str = "") -> str:
    return PAGE.format(head=head, body=body)


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# A small site: a home page, two chapters, assets, a folder without index.html, an odd file name.
BASE_FILES: dict[str, str | bytes] = {
    "index.html": page('<h1 id="home">Home</h1>'),
    "chapters/index.html": page('<h1 id="chapters">Chapters</h1>'),
    "chapters/roi/index.html": page(
        '<h2 id="payback">Payback</h2><p><a name="legacy-roi"></a></p>'
    ),
    "chapters/metrics/index.html": page('<h2 id="mttr">MTTR</h2>'),
    "assets/main.css": "body{}",
    "assets/app.js": "1",
    "assets/favicon.png": b"\x89PNG",
    "img/chart.png": b"\x89PNG",
    "img/chart@2x.png": b"\x89PNG",
    "gallery/photo.png": b"\x89PNG",
    "downloads/q3 report.pdf": b"%PDF",
}

# (link as written on chapters/roi/index.html, expected kind or None when it works)
CASES = [
    ("../metrics/", None),
    ("../metrics/index.html", None),
    ("../metrics", None),  # a folder without the slash: the server redirects to metrics/
    ("..", None),
    ("../../", None),
    ("./", None),
    ("", None),
    ("../metrics/#mttr", None),
    ("../metrics/#nope", "missing-fragment"),
    ("#payback", None),
    ("#nope", "missing-fragment"),
    ("#", None),
    ("#top", None),
    ("#legacy-roi", None),  # <a name>
    ("../roi/#legacy-roi", None),
    ("../nope/", "missing-file"),
    ("../Metrics/", "missing-file"),  # case as a Linux server sees it
    ("../../gallery/", "missing-file"),  # a folder URL needs its index.html
    ("../../gallery/photo.png", None),
    ("../../downloads/q3%20report.pdf", None),  # percent-encoded name that exists
    ("../../downloads/q3 report.pdf", None),
    ("../../downloads/q4%20report.pdf", "missing-file"),
    ("../../downloads/q3%20report.pdf#page=2", None),  # a fragment on a PDF: not ours to check
    ("../../assets/main.css?v=3", None),
    ("/chapters/metrics/", None),
    ("/chapters/nope/", "missing-file"),
    ("../../../elsewhere/", "outside-site"),
    ("mailto:comms@example.org", None),
    ("tel:+15555550100", None),
    ("javascript:void(0)", None),
    ("data:image/png;base64,AAAA", None),
    ("https://example.org/page", None),  # external: only with --external
    ("//cdn.example.org/x.js", None),
    ("http://[::1/broken", "invalid-url"),
    ("https:///no-host", "invalid-url"),
    ("http://example.org:99999/", "invalid-url"),
]


@pytest.mark.parametrize(("url", "kind"), CASES, ids=[c[0] or "(empty)" for c in CASES])
def test_internal_link_cases(tmp_path: Path, url: str, kind: str | None) -> None:
    files = dict(BASE_FILES)
    files["chapters/roi/index.html"] = page(
        f'<h2 id="payback">Payback</h2><p><a name="legacy-roi"></a><a href="{url}">x</a></p>'
    )
    problems = check_site(make_site(tmp_path, files))
    assert [p.kind for p in problems] == ([kind] if kind else [])
    if kind:
        assert problems[0].page == "chapters/roi/index.html"
        assert problems[0].url == url


def test_exact_messages_and_suggestions(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["chapters/roi/index.html"] = page(
        '<h2 id="payback">Payback</h2>'
        '<a href="../metric/">a</a><a href="../Metrics/#mttr">b</a><a href="#payback-period">c</a>'
        '<a href="../metrics/#mtr">d</a><a href="../../gallery/">e</a><a href="/chapters/rio/">f</a>'
    )
    problems = check_site(make_site(tmp_path, files))
    assert problems == [
        Problem(
            "chapters/roi/index.html",
            "../metric/",
            "missing-file",
            None,
            "the target is not found in the built site. Did you mean '../metrics/'?",
        ),
        Problem(
            "chapters/roi/index.html",
            "../Metrics/#mttr",
            "missing-file",
            None,
            "the target is not found in the built site. Did you mean '../metrics/#mttr'?",
        ),
        Problem(
            "chapters/roi/index.html",
            "#payback-period",
            "missing-fragment",
            None,
            "there is no anchor '#payback-period' on this page. Did you mean '#payback'?",
        ),
        Problem(
            "chapters/roi/index.html",
            "../../gallery/",
            "missing-file",
            None,
            "the folder 'gallery/' has no index.html in the built site.",
        ),
        Problem(
            "chapters/roi/index.html",
            "/chapters/rio/",
            "missing-file",
            None,
            "the target is not found in the built site. Did you mean '/chapters/roi/'?",
        ),
        Problem(
            "chapters/roi/index.html",
            "../metrics/#mtr",
            "missing-fragment",
            None,
            "there is no anchor '#mtr' on 'chapters/metrics/index.html'. Did you mean '#mttr'?",
        ),
    ]


def test_images_srcset_and_assets(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["index.html"] = page(
        '<img src="img/chart.png" srcset="img/chart.png 1x, img/chart@2x.png 2x, img/chart@3x.png 3x">'
        '<picture><source srcset="img/wide.png 1280w, img/chart.png 640w"></picture>'
        '<img src="img/missing.png" alt="">'
        '<script src="assets/app.js"></script><script src="assets/gone.js"></script>',
        head='<link rel="icon" href="assets/favicon.png"><link rel="icon" href="assets/nofav.png">'
        '<link rel="stylesheet" href="assets/main.css"><link rel="stylesheet" href="assets/gone.css">'
        '<link rel="preconnect" href="https://fonts.example.org">',
    )
    problems = check_site(make_site(tmp_path, files))
    assert sorted(p.url for p in problems) == sorted(
        [
            "img/chart@3x.png",
            "img/wide.png",
            "img/missing.png",
            "assets/gone.js",
            "assets/nofav.png",
            "assets/gone.css",
        ]
    )
    assert {p.kind for p in problems} == {"missing-file"}


def test_srcset_and_refresh_parsing() -> None:
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png 640w,b.png 1280w") == ["a.png", "b.png"]
    assert srcset_urls("a.png") == ["a.png"]
    assert srcset_urls(" a,b.png 2x ") == ["a,b.png"]
    assert srcset_urls("data:image/png;base64,AA== 1x, x.png 2x") == [
        "data:image/png;base64,AA==",
        "x.png",
    ]
    assert refresh_url("0; url=../new/#x") == "../new/#x"
    assert refresh_url("0;URL='../new/'") == "../new/"
    assert refresh_url("5") is None


def test_parse_page_collects_ids_names_and_links_once() -> None:
    parsed = parse_page(
        '<h2 id="a">A</h2><a id="b" name="c" href="#a">x</a><img id="d" src="i.png" srcset="j.png 2x">'
        '<video poster="p.png" src="v.mp4"></video><object data="o.svg"></object>'
        '<meta http-equiv="refresh" content="0; url=../new/">'
    )
    assert parsed.anchors == {"a", "b", "c", "d"}
    assert parsed.links == ["#a", "i.png", "j.png", "v.mp4", "p.png", "o.svg", "../new/"]
    assert parsed.refresh == "../new/"
    # The build's one scan also finds the inline code, from the same parsed tree.
    both = parse_page('<p id="a" onclick="go()">x</p><a name="b" href="#a">y</a>', inline=True)
    assert both.anchors == {"a", "b"} and both.links == ["#a"]
    assert [(i.kind, i.sample) for i in both.inline] == [("handler", "onclick=go()")]
    assert parse_page("<p onclick='go()'>x</p>").inline == []  # not asked for


def test_base_path(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["index.html"] = page(
        '<a href="/sub/chapters/roi/">in</a><a href="/sub/">root</a><a href="/sub">root2</a>'
        '<a href="/other/page/">out</a><a href="/chapters/roi/">no prefix</a>'
        '<a href="/sub/chapters/gone/">gone</a>'
    )
    problems = check_site(make_site(tmp_path, files), base_path="/sub/")
    assert [(p.url, p.kind) for p in problems] == [
        ("/other/page/", "outside-site"),
        ("/chapters/roi/", "outside-site"),
        ("/sub/chapters/gone/", "missing-file"),
    ]
    assert problems[0].message == "it points outside the site, which is served under '/sub/'."
    # "sub", "/sub" and "/sub/" mean the same.
    assert check_site(tmp_path, base_path="sub") == problems


def test_material_404_page(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["404.html"] = page(
        '<a href="/sub/chapters/roi/">Home</a>',
        head='<link rel="stylesheet" href="/sub/assets/main.css">',
    )
    site = make_site(tmp_path, files)
    # Served under a sub-path we are told: its absolute links resolve against it.
    assert check_site(site, base_path="/sub/") == []
    # Not told: its absolute links cannot be judged, so only relative ones are checked.
    assert check_site(site) == []
    (site / "404.html").write_text(page('<a href="/sub/gone/">x</a><a href="nope.html">y</a>'))
    assert [p.url for p in check_site(site)] == ["nope.html"]
    assert [p.url for p in check_site(site, base_path="/sub/")] == ["/sub/gone/", "nope.html"]


def test_no_directory_urls(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["index.html"] = page(
        '<a href="chapters/roi/">dir</a><a href="chapters/roi/index.html">file</a>'
    )
    site = make_site(tmp_path, files)
    assert check_site(site) == []
    problems = check_site(site, directory_urls=False)
    assert [(p.url, p.message) for p in problems] == [
        (
            "chapters/roi/",
            "it names a folder, which only a web server turns into its index.html. "
            "Did you mean 'chapters/roi/index.html'?",
        )
    ]


def test_meta_refresh_target_is_checked(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["old/index.html"] = page(head='<meta http-equiv="refresh" content="0; url=../gone/">')
    problems = check_site(make_site(tmp_path, files))
    assert [(p.page, p.url, p.kind) for p in problems] == [
        ("old/index.html", "../gone/", "missing-file")
    ]


def test_the_same_up_link_on_pages_of_different_folders_resolves_from_each(
    tmp_path: Path,
) -> None:
    """'../z/' is resolved once for pages with the same parent folder, never shared beyond it."""
    up = '<a href="../z/">z</a>'
    site = make_site(
        tmp_path / "site",
        {
            "index.html": page(up),  # above the site's root
            "a/x/index.html": page(up),  # a/z/ exists
            "a/y/index.html": page(up),
            "a/z/index.html": page(),
            "b/x/index.html": page(up),  # b/z/ does not
            "c/index.html": page(up),  # z/ does not
        },
    )
    assert [(p.page, p.kind) for p in check_site(site)] == [
        ("b/x/index.html", "missing-file"),
        ("c/index.html", "missing-file"),
        ("index.html", "outside-site"),
    ]


def test_parallel_scan_matches_serial(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    for i in range(40):
        files[f"p{i}/index.html"] = page(
            f'<h2 id="s{i}">S</h2><a href="../p{(i + 1) % 40}/#s{(i + 1) % 40}">n</a>'
            f'<a href="../p{i}/#bad">b</a><img src="../img/chart.png">'
        )
    site = make_site(tmp_path, files)
    serial = check_site(site, workers=1)
    assert len(serial) == 40
    assert check_site(site, workers=2) == serial


# ---- the onboarding registry ------------------------------------------------------------------

STUB = (  # what mkdocs-redirects 1.2.3 writes
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Redirecting...</title>'
    '<link rel="canonical" href="{url}"><script>var anchor=window.location.hash.substr(1);'
    'location.href="{url}"+(anchor?"#"+anchor:"")</script>'
    '<meta http-equiv="refresh" content="0; url={url}"></head>'
    '<body>You\'re being redirected to a <a href="{url}">new destination</a>.</body></html>'
)


def write_registry(path: Path, urls: list[str]) -> Path:
    path.write_text("".join(f'- url: "{u}"\n  used_by: Onboarding pack\n' for u in urls))
    return path


def test_registry_moved_page_without_redirect_fails(tmp_path: Path) -> None:
    site_dir = make_site(tmp_path / "site", dict(BASE_FILES))
    registry = write_registry(
        tmp_path / "links.yml", ["chapters/roi/#payback", "chapters/value/#payback"]
    )
    problems = check_registry(scan(site_dir), load_registry(registry), "data/onboarding-links.yml")
    assert problems == [
        Problem(
            "data/onboarding-links.yml",
            "chapters/value/#payback",
            "missing-file",
            None,
            "the target is not found in the built site. It is used by Onboarding pack: add a "
            "redirect from the old address (plugins.redirects.redirect_maps in mkdocs.yml) or "
            "update the registry.",
        )
    ]


def test_registry_follows_redirect_stubs(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["chapters/value/index.html"] = STUB.format(url="../roi/")
    files["legacy/metrics/index.html"] = STUB.format(url="../../chapters/metrics/#mttr")
    files["loop/a/index.html"] = STUB.format(url="../b/")
    files["loop/b/index.html"] = STUB.format(url="../a/")
    site = scan(make_site(tmp_path / "site", files))
    registry = write_registry(
        tmp_path / "links.yml",
        [
            "chapters/value/#payback",
            "legacy/metrics/",
            "chapters/value/#gone",
            "loop/a/",
            "/chapters/roi/",
            "#home",
            "#away",
        ],
    )
    problems = check_registry(site, load_registry(registry), "links.yml")
    assert [(p.url, p.kind) for p in problems] == [
        ("chapters/value/#gone", "missing-fragment"),
        ("loop/a/", "redirect-loop"),
        ("#away", "missing-fragment"),  # a bare anchor is on the home page
    ]
    assert problems[0].message.startswith(
        "there is no anchor '#gone' on 'chapters/roi/index.html'."
    )
    # The stubs' own links are fine.
    assert [p.url for p in site.problems()] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "url: x/\n",
            "Error reading registry file 'links.yml', line 1: expected a list of entries",
        ),
        (
            "- used_by: Pack\n",
            "Error reading registry file 'links.yml', line 1: entry 1: 'url' is required",
        ),
        (
            "- url: a/\n  used_by: P\n- url: b/\n",
            "Error reading registry file 'links.yml', line 3: entry 2: 'used_by' is required",
        ),
        (
            "- url: https://x.org/\n  used_by: P\n",
            "Error reading registry file 'links.yml', line 1: entry 1: 'url' must be relative",
        ),
    ],
)
def test_registry_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "links.yml"
    path.write_text(text)
    with pytest.raises(RegistryError) as info:
        load_registry(path, shown_as="links.yml")
    assert str(info.value).startswith(message)


# ---- the command -------------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    parser = ArgumentParser()
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(argv))


def test_cli_exit_codes_and_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path / "site", dict(BASE_FILES))
    assert run_cli([str(site), "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""
    (site / "index.html").write_text(
        page('<a href="chapters/nope/">x</a><img srcset="img/zzz.webp 1x, img/chart.png 2x">')
    )
    assert run_cli([str(site), "--format", "jsonl"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {
            "page": "index.html",
            "url": "chapters/nope/",
            "kind": "missing-file",
            "status": None,
            "message": "the target is not found in the built site.",
        },
        {
            "page": "index.html",
            "url": "img/zzz.webp",
            "kind": "missing-file",
            "status": None,
            "message": "the target is not found in the built site.",
        },
    ]
    assert run_cli([str(tmp_path / "absent")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_text_groups_by_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(BASE_FILES)
    files["index.html"] = page('<a href="chapters/metric/">m</a><a href="#nowhere">n</a>')
    files["chapters/roi/index.html"] = page('<a href="/outside/" >o</a>')
    site = make_site(tmp_path / "site", files)
    assert run_cli([str(site), "--base-path", "/docs/"]) == 1
    assert capsys.readouterr().out == (
        "chapters/roi/index.html:\n"
        "  '/outside/' (outside-site): it points outside the site, which is served under '/docs/'.\n"
        "\n"
        "index.html:\n"
        "  'chapters/metric/' (missing-file): the target is not found in the built site. Did you mean 'chapters/metrics/'?\n"
        "  '#nowhere' (missing-fragment): there is no anchor '#nowhere' on this page.\n"
        "\n"
        "3 problems on 2 pages: 1 missing-file, 1 missing-fragment, 1 outside-site.\n"
    )


def test_cli_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path / "site", dict(BASE_FILES))
    registry = write_registry(tmp_path / "links.yml", ["chapters/roi/", "start-here/#reading-path"])
    assert run_cli([str(site), "--registry", str(registry), "--format", "jsonl"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["page"] == str(registry)
    assert json.loads(line)["url"] == "start-here/#reading-path"
    registry.write_text("- url: [\n")
    assert run_cli([str(site), "--registry", str(registry)]) == 2
    assert "links.yml', line 2: YAML syntax error" in capsys.readouterr().err


def test_warning_messages_use_mkdocs_wording(tmp_path: Path) -> None:
    docs = make_site(tmp_path / "docs", {"x.md": "#", "guide/index.md": "#"})
    problems = [
        Problem(
            "x/index.html",
            "../y/",
            "missing-file",
            None,
            "the target is not found in the built site. Did you mean '../z/'?",
        ),
        Problem(
            "guide/index.html",
            "#a",
            "missing-fragment",
            None,
            "there is no anchor '#a' on this page.",
        ),
        Problem(
            "guide/index.html",
            "b.png",
            "missing-file",
            None,
            "the target is not found in the built site.",
        ),
        Problem(
            "404.html", "x", "missing-file", None, "the target is not found in the built site."
        ),
        Problem(
            "data/links.yml",
            "old/",
            "missing-file",
            None,
            "the target is not found in the built site.",
        ),
    ]
    assert warning_messages(problems, str(docs), "data/links.yml") == [
        "Doc file 'x.md' (built as 'x/index.html') contains a link '../y/', but the target is not "
        "found in the built site. Did you mean '../z/'?",
        "Doc file 'guide/index.md' (built as 'guide/index.html') contains 2 broken links:\n"
        "  - a link '#a', but there is no anchor '#a' on this page.\n"
        "  - a link 'b.png', but the target is not found in the built site.",
        "File '404.html' in the built site contains a link 'x', but the target is not found in the built site.",
        "Onboarding registry 'data/links.yml' lists a link 'old/', but the target is not found in the built site.",
    ]
    assert format_text([]) == "No broken links.\n"


# ---- the hook -------------------------------------------------------------------------------------


def load_hook():
    spec = importlib.util.spec_from_file_location("postbuild_hook", ROOT / "hooks" / "postbuild.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_config(project: Path, link_check: bool = True, registry: Path | None = None):
    settings = SimpleNamespace(
        link_check=link_check, onboarding_registry=str(registry) if registry else None
    )
    return SimpleNamespace(
        plugins={"playbook": SimpleNamespace(config=settings)},
        site_dir=str(project / "site"),
        docs_dir=str(project / "docs"),
        config_file_path=str(project / "mkdocs.yml"),
        site_url="https://intranet.example.org/sub/",
        use_directory_urls=True,
    )


def test_hook_settings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    hook = load_hook()
    files = dict(BASE_FILES)
    files["index.html"] = page('<a href="nope/">x</a>')
    files["404.html"] = page('<link rel="stylesheet" href="/sub/assets/main.css">')
    make_site(tmp_path / "site", files)
    make_site(tmp_path / "docs", {"index.md": "# Home"})
    with caplog.at_level("WARNING", logger="mkdocs.hooks.postbuild"):
        hook.on_post_build(fake_config(tmp_path, link_check=False))
        assert caplog.messages == []
        hook.on_post_build(fake_config(tmp_path))
    # 404.html's absolute links resolve against site_url's path.
    assert caplog.messages == [
        "Doc file 'index.md' (built as 'index.html') contains a link 'nope/', but the target is "
        "not found in the built site."
    ]
    bad = tmp_path / "links.yml"
    bad.write_text("- used_by: x\n")
    with pytest.raises(
        PluginError, match=re.escape("Error reading registry file 'links.yml', line 1")
    ):
        hook.on_post_build(fake_config(tmp_path, registry=bad))


# ---- the hook, in a real strict build ------------------------------------------------------------


def test_hook_fails_strict_build_with_grouped_messages(tmp_path: Path) -> None:
    """One build (they are slow): a raw-HTML link MkDocs cannot see, and the registry followed
    through a mkdocs-redirects stub."""
    project = copy_project(tmp_path / "project")
    start = project / "docs" / "start-here.md"
    start.write_text(start.read_text() + '\n\n<p><a href="../glosary/">the glossary</a></p>\n')
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "redirect_maps: {}", "redirect_maps: {'old-start.md': 'start-here.md'}"
        )
    )
    registry = project / "data" / "onboarding-links.yml"
    registry.write_text(
        registry.read_text()
        + "- url: old-start/\n  used_by: Old onboarding deck\n"
        + "- url: moved-away/\n  used_by: Printed brief\n"
    )
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert "in strict mode" in result.error
    hook_warnings = [r.getMessage() for r in result.records if r.name == "mkdocs.hooks.postbuild"]
    assert hook_warnings == [
        "Doc file 'start-here.md' (built as 'start-here/index.html') contains a link "
        "'../glosary/', but the target is not found in the built site. Did you mean "
        "'../glossary/'?",
        "Onboarding registry 'data/onboarding-links.yml' lists a link 'moved-away/', but the "
        "target is not found in the built site. It is used by Printed brief: add a redirect from "
        "the old address (plugins.redirects.redirect_maps in mkdocs.yml) or update the registry.",
    ]


def test_each_broken_link_gives_one_warning(tmp_path: Path) -> None:
    """A Markdown link MkDocs' validation reports is not reported again by the hook; links MkDocs
    cannot see (raw HTML) are the hook's. One warning per broken link or anchor."""
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    edits = {
        "start-here.md": "\n\nSee [the homework](chapters/homewrk.md) and "
        "[its first play](chapters/homework.md#play-no-such-play).\n",
        "chapters/not-yet.md": '\n\n<p><a href="../homewrk/">the homework</a></p>\n',
        "chapters/no-silos.md": '\n\n<p><a href="../homework/#play-nope">a play</a></p>\n',
    }
    for name, text in edits.items():
        (docs / name).write_text((docs / name).read_text() + text)
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert result.error == "Aborted with 4 warnings in strict mode!"
    assert sorted(result.warnings) == [
        "Doc file 'chapters/no-silos.md' (built as 'chapters/no-silos/index.html') contains a "
        "link '../homework/#play-nope', but there is no anchor '#play-nope' on "
        "'chapters/homework/index.html'.",
        "Doc file 'chapters/not-yet.md' (built as 'chapters/not-yet/index.html') contains a link "
        "'../homewrk/', but the target is not found in the built site. Did you mean "
        "'../homework/'?",
        "Doc file 'start-here.md' contains a link 'chapters/homework.md#play-no-such-play', but "
        "the doc 'chapters/homework.md' does not contain an anchor '#play-no-such-play'.",
        "Doc file 'start-here.md' contains a link 'chapters/homewrk.md', but the target is not "
        "found among documentation files.",
    ]
