"""Build Feast's configuration from settings: ``features/<env>/feature_store.yaml`` rendered.

The yaml files are templates whose ``${NAME}`` placeholders are filled from
``profilehub.settings`` here (Feast would read them from the environment, which only settings
may do). Feast's ``repo_path`` is the feature store's data folder (``settings.paths.feast``):
Feast resolves relative source paths against it, so the definitions in ``features/`` name their
Parquet snapshots relative to it and hold no absolute path, and one registry serves any data
root.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml

from profilehub.settings import REPO_ROOT, Settings, SettingsError

if TYPE_CHECKING:
    from feast import FeatureStore, RepoConfig

FEATURE_REPO = REPO_ROOT / "features"
FEATURE_STORE_YAML = "feature_store.yaml"
REGISTRY_FILE = "registry.db"
SQLITE_FILE = "online_store.db"
# SQLAlchemy needs the driver in the URL: psycopg 3 is the one installed (feast[postgres]).
SQLALCHEMY_POSTGRES = "postgresql+psycopg"


def feature_store_yaml(settings: Settings) -> Path:
    """The template of the settings' environment."""
    return FEATURE_REPO / settings.env / FEATURE_STORE_YAML


def template_values(settings: Settings) -> dict[str, str]:
    """What the placeholders of both environments' templates stand for."""
    return {
        "PROJECT": settings.feast.project,
        "REGISTRY_PATH": str(settings.paths.feast / REGISTRY_FILE),
        "SQLITE_PATH": str(settings.paths.feast / SQLITE_FILE),
        "REGISTRY_URL": sqlalchemy_url(settings.services.postgres_url),
        "REDIS_CONNECTION_STRING": redis_connection_string(settings.services.redis_url),
    }


def sqlalchemy_url(postgres_url: str) -> str:
    """``postgresql://…`` as SQLAlchemy's psycopg 3 URL."""
    scheme, separator, rest = postgres_url.partition("://")
    if not separator or scheme not in ("postgresql", "postgres", SQLALCHEMY_POSTGRES):
        raise SettingsError(f"{postgres_url!r} is not a postgresql:// URL")
    return f"{SQLALCHEMY_POSTGRES}://{rest}"


def redis_connection_string(redis_url: str) -> str:
    """``redis://[:password@]host:port/db`` in Feast's ``host:port,db=N,password=…`` form."""
    parts = urlsplit(redis_url)
    if parts.scheme != "redis" or not parts.hostname:
        raise SettingsError(f"{redis_url!r} is not a redis://host:port/db URL")
    database = parts.path.strip("/") or "0"
    options = [f"{parts.hostname}:{parts.port or 6379}", f"db={database}"]
    if parts.password:
        options.append(f"password={parts.password}")
    return ",".join(options)


def render_feature_store_yaml(settings: Settings) -> dict:
    """The environment's template with every placeholder filled (unknown ones raise)."""
    template = Template(feature_store_yaml(settings).read_text(encoding="utf-8"))
    try:
        return yaml.safe_load(template.substitute(template_values(settings)))
    except KeyError as missing:
        raise SettingsError(f"{feature_store_yaml(settings)}: no setting for ${{{missing.args[0]}}}"
                            ) from None


def repo_config(settings: Settings) -> RepoConfig:
    from feast import RepoConfig

    return RepoConfig(repo_path=settings.paths.feast, **render_feature_store_yaml(settings))


def get_store(settings: Settings) -> FeatureStore:
    """The feature store of the settings' environment (its data folder is created)."""
    from feast import FeatureStore

    settings.paths.feast.mkdir(parents=True, exist_ok=True)
    return FeatureStore(repo_path=str(settings.paths.feast), config=repo_config(settings))
