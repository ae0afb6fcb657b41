"""The segment index of an as_of, built from the long tag mart by profilehub.segments."""

from __future__ import annotations

import pytest
from support.feature_store_data import CUSTOMERS, D1, D2, write_tiny_marts

from profilehub.feature_store import build_segment_index
from profilehub.segments import index_folder
from profilehub.settings import get_settings


@pytest.fixture
def settings(tmp_path, monkeypatch):
    # profilehub.segments places indexes by the process settings: point them at tmp_path.
    monkeypatch.setenv("PROFILEHUB_DATA_ROOT", str(tmp_path))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_index_counts_the_marts_customers(settings):
    write_tiny_marts(settings)
    with build_segment_index(settings, D2) as index:
        assert index.folder == index_folder(D2)
        assert index.as_of == D2
        assert index.customer_count == len(CUSTOMERS)
        assert index.count("hnw") == 1
        assert index.count("asset_tier = 'mass_affluent'") == 0
        assert index.count("consumption_capacity_band = 'high'") == 1
    with build_segment_index(settings, D1) as index:
        assert index.count("asset_tier = 'mass_affluent'") == 1


@pytest.mark.parametrize(("purpose", "consenters"), [("research", 0), ("marketing", 1)])
def test_a_purpose_indexes_only_partner_values_consented_for_it(settings, purpose, consenters):
    write_tiny_marts(settings)
    with build_segment_index(settings, D2, purpose=purpose) as index:
        assert index.count("consumption_capacity_band = 'high'") == consenters
        assert index.count("hnw") == 1


def test_a_missing_partition_is_named(settings):
    with pytest.raises(FileNotFoundError, match="fct_customer_tags"):
        build_segment_index(settings, D2)
