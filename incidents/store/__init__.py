"""Where incidents are kept: a GeoPackage file by default, PostGIS when shared."""

from __future__ import annotations

import os
from pathlib import Path

from incidents.access import PublicRules
from incidents.store.base import NotAllowed, StaleEdit, Store, StoreError
from incidents.store.gpkg import GeoPackageStore
from incidents.store.record_store import RecordStore
from incidents.store.urls import redact_url

DEFAULT_DB = "data/incidents.gpkg"
ENV_VAR = "INCIDENTS_DB"


def store_url(explicit: str | None = None) -> str:
    """The store to use: --db if given, else INCIDENTS_DB, else the default file."""
    return explicit or os.environ.get(ENV_VAR) or DEFAULT_DB


def display_url(explicit: str | None = None) -> str:
    """The store's address for messages: a postgresql:// password is masked."""
    return redact_url(store_url(explicit))


def open_store(url: str | None = None, public_rules: PublicRules | None = None) -> RecordStore:
    """Open (creating if needed) the store a path or postgresql:// URL names."""
    target = store_url(url)
    if target.startswith(("postgresql://", "postgres://")):
        from incidents.store.postgis import PostGISStore

        return PostGISStore(target, public_rules)
    return GeoPackageStore(Path(target), public_rules)


__all__ = [
    "DEFAULT_DB",
    "GeoPackageStore",
    "NotAllowed",
    "StaleEdit",
    "Store",
    "StoreError",
    "display_url",
    "open_store",
    "store_url",
]
