"""The search on numpy columns finds exactly the pairs, scores and reasons that the
one-pair-at-a-time Python search it replaced (duplicates_oracle.py) finds, on random
small stores whose records collide often: the same days and places, shared sources,
event ids of one data set, month and year dates, points and no points."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from geodata._text import normalize
from incidents.duplicates.profile import description_words, profile
from incidents.duplicates.search import find_candidates, search
from incidents.record import Incident, Source
from tests.duplicates.blocked_pairs import candidate_pairs
from tests.duplicates.duplicates_oracle import candidate_pairs as oracle_pairs
from tests.duplicates.duplicates_oracle import oracle_candidates

DAY = date(2023, 1, 1)
TYPES = ["killing", "mass_grave", "attack_on_civilians", "arbitrary_detention", "other",
         "torture", "displacement"]  # fmt: skip
PLACES = ["Tarhuna", "ترهونة", "Tripoli", "Tarhouna al-Qasr", ""]
WORDS = ["bodies", "found", "farm", "road", "twelve", "detained", "militia", "shelling",
         "market", "مقبرة", "جماعية", "village", "family", "al-Kani", "Ma'aitiga"]  # fmt: skip
URLS = ["https://www.reuters.com/a/1", "http://reuters.com/a/1/", "https://x.org/2", ""]


@st.composite
def records(draw: st.DrawFn, rid: str) -> Incident:
    first = DAY + timedelta(draw(st.integers(0, 12)))
    shape = draw(st.sampled_from(["day", "day", "range", "month", "year", "long"]))
    last = {
        "day": first,
        "range": first + timedelta(draw(st.integers(1, 9))),
        "month": first + timedelta(30),
        "year": first + timedelta(364),
        "long": first + timedelta(draw(st.integers(32, 800))),
    }[shape]
    point = draw(st.booleans()) or draw(st.booleans())
    centre = draw(st.sampled_from([(32.43, 13.63), (32.45, 13.66), (32.9, 13.2), (32.6, 13.9)]))
    shift = draw(st.sampled_from([0.0, 0.0, 0.01, 0.05, 0.12, 0.3, 0.6]))
    sources = tuple(
        Source("t", draw(st.sampled_from(["Reuters", "ACLED", ""])), "", url)
        for url in draw(st.lists(st.sampled_from(URLS), max_size=2))
    )
    return Incident(
        id=rid,
        type=draw(st.sampled_from(TYPES)),
        title=" ".join(draw(st.lists(st.sampled_from(WORDS + PLACES), max_size=5))),
        description=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=14))),
        date_start=first,
        date_end=last,
        date_precision={"month": "month", "year": "year"}.get(shape, "day"),
        place=draw(st.sampled_from(PLACES)),
        country=draw(st.sampled_from(["LY", "LY", "LY", "TN", ""])),
        admin1=draw(st.sampled_from(["Murqub", "Tripoli", ""])),
        admin1_code=draw(st.sampled_from(["LY-MB", "LY-TB", ""])),
        latitude=centre[0] + shift if point else None,
        longitude=centre[1] - shift if point else None,
        location_precision=draw(st.sampled_from(["exact", "town", "district", "country"])),
        location_uncertainty_km=draw(st.sampled_from([None, None, 2.0, 40.0, 150.0])),
        source_event_id=draw(st.sampled_from(["", "", "acled:1", "acled:2", "ucdp:7", "own1"])),
        killed_best=draw(st.sampled_from([None, 0, 1, 3, 4, 12, 30])),
        perpetrators=tuple(
            draw(st.lists(st.sampled_from(["Militia A", "Kaniyat", "LNA"]), max_size=2))
        ),
        sources=sources,
        sensitivity="public",
    )


@st.composite
def stores(draw: st.DrawFn) -> list[Incident]:
    n = draw(st.integers(0, 14))
    ids = [draw(st.sampled_from([f"r{k}", f"r{k}", "r0"])) for k in range(n)]
    return [draw(records(rid)) for rid in ids]


def _as_rows(found: list) -> list[tuple[object, ...]]:
    return sorted((m.a, m.b, m.score, m.reasons, m.certain) for m in found)


@settings(max_examples=300, deadline=None)
@given(stores(), st.sampled_from([0.0, 0.05, 0.4, 0.7, 1.0]), st.integers(0, 5))
def test_the_search_finds_what_the_one_pair_at_a_time_search_finds(
    store: list[Incident], min_score: float, new: int
) -> None:
    items = [profile(r) for r in store]
    sides = None if not new else [int(k >= len(items) - new) for k in range(len(items))]
    if sides is not None and len(set(sides)) < 2:
        sides = None
    assert candidate_pairs(items, sides) == oracle_pairs(items, sides)
    expected = _as_rows(oracle_candidates(items, sides, min_score))
    assert _as_rows(search(items, sides, min_score)) == expected
    stored, rows = (store, []) if sides is None else (store[: len(store) - new], store[-new:])
    fast = find_candidates(stored, rows, min_score)  # outlines first, whole profiles after
    assert _as_rows(fast) == expected
    order = [(-m.score, m.a, m.b) for m in fast]
    assert order == sorted(order)


@given(st.text(alphabet=st.sampled_from(list("aAlL- 'ʿ\u00a8\u0640ouhé،ترهونةال ")), max_size=60))
def test_description_words_are_the_words_of_the_normalised_text(text: str) -> None:
    whole = {w for w in normalize(text).split() if len(w) >= 4}
    assert description_words(text) == whole
