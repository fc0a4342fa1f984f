"""The benchmark-only loader (benchmarks/bulk_load.py) fills a store the read benchmarks
can trust: every record, every index and key the store makes, the text filter working,
and the audit chain whole. In PostGIS it drops the indexes and keys, commits the rows and
makes them again on two connections: a store it leaves without one would make every
read figure taken on it wrong. Synthetic data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from incidents.query import Query
from incidents.store.base import Store
from tests.conftest import EDITOR
from tests.store.test_pg_batch import _definitions, _foreign_keys, _indexes

ROOT = Path(__file__).resolve().parents[2]
ROWS = 2_500


def _loader() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bulk_load", ROOT / "benchmarks/bulk_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bulk_load"] = module
    spec.loader.exec_module(module)
    return module


def _filled_as_a_store_is(store: Store) -> None:
    assert store.data_version() != "0"
    assert len(store.query(Query(), EDITOR)) == ROWS
    assert list(store.query(Query(text="syn-1234"), EDITOR)["id"]) == ["syn-1234"]
    assert store.verify_audit() == []


def test_a_postgis_store_gets_every_index_and_key_back(pg: Store) -> None:
    made, keys = _indexes(pg), _foreign_keys(pg)
    assert {"incidents_geom", "incidents_text_lower_body"} <= set(made)
    _loader().bulk_load(pg, ROWS)
    assert _definitions(_indexes(pg)) == _definitions(made)
    assert _foreign_keys(pg) == keys
    _filled_as_a_store_is(pg)


def test_a_geopackage_is_filled_the_same_way(gpkg_store: Store) -> None:
    _loader().bulk_load(gpkg_store, ROWS)
    _filled_as_a_store_is(gpkg_store)
