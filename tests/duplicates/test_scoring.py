"""The duplicate search: reasons in words, access, memory of decisions, blocking."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from incidents.duplicates import find_candidates, reason_text
from incidents.duplicates.profile import profile
from incidents.record import Incident, Source
from tests.duplicates.blocked_pairs import candidate_pairs, compare

DAY = date(2023, 1, 1)


def record(rid: str, **values: object) -> Incident:
    base: dict[str, object] = {
        "id": rid,
        "type": "mass_grave",
        "title": "Mass grave found in Tarhuna",
        "date_start": DAY,
        "date_end": DAY,
        "place": "Tarhuna",
        "country": "LY",
        "latitude": 32.435,
        "longitude": 13.634,
        "location_precision": "exact",
        "sensitivity": "public",
    }
    base.update(values)
    return Incident(**base)  # type: ignore[arg-type]


ARTICLE = Source("Mass grave found", "Reuters", "2023-01-02", "https://www.reuters.com/a/1")


def test_same_event_from_two_sources_says_why_in_words() -> None:
    a = record("org-1", sources=(ARTICLE,), killed_best=12)
    b = record(
        "acled:LBY1",
        title="مقبرة جماعية في ترهونة",
        latitude=32.46,
        longitude=13.62,
        location_precision="town",
        source_event_id="acled:LBY1",
        sources=(Source("x", "ACLED", "", "http://reuters.com/a/1/"),),
        killed_best=12,
    )
    match = compare(profile(a), profile(b))
    assert match.score > 0.9
    text = reason_text(match)
    assert "same day" in text
    assert "3 km apart" in text
    assert "both cite the same source" in text
    assert "both name the same place" in text  # Arabic and Latin names of one town
    assert "both say 12 killed" in text
    assert not match.certain


def test_same_data_set_event_id_is_certain_and_different_ids_of_one_set_are_not() -> None:
    a = record("a", source_event_id="acled:LBY1")
    b = record("b", source_event_id="acled:LBY1", title="Something else")
    assert compare(profile(a), profile(b)).certain
    c = record("c", source_event_id="acled:LBY2")
    two = compare(profile(a), profile(c))
    assert not two.certain
    assert "two different events of the same data set" in two.reasons


def test_a_town_point_and_an_exact_site_can_be_one_event_but_far_points_cannot() -> None:
    exact = record("a")
    town = record("b", latitude=32.50, longitude=13.70, location_precision="town")
    assert compare(profile(exact), profile(town)).score >= 0.4
    far = record("c", latitude=32.9, longitude=14.4)  # about 90 km
    assert compare(profile(exact), profile(far)).score < 0.1


def test_dates_known_to_the_month_overlap_a_day() -> None:
    day = record("a", description="Bodies of 12 men found at the farm near the road")
    month = record(
        "b",
        date_start=date(2023, 1, 1),
        date_end=date(2023, 1, 31),
        date_precision="month",
        description="12 men found buried at the farm near the road",
    )
    match = compare(profile(day), profile(month))
    assert "dates overlap (one is known only to the month or year)" in match.reasons
    assert match.score >= 0.4


@given(st.integers(0, 10), st.floats(0, 0.5), st.sampled_from(["killing", "mass_grave"]))
def test_the_score_does_not_depend_on_the_order(days: int, shift: float, kind: str) -> None:
    a = record("a")
    b = record("b", date_start=DAY + timedelta(days), date_end=DAY + timedelta(days),
               latitude=32.435 + shift, type=kind)  # fmt: skip
    assert compare(profile(a), profile(b)).score == compare(profile(b), profile(a)).score


def test_blocking_compares_neighbours_in_time_and_space_never_all_pairs() -> None:
    records = [
        record(
            f"r{i}",
            date_start=DAY + timedelta(i // 10 * 7),
            date_end=DAY + timedelta(i // 10 * 7),
            latitude=20 + (i % 10) * 1.5,
            longitude=10 + (i % 10) * 1.5,
        )
        for i in range(2000)
    ]
    shared = Source("report", "NGO", "", "https://example.org/report")
    records.append(record("x", date_start=date(2030, 1, 1), date_end=date(2030, 1, 1),
                          sources=(shared,)))  # fmt: skip
    records.append(record("y", latitude=30.0, sources=(shared,)))
    items = [profile(r) for r in records]
    pairs = candidate_pairs(items)
    assert len(pairs) < 2000  # out of two million
    assert (len(records) - 2, len(records) - 1) in pairs  # the shared URL, whatever else


def test_new_rows_are_matched_against_stored_records_only() -> None:
    stored = [record("s1"), record("s2", latitude=30.0)]
    new = [record("n1"), record("n2")]
    found = find_candidates(stored, new)
    assert {(m.a, m.b) for m in found} == {("n1", "s1"), ("n2", "s1")}


def test_not_the_same_is_never_proposed_again_and_restricted_stays_hidden() -> None:
    a, b = record("a"), record("b", sensitivity="restricted")
    assert [(m.a, m.b) for m in find_candidates([a, b])] == [("a", "b")]
    assert find_candidates([a, b], not_same=[("b", "a")]) == []
    assert find_candidates([a, b], sees_restricted=False) == []


def test_a_merged_record_is_found_by_the_event_id_of_a_record_merged_into_it() -> None:
    kept = record("kept", source_event_id="org:1")
    row = record("acled-9", source_event_id="acled:9", date_start=date(2024, 5, 1),
                 date_end=date(2024, 5, 1), latitude=20.0)  # fmt: skip
    assert find_candidates([kept], [row]) == []
    found = find_candidates([kept], [row], merged_ids={"kept": ["acled:9"]})
    assert [(m.a, m.b, m.certain) for m in found] == [("acled-9", "kept", True)]
