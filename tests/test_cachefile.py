"""playbook.cachefile: a cache file is written whole or not at all, and a failure is only False."""

from __future__ import annotations

from pathlib import Path

from playbook.cachefile import write_cache_file


def test_a_cache_file_is_created_with_its_folder_and_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "x" / "entry.json"
    assert write_cache_file(path, "first")
    assert write_cache_file(path, "second")
    assert path.read_text(encoding="utf-8") == "second"
    assert [p.name for p in path.parent.iterdir()] == ["entry.json"]


def test_a_cache_that_cannot_be_written_gives_false_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert not write_cache_file(blocked / "entry.json", "x")  # its folder is a file
    taken = tmp_path / "cache" / "entry.json"
    taken.mkdir(parents=True)  # a folder where the file goes: the rename fails
    assert not write_cache_file(taken, "x")
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["entry.json"]
    assert taken.is_dir()
