"""File writes that readers in other processes may race with."""

from __future__ import annotations

import os
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
