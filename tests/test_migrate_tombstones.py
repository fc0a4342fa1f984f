"""Deleted records survive a migration, GeoPackage -> PostGIS and back: still deleted,
counted nowhere, listed with who deleted them, when and why, restorable as they
were, and an import of the same rows still leaves them deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.migrate import migrate, verify_migration
from incidents.query import Query
from incidents.store import GeoPackageStore
from incidents.store.base import DeletedRecord
from incidents.store.record_store import RecordStore
from tests.conftest import ADMIN, EDITOR
from tests.store.test_store import incident


def _with_deleted(store: RecordStore) -> RecordStore:
    store.write_batch([incident(i) for i in range(1, 5)], EDITOR)
    store.save(incident(2, title="Edited before deletion").replace(version=1), EDITOR)
    store.delete("syn-2", 2, EDITOR, reason="duplicate of syn-1")
    store.delete("syn-3", 1, EDITOR, reason="")
    return store


def _deleted(store: RecordStore) -> list[DeletedRecord]:
    return sorted(store.deleted_records(EDITOR), key=lambda d: d.id)


def _arrived_deleted(source: RecordStore, target: RecordStore) -> None:
    assert _deleted(target) == _deleted(source)  # id, title, who, when, why, version
    assert target.count(Query(), ADMIN) == 2
    assert target.get("syn-2", ADMIN) is None
    assert target.verify_audit() == [] and target.verify_records().ok
    again = target.write_batch([incident(2), incident(3)], EDITOR)
    assert [o.kind for o in again] == ["deleted", "deleted"]


@pytest.mark.parametrize("direction", ["gpkg-to-postgis", "postgis-to-gpkg"])
def test_deleted_records_arrive_deleted_and_restorable(
    tmp_path: Path,
    pg: RecordStore,
    direction: str,
) -> None:
    gpkg = GeoPackageStore(tmp_path / "a.gpkg")
    source, target = (gpkg, pg) if direction == "gpkg-to-postgis" else (pg, gpkg)
    _with_deleted(source)
    report = migrate(source, target, ADMIN)
    assert report.ok, report.problems
    assert report.deleted == 2
    assert "Deleted records carried over, still deleted and restorable: 2." in report.lines()
    _arrived_deleted(source, target)

    rerun = migrate(source, target, ADMIN)  # a second run adds no second tombstone
    assert rerun.ok, rerun.problems
    assert len(target.deleted_records(EDITOR)) == 2

    restored = target.restore("syn-2", EDITOR)
    assert restored.title == "Edited before deletion" and restored.version == 3
    assert restored.content() == source.restore("syn-2", EDITOR).content()
    actions = [e.action for e in target.history("syn-2", EDITOR)]
    assert actions == ["migrate:create", "delete", "restore:create"]
    assert target.revert("syn-2", 2, 3, EDITOR).version == 3  # already reads as v2
    assert target.verify_audit() == [] and target.verify_records().ok


def test_deleted_records_survive_a_round_trip_through_postgis(
    tmp_path: Path,
    pg: RecordStore,
) -> None:
    first = _with_deleted(GeoPackageStore(tmp_path / "first.gpkg"))
    assert migrate(first, pg, ADMIN).ok
    back = GeoPackageStore(tmp_path / "back.gpkg")
    report = migrate(pg, back, ADMIN)
    assert report.ok, report.problems
    _arrived_deleted(first, back)
    assert back.restore("syn-3", EDITOR).content() == incident(3).content()


def test_a_deleted_record_missing_in_the_target_is_reported(tmp_path: Path) -> None:
    source = _with_deleted(GeoPackageStore(tmp_path / "a.gpkg"))
    target = GeoPackageStore(tmp_path / "b.gpkg")
    assert migrate(source, target, ADMIN).ok
    source.delete("syn-4", 1, EDITOR, reason="later")
    problems = verify_migration(source, target)
    assert "deleted record syn-4: missing in the target" in problems
