"""Feast's configuration is rendered from settings, per environment."""

from __future__ import annotations

import pytest

from profilehub.feature_store.config import (
    get_store,
    redis_connection_string,
    render_feature_store_yaml,
    sqlalchemy_url,
)
from profilehub.settings import SettingsError, load_settings


def test_local_config_keeps_everything_under_the_data_root(tmp_path):
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path),
                              "PROFILEHUB_FEAST_PROJECT": "ph_local"})
    config = render_feature_store_yaml(settings)
    assert config["project"] == "ph_local"
    assert config["registry"] == {"registry_type": "file", "cache_ttl_seconds": 60,
                                  "path": str(tmp_path / "feast" / "registry.db")}
    assert config["online_store"] == {"type": "sqlite",
                                      "path": str(tmp_path / "feast" / "online_store.db")}
    assert config["offline_store"] == {"type": "file"}


def test_prod_config_points_at_the_services_of_the_settings(tmp_path):
    settings = load_settings({
        "PROFILEHUB_ENV": "prod", "PROFILEHUB_DATA_ROOT": str(tmp_path),
        "PROFILEHUB_POSTGRES_URL": "postgresql://feast@db.internal:5433/registry",
        "PROFILEHUB_REDIS_URL": "redis://:s3cret@cache.internal:6380/2"})
    config = render_feature_store_yaml(settings)
    assert config["project"] == "profilehub"
    assert config["registry"]["registry_type"] == "sql"
    assert config["registry"]["path"] == "postgresql+psycopg://feast@db.internal:5433/registry"
    assert config["online_store"]["type"] == "redis"
    assert config["online_store"]["connection_string"] == (
        "cache.internal:6380,db=2,password=s3cret")
    assert config["online_store"]["skip_dedup"] is True


@pytest.mark.parametrize(("url", "expected"), [
    ("redis://127.0.0.1:6379/0", "127.0.0.1:6379,db=0"),
    ("redis://localhost", "localhost:6379,db=0"),
    ("redis://h:7000/15", "h:7000,db=15"),
])
def test_redis_connection_string(url, expected):
    assert redis_connection_string(url) == expected


@pytest.mark.parametrize("url", ["rediss://h:1/0", "127.0.0.1:6379"])
def test_redis_connection_string_rejects_other_urls(url):
    with pytest.raises(SettingsError):
        redis_connection_string(url)


def test_sqlalchemy_url():
    assert sqlalchemy_url("postgresql://u@h:1/d") == "postgresql+psycopg://u@h:1/d"
    with pytest.raises(SettingsError):
        sqlalchemy_url("mysql://u@h/d")


def test_get_store_uses_the_data_folder(tmp_path):
    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})
    store = get_store(settings)
    assert store.project == "profilehub"
    assert store.config.repo_path == tmp_path / "feast"
    assert (tmp_path / "feast").is_dir()
