"""The store contract, run against every backend (GeoPackage; PostGIS when CI starts it)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from incidents.access import PUBLIC, Role, Viewer
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store.base import NotAllowed, StaleEdit
from tests.conftest import ADMIN, EDITOR, VIEWER


def incident(n: int = 1, **changes) -> Incident:
    base = Incident(
        id=f"syn-{n}",
        type="enforced_disappearance",
        title=f"Synthetic incident {n}",
        description="SYNTHETIC test record",
        date_start=date(2020, 5, n),
        date_end=date(2020, 5, n),
        place="Tarhuna",
        country="LY",
        admin1="Al Marqab",
        admin1_code="LY-MB",
        latitude=32.43501,
        longitude=13.6332,
        location_precision="exact",
        sensitivity="public",
        sources=(Source(title="Synthetic source", url="https://example.org/s"),),
        confidential_notes="CANARY-NOTES",
        witness_details="CANARY-WITNESS",
    )
    return base.replace(**changes)


def test_batch_write_then_read_back_everything(store):
    outcomes = store.write_batch([incident(1), incident(2)], EDITOR)
    assert [o.kind for o in outcomes] == ["imported", "imported"]
    got = store.get("syn-1", EDITOR)
    assert got is not None
    assert got.content() == incident(1).content()
    assert got.version == 1 and got.created_by == "test-editor"


def test_an_id_twice_in_a_long_batch_into_an_empty_store_is_created_then_updated(store):
    """Batches are written in chunks; an id met again in a later chunk (even in a
    store that was empty) updates the record the batch has just created."""
    records = [incident(1).replace(id=f"syn-long-{n}") for n in range(600)]
    records.append(records[0].replace(title="Retitled later in the batch"))
    kinds = [o.kind for o in store.write_batch(records, EDITOR)]
    assert kinds == ["imported"] * 600 + ["updated"]
    again = store.get("syn-long-0", EDITOR)
    assert again is not None
    assert again.title == "Retitled later in the batch" and again.version == 2
    assert store.verify_audit() == []


def test_rewriting_the_same_records_changes_nothing(store):
    store.write_batch([incident(1)], EDITOR)
    version = store.data_version()
    assert [o.kind for o in store.write_batch([incident(1)], EDITOR)] == ["unchanged"]
    changed = store.write_batch([incident(1, title="Retitled")], EDITOR)
    assert [o.kind for o in changed] == ["updated"]
    assert store.get("syn-1", EDITOR).version == 2
    assert store.data_version() != version


def test_a_failed_batch_leaves_nothing_behind(store):
    store.write_batch([incident(1)], EDITOR)
    broken = incident(2, type=None)  # violates the store's expectations half-way
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        store.write_batch([incident(3), broken], EDITOR)
    assert store.count(Query(), EDITOR) == 1
    assert store.get("syn-3", EDITOR) is None


def test_stale_edits_are_refused(store):
    store.write_batch([incident(1)], EDITOR)
    first = store.get("syn-1", EDITOR)
    second = store.get("syn-1", EDITOR)
    store.save(first.replace(title="First editor"), EDITOR)
    with pytest.raises(StaleEdit, match="changed by test-editor"):
        store.save(second.replace(title="Second editor"), EDITOR)
    assert store.get("syn-1", EDITOR).title == "First editor"


def test_viewers_cannot_write(store):
    with pytest.raises(NotAllowed):
        store.write_batch([incident(1)], VIEWER)


def test_filters_are_answered_by_the_store(store):
    store.write_batch(
        [
            incident(1, type="mass_grave", date_kind="discovered"),
            incident(2, location_precision="district", tags=("Tarhuna", "Kaniyat")),
            incident(
                3, latitude=30.0, longitude=20.0, admin1_code="LY-BA", perpetrators=("Other group",)
            ),
            incident(
                4, title="Arabic ترهونة", date_start=date(2020, 5, 4), date_end=date(2020, 5, 20)
            ),
        ],
        EDITOR,
    )

    def ids(**filters) -> list[str]:
        return sorted(store.query(Query(**filters), EDITOR, ["id"])["id"])

    assert ids(types=("mass_grave",)) == ["syn-1"]
    assert ids(date_kinds=("discovered",)) == ["syn-1"]
    assert ids(max_precision="town") == ["syn-1", "syn-3", "syn-4"]
    assert ids(admin1_codes=("LY-BA",)) == ["syn-3"]
    assert ids(tags=("kaniyat",)) == ["syn-2"]
    assert ids(perpetrators=("other",)) == ["syn-3"]
    assert ids(text="Arabic ترهونة") == ["syn-4"]  # a phrase in both scripts, as written
    # A town's name in either script also finds the records placed there (issue 15).
    assert ids(text="ترهونة") == ["syn-1", "syn-2", "syn-3", "syn-4"]
    assert ids(bbox=(19.0, 29.0, 21.0, 31.0)) == ["syn-3"]
    window = {"date_from": date(2020, 5, 3), "date_to": date(2020, 5, 10)}
    assert ids(**window) == ["syn-3", "syn-4"]
    assert ids(**window, date_mode="within") == ["syn-3"]
    assert store.count(Query(types=("mass_grave",)), EDITOR) == 1


def test_confidential_fields_reach_only_editors(store):
    store.write_batch([incident(1)], EDITOR)
    assert store.get("syn-1", EDITOR).confidential_notes == "CANARY-NOTES"
    assert store.get("syn-1", VIEWER).confidential_notes == ""
    columns = ["id", "confidential_notes", "witness_details"]
    assert "confidential_notes" not in store.query(Query(), VIEWER, columns).columns
    frame = store.query(Query(), EDITOR, columns)
    assert frame.loc[0, "witness_details"] == "CANARY-WITNESS"
    history = store.history("syn-1", VIEWER)
    assert "CANARY" not in json.dumps([h.after for h in history])


def test_public_view_hides_restricted_and_coarsens(store):
    site = {"latitude": 32.45617, "longitude": 13.65283}  # in Tarhuna, 3 km from its point
    store.write_batch(
        [
            incident(1, **site),
            incident(2, sensitivity="restricted", **site),
            incident(3, public_date_to_month=True, **site),
        ],
        EDITOR,
    )
    public = store.query(Query(), PUBLIC)
    assert sorted(public["id"]) == ["syn-1", "syn-3"]
    assert "created_by" not in public.columns
    assert (public["latitude"] == 32.43501).all()  # at Tarhuna, the town they name
    assert store.get("syn-2", PUBLIC) is None
    third = store.get("syn-3", PUBLIC)
    assert (third.date_start, third.date_end) == (date(2020, 5, 1), date(2020, 5, 31))
    # A box around the exact site must not find the record for the public.
    tiny = (13.648, 32.452, 13.658, 32.46)
    assert store.count(Query(bbox=tiny), PUBLIC) == 0
    assert store.count(Query(bbox=tiny), VIEWER) == 3


def test_audit_log_is_a_chain_that_admins_read(store):
    store.write_batch([incident(1)], EDITOR)
    store.save(store.get("syn-1", EDITOR).replace(title="Edited"), EDITOR)
    store.delete("syn-1", 2, EDITOR)
    store.log_event(Viewer("someone", Role.VIEWER), "export", {"format": "png"})
    log = store.audit_log(ADMIN)
    assert [e.action for e in log] == ["import:create", "edit:update", "delete", "export"]
    assert store.verify_audit() == []
    with pytest.raises(NotAllowed):
        store.audit_log(EDITOR)


def test_sources_of_many_records_respect_the_viewer(store):
    store.write_batch([incident(1), incident(2, sensitivity="restricted")], EDITOR)
    assert set(store.sources(["syn-1", "syn-2"], VIEWER)) == {"syn-1", "syn-2"}
    public = store.sources(["syn-1", "syn-2"], PUBLIC)
    assert list(public) == ["syn-1"]
    assert public["syn-1"][0].url == "https://example.org/s"
