"""Ids the importer makes give nothing away: keyed with the store's own secret.

The red team recovered a record's hidden exact day at once, and its exact site to four
decimals in 40 s, by recomputing the published id (an unkeyed sha256 of type, dates,
place, point and title) for every candidate. These tests run on both stores.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.query import Query
from incidents.record import Incident
from incidents.store import open_store
from incidents.store.base import Store, StoreError
from incidents.store.record_ids import keyed_id, legacy_id
from tests.conftest import ADMIN, EDITOR

PUBLIC = Viewer("visitor", Role.PUBLIC)
HEADER = (
    "type,title,date_start,date_end,date_precision,place,country,latitude,longitude,"
    "location_precision,sensitivity,public_date_to_month,confidential_notes\n"
)
ROWS = [
    "mass_grave,Grave found near the farm road,2020-06-14,2020-06-14,day,Tarhuna,LY,"
    "32.4377,13.6412,exact,public,true,witness lives next to the road",
    "killing,Bodies found at the prison wall,2020-06-09,2020-06-09,day,Tarhuna,LY,"
    "32.4291,13.6288,exact,public,true,",
    "enforced_disappearance,Family taken from their home,2019-11-03,2019-11-03,day,Tarhuna,LY,"
    "32.4402,13.6351,exact,restricted,false,",
]


def _csv(tmp_path: Path, rows: list[str], name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _records(store: Store) -> list[Incident]:
    ids = list(store.query(Query(), ADMIN)["id"])
    return [r for r in (store.get(i, ADMIN) for i in ids) if r is not None]


def _unkeyed(incident: Incident, **changes: object) -> str:
    """The id as the earlier versions computed it (what an attacker can compute)."""
    return legacy_id(incident.replace(**changes))


def test_a_public_id_does_not_give_away_the_hidden_day_or_site(store, tmp_path):
    import_file(_csv(tmp_path, ROWS), store, EDITOR)
    public = store.query(Query(), PUBLIC)
    assert len(public) == 2
    for record in _records(store):
        if record.sensitivity != "public":
            continue
        shown = public[public["id"] == record.id].iloc[0]
        assert str(shown["date_start"])[:10] != record.date_start.isoformat()  # month only
        # The attack: every day of the public month, with the exact site assumed known.
        first = date.fromisoformat(str(shown["date_start"])[:10])
        days = [first + timedelta(days=n) for n in range(31)]
        guesses = {_unkeyed(record, date_start=d, date_end=d) for d in days}
        assert record.id not in guesses
        # Not even with every field known exactly: the id needs the store's secret.
        assert record.id != _unkeyed(record)
        assert record.id == keyed_id(store.id_key(), record)


def test_ids_cannot_be_recomputed_without_the_secret(store, tmp_path):
    import_file(_csv(tmp_path, ROWS), store, EDITOR)
    key = store.id_key()
    for record in _records(store):
        text = "|".join(
            str(v)
            for v in (record.type, record.date_start, record.date_end, record.place,
                      record.latitude, record.longitude, record.title)
        )  # fmt: skip
        plain = hashlib.sha256(text.encode()).hexdigest()
        assert record.id.removeprefix("inc-") not in plain
        assert record.id == keyed_id(key, record)
    assert "secret" not in repr(key) and key.secret.hex() not in repr(key)


def test_two_stores_give_different_ids_for_the_same_row(store, tmp_path):
    path = _csv(tmp_path, ROWS)
    other = open_store(str(tmp_path / "other.gpkg"))
    import_file(path, store, EDITOR)
    import_file(path, other, EDITOR)
    mine = {(r.title, r.id) for r in _records(store)}
    theirs = {(r.title, r.id) for r in _records(other)}
    assert {t for t, _ in mine} == {t for t, _ in theirs}
    assert not {i for _, i in mine} & {i for _, i in theirs}
    assert store.id_key().secret != other.id_key().secret


def test_reimporting_into_the_same_store_changes_nothing(store, tmp_path):
    path = _csv(tmp_path, ROWS)
    first = import_file(path, store, EDITOR)
    ids, version = sorted(r.id for r in _records(store)), store.data_version()
    again = import_file(path, store, EDITOR)
    assert first.imported == 3
    assert again.imported == 0 and again.unchanged == 3
    assert sorted(r.id for r in _records(store)) == ids
    assert store.data_version() == version


def test_an_existing_store_keeps_its_published_ids(store, tmp_path):
    """A store filled by an earlier version (unkeyed ids, no secret): re-importing the
    same file finds the same records; only a new row gets a keyed id."""
    path = _csv(tmp_path, ROWS)
    scratch = open_store(str(tmp_path / "scratch.gpkg"))
    import_file(path, scratch, EDITOR)
    old = [r.replace(id=legacy_id(r), version=0) for r in _records(scratch)]
    store.write_batch(old, EDITOR)  # what the earlier importer wrote
    published = sorted(r.id for r in old)

    again = import_file(path, store, EDITOR)
    assert again.imported == 0 and again.unchanged == 3
    assert store.id_key().legacy
    new_row = "torture,Detainee beaten at the checkpoint,2020-05-02,2020-05-02,day,Tarhuna,LY,"
    new_row += "32.4333,13.6300,exact,public,true,"
    more = import_file(_csv(tmp_path, [*ROWS, new_row], "more.csv"), store, EDITOR)
    assert more.imported == 1 and more.unchanged == 3
    records = _records(store)
    added = [r for r in records if r.id not in published]
    assert sorted(r.id for r in records if r.id in published) == published
    assert len(added) == 1 and added[0].id == keyed_id(store.id_key(), added[0])
    assert added[0].id != legacy_id(added[0])


def test_a_new_store_never_looks_for_unkeyed_ids(store, tmp_path):
    import_file(_csv(tmp_path, ROWS[:1]), store, EDITOR)
    assert not store.id_key().legacy


@pytest.mark.parametrize("profile", ["public", "partner", "internal"])
def test_no_export_or_frame_holds_the_secret(store, tmp_path, profile):
    import_file(_csv(tmp_path, ROWS), store, EDITOR)
    secret = store.id_key().secret.hex()
    for fmt in ("csv", "geojson", "html"):
        result = run_export(store, ADMIN, Query(), ExportRequest(fmt, profile=profile))
        assert secret not in result.data.decode("utf-8", "replace")
    for viewer in (PUBLIC, EDITOR, ADMIN):
        assert secret not in store.query(Query(), viewer).to_csv()
    assert not any(secret in str(e) for e in store.audit_log(ADMIN))


def test_a_copy_given_the_key_finds_the_rows_of_a_file_imported_again(store, tmp_path):
    """A migration copies records into a new store: with the source's key adopted first,
    the same file imported into the copy updates nothing and adds nothing."""
    path = _csv(tmp_path, ROWS)
    source = open_store(str(tmp_path / "source.gpkg"))
    import_file(path, source, EDITOR)
    store.adopt_id_key(source.id_key())
    store.write_batch([r.replace(version=0) for r in _records(source)], EDITOR, "migrate")
    again = import_file(path, store, EDITOR)
    assert again.imported == 0 and again.unchanged == 3
    assert store.id_key() == source.id_key()


def test_a_store_with_its_own_key_refuses_another(store, tmp_path):
    import_file(_csv(tmp_path, ROWS[:1]), store, EDITOR)
    other = open_store(str(tmp_path / "other.gpkg"))
    with pytest.raises(StoreError, match="another secret"):
        store.adopt_id_key(other.id_key())
    store.adopt_id_key(store.id_key())  # its own: nothing to do
