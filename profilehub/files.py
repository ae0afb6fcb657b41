"""File writes that readers in other processes may race with."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    """Make ``path`` hold ``text``: readers see the old content or the new, never a part.

    The text goes to a synced temporary file beside ``path`` first, then one ``os.replace``
    (atomic within a file system) swaps it in.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with staging.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staging, path)


def write_file_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """``write(staging)`` a file beside ``path``, then swap it in with one ``os.replace``:
    readers see the old file or the new, never half of one (a Parquet file, say)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(staging)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    os.replace(staging, path)
    return path
