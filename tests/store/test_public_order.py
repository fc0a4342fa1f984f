"""The public's rows come in the order of the dates the public sees: two records shown
only to the month are ordered by id, never by the exact days they hide. Both stores;
synthetic records.
"""

from __future__ import annotations

from datetime import date

from incidents.access import PUBLIC
from incidents.query import Query
from incidents.record import Incident
from incidents.store.base import Store
from tests.conftest import EDITOR

COLUMNS = ["id", "date_start", "title"]


def _record(ident: str, day: int, month_only: bool) -> Incident:
    return Incident(
        id=ident, type="killing", title=f"Synthetic {ident}", date_start=date(2016, 2, day),
        date_end=date(2016, 2, day), latitude=32.5, longitude=13.2, admin1_code="LY-TB",
        country="LY", location_precision="exact", sensitivity="public",
        public_date_to_month=month_only,
    )  # fmt: skip


def _filled(store: Store) -> Store:
    # Exact order: syn-c (3rd), syn-b (9th), syn-a (20th); the public sees a and c in
    # "February" and b on the 9th.
    store.write_batch(
        [_record("syn-a", 20, True), _record("syn-b", 9, False), _record("syn-c", 3, True)],
        EDITOR,
    )
    return store


def test_public_rows_never_follow_the_hidden_days(store: Store) -> None:
    filled = _filled(store)
    public = ["syn-a", "syn-c", "syn-b"]  # 2016-02-01, 2016-02-01 (by id), then the 9th
    assert list(filled.query(Query(), PUBLIC, COLUMNS)["id"]) == public
    assert list(filled.query(Query(), PUBLIC, COLUMNS, limit=2)["id"]) == public[:2]
    from incidents.store.column_load import build_index

    index = build_index(filled, PUBLIC)
    fids = index.first_fids(Query(), 10)
    assert list(filled.rows_for(fids, PUBLIC, COLUMNS)["id"]) == public


def test_staff_rows_keep_the_exact_order(store: Store) -> None:
    filled = _filled(store)
    assert list(filled.query(Query(), EDITOR, COLUMNS)["id"]) == ["syn-c", "syn-b", "syn-a"]
    assert list(filled.query(Query(), EDITOR, COLUMNS, limit=2)["id"]) == ["syn-c", "syn-b"]
