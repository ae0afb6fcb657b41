from datetime import date

import pytest

from profilehub.segments.kinds import TagKind
from profilehub.segments.layout import (
    BitmapRef,
    Manifest,
    ScoreLayout,
    TagEntry,
    index_folder,
    segments_root,
)
from profilehub.settings import get_settings


def test_manifest_survives_json():
    manifest = Manifest(as_of=date(2026, 10, 30), customers=3, tags={
        "vip": TagEntry(TagKind("boolean"), 2, BitmapRef(0, 10),
                        labels={"true": BitmapRef(10, 8)}),
        "risk": TagEntry(TagKind("score"), None, BitmapRef(18, 9),
                         scores=ScoreLayout(0, 3, 2, (BitmapRef(27, 5), BitmapRef(32, 5)))),
        "tier": TagEntry(TagKind("category", categories=("a", "b")), 1, BitmapRef(37, 4)),
    })
    assert Manifest.from_json(manifest.to_json()) == manifest


def test_a_manifest_of_another_format_is_refused():
    with pytest.raises(ValueError, match="format 99"):
        Manifest.from_json('{"format": 99}')


def test_indexes_live_under_the_data_root_one_folder_per_as_of():
    assert segments_root() == get_settings().paths.root / "segments"
    assert index_folder(date(2026, 10, 30)) == segments_root() / "as_of=2026-10-30"
