import csv
import io

import pytest

import profilehub.segments.export as export
from profilehub.segments.build import build_index
from profilehub.segments.kinds import TagKind

from .tables import long_tag_table

KEYS = ["plain", "with,comma", 'with "quote"', "ünïcode", "z9"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rows = [(key, "vip", "true" if number % 2 == 0 else "false")
            for number, key in enumerate(KEYS)]
    with build_index(long_tag_table(rows), {"vip": TagKind("boolean")},
                     tmp_path_factory.mktemp("export") / "index") as built:
        yield built


def parsed(text):
    return list(csv.reader(io.StringIO(text)))


def test_export_to_a_path_writes_a_header_then_the_keys_in_member_order(index, tmp_path):
    written = index.export_csv("NOT vip = 'false'", tmp_path / "segment.csv")
    rows = parsed((tmp_path / "segment.csv").read_text(encoding="utf-8"))
    assert rows == [["customer_key"]] + [[key] for key in index.members("vip")]
    assert written == 3
    assert sorted(key for [key] in rows[1:]) == ["plain", 'with "quote"', "z9"]


def test_export_to_text_and_binary_streams_leaves_them_open(index):
    text, binary = io.StringIO(), io.BytesIO()
    index.export_csv("vip OR NOT vip", text)
    index.export_csv("vip OR NOT vip", binary)
    assert parsed(text.getvalue())[1:] == [[key] for key in sorted(KEYS)]
    assert binary.getvalue().decode("utf-8") == text.getvalue()
    assert not text.closed and not binary.closed


def test_export_streams_in_chunks(index, monkeypatch):
    whole = io.StringIO()
    index.export_csv("vip OR NOT vip", whole)
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    chunked = io.StringIO()
    assert index.export_csv("vip OR NOT vip", chunked) == len(KEYS)
    assert chunked.getvalue() == whole.getvalue()


def test_an_empty_segment_exports_only_the_header(index):
    stream = io.StringIO()
    assert index.export_csv("vip AND NOT vip", stream) == 0
    assert stream.getvalue() == "customer_key\n"
