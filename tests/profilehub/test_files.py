"""Atomic file writes: readers see the old file or the new one, never a part."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilehub.files import write_file_atomically


def test_the_new_file_replaces_the_old_and_nothing_is_left_beside_it(tmp_path: Path):
    target = tmp_path / "deep" / "part-0.bin"
    write_file_atomically(target, lambda staging: staging.write_bytes(b"old"))
    assert write_file_atomically(target, lambda staging: staging.write_bytes(b"new")) == target
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["part-0.bin"]


def test_a_failed_write_keeps_the_old_file_and_removes_its_staging(tmp_path: Path):
    target = tmp_path / "part-0.bin"
    target.write_bytes(b"old")

    def half_then_fail(staging: Path) -> None:
        staging.write_bytes(b"ha")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_file_atomically(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["part-0.bin"]
