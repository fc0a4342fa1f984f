"""Moving a store between GeoPackage and PostGIS must lose no record and no audit entry."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from incidents.access import Role, Viewer
from incidents.cli import main
from incidents.importer import import_file
from incidents.migrate import IMPORTED, migrate, verify_migration
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store import GeoPackageStore
from incidents.store.audit import AuditEntry, verify_chain
from incidents.store.base import NotAllowed, StoreError
from incidents.store.record_store import RecordStore
from tests.conftest import ADMIN, EDITOR


def record(n: int, **changes: Any) -> Incident:
    base = Incident(
        id=f"mig-{n}",
        type="arbitrary_detention",
        title=f"Synthetic record {n} — ترهونة",
        date_start=date(2019, 1 + n % 12, 1 + n % 28),
        date_end=date(2019, 1 + n % 12, 1 + n % 28),
        description="SYNTHETIC",
        latitude=32.4 + n / 1000,
        longitude=13.6 + n / 1000,
        admin1_code="LY-MB",
        sensitivity="public" if n % 3 else "restricted",
        tags=("a", f"t{n}"),
        perpetrators=("Group A",),
        killed_min=n,
        killed_best=None,
        place_confirmed=n % 2 == 0,
        public_date_to_month=n % 4 == 0,
        sources=(
            Source(title="First", url=f"https://example.org/{n}"),
            Source(title="Second", publisher="P", date="2019-02-01", sha256="ab" * 32),
        ),
        confidential_notes=f"CANARY-{n}",
        witness_details="CANARY-W" if n % 2 else "",
    )
    return base.replace(**changes)


def filled(store: RecordStore, n: int = 12) -> RecordStore:
    """A store with history: imports, an edit, a delete, an unlocated record, an event."""
    store.write_batch([record(i) for i in range(n)], EDITOR)
    store.write_batch([record(n, latitude=None, longitude=None)], Viewer("other", Role.EDITOR))
    first = store.get("mig-1", EDITOR)
    assert first is not None
    store.save(first.replace(title="Edited"), EDITOR)
    store.delete("mig-2", 1, EDITOR)
    store.log_event(EDITOR, "export", {"format": "png"})
    return store


def records(store: RecordStore) -> dict[str, Incident]:
    ids = store.query(Query(), ADMIN, ["id"])["id"]
    return {i: store.get(i, ADMIN) for i in ids}  # type: ignore[misc]


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**{k: v for k, v in row.items() if k not in ("origin", "origin_label")})


def chains_of(store: RecordStore) -> dict[str, list[AuditEntry]]:
    with store._read_backend() as db:
        rows = db.fetch(f"SELECT * FROM {IMPORTED} ORDER BY origin, seq")
    out: dict[str, list[AuditEntry]] = {}
    for r in rows:
        out.setdefault(r["origin"], []).append(_entry(r))
    return out


def test_gpkg_to_gpkg_copies_everything_and_can_run_again(tmp_path: Path):
    source = filled(GeoPackageStore(tmp_path / "a.gpkg"))
    target = GeoPackageStore(tmp_path / "b.gpkg")
    report = migrate(source, target, ADMIN)
    assert report.ok, report.problems
    assert (report.records, report.created) == (12, 12)
    assert records(target) == records(source)  # every field, provenance included
    own = source.audit_log(ADMIN)
    assert chains_of(target)[own[0].hash] == own  # verbatim
    log = target.audit_log(ADMIN)
    # The record deleted in the source (mig-2) arrives deleted (test_migrate_tombstones.py).
    assert {e.action for e in log} == {"migrate:create", "delete", "migrate"}
    assert target.verify_audit() == []

    again = migrate(source, target, ADMIN)
    assert again.ok and again.unchanged == 12 and again.audit_copied == 0


def test_round_trip_through_postgis_loses_nothing(tmp_path: Path, pg: RecordStore):
    first = filled(GeoPackageStore(tmp_path / "first.gpkg"))
    to_pg = migrate(first, pg, ADMIN)
    assert to_pg.ok, to_pg.problems
    back = GeoPackageStore(tmp_path / "back.gpkg")
    to_gpkg = migrate(pg, back, ADMIN)
    assert to_gpkg.ok, to_gpkg.problems

    originals = records(first)
    assert len(originals) == 12
    assert records(pg) == originals
    assert records(back) == originals
    assert pg.count(Query(), ADMIN) == back.count(Query(), ADMIN) == 12
    for store in (pg, back):
        assert store.verify_audit() == []
        assert all(verify_chain(chain) == [] for chain in chains_of(store).values())
    # The first store's chain reached the last store verbatim, through PostGIS.
    first_log = first.audit_log(ADMIN)
    pg_log = pg.audit_log(ADMIN)
    assert chains_of(back) == {first_log[0].hash: first_log, pg_log[0].hash: pg_log}
    assert pg_log[-1].action == "migrate"


def test_a_later_change_in_the_target_is_reported(tmp_path: Path):
    source = filled(GeoPackageStore(tmp_path / "a.gpkg"))
    target = GeoPackageStore(tmp_path / "b.gpkg")
    assert migrate(source, target, ADMIN).ok
    changed = target.get("mig-3", EDITOR)
    target.save(changed.replace(title="Changed after"), EDITOR)  # type: ignore[union-attr]
    assert verify_migration(source, target) == ["record mig-3: differs in the target"]


def test_only_admins_migrate_and_never_into_a_different_store(tmp_path: Path):
    source = filled(GeoPackageStore(tmp_path / "a.gpkg"))
    other = GeoPackageStore(tmp_path / "b.gpkg")
    other.write_batch([record(99, id="elsewhere-1")], EDITOR)
    with pytest.raises(NotAllowed):
        migrate(source, other, EDITOR)
    with pytest.raises(StoreError, match="already holds 1 record "):
        migrate(source, other, ADMIN)
    with pytest.raises(StoreError, match="same store"):
        migrate(source, GeoPackageStore(tmp_path / "a.gpkg"), ADMIN)


def test_the_command_line_migrates(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    filled(GeoPackageStore(tmp_path / "a.gpkg"))
    code = main(["--db", str(tmp_path / "a.gpkg"), "migrate", "--to", str(tmp_path / "b.gpkg")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Migrated 12 records" in out and "every record and every audit entry matches" in out
    log = GeoPackageStore(tmp_path / "b.gpkg").audit_log(ADMIN)
    assert log[-1].actor == "cli"


ID_LESS = (
    "type,title,date_start,date_end,date_precision,place,country,latitude,longitude,"
    "location_precision,sensitivity\n"
    "mass_grave,Grave found near the farm road,2020-06-14,2020-06-14,day,Tarhuna,LY,"
    "32.4377,13.6412,exact,public\n"
    "killing,Bodies found at the prison wall,2020-06-09,2020-06-09,day,Tarhuna,LY,"
    "32.4291,13.6288,exact,restricted\n"
)


@pytest.mark.parametrize("direction", ["gpkg-to-postgis", "postgis-to-gpkg"])
def test_a_file_imported_again_into_the_copy_adds_nothing(
    tmp_path: Path, pg: RecordStore, direction: str
) -> None:
    """Rows with no id and no source event id get ids keyed with the store's secret: the
    copy must key them with the same secret, or the same file imported into it makes a
    second record of every such row."""
    path = tmp_path / "no-ids.csv"
    path.write_text(ID_LESS, encoding="utf-8")
    gpkg = GeoPackageStore(tmp_path / "a.gpkg")
    source, target = (gpkg, pg) if direction == "gpkg-to-postgis" else (pg, gpkg)
    first = import_file(path, source, EDITOR)
    assert first.imported == 2
    assert migrate(source, target, ADMIN).ok
    again = import_file(path, target, EDITOR)
    assert again.imported == 0 and again.unchanged == again.updated == 2
    assert target.count(Query(), ADMIN) == 2
    assert target.id_key() == source.id_key()


def test_a_target_with_its_own_id_secret_is_refused_before_anything_is_copied(
    tmp_path: Path,
) -> None:
    source = filled(GeoPackageStore(tmp_path / "a.gpkg"))
    target = GeoPackageStore(tmp_path / "b.gpkg")
    target.id_key()  # an empty store that has already made its own secret
    with pytest.raises(StoreError, match="another secret"):
        migrate(source, target, ADMIN)
    assert target.count(Query(), ADMIN) == 0 and target.audit_log(ADMIN) == []


def test_the_check_after_copying_names_a_different_id_secret(tmp_path: Path) -> None:
    source = filled(GeoPackageStore(tmp_path / "a.gpkg"))
    target = GeoPackageStore(tmp_path / "b.gpkg")
    assert migrate(source, target, ADMIN).ok
    with sqlite3.connect(target.path) as conn:  # an outside edit of the copy's secret
        conn.execute("UPDATE store_meta SET value = ? WHERE key = 'id_secret'", ["ab" * 32])
    conn.close()
    assert verify_migration(source, target) == [
        "the target makes record ids with another secret: a file imported again "
        "into it would add its rows a second time"
    ]
