"""The nginx configuration: CSP hashes from the build, caching, security headers, gzip, 404 page."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from playbook import cli
from playbook.hosting import (
    HASHES_FILE,
    HostingError,
    InlineHashes,
    content_security_policy,
    nginx_conf,
    normalize_base_path,
    page_hashes,
    read_hashes,
)

RE_SCRIPT_SRC = re.compile(r"script-src ([^;]+)")
RE_STYLE_SRC = re.compile(r"style-src ([^;]+)")
ALERT = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"  # alert(1)
VAR_A = "'sha256-WazVQOu5lmXfSreSrMJd1CsaQ4c00fUQpJfBYCuMSIw='"  # var a=1


def test_page_hashes_cover_executed_scripts_styles_and_style_attributes():
    html = (
        "<script>alert(1)</script>"
        '<script type="application/json" id="__config">{"a": 1}</script>'
        '<script src="bundle.js"></script>'
        '<script type="text/javascript">var a=1</script>'
        '<svg><style>var a=1</style><path style="alert(1)"/></svg>'
    )
    assert page_hashes(html) == InlineHashes(
        scripts=(VAR_A, ALERT), styles=(VAR_A,), style_attrs=(ALERT,)
    )


def test_policy_allows_only_own_origin_and_hashed_inline_code():
    csp = content_security_policy(
        InlineHashes(scripts=("'sha256-abc='",), styles=("'sha256-def='",))
    )
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'sha256-abc='" in csp
    assert "style-src 'self' 'sha256-def='" in csp
    assert "img-src 'self' data:" in csp
    assert "unsafe" not in csp
    assert "http" not in csp and "*" not in csp


def test_style_attributes_are_allowed_by_exact_hash_only():
    csp = content_security_policy(InlineHashes(style_attrs=("'sha256-ghi='",)))
    assert "style-src 'self' 'unsafe-hashes' 'sha256-ghi='" in csp
    assert "unsafe-inline" not in csp


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


def test_build_writes_every_inline_hash(built_site):
    site = built_site.site_dir
    recorded = read_hashes(site)
    found = InlineHashes()
    for page in site.rglob("*.html"):
        found = found | page_hashes(page.read_text(encoding="utf-8"))
    assert found.scripts and found == recorded
    assert json.loads((site / HASHES_FILE).read_text())["script"] == list(recorded.scripts)


def test_cli_writes_a_config_nginx_accepts(built_site, tmp_path):
    out = tmp_path / "nginx.conf"
    code = cli.main(
        [
            "nginx-conf",
            str(built_site.site_dir),
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
    assert f"alias {built_site.site_dir.resolve()}/;" in text
    assert "daemon off;" in text and "error_page 404 /playbooks/social/404.html;" in text
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", "nginx.conf", "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_cli_without_hashes_file_says_how_to_fix(tmp_path, capsys):
    (tmp_path / "index.html").write_text("<html></html>")
    assert cli.main(["nginx-conf", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"'{tmp_path / HASHES_FILE}' is missing: build the site with `make build`" in err


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, follow_redirects=False)


def test_html_has_security_headers_and_csp_with_the_build_hashes(nginx_site, built_site):
    r = _get(nginx_site.url)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    hashes = read_hashes(built_site.site_dir)
    assert set(RE_SCRIPT_SRC.search(csp).group(1).split()) == {"'self'", *hashes.scripts}
    assert set(RE_STYLE_SRC.search(csp).group(1).split()) <= {
        "'self'",
        "'unsafe-hashes'",
        *hashes.styles,
        *hashes.style_attrs,
    }
    assert "unsafe-inline" not in csp
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
    r = _get(nginx_site.url + "assets/stylesheets/playbook.css")
    assert r.headers["cache-control"] == "no-cache"
    assert "content-security-policy" not in r.headers  # only documents carry the policy
    assert r.headers["x-content-type-options"] == "nosniff"
    again = _get(
        nginx_site.url + "assets/stylesheets/playbook.css", **{"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304


def test_html_and_search_index_are_gzipped(nginx_site):
    for path in ("", "search/search_index.json"):
        r = _get(nginx_site.url + path, **{"Accept-Encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip", path
        assert r.headers["vary"] == "Accept-Encoding"


def test_missing_page_gets_the_sites_404_page(nginx_site, built_site):
    r = _get(nginx_site.url + "no/such/page/")
    assert r.status_code == 404
    assert r.text == (built_site.site_dir / "404.html").read_text(encoding="utf-8")
    assert "content-security-policy" in r.headers


def test_dotfiles_are_not_served(nginx_site):
    r = _get(nginx_site.url + HASHES_FILE)
    assert r.status_code == 404
    assert "sha256" not in r.text


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
