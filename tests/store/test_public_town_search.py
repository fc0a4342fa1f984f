"""The public's search finds, by the town's name in any spelling or script, the records
the public map shows in that town, and never a site the public does not see: a record
shown at a grid cell or its district, a site's own name, a restricted record."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.access import PUBLIC, PublicRules, Viewer
from incidents.query import Query
from incidents.record import Incident
from incidents.store.base import Store
from tests.conftest import EDITOR
from tests.store.test_store import incident

TARHUNA = (32.43501, 13.6332)  # GeoNames 2210221, the bundled gazetteer's point
SPELLINGS = ("Tarhuna", "Tarhouna", "tarhuna", "ترهونة")


def _records() -> list[Incident]:
    at = {"latitude": TARHUNA[0] + 0.01, "longitude": TARHUNA[1] - 0.01}
    return [
        incident(1, title="Grave", description="", place="Tarhouna", **at),
        incident(2, title="Grave", description="", place="ترهونة", location_precision="town"),
        incident(
            3, title="Grave", description="", place="Tarhuna", location_precision="approximate"
        ),
        # a site's name: the public map puts it at a grid cell, not at the town
        incident(4, title="Grave", description="", place="the farm south of Tarhuna", **at),
        # named Tarhuna but 40 km away: shown at its grid cell
        incident(5, title="Grave", description="", place="Tarhuna", latitude=32.79),
        incident(6, title="Grave", description="", place="Tarhuna", sensitivity="restricted"),
        incident(7, title="Grave", description="", place="Tarhuna", location_precision="district"),
    ]


@pytest.fixture
def filled(store: Store) -> Store:
    store.write_batch(_records(), EDITOR)
    return store


def _ids(store: Store, text: str, viewer: Viewer = PUBLIC, **filters: Any) -> set[str]:
    rows = store.query(Query(text=text, **filters), viewer)
    return set(rows["id"])


@pytest.mark.parametrize("text", SPELLINGS)
def test_the_public_finds_the_records_shown_at_the_town_by_any_spelling(
    filled: Store, text: str
) -> None:
    found = _ids(filled, text)
    assert found == {"syn-1", "syn-2", "syn-3", "syn-7"}
    assert filled.count(Query(text=text), PUBLIC) == 4
    assert filled.snapshot(PUBLIC).count(Query(text=text)) == 4  # the map's read model
    shown = filled.query(Query(ids=tuple(sorted(found))), PUBLIC).set_index("id")
    assert set(shown.loc[["syn-1", "syn-2", "syn-3"], "place"]) == {"Tarhuna"}  # as the map says


def test_staff_find_the_records_the_public_map_shows_elsewhere(filled: Store) -> None:
    assert {"syn-4", "syn-5", "syn-6"} <= _ids(filled, "Tarhuna", EDITOR)


@pytest.mark.parametrize("text", ["Tarhuna's", "tarhunas", "Tarhuna grave"])
def test_a_text_that_is_none_of_the_towns_names_finds_no_more_for_the_public(
    filled: Store, text: str
) -> None:
    """Found in a browser walk: "Tarhuna's" found the town's records for the public
    (the geocoder reads past the "'s") and only the literal text for staff."""
    assert _ids(filled, text) <= _ids(filled, text, EDITOR)
    assert _ids(filled, text) == set()  # no record holds these words


@pytest.mark.parametrize("text", ["farm", "the farm south", "south of"])
def test_a_sites_own_name_is_never_confirmed_to_the_public(filled: Store, text: str) -> None:
    assert _ids(filled, text) == set()
    assert filled.count(Query(text=text), PUBLIC) == 0
    assert _ids(filled, text, EDITOR) == {"syn-4"}


@pytest.mark.parametrize("per_read", [50_000, 1])  # the town's rows named, or every row read
def test_the_other_filters_still_apply_to_town_matches(
    filled: Store, per_read: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filled, "fids_per_read", per_read)
    assert _ids(filled, "Tarhuna", ids=("syn-1", "syn-5")) == {"syn-1"}
    assert _ids(filled, "Tarhuna", tags=("no-such-tag",)) == set()


def test_a_public_map_showing_districts_finds_no_site_by_its_town(filled: Store) -> None:
    filled.public_rules = PublicRules(level="district")
    fids = filled.matching_fids(Query(text="Tarhuna"), PUBLIC)
    assert set(filled.rows_for(fids, PUBLIC, ["id"])["id"]) == {"syn-7"}  # a district's name
