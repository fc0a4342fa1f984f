"""contents_json (the audit log's JSON of many records at once) writes exactly what
to_json(incident.content()) writes, for every kind of value a record can hold."""

from __future__ import annotations

import math
from datetime import date, datetime

from incidents.record import Source
from incidents.store.audit import to_json
from incidents.store.contents_json import contents_json
from tests.store.test_store import incident


def _same(records) -> None:
    assert contents_json(records) == [to_json(r.content()) for r in records]


def test_plain_records_and_an_empty_batch():
    _same([incident(n) for n in range(1, 20)])
    assert contents_json([]) == []


def test_text_that_needs_escaping():
    _same(
        [
            incident(1, title='quotes " and \\ backslash', description="line\nbreak\ttab"),
            incident(2, title="ترهونة مقبرة جماعية", place="ترهونة", description="\x01\x1f"),
            incident(3, title="emoji 🙂 and \u2028 separator", admin1=""),
        ]
    )


def test_numbers_of_every_shape():
    _same(
        [
            incident(1, latitude=None, longitude=None, killed_best=0),
            incident(2, latitude=-0.0, longitude=1e16, killed_best=10**20),
            incident(3, latitude=1e-7, longitude=math.inf, location_uncertainty_km=math.nan),
            incident(4, latitude=1.0, longitude=-math.inf, killed_min=None),
        ]
    )


def test_columns_mixing_types_are_not_confused():
    # True == 1 == 1.0 in Python; each must still be written as itself.
    _same(
        [
            incident(1, killed_best=1, latitude=1.0, place_confirmed=True),
            incident(2, killed_best=True, latitude=1, place_confirmed=1),
            incident(3, killed_best=1.0, latitude=True, place_confirmed=False),
        ]
    )


def test_lists_sources_and_odd_values():
    repeated = ("Kaniyat", "unknown armed group")
    sources = (Source(title="A", publisher="B", date="2020-06-11", url="https://x.org/a"),)
    _same(
        [incident(n, perpetrators=repeated, tags=("grave",)) for n in range(1, 8)]
        + [
            incident(8, perpetrators=(), tags=(), sources=()),
            incident(9, sources=sources * 3),
            incident(10, sources=(Source(title=1, url=None),)),  # type: ignore[arg-type]
            incident(11, tags=("a", 2)),  # type: ignore[arg-type]
            incident(12, tags=["unhashable", "list"]),  # type: ignore[arg-type]
            incident(13, date_start=datetime(2020, 5, 1, 12, 30), date_end=date(2020, 5, 2)),
        ]
    )
