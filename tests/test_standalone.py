"""The suite stands alone: no test reads anything outside the repository (tests/readguard.py).

conftest.py runs `test_no_test_read_outside_the_repository` after every other test, so it sees
every read of the session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import readguard
from sitebuild import ROOT


def test_the_guard_sees_a_read_beside_the_repository(tmp_path):
    before = len(readguard.outside)
    target = Path("/nonexistent-outside-the-repository/seeds/000.txt")
    with pytest.raises(OSError):
        target.open(encoding="utf-8")  # fails, but the audit event comes first
    (tmp_path / "fine.txt").write_text("x", encoding="utf-8")
    (tmp_path / "fine.txt").read_text(encoding="utf-8")
    seen = readguard.outside[before:]
    del readguard.outside[before:]  # this read was on purpose
    assert seen == [f"open {target}"]
    assert readguard.is_outside("/home/someone/seeds/000.txt")
    assert all(readguard.is_outside(prefix + "seeds/000.txt") for prefix in readguard.FORBIDDEN)
    assert not readguard.is_outside(str(ROOT / "docs" / "index.md"))


def test_no_test_read_outside_the_repository():
    assert readguard.outside == [], (
        "Tests read files outside the repository (a fresh clone has nothing beside it); "
        "commit what they need under tests/data/ instead:\n" + "\n".join(readguard.outside[:20])
    )
