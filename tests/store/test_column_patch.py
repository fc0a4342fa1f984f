"""A column index patched from the records changed since it was read is exactly the
index a full read gives: same records, order, codes and labels, same answers.

Run against both stores and for each kind of viewer; the changes cover everything
that moves, hides or recounts a record: new records, edits of type, date, point,
district, sensitivity and month-only dates, deletions, and an import batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from incidents.access import PUBLIC, PublicRules, Viewer
from incidents.importer import import_file
from incidents.query import Query
from incidents.record import Incident
from incidents.store import column_patch
from incidents.store.base import Store
from incidents.store.column_index import ColumnIndex
from incidents.store.column_load import build_index, cached_index, patch
from incidents.store.merges import not_same
from incidents.synthetic import write_synthetic_csv
from tests import frame_oracles
from tests.conftest import ADMIN, EDITOR, VIEWER

VIEWERS = [EDITOR, VIEWER, PUBLIC]
QUERIES = [
    Query(),
    Query(types=("killing", "displacement"), verification=("reported",)),
    Query(date_from=date(2015, 3, 10), date_to=date(2019, 8, 20)),
    Query(date_from=date(2016, 2, 1), date_to=date(2016, 2, 29), date_mode="within"),
    Query(bbox=(12.5, 32.0, 14.5, 33.2)),
    Query(bbox=(13.05, 32.4, 13.9, 32.9), date_from=date(2014, 6, 15)),
    Query(admin1_codes=("LY-TB", "LY-MI"), include_unlocated=False),
    Query(text="patch", types=("killing",)),
    Query(ids=("p-1", "p-4", "syn-3")),
]


def _new(n: int, **changes: object) -> Incident:
    base = Incident(
        id=f"p-{n}", type="killing", title=f"Patch {n}", date_start=date(2016, 2, 14),
        date_end=date(2016, 2, 16), latitude=32.61234, longitude=13.21, country="LY",
        location_precision="exact", sensitivity="public", admin1_code="LY-TB",
    )  # fmt: skip
    return base.replace(**changes)


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    return _filled(store, tmp_path)


def _filled(store: Store, tmp_path: Path) -> Store:
    path = write_synthetic_csv(tmp_path / "s.csv", 200, seed=3)
    assert import_file(path, store, EDITOR).accounted
    store.write_batch([_new(1), _new(2, sensitivity="restricted"), _new(3)], EDITOR)
    return store


def _edit(store: Store, record_id: str, **changes: object) -> None:
    current = store.get(record_id, EDITOR)
    assert current is not None
    store.save(current.replace(**changes), EDITOR)


def _delete(store: Store, record_id: str) -> None:
    current = store.get(record_id, EDITOR)
    assert current is not None
    store.delete(record_id, current.version, EDITOR)


def _again(store: Store, record_id: str, **changes: object) -> None:
    """Deleted, then written again under the same id (a new row, a new fid)."""
    current = store.get(record_id, EDITOR)
    assert current is not None
    _delete(store, record_id)
    store.save(current.replace(version=0, **changes), EDITOR)


def _revert(store: Store, record_id: str) -> None:
    current = store.get(record_id, EDITOR)
    assert current is not None and current.version > 1
    store.revert(record_id, current.version - 1, current.version, EDITOR)


def _import(store: Store, tmp_path: Path) -> None:
    """An import batch: 180 records changed (another seed) and 30 new ones."""
    path = write_synthetic_csv(tmp_path / "batch.csv", 230, seed=11)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.iloc[20:].to_csv(path, index=False)  # leave the first 20 as they are
    assert import_file(path, store, EDITOR).accounted


def _on(year: int, month: int, day: int) -> dict[str, date]:
    return {"date_start": date(year, month, day), "date_end": date(year, month, day)}


_NOWHERE = {"latitude": None, "longitude": None, "location_precision": "country"}
STEPS: list[tuple[str, Callable[[Store, Path], None]]] = [
    ("add", lambda s, _: s.save(_new(4, **_on(2013, 1, 5)), EDITOR)),
    ("type", lambda s, _: _edit(s, "syn-5", type="arbitrary_detention")),
    ("date", lambda s, _: _edit(s, "syn-6", **_on(2011, 7, 1) | {"date_end": date(2011, 7, 3)})),
    ("point", lambda s, _: _edit(s, "syn-7", latitude=31.1, longitude=16.5, admin1_code="")),
    ("hide", lambda s, _: _edit(s, "syn-8", sensitivity="restricted")),
    ("show", lambda s, _: _edit(s, "p-2", sensitivity="public")),
    ("month only", lambda s, _: _edit(s, "p-3", public_date_to_month=True)),
    ("unlocated", lambda s, _: _edit(s, "syn-9", **_NOWHERE)),
    ("new type", lambda s, _: s.save(_new(5, type="other", killed_best=7), EDITOR)),
    ("delete", lambda s, _: _delete(s, "syn-10")),
    ("delete new", lambda s, _: _delete(s, "p-5")),
    ("delete hidden", lambda s, _: _delete(s, "syn-8")),
    ("import", _import),
    ("delete a twin", lambda s, _: (s.save(_new(6), EDITOR), _delete(s, "p-1"))),
    ("delete, make again", lambda s, _: _again(s, "syn-12", type="other")),
    ("make, delete, again", lambda s, _: (s.save(_new(7), EDITOR), _again(s, "p-7"))),
    ("restore", lambda s, _: s.restore("syn-10", EDITOR)),
    ("revert", lambda s, _: _revert(s, "syn-5")),
    ("bulk tag", lambda s, _: s.bulk_add_tag(["syn-13", "p-2", "syn-14"], "checked", EDITOR)),
    ("bulk status", lambda s, _: s.bulk_set_verification(["syn-13", "p-3"], "disputed", EDITOR)),
    ("bulk delete", lambda s, _: s.bulk_delete(["syn-15", "p-2"], "test", EDITOR)),
]  # fmt: skip


def assert_same(patched: ColumnIndex, full: ColumnIndex) -> None:
    """Arrays, codes and labels identical, and every answer the same."""
    for name in ("fid", "start", "end", "lat", "lon", "has_latitude", "drawable"):
        np.testing.assert_array_equal(getattr(patched, name), getattr(full, name), err_msg=name)
        assert getattr(patched, name).dtype == getattr(full, name).dtype, name
    assert patched.labels == full.labels
    for name, codes in full.codes.items():
        np.testing.assert_array_equal(patched.codes[name], codes, err_msg=name)
        assert patched.codes[name].dtype == codes.dtype
    for name, values in full.measures.items():
        np.testing.assert_array_equal(patched.measures[name], values, err_msg=name)
    for query in QUERIES:
        assert patched.count(query) == full.count(query), query
        assert patched.count(query, drawable=True) == full.count(query, drawable=True)
        np.testing.assert_array_equal(patched.first_fids(query, 50), full.first_fids(query, 50))
        pd.testing.assert_frame_equal(
            patched.point_counts(query, 0.5), full.point_counts(query, 0.5)
        )
        pd.testing.assert_frame_equal(
            frame_oracles.date_counts(patched, query), frame_oracles.date_counts(full, query)
        )
        for unit in ("day", "week", "month"):
            pd.testing.assert_frame_equal(
                patched.histogram(query, unit), full.histogram(query, unit)
            )
        assert patched.date_span(query) == full.date_span(query)
        for measure in ("incidents", "killed_best"):
            pd.testing.assert_series_equal(
                frame_oracles.district_sums(patched, query, measure),
                frame_oracles.district_sums(full, query, measure),
            )


@pytest.mark.parametrize("who", VIEWERS, ids=lambda v: v.role.value)
def test_a_patched_index_is_the_index_read_again(
    filled: Store, who: Viewer, tmp_path: Path
) -> None:
    index = build_index(filled, who)
    for name, step in STEPS:
        step(filled, tmp_path)
        patched = patch(filled, who, index)
        assert patched is not None, name
        assert patched.meta.patches == index.meta.patches + 1
        assert_same(patched, build_index(filled, who))
        index = patched
    assert len(index) == filled.count(Query(), who)


@pytest.mark.parametrize("who", [EDITOR, PUBLIC], ids=lambda v: v.role.value)
def test_several_changes_between_two_reads(filled: Store, who: Viewer, tmp_path: Path) -> None:
    index = build_index(filled, who)
    for _, step in STEPS:
        step(filled, tmp_path)
    _edit(filled, "p-4", **_on(2020, 1, 1))
    _delete(filled, "p-4")
    patched = patch(filled, who, index)
    assert patched is not None
    assert_same(patched, build_index(filled, who))
    assert index.count(Query()) != patched.count(Query()) or who is PUBLIC  # old left alone


def test_a_purge_is_patched_over_unless_it_emptied_a_delete_in_the_window(
    filled: Store,
) -> None:
    """A record deleted before the index was read and purged after: nothing to change.
    Deleted and purged after: its content (its date) is gone, so it cannot be found
    in the index by date: the index is read again (None)."""
    _delete(filled, "syn-8")
    index = build_index(filled, EDITOR)
    filled.purge("syn-8", ADMIN, "legal request")
    patched = patch(filled, EDITOR, index)
    assert patched is not None
    assert_same(patched, build_index(filled, EDITOR))
    _delete(filled, "syn-9")
    filled.purge("syn-9", ADMIN, "legal request")
    assert patch(filled, EDITOR, patched) is None


def test_the_cache_patches_from_memory_and_from_disk(filled: Store, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = cached_index(filled, EDITOR, cache)
    assert first.meta.patches == 0
    _edit(filled, "syn-5", type="other")
    from_memory = cached_index(filled, EDITOR, cache, previous=first)
    assert from_memory.meta.patches == 1
    assert_same(from_memory, build_index(filled, EDITOR))
    _delete(filled, "syn-6")
    from_disk = cached_index(filled, EDITOR, cache)  # a restarted server
    assert from_disk.meta.patches == 2
    assert_same(from_disk, build_index(filled, EDITOR))
    again = cached_index(filled, EDITOR, cache)
    assert again.meta == from_disk.meta
    public = cached_index(filled, PUBLIC, cache, previous=from_disk)  # never another kind's
    assert public.meta.patches == 0
    assert_same(public, build_index(filled, PUBLIC))


def test_bars_kept_with_a_snapshot_follow_a_change(filled: Store) -> None:
    """A snapshot keeps the bars it counted (ColumnIndex.histogram: a map move asks for
    them again); after an edit the store's new snapshot counts its own."""
    before = filled.snapshot(EDITOR)
    bars = before.histogram(Query(), "year")
    assert before.histogram(Query(), "year") is bars
    _edit(filled, "syn-5", date_start=date(1999, 1, 5), date_end=date(1999, 1, 5))
    after = filled.snapshot(EDITOR)
    assert after is not before
    now = after.histogram(Query(), "year")
    pd.testing.assert_frame_equal(now, build_index(filled, EDITOR).histogram(Query(), "year"))
    assert date(1999, 1, 1) in set(now["start"]) and date(1999, 1, 1) not in set(bars["start"])


def test_events_that_change_no_record_are_passed_over(filled: Store) -> None:
    index = build_index(filled, EDITOR)
    filled.log_event(EDITOR, "export", {"format": "png"})
    filled.log_event(EDITOR, "sign-in", {"method": "local"})
    not_same(filled, "syn-1", "syn-2", EDITOR)  # an editor's decision, no record changed
    patched = patch(filled, EDITOR, index)
    assert patched is not None and patched.meta.audit_seq == index.meta.audit_seq + 3
    assert_same(patched, index)


@pytest.mark.parametrize("action", ["bulk-load", "migrate", "something-new"])
def test_writes_the_log_cannot_tell_mean_a_full_read(filled: Store, action: str) -> None:
    index = build_index(filled, EDITOR)
    _edit(filled, "syn-5", type="other")
    filled.log_event(EDITOR, action, {"records": 1})
    assert patch(filled, EDITOR, index) is None
    assert_same(cached_index(filled, EDITOR, previous=index), build_index(filled, EDITOR))


def test_too_many_changes_mean_a_full_read(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = build_index(filled, PUBLIC)
    monkeypatch.setattr(column_patch, "LEAST", 50)
    _import(filled, tmp_path)
    assert patch(filled, PUBLIC, index) is None
    monkeypatch.setattr(column_patch, "LEAST", 500)
    assert patch(filled, PUBLIC, index) is not None


def test_records_written_behind_the_log_mean_a_full_read(filled: Store) -> None:
    """A row deleted without an audit entry (as QGIS could on a GeoPackage) shows in the
    count; the index is read again instead of patched wrongly."""
    index = build_index(filled, PUBLIC)
    _edit(filled, "syn-5", type="other")
    with filled._backend() as db:
        db.execute("DELETE FROM incidents WHERE id = %s", ["syn-11"])
    assert patch(filled, PUBLIC, index) is None


def test_other_public_rules_are_never_patched_from(gpkg_store: Store, tmp_path: Path) -> None:
    """Rules are per store object, not per backend: the GeoPackage case is enough."""
    from incidents.store import open_store

    filled = _filled(gpkg_store, tmp_path)
    index = build_index(filled, PUBLIC)
    gridded = open_store(filled.url, PublicRules(grid_km=10))
    assert patch(gridded, PUBLIC, index) is None
    assert patch(filled, PUBLIC, index) is not None


def test_an_index_from_another_audit_chain_is_never_patched(filled: Store) -> None:
    """The entry the index was read at must still be in the log, unchanged (a store
    restored from an older copy and written to again has another entry there)."""
    index = build_index(filled, EDITOR)
    index.meta = replace(index.meta, audit_hash="0" * 64)
    assert patch(filled, EDITOR, index) is None
