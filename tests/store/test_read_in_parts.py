"""store.query reads a long list of records in parts (the store's fids_per_read fids at
a time: the GeoPackage's statements have a size limit) and puts them back in the staff
order: the rows, their order and their columns are those of one read, for staff,
confidential readers and the public, on both stores."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from incidents.access import PUBLIC
from incidents.query import Query
from incidents.record import Incident
from incidents.store.base import Store
from tests.conftest import ADMIN, EDITOR

COLUMNS = [
    ["id", "title", "latitude"],  # no date_start: read for the order, then left out
    ["date_start", "id", "type", "place"],
    None,  # every column
    ["id", "confidential_notes"],
]


def _records() -> list[Incident]:
    """Twelve records on four days, ids written out of order: ties broken by id."""
    days = [date(2020, 6, 1), date(2019, 1, 5), date(2020, 6, 1), date(2021, 3, 9)]
    return [_record(n, days[n % 4]) for n in range(12)]


def _record(n: int, day: date) -> Incident:
    return Incident(
        id=f"r-{(7 * n) % 12:02d}", type="mass_grave", title=f"grave {n}", date_start=day,
        date_end=day, place="Tarhuna", country="LY", admin1_code="LY-MB",
        location_precision="exact", latitude=32.4 + n / 100, longitude=13.6,
        sensitivity="restricted" if n % 5 == 0 else "public",
        confidential_notes="w" if n % 3 == 0 else "",
    )  # fmt: skip


@pytest.mark.parametrize("columns", COLUMNS)
def test_parts_read_as_one(
    store: Store, columns: list[str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write_batch(_records(), EDITOR)
    for who in (EDITOR, ADMIN, PUBLIC):
        for query in (Query(), Query(date_from=date(2020, 1, 1))):
            whole = store.query(query, who, columns)
            with monkeypatch.context() as patched:
                patched.setattr(store, "fids_per_read", 5)
                parts = store.query(query, who, columns)
            pd.testing.assert_frame_equal(parts, whole)
            assert len(whole) and whole["id"].is_unique


def test_nothing_matching_is_an_empty_frame_with_its_columns(store: Store) -> None:
    store.write_batch(_records(), EDITOR)
    empty = store.query(Query(date_from=date(2030, 1, 1)), EDITOR, ["id", "title"])
    assert empty.empty and list(empty.columns) == ["id", "title"]
