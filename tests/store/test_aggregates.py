"""The column snapshot, the rows query() reads and the SQL oracle (tests/sql_oracles.py)
give the same counts, grids, histograms and sums.

Run against both stores; for the public, the time window and the box must act on
coarsened points and dates in SQL exactly as they do on the rows query() returns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from incidents.access import PUBLIC, PublicRules
from incidents.importer import import_file
from incidents.maps import aggregate
from incidents.query import Query
from incidents.record import Incident
from incidents.store.base import Store
from incidents.synthetic import write_synthetic_csv
from tests import frame_oracles, grid_oracles
from tests.conftest import EDITOR, VIEWER
from tests.sql_oracles import SqlSummaries

QUERIES = [
    Query(),
    Query(types=("killing", "displacement"), verification=("reported",)),
    Query(date_from=date(2015, 3, 10), date_to=date(2019, 8, 20)),
    Query(date_from=date(2015, 3, 10), date_to=date(2019, 8, 20), date_mode="within"),
    Query(date_from=date(2016, 2, 1), date_to=date(2016, 2, 29), date_mode="within"),
    Query(bbox=(12.5, 32.0, 14.5, 33.2)),
    Query(bbox=(13.05, 32.4, 13.9, 32.9), date_from=date(2014, 6, 15)),
    Query(bbox=(-10.0, -5.0, 5.0, 5.0)),
    Query(text="synthetic", include_unlocated=False, tags=("synthetic",)),
]
VIEWERS = [EDITOR, VIEWER, PUBLIC]


def _odd(n: int, **changes: object) -> Incident:
    """Records the synthetic set lacks: no district, unknown district, no point, month only."""
    base = Incident(
        id=f"odd-{n}", type="killing", title=f"Odd {n}", date_start=date(2016, 2, 14),
        date_end=date(2016, 2, 16), latitude=32.61234, longitude=13.21, country="LY",
        location_precision="exact", sensitivity="public",
    )  # fmt: skip
    return base.replace(**changes)


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    path = write_synthetic_csv(tmp_path / "s.csv", 400, seed=3)
    assert import_file(path, store, EDITOR).accounted
    odd = [
        _odd(1),
        _odd(2, admin1_code="LY-XX", latitude=-1.5, longitude=-3.25),
        _odd(3, latitude=None, longitude=None, location_precision="country"),
        _odd(4, public_date_to_month=True, admin1_code="LY-TB", date_end=date(2016, 3, 2)),
        _odd(5, location_precision="country", latitude=31.0, longitude=16.0),
    ]
    store.write_batch(odd, EDITOR)
    return store


def _rows(store: Store, query: Query, who) -> pd.DataFrame:
    return store.query(query, who)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("who", VIEWERS, ids=lambda v: v.role.value)
def test_counts_and_grid_match_the_rows(filled: Store, query: Query, who) -> None:
    rows = _rows(filled, query, who)
    assert filled.count(query, who) == len(rows) == SqlSummaries(filled).count(query, who)
    points = SqlSummaries(filled).point_counts(query, who, 0.5)
    drawable = aggregate.located(rows)
    assert int(points["n"].sum()) == len(drawable)
    assert grid_oracles.cell_totals(points, 0.5) == grid_oracles.cell_totals(drawable, 0.5)


@pytest.mark.parametrize("query", QUERIES[:5])
@pytest.mark.parametrize("who", [EDITOR, PUBLIC], ids=lambda v: v.role.value)
@pytest.mark.parametrize("unit", ["day", "week", "month"])
def test_histogram_from_date_counts_matches_the_rows(filled: Store, query, who, unit) -> None:
    rows = _rows(filled, query, who)
    ours = frame_oracles.histogram(SqlSummaries(filled).date_counts(query, who), unit)
    theirs = frame_oracles.histogram(rows, unit)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    assert frame_oracles.date_span(
        SqlSummaries(filled).date_counts(query, who)
    ) == frame_oracles.date_span(rows)


@pytest.mark.parametrize("measure", ["incidents", "killed_best"])
@pytest.mark.parametrize("who", [EDITOR, PUBLIC], ids=lambda v: v.role.value)
def test_district_sums_match_the_rows(filled: Store, measure: str, who) -> None:
    query = Query(date_from=date(2014, 1, 1))
    rows = _rows(filled, query, who)
    ours = SqlSummaries(filled).district_sums(query, who, measure)
    theirs = aggregate.district_totals(rows, measure)
    assert ours[ours.index != ""].sort_index().to_dict() == theirs.sort_index().to_dict()


def test_distinct_values_list_each_value_once(filled: Store) -> None:
    tags = filled.distinct_values("tags", EDITOR)
    assert "synthetic" in tags and len(tags) == len(set(tags))
    everything = _rows(filled, Query(), PUBLIC)
    seen = {p.strip() for v in everything["perpetrators"].fillna("") for p in v.split(";")}
    assert set(filled.distinct_values("perpetrators", PUBLIC)) == seen - {""}
    with pytest.raises(ValueError):
        filled.distinct_values("title", EDITOR)


def test_distinct_values_follow_each_change_and_each_visibility(filled: Store) -> None:
    """The store keeps the lists until the data changes (record_store.distinct_values):
    a new tag is offered at once, and one only a restricted record holds never reaches
    the public's list, asked before or after the editor's."""
    assert "new-after-change" not in filled.distinct_values("tags", PUBLIC)
    filled.write_batch([_odd(6, tags=("new-after-change",))], EDITOR)
    assert "new-after-change" in filled.distinct_values("tags", PUBLIC)
    filled.write_batch([_odd(7, tags=("restricted-only",), sensitivity="restricted")], EDITOR)
    assert "restricted-only" in filled.distinct_values("tags", EDITOR)
    assert "restricted-only" not in filled.distinct_values("tags", PUBLIC)


@pytest.mark.parametrize("query", [Query(), QUERIES[3], QUERIES[6]])
@pytest.mark.parametrize("who", VIEWERS, ids=lambda v: v.role.value)
def test_a_limited_query_is_the_head_of_the_full_one(filled: Store, query, who) -> None:
    columns = ["id", "type", "latitude", "longitude", "date_start", "date_end", "killed_best"]
    full = filled.query(query, who, columns)
    head = filled.query(query, who, columns, limit=25)
    pd.testing.assert_frame_equal(head, full.head(25).reset_index(drop=True), check_dtype=False)


def test_public_summaries_never_see_restricted_or_exact_values(filled: Store) -> None:
    """A box around one exact point finds nothing for the public unless it holds a
    district centroid; restricted records are never counted."""
    tiny = Query(bbox=(13.2099, 32.6122, 13.2101, 32.6124))
    assert filled.count(tiny, EDITOR) >= 1
    assert filled.count(tiny, PUBLIC) == 0
    assert SqlSummaries(filled).point_counts(tiny, PUBLIC, 0.1).empty
    everything = filled.count(Query(), EDITOR)
    assert filled.count(Query(), PUBLIC) < everything


def test_a_grid_only_public_rule_is_followed(gpkg_store: Store, tmp_path: Path) -> None:
    """Rules are per store object, not per backend: the GeoPackage case is enough."""
    from incidents.store import open_store

    store = gpkg_store
    path = write_synthetic_csv(tmp_path / "g.csv", 120, seed=5)
    import_file(path, store, EDITOR)
    gridded = open_store(store.url, PublicRules(grid_km=10))
    box = Query(bbox=(12.5, 32.0, 14.5, 33.2))
    rows = gridded.query(box, PUBLIC)
    assert gridded.count(box, PUBLIC) == len(rows)
    points = SqlSummaries(gridded).point_counts(box, PUBLIC, 0.25)
    assert int(points["n"].sum()) == len(aggregate.located(rows))


# --- the in-memory column index answers as the SQL summaries do ---------------------

INDEX_QUERIES = [*QUERIES, Query(text="Odd", types=("killing",)), Query(ids=("odd-1", "odd-4"))]


@pytest.mark.parametrize("who", VIEWERS, ids=lambda v: v.role.value)
def test_the_column_index_agrees_with_sql(filled: Store, who) -> None:
    from incidents.store.column_load import build_index

    index = build_index(filled, who)
    for query in INDEX_QUERIES:
        assert index.count(query) == SqlSummaries(filled).count(query, who), query
        ours = index.point_counts(query, 0.5)
        theirs = SqlSummaries(filled).point_counts(query, who, 0.5)
        assert _cells(ours) == _cells(theirs), query
        for unit in ("day", "week", "month"):
            sql = frame_oracles.histogram(SqlSummaries(filled).date_counts(query, who), unit)
            pd.testing.assert_frame_equal(
                frame_oracles.histogram(frame_oracles.date_counts(index, query), unit),
                sql,
                check_dtype=False,
            )
            pd.testing.assert_frame_equal(index.histogram(query, unit), sql, check_dtype=False)
        assert index.date_span(query) == frame_oracles.date_span(
            SqlSummaries(filled).date_counts(query, who)
        )
        assert frame_oracles.date_span(
            frame_oracles.date_counts(index, query)
        ) == frame_oracles.date_span(SqlSummaries(filled).date_counts(query, who))
        for measure in ("incidents", "killed_best"):
            a, b = (
                frame_oracles.district_sums(index, query, measure),
                SqlSummaries(filled).district_sums(query, who, measure),
            )
            assert a.sort_index().to_dict() == b.sort_index().to_dict(), (query, measure)
        fids = index.first_fids(query, 30)
        rows = filled.rows_for(fids, who, ["id", "date_start"])
        everything = filled.query(query, who, ["id", "date_start"])
        assert len(rows) == min(30, len(everything))
        assert set(rows["id"]) <= set(everything["id"])
        assert list(rows["date_start"]) == list(everything["date_start"].head(len(rows)))


def _cells(points: pd.DataFrame) -> dict:
    return grid_oracles.cell_totals(points, 0.5)


def test_the_index_survives_a_restart_and_not_an_edit(filled: Store, tmp_path: Path) -> None:
    from incidents.store.column_load import cached_index

    first = cached_index(filled, EDITOR, tmp_path / "cache")
    again = cached_index(filled, EDITOR, tmp_path / "cache")
    assert again.count(Query()) == first.count(Query()) == filled.count(Query(), EDITOR)
    assert (
        again.labels == first.labels
        and (again.lat[~np.isnan(again.lat)] == first.lat[~np.isnan(first.lat)]).all()
    )
    assert again.count(Query(text="Odd")) == filled.count(Query(text="Odd"), EDITOR)
    public = cached_index(filled, PUBLIC, tmp_path / "cache")
    assert public.count(Query()) == filled.count(Query(), PUBLIC)
    filled.write_batch([_odd(9)], EDITOR)
    assert (
        cached_index(filled, EDITOR, tmp_path / "cache").count(Query()) == first.count(Query()) + 1
    )
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 3


@pytest.mark.parametrize("who", VIEWERS, ids=lambda v: v.role.value)
def test_rows_for_without_the_date_column_keeps_the_date_order(filled: Store, who) -> None:
    """The rows are put in date order even when the date is not among the columns asked
    (it used to fail for staff), and only the columns asked come back."""
    from incidents.store.column_load import build_index

    fids = build_index(filled, who).first_fids(Query(), 40)
    rows = filled.rows_for(fids, who, ["type", "title"])
    dated = filled.rows_for(fids, who, ["type", "title", "date_start"])
    assert list(rows.columns) == ["id", "type", "title"]
    assert len(rows) == len(fids) > 0
    pd.testing.assert_frame_equal(rows, dated[["id", "type", "title"]])
    if who.sees_exact_locations:  # the public's dates are coarsened after the sort
        assert list(dated["date_start"]) == sorted(dated["date_start"])
