"""``python -m profilehub.catalog render|check``: write or verify the generated catalog files."""

from __future__ import annotations

import argparse
import sys

from profilehub.catalog.render import rendered_files
from profilehub.settings import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m profilehub.catalog", description=__doc__)
    parser.add_argument("action", choices=("render", "check"))
    args = parser.parse_args(argv)
    stale = []
    for path, content in rendered_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(path.relative_to(REPO_ROOT))
        if args.action == "render":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    verb = "wrote" if args.action == "render" else "stale"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if stale and args.action == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
