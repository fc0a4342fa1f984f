"""The public's search, detail record and sources follow the rules public rows follow.

One record per location precision, each with a place name, a day, times of writing and
a source dated the next day; half show only their month. Whatever the public rows
(RecordStore.query) show of place, dates and sources, the detail record
(RecordStore.get), the sources (RecordStore.sources) and the search (every count, the
column index and the rows) show the same, on both stores.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from incidents.access import PUBLIC
from incidents.migrate import _copy_provenance
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.schema import LOCATION_PRECISIONS
from incidents.store.column_load import cached_index
from tests.conftest import EDITOR, VIEWER
from tests.sql_oracles import SqlSummaries

PRECISIONS = LOCATION_PRECISIONS.codes
TIMES = {"created_at": "2020-06-17T09:12:31.000000Z", "updated_at": "2020-06-19T16:40:05.000000Z"}


def record(n: int, precision: str, month_only: bool) -> Incident:
    return Incident(
        id=f"pub-{n}", type="mass_grave", title=f"Public record {n}", description="synthetic",
        date_start=date(2020, 6, 17), date_end=date(2020, 6, 17), place=f"PLACENAME{n}X",
        country="LY", admin1="Al Marqab", admin1_code="LY-MB", latitude=32.48171,
        longitude=13.58293, location_precision=precision, sensitivity="public",
        public_date_to_month=month_only,
        sources=(Source("Report", "Publisher", "2020-06-18", "https://example.org/r"),),
    )  # fmt: skip


RECORDS = [record(n, p, n % 2 == 0) for n, p in enumerate(PRECISIONS)]


@pytest.fixture
def filled(store):
    store.write_batch(RECORDS, EDITOR)
    _copy_provenance(store, [r.replace(created_by="x", updated_by="x", version=3, **TIMES)
                             for r in RECORDS])  # fmt: skip
    return store


def test_the_publics_search_finds_a_place_name_only_where_public_rows_show_it(filled):
    rows = filled.query(Query(), PUBLIC).set_index("id")
    index = cached_index(filled, PUBLIC)
    for r in RECORDS:
        shown = rows.loc[r.id, "place"] == r.place  # blanked unless district or country
        assert shown == (r.location_precision == "district")  # not "country": its country
        q = Query(text=r.place.lower())
        expected = [r.id] if shown else []
        assert filled.count(q, PUBLIC) == len(expected), r.location_precision
        assert filled.query(q, PUBLIC)["id"].tolist() == expected
        assert filled.query(q, PUBLIC, limit=50)["id"].tolist() == expected
        assert index.count(q) == len(expected)
        assert SqlSummaries(filled).date_counts(q, PUBLIC)["n"].sum() == len(expected)
        assert filled.count(q, VIEWER) == 1  # staff search every place name
        assert filled.count(Query(text=r.title), PUBLIC) == 1  # and titles still match


def test_the_public_detail_record_is_the_public_row(filled):
    rows = filled.query(Query(), PUBLIC).set_index("id")
    for r in RECORDS:
        got = filled.get(r.id, PUBLIC)
        assert got is not None
        row = rows.loc[r.id]
        assert got.place == row["place"]
        if pd.isna(row["latitude"]):  # no public point (a record known only to its country)
            assert (got.latitude, got.longitude) == (None, None)
        else:
            assert (got.latitude, got.longitude) == pytest.approx(
                (row["latitude"], row["longitude"])
            )
        assert got.location_precision == row["location_precision"]
        assert (got.date_start.isoformat(), got.date_end.isoformat()) == (
            row["date_start"], row["date_end"])  # fmt: skip
        assert got.date_precision == row["date_precision"]
        assert (got.created_at, got.updated_at, got.version) == ("", "", 0)
        assert (got.created_by, got.updated_by, got.location_uncertainty_km) == ("", "", None)
        assert got.sources[0].date == ("2020-06" if r.public_date_to_month else "2020-06-18")
        assert got.sources[0].publisher == "Publisher" and got.title == r.title
        staff = filled.get(r.id, VIEWER)
        assert staff is not None and staff.place == r.place and staff.version == 3
        assert staff.created_at == TIMES["created_at"] and staff.sources == r.sources


def test_the_publics_sources_are_dated_as_the_record_is(filled):
    ids = [r.id for r in RECORDS]
    public, staff = filled.sources(ids, PUBLIC), filled.sources(ids, VIEWER)
    for r in RECORDS:
        assert public[r.id][0].date == ("2020-06" if r.public_date_to_month else "2020-06-18")
        assert public[r.id][0].url == "https://example.org/r"
        assert staff[r.id][0].date == "2020-06-18"


def test_the_publics_precision_and_point_filters_act_on_what_public_rows_show(filled):
    """A red-team pass found "known to the exact site" picking out, for the public, the
    records whose exact site is on file though every public row showed them as
    approximate; and "with a point" keeping a record known only to its country whose
    public row has no point."""
    shown = filled.query(Query(), PUBLIC).set_index("id")
    for limit in PRECISIONS:
        query = Query(max_precision=limit)
        expected = sorted(
            i for i, p in shown["location_precision"].items() if p in query.precisions()
        )
        assert sorted(filled.query(query, PUBLIC)["id"]) == expected, limit
        assert filled.count(query, PUBLIC) == len(expected)
        assert SqlSummaries(filled).count(query, PUBLIC) == len(expected)
    assert filled.count(Query(max_precision="exact"), PUBLIC) == 0
    assert filled.count(Query(max_precision="exact"), VIEWER) == 1  # staff: as stored
    located = Query(include_unlocated=False)
    expected = sorted(shown.index[shown["latitude"].notna()])
    assert "pub-" + str(PRECISIONS.index("country")) not in expected
    assert sorted(filled.query(located, PUBLIC)["id"]) == expected
    assert SqlSummaries(filled).count(located, PUBLIC) == len(expected)
    assert filled.count(located, VIEWER) == len(RECORDS)
