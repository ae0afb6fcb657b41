"""Segments: marketing tag expressions, parsed, checked and counted on a bitmap index.

    kinds = kinds_from_catalog(load_tags())
    index = build_index("tags.parquet", kinds, index_folder(as_of))   # or SegmentIndex.open
    index.count("asset_tier = 'long_tail' AND (gen_z OR travel_lover)")
    index.members(segment, offset=0, limit=100); index.export_csv(segment, "out.csv")
    to_sql(parse_segment(segment, kinds), kinds)                      # the DuckDB reference
"""

from profilehub.segments.ast import And, Between, Compare, Expr, InList, IsTrue, Not, Or
from profilehub.segments.benchmark import benchmark_segment_counts
from profilehub.segments.build import TagTableSource, build_index
from profilehub.segments.errors import (
    SegmentError,
    SegmentSemanticError,
    SegmentSyntaxError,
    TagTableError,
)
from profilehub.segments.index import SegmentIndex
from profilehub.segments.kinds import TagKind, TagKinds, kinds_from_catalog
from profilehub.segments.layout import index_folder, segments_root
from profilehub.segments.parser import parse
from profilehub.segments.semantics import check, parse_segment
from profilehub.segments.sql import to_sql

__all__ = [
    "And",
    "Between",
    "Compare",
    "Expr",
    "InList",
    "IsTrue",
    "Not",
    "Or",
    "SegmentError",
    "SegmentIndex",
    "SegmentSemanticError",
    "SegmentSyntaxError",
    "TagKind",
    "TagKinds",
    "TagTableError",
    "TagTableSource",
    "benchmark_segment_counts",
    "build_index",
    "check",
    "index_folder",
    "kinds_from_catalog",
    "parse",
    "parse_segment",
    "segments_root",
    "to_sql",
]
