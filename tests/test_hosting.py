"""The nginx configuration and what keeps its policy fixed: no inline code in any built page,
escaped front matter, docs/ symlinks refused; caching, security headers, gzip and the 404 page."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest
from sitebuild import BuildResult, build_site, copy_project

from playbook import cli
from playbook.inline_check import (
    Allowed,
    InlineCodeError,
    check_site,
    content_security_policy,
    csp_hash,
    find_inline,
    read_allowlist,
)
from playbook.nginx_conf import HostingError, nginx_conf, normalize_base_path

FIXED_POLICY = "script-src 'self'; style-src 'self'; img-src 'self' data:"
HOSTILE = "<script>alert(1)</script>"


def test_find_inline_reports_every_kind_of_inline_code_and_skips_data_and_files():
    html = (
        "<script>alert(1)</script>"
        '<script type="application/json" id="__config">{"a": 1}</script>'
        '<script src="bundle.js"></script>'
        '<svg><style>a{b:c}</style><path style="fill: red"/></svg>'
        '<button onclick="go()">x</button><a href=" JavaScript:void(0)">y</a>'
    )
    found = [(i.kind, i.hash) for i in find_inline(html)]
    assert found == [
        ("script", csp_hash("alert(1)")),
        ("style", csp_hash("a{b:c}")),
        ("style-attr", csp_hash("fill: red")),
        ("handler", csp_hash("go()")),
        ("javascript-url", csp_hash(" JavaScript:void(0)")),
    ]


def test_the_link_scan_finds_the_same_inline_code_and_skips_only_plain_attributes():
    from playbook.inline_check import PLAIN_ATTRS, URL_ATTRS
    from playbook.linkcheck.collect import parse_page

    assert not [n for n in PLAIN_ATTRS if n == "style" or n.startswith("on") or n in URL_ATTRS]
    html = (
        '<html><body><div class="a" id="x"><script>one()</script><style>b{}</style>'
        '<span class="c" title="t" style="d">e</span><a href="javascript:go()" class="f">g</a>'
        '<svg viewBox="0 0 1 1"><path d="M0" onload="h()"/></svg></div></body></html>'
    )
    assert parse_page(html, inline=True).inline == find_inline(html)
    assert len(find_inline(html)) == 5


# Event handlers the tokenizer reads in odd ways: after a quoted value with no space, after '/',
# in capitals, with quotes or other punctuation in the name, in SVG and MathML, with no value.
ODD_HANDLERS = (
    '<a title="on"onclick="a()">x</a>',
    "<a title='x'onmouseover=b()>x</a>",
    "<a/onfocus=c()>x</a>",
    "<p ONCLICK=d()>x</p>",
    "<p\tOnLoad=e()\n>x</p>",
    '<p x"onclick=f() on"q=g() on.x=h() on\'r=i() onz\u00e9=j() on<s=k()>x</p>',
    "<svg><circle onbegin=l() /></svg><math><mi onclick=m()></mi></math>",
    "<p onclick>empty</p><i onfoo=n()>custom</i>",
    '<a href="x"onclick="o()">x</a><a href=x\r\nonclick=p()>y</a>',
    "<b on-x=q() on_y=r() on1=s()>z</b>",
)


@pytest.mark.parametrize("html", ODD_HANDLERS)
def test_the_link_scan_finds_event_handlers_however_they_are_written(html: str) -> None:
    from playbook.linkcheck.collect import parse_page

    page = "<p>Read on, one by one; only on: " + html + " and so on.</p>"
    expected = find_inline(page)
    assert expected and all(item.kind == "handler" for item in expected)
    assert parse_page(page, inline=True).inline == expected
    assert parse_page(page.encode("utf-8"), inline=True).inline == expected


def test_the_link_scan_finds_every_kind_in_document_order_once() -> None:
    from playbook.inline_check import inline_selector
    from playbook.linkcheck.collect import parse_page

    html = (
        '<p style="a" onclick="b()" id="x">x</p><script>c()</script><a href=" JAVASCRIPT:d" '
        'onmouseover="e()">y</a><svg><a xlink:href="javascript:f"><style>g{}</style></a></svg>'
        '<form action="javascript:h"><button formaction="javascript:i">j</button></form>'
        '<script type="application/json">{}</script><script src="k.js"></script>'
    )
    assert len(find_inline(html)) == 9
    assert "javascript:f" in parse_page(html).links  # an SVG <a xlink:href> is a link too
    assert parse_page(html, inline=True).inline == find_inline(html)
    # A page the selector cannot read (a NUL byte, a name that is not UTF-8) is walked instead.
    for odd in (html.encode() + b"\x00", html.encode() + b"<p on\xff=x()>z</p>"):
        assert inline_selector(odd) is None
        assert parse_page(odd, inline=True).inline == find_inline(odd)
    assert len(find_inline(html.encode() + b"<p on\xff=x()>z</p>")) == 10


def test_policy_is_fixed_own_origin_only():
    csp = content_security_policy([])
    assert FIXED_POLICY in csp
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe" not in csp and "sha256" not in csp
    assert "http" not in csp and "*" not in csp
    assert content_security_policy() == csp  # the repository's allow-list is empty


def test_allow_list_entries_go_into_the_policy_and_pass_the_check(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p style="color: red">x</p><script>ok()</script>')
    allowed = [
        Allowed("style-attr", csp_hash("color: red"), "a/*"),
        Allowed("script", csp_hash("ok()"), "*"),
    ]
    assert check_site(tmp_path, allowed) == []
    assert check_site(tmp_path, allowed[:1]) == [
        f"a/index.html: inline script {csp_hash('ok()')} ('ok()')"
    ]
    assert check_site(tmp_path, [Allowed("style-attr", csp_hash("color: red"), "b/*")])
    csp = content_security_policy(allowed)
    assert f"script-src 'self' {csp_hash('ok()')};" in csp
    assert f"style-src 'self' 'unsafe-hashes' {csp_hash('color: red')};" in csp


def test_a_bad_allow_list_line_is_named(tmp_path):
    path = tmp_path / "allow.txt"
    path.write_text("# reviewed\nscript sha256-abc *\n")
    with pytest.raises(InlineCodeError, match=r"allow.txt, line 2: expected KIND 'sha256-\.\.\.'"):
        read_allowlist(path)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/", "/"),
        ("", "/"),
        ("/playbooks/social", "/playbooks/social/"),
        ("playbooks//social/", "/playbooks/social/"),
    ],
)
def test_base_path_is_normalized(given, expected):
    assert normalize_base_path(given) == expected


@pytest.mark.parametrize("bad", ["/a b/", "/../etc/", "/x;y/"])
def test_bad_base_path_is_refused(bad):
    with pytest.raises(HostingError, match="--base-path"):
        normalize_base_path(bad)


def test_bad_listen_is_refused(tmp_path):
    with pytest.raises(HostingError, match="--listen 'nowhere'"):
        nginx_conf(tmp_path, listen="nowhere")


def test_the_built_site_has_no_inline_code(built_site: BuildResult):
    site = built_site.site_dir
    assert check_site(site, []) == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/javascripts/playbook-scope.js" in home
    assert (site / "assets" / "javascripts" / "playbook-palette.js").is_file()
    charts = [p for p in site.rglob("*.html") if "pb-chart__svg" in p.read_text(encoding="utf-8")]
    assert charts, "no page with a chart to check"
    for page in charts:
        text = page.read_text(encoding="utf-8")
        assert " style=" not in text and "<style" not in text, page
        assert 'fill="currentColor"' in text


def test_cli_serves_dest_through_its_symlink_and_nginx_accepts_it(built_site, tmp_path):
    dest = tmp_path / "www" / "playbook"
    dest.parent.mkdir()
    dest.symlink_to(built_site.site_dir)
    out = tmp_path / "nginx.conf"
    code = cli.main(
        [
            "nginx-conf",
            str(dest),
            "--listen",
            "127.0.0.1:8080",
            "--base-path",
            "/playbooks/social/",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    text = out.read_text()
    assert f"alias {dest}/;" in text  # the symlink, not the folder it points at today
    assert str(built_site.site_dir.resolve()) not in text
    assert "disable_symlinks off;" in text and "open_file_cache off;" in text
    assert "daemon off;" in text and "error_page 404 /playbooks/social/404.html;" in text
    assert FIXED_POLICY in text
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", "nginx.conf", "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_cli_without_a_built_site_says_how_to_fix(tmp_path, capsys):
    assert cli.main(["nginx-conf", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert "is not a built site (no index.html): run `playbook publish" in err


def _hostile_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "start-here.md"
    text = page.read_text(encoding="utf-8")
    text = re.sub(
        r"^owner: (.*)$",
        f'title: "{HOSTILE} Start"\nowner: "{HOSTILE} \\1"\n'
        f'description: "{HOSTILE} described"\nauthor: "{HOSTILE} wrote"',
        text,
        count=1,
        flags=re.M,
    )
    text = re.sub(r"^summary: (.*)$", f'summary: "{HOSTILE} summary"', text, count=1, flags=re.M)
    page.write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "redirect_maps: {}", "redirect_maps: {'old-start.md': 'start-here.md'}"
        )
    )
    return project


def test_hostile_front_matter_is_escaped_and_redirect_stubs_have_no_inline_script(tmp_path):
    result = build_site(_hostile_project(tmp_path), tmp_path / "site")
    assert result.ok, result.text
    site = tmp_path / "site"
    assert check_site(site, []) == []
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    page = (site / "start-here" / "index.html").read_text(encoding="utf-8")
    assert f"Owner: <strong>{escaped} Communications" in page
    assert HOSTILE not in page
    assert f"<title>{escaped} Start - " in page  # Material prints a front-matter title as is
    assert page.count(f"{escaped} Start") >= 2  # and again in the header
    assert f'<meta name="description" content="{escaped} described">' in page
    assert f'<meta name="author" content="{escaped} wrote">' in page
    for built in site.rglob("*"):
        if built.is_file() and built.suffix in (".html", ".json", ".xml"):
            assert HOSTILE not in built.read_text(encoding="utf-8"), built
    stub = (site / "old-start" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/playbook-redirect.js"></script>' in stub
    assert '<link rel="canonical" href="../start-here/">' in stub


def test_inline_style_in_a_page_fails_the_build_naming_it(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "start-here.md"
    page.write_text(page.read_text() + '\n<p style="color: red">Red.</p>\n')
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert "inline script(s) or style(s) in the built site" in result.text
    assert f"start-here/index.html: inline style-attr {csp_hash('color: red')}" in result.text
    assert "inline_allowlist.txt" in result.text


@pytest.mark.parametrize(
    ("name", "target"),
    [("passwd.txt", "/etc/passwd"), ("borrowed", "OUTSIDE"), ("environ.txt", "/proc/self/environ")],
)
def test_a_docs_symlink_leading_outside_fails_the_build_naming_it(tmp_path, name, target):
    project = copy_project(tmp_path / "project")
    if target == "OUTSIDE":
        target = str(tmp_path / "outside")
        (tmp_path / "outside").mkdir()
        (tmp_path / "outside" / "secret.md").write_text("# Secret\n")
    os.symlink(target, project / "docs" / "toolkit" / name)
    result = build_site(project, tmp_path / "site")
    assert not result.ok
    assert "symlink(s) in docs/ lead outside it" in result.text
    assert f"toolkit/{name} -> {target}" in result.text
    assert not (tmp_path / "site" / "toolkit" / name).exists()


def test_a_docs_symlink_inside_docs_is_fine(tmp_path):
    project = copy_project(tmp_path / "project")
    os.symlink("../assets/favicon.svg", project / "docs" / "toolkit" / "icon.svg")
    result = build_site(project, tmp_path / "site")
    assert result.ok, result.text
    assert (tmp_path / "site" / "toolkit" / "icon.svg").is_file()


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, follow_redirects=False)


def test_html_has_security_headers_and_the_fixed_csp(nginx_site):
    r = _get(nginx_site.url)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert csp == content_security_policy([])
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["referrer-policy"] == "same-origin"
    assert "camera=()" in r.headers["permissions-policy"]
    assert r.headers["cache-control"] == "no-cache"
    assert "etag" in r.headers


def _hashed_assets(site: Path) -> list[str]:
    assets = [
        p
        for p in (site / "assets").rglob("*.min.*")
        if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", p.name)
    ]
    return [p.relative_to(site).as_posix() for p in assets]


def test_hashed_assets_are_cached_for_a_year_and_compressed(nginx_site, built_site):
    assets = _hashed_assets(built_site.site_dir)
    assert any(a.startswith("assets/javascripts/bundle.") for a in assets)
    assert any(a.startswith("assets/stylesheets/main.") for a in assets)
    for asset in assets:
        r = _get(nginx_site.url + asset, **{"Accept-Encoding": "gzip"})
        assert r.status_code == 200, asset
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable", asset
        assert r.headers["content-encoding"] == "gzip", asset


def test_unhashed_files_revalidate(nginx_site):
    for path in ("assets/stylesheets/playbook.css", "assets/javascripts/playbook-scope.js"):
        r = _get(nginx_site.url + path)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-cache", path
        assert "content-security-policy" not in r.headers  # only documents carry the policy
        assert r.headers["x-content-type-options"] == "nosniff"
        again = _get(nginx_site.url + path, **{"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304


def test_html_and_search_index_are_gzipped(nginx_site):
    for path in ("", "search/search_index.json"):
        r = _get(nginx_site.url + path, **{"Accept-Encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip", path
        assert r.headers["vary"] == "Accept-Encoding"


def test_svg_and_xml_documents_carry_the_policy_too(nginx_site):
    for path in ("assets/favicon.svg", "sitemap.xml"):
        r = _get(nginx_site.url + path)
        assert r.status_code == 200, path
        assert r.headers["content-security-policy"] == content_security_policy([]), path


def test_missing_page_gets_the_sites_404_page(nginx_site, built_site):
    r = _get(nginx_site.url + "no/such/page/")
    assert r.status_code == 404
    assert r.text == (built_site.site_dir / "404.html").read_text(encoding="utf-8")
    assert "content-security-policy" in r.headers


def test_dotfiles_are_not_served(nginx_site, built_site):
    (built_site.site_dir / ".secret").write_text("not for readers\n")
    try:
        r = _get(nginx_site.url + ".secret")
    finally:
        (built_site.site_dir / ".secret").unlink()
    assert r.status_code == 404
    assert "not for readers" not in r.text


def test_sub_path_without_slash_and_root_redirect_into_the_site(nginx_site):
    assert _get(nginx_site.url.rstrip("/")).headers["location"] == "/playbooks/social/"
    assert _get(nginx_site.origin + "/").headers["location"] == "/playbooks/social/"
    chapter = _get(nginx_site.url + "start-here")
    assert (
        chapter.status_code == 301
        and chapter.headers["location"] == "/playbooks/social/start-here/"
    )


def test_root_path_serves_the_site(nginx_root):
    r = _get(nginx_root.url)
    assert r.status_code == 200 and "content-security-policy" in r.headers
