"""An import's duplicate look reads stored records narrowly (store/profile_reads.py):
the facts it reads profile exactly as the whole records do, on both stores, so the
look finds the same pairs, scores and reasons as a search over the whole records."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from incidents.access import Role, Viewer
from incidents.duplicates.on_import import rows_like_existing
from incidents.duplicates.profile import profile
from incidents.duplicates.search import find_candidates
from incidents.record import Incident, Source
from incidents.store.base import NotAllowed, Store
from incidents.store.merges import visible_records
from incidents.store.profile_reads import facts_between
from incidents.store.record_store import RecordStore
from tests.conftest import EDITOR, VIEWER
from tests.duplicates.test_search_oracle import PLACES, TYPES, URLS, WORDS

DAY = date(2023, 1, 1)
HOSTILE = ["'; DROP TABLE incidents; --", "%_\\", "\u202eمقبرة\u202c", "a; b", "x" * 3000]


def _record(pick: random.Random, rid: str) -> Incident:
    """A record whose every field the search reads varies, empty and hostile included."""
    first = DAY + timedelta(pick.randint(0, 20))
    shape = pick.choice(["day", "day", "range", "month", "year"])
    last = first + timedelta({"day": 0, "range": 4, "month": 30, "year": 364}[shape])
    point = pick.random() < 0.8
    words = [*WORDS, *PLACES, *HOSTILE]
    sources = tuple(
        Source(pick.choice(["t", ""]), pick.choice(["Reuters", " ", "", "ACLED"]), "", url)
        for url in pick.sample(URLS, pick.randint(0, 2))
    )
    return Incident(
        id=rid,
        type=pick.choice(TYPES),
        title=" ".join(pick.choices(words, k=pick.randint(1, 5))),
        description=" ".join(pick.choices(words, k=pick.randint(0, 14))),
        date_start=first,
        date_end=last,
        date_precision={"month": "month", "year": "year"}.get(shape, "day"),
        place=pick.choice(PLACES),
        country=pick.choice(["LY", "LY", "TN"]),
        admin1=pick.choice(["Murqub", "Tripoli", ""]),
        admin1_code=pick.choice(["LY-MB", "LY-TB", ""]),
        latitude=32.43 + pick.choice([0.0, 0.01, 0.3]) if point else None,
        longitude=13.63 - pick.choice([0.0, 0.05, 0.6]) if point else None,
        location_precision=pick.choice(["exact", "town", "district", "country"]),
        location_uncertainty_km=pick.choice([None, None, 2.0, 40.0, 150.5]),
        source_event_id=pick.choice(["", "", "acled:1", "ACLED:2 ", "ucdp:7", "own1"]),
        killed_best=pick.choice([None, 0, 1, 3, 12]),
        perpetrators=tuple(
            pick.sample(["Militia A", "Kaniyat", "LNA", "قوات"], pick.randint(0, 2))
        ),
        sources=sources,
        sensitivity=pick.choice(["public", "public", "restricted"]),
    )


def _filled(store: Store, n: int = 160) -> list[Incident]:
    pick = random.Random(17)
    written = [_record(pick, f"s{k}") for k in range(n)]
    assert isinstance(store, RecordStore)
    store.write_batch(written, EDITOR)
    return [_record(pick, f"n{k}") for k in range(n)]


def test_facts_profile_as_the_whole_records_do(store: Store) -> None:
    _filled(store)
    assert isinstance(store, RecordStore)
    span = (DAY, DAY + timedelta(days=8))
    whole = [r for r in visible_records(store, EDITOR)
             if r.date_end >= span[0] and r.date_start <= span[1]]  # fmt: skip
    facts = facts_between(store, EDITOR, span)
    assert [f.id for f in facts] == [r.id for r in whole]
    assert 0 < len(facts) < 160  # the span leaves records out
    assert [profile(f) for f in facts] == [profile(r) for r in whole]
    assert [profile(f, whole=False) for f in facts] == [profile(r, whole=False) for r in whole]


def test_the_look_finds_what_a_search_of_whole_records_finds(store: Store) -> None:
    rows = _filled(store)
    assert isinstance(store, RecordStore)
    found = rows_like_existing(store, EDITOR, rows)
    expected = find_candidates(visible_records(store, EDITOR), rows)
    assert found == expected
    assert len(found) > 20


def test_only_staff_read_the_facts(gpkg_store: Store) -> None:
    assert isinstance(gpkg_store, RecordStore)
    with pytest.raises(NotAllowed):
        facts_between(gpkg_store, Viewer("anyone", Role.PUBLIC), (DAY, DAY))
    assert facts_between(gpkg_store, VIEWER, (DAY, DAY)) == []
