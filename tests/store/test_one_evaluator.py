"""One Query evaluator: the column snapshot (ColumnIndex.mask, behind store.query and
store.count, the map and every export) picks exactly the records the pandas and SQL
oracles of tests/sql_oracles.py pick, for random records and random queries, for staff
and for the public (whose window and box act on coarsened dates and points), on a real
GeoPackage."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.access import PUBLIC
from incidents.query import Query
from incidents.record import Incident
from incidents.schema import DATE_KINDS, INCIDENT_TYPES, LOCATION_PRECISIONS, VERIFICATION_STATUSES
from incidents.store import open_store
from tests.conftest import EDITOR, VIEWER
from tests.sql_oracles import SqlSummaries, filter_frame, visible_rows

TYPES = list(INCIDENT_TYPES.codes)[:4]
KINDS = list(DATE_KINDS.codes)
PRECISIONS = list(LOCATION_PRECISIONS.codes)
STATUSES = list(VERIFICATION_STATUSES.codes)
DISTRICTS = ["LY-MB", "LY-TB", "LY-MI", ""]
COUNTRIES = ["LY", "TN", ""]
WORDS = ["grave", "farm", "prison", "road"]
TAGS = ["alpha", "beta", "gamma"]
PERPETRATORS = ["militia a", "brigade b"]
PLACES = ["Tarhuna", "Misrata", "", "Wadi farm"]
FIRST = date(2019, 1, 1)


def _some(values: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), max_size=2, unique=True).map(tuple)


@st.composite
def records(draw: st.DrawFn, n: int) -> Incident:
    start = FIRST + timedelta(days=draw(st.integers(0, 500)))
    located = draw(st.booleans())
    return Incident(
        id=f"r-{n}", type=draw(st.sampled_from(TYPES)),
        title=f"{draw(st.sampled_from(WORDS))} {n}", description=draw(st.sampled_from(WORDS)),
        date_start=start, date_end=start + timedelta(days=draw(st.sampled_from([0, 3, 40]))),
        date_kind=draw(st.sampled_from(KINDS)), verification=draw(st.sampled_from(STATUSES)),
        admin1_code=draw(st.sampled_from(DISTRICTS)), place=draw(st.sampled_from(PLACES)),
        country=draw(st.sampled_from(COUNTRIES)),
        location_precision=draw(st.sampled_from(PRECISIONS)),
        latitude=draw(st.floats(31.0, 33.0)) if located else None,
        longitude=draw(st.floats(12.0, 15.0)) if located else None,
        tags=draw(_some(TAGS)), perpetrators=draw(_some(PERPETRATORS)),
        sensitivity=draw(st.sampled_from(["public", "restricted"])),
        public_date_to_month=draw(st.booleans()), killed_best=draw(st.none() | st.integers(0, 9)),
    )  # fmt: skip


def _day() -> st.SearchStrategy[date | None]:
    return st.none() | st.integers(-20, 560).map(lambda d: FIRST + timedelta(days=d))


def _box() -> st.SearchStrategy[tuple[float, float, float, float] | None]:
    corner = st.tuples(st.floats(11.5, 15.0), st.floats(30.5, 33.0))
    size = st.tuples(st.floats(0.01, 0.6), st.floats(0.01, 0.4))
    boxes = st.tuples(corner, size).map(
        lambda c: (c[0][0], c[0][1], c[0][0] + c[1][0], c[0][1] + c[1][1])
    )
    return st.none() | boxes


queries = st.builds(
    Query, date_from=_day(), date_to=_day(), date_mode=st.sampled_from(["overlaps", "within"]),
    date_kinds=_some(KINDS), types=_some(TYPES), perpetrators=_some(PERPETRATORS),
    verification=_some(STATUSES), countries=_some(COUNTRIES), admin1_codes=_some(DISTRICTS),
    max_precision=st.none() | st.sampled_from(PRECISIONS), tags=_some(TAGS),
    text=st.sampled_from(["", "", *WORDS, "Tarhuna"]), bbox=_box(),
    ids=_some([f"r-{n}" for n in range(6)]), include_unlocated=st.booleans(),
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 30).flatmap(lambda k: st.tuples(*(records(n) for n in range(k)))),
    st.lists(queries, min_size=1, max_size=6),
)
def test_the_snapshot_picks_what_the_oracles_pick(
    incidents: tuple[Incident, ...], asked: list[Query]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "incidents.gpkg"))
        store.write_batch(list(incidents), EDITOR)
        sql = SqlSummaries(store)
        for who in (EDITOR, VIEWER, PUBLIC):
            rows = visible_rows(store, who)
            for query in [Query(), *asked]:
                ours = store.query(query, who, ["id"])["id"].tolist()
                expected = filter_frame(rows, query, public=not who.sees_exact_locations)
                assert sorted(ours) == sorted(expected["id"]), (who.role, query)
                assert store.count(query, who) == len(ours) == sql.count(query, who)


def test_nothing_visible_to_the_public_is_nothing_picked() -> None:
    """A store holding only a restricted record: the oracles see an empty table (with its
    columns) and the snapshot picks nothing for the public (a case hypothesis found)."""
    grave = Incident(id="r-0", type="mass_grave", title="grave 0", date_start=FIRST,
                     date_end=FIRST, place="Tarhuna", country="LY", admin1_code="LY-MB",
                     sensitivity="restricted")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "incidents.gpkg"))
        store.write_batch([grave], EDITOR)
        assert filter_frame(visible_rows(store, PUBLIC), Query(), public=True).empty
        assert store.query(Query(), PUBLIC, ["id"]).empty
        assert store.count(Query(), PUBLIC) == SqlSummaries(store).count(Query(), PUBLIC) == 0
