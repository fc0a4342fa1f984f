"""The text filter's fast paths against the substring scan they replace, on hostile text.

Staff's text-only search reads fids from the FTS5 table alone (text_index.fid_select);
every other search joins the incidents rows. Both must find exactly what a
case-insensitive substring scan of title, description, place (for the public, only a
place public rows show) and id finds, for every spelling search_needles adds. Record
text here is written to break things: LIKE wildcards, quotes, FTS5 syntax, SQL,
Arabic with bidi marks, very long strings. It is data, never SQL or an FTS5 query.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.access import PUBLIC, PUBLIC_PLACE_PRECISIONS, PublicRules, Viewer
from incidents.public_place import public_points
from incidents.query import Query
from incidents.record import Incident
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.text_index import search_needles
from incidents.store.text_marks import is_arabic, unmarked
from tests.conftest import EDITOR
from tests.sql_oracles import public_town_at
from tests.store.test_store import incident

HOSTILE = (
    "100% sure",
    "a_b c%d",
    'O\'Brien said "no"',
    "'; DROP TABLE incidents; --",
    'a" OR "b',
    "NEAR(grave detention, 2)",
    "{title description} : grave",
    "- {place} : x AND y OR NOT z *",
    "^start col:umn",
    "back\\slash \\% \\_",
    "ترهونة",
    "\u200fترهونة\u200f مقبرة جماعية",
    "\u202eevil\u202c reversed \u2066isolate\u2069",
    "Tarhūnah TARHŪNAH",
    "قرية جويّا ومَقْبَرَةٌ جماعيـــة",
    "مقبرة" * 800,
    "long " + "x" * 5000 + " tail",
)
NEEDLES = (
    "%",
    "_",
    "% s",
    "a_b",
    "'",
    '"',
    '"no"',
    "o'brien",
    "drop table",
    "DROP TABLE incidents;",
    'a" OR "b',
    "NEAR(",
    "{title",
    ": grave",
    "*",
    "^start",
    "\\",
    "\\%",
    "ترهونة",
    "\u200fترهونة",
    "جماعية",
    "\u202eevil",
    "tarhūnah",
    "جويا",
    "جويّا",
    "مقبرة جماعية",
    "ّ",
    "مقبرةمقبرة",
    "x" * 300,
    "tail",
    "no such thing",
    "syn-1",
    "Tarhuna",
    "tar\x00huna",  # a NUL from a link's text failed the FTS5 query
    "\x00\x01",
    "tarhu\u0304nah",  # typed decomposed: the records are NFC
)


def _expected(records: list[Incident], text: str, public: bool) -> set[str]:
    """The oracle: a substring scan, case folded (and, for a needle with Arabic letters,
    the marks aside), of the fields a viewer may search."""
    needles = [n.casefold() for n in search_needles(text)]
    towns = _public_towns(records) if public else {}
    found = set()
    for r in records:
        if public and r.sensitivity != "public":
            continue
        place = r.place if not public or r.location_precision in PUBLIC_PLACE_PRECISIONS else ""
        town = towns.get(r.id) if public and not place else None
        at_town = town is not None and public_town_at(*town, text)  # store/public_town_search
        hay = "\n".join((r.title, r.description, place, r.id)).casefold()
        held = any(n in (unmarked(hay) if is_arabic(n) else hay) for n in needles)
        if held or at_town or not needles:  # control characters only: no text filter
            found.add(r.id)
    return found


def _public_towns(records: list[Incident]) -> dict[str, tuple[float, float]]:
    """The point of the town each record the public sees at a town is shown at."""
    columns = ("latitude", "longitude", "admin1_code", "location_precision", "place", "country")
    frame = pd.DataFrame([{c: getattr(r, c) for c in columns} for r in records])
    points = public_points(frame, PublicRules())
    return {
        r.id: (float(lat), float(lon))
        for r, shown, lat, lon in zip(
            records, points.precision, points.lat, points.lon, strict=True
        )
        if shown == "town"
    }


def _found(store: Store, query: Query, viewer: Viewer) -> set[str]:
    fids = store.matching_fids(query, viewer)
    assert len(fids) == len(set(fids))
    return set(store.rows_for(fids, viewer, ["id"])["id"]) if fids else set()


def _records() -> list[Incident]:
    out = []
    for n, text in enumerate(HOSTILE, start=1):
        out.append(
            incident(
                n,
                title=text,
                description=HOSTILE[-n],
                place=("Tarhuna", "ترهونة", "Bani Walid", text[:40])[n % 4],
                location_precision=("exact", "district", "town", "country")[n % 4],
                sensitivity="restricted" if n % 5 == 0 else "public",
            )
        )
    return out


@pytest.mark.parametrize("text", NEEDLES)
def test_hostile_text_finds_what_a_substring_scan_finds(store: Store, text: str) -> None:
    records = _records()
    store.write_batch(records, EDITOR)
    every = tuple(r.id for r in records)
    for viewer, public in ((EDITOR, False), (PUBLIC, True)):
        expected = _expected(records, text, public)
        assert _found(store, Query(text=text), viewer) == expected, (text, viewer.name)
        # with an id filter the rows are joined: the same answer by the other path
        assert _found(store, Query(text=text, ids=every), viewer) == expected


# Each store sends only some needles down each path; forced here, every one takes it:
# MAX_TRIGRAMS 2: SQLite's trigram index gives the rows holding a needle's first and
# last trigrams only, so the exact check decides for every needle of four or more;
# GIN_WORD_TRIGRAMS 0: PostgreSQL looks every ASCII needle of several words up in the
# GIN index by its longest word (text_lower.gin_word), the whole needle then checked.
@pytest.mark.parametrize(("path", "value"), [("MAX_TRIGRAMS", 2), ("GIN_WORD_TRIGRAMS", 0)])
@pytest.mark.parametrize("text", NEEDLES)
def test_each_lookup_path_finds_what_a_substring_scan_finds(
    store: Store, text: str, path: str, value: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents.store import text_lower

    monkeypatch.setattr(text_lower, path, value)
    records = _records()
    store.write_batch(records, EDITOR)
    for viewer, public in ((EDITOR, False), (PUBLIC, True)):
        expected = _expected(records, text, public)
        assert _found(store, Query(text=text), viewer) == expected, (text, viewer.name)


_ALPHABET = "abAB %_'\"\\-:*(){}^ تره\u0651\u064e\u200f\u202eū"
# Arabic marks where Arabic writes them: after an Arabic letter (text_marks: a search
# with Arabic letters reads past them; between Latin letters the narrow copy reads past
# them and a LIKE on the rows, for a needle under three characters, does not).
_MARK_OUTSIDE_ARABIC = re.compile("(?<![\u0621-\u064a])[\u0651\u064e]+")
_TEXT = st.text(alphabet=_ALPHABET, max_size=20).map(lambda t: _MARK_OUTSIDE_ARABIC.sub("", t))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=6),
    needle=_TEXT,
    cut=st.tuples(st.integers(0, 5), st.integers(0, 20), st.integers(3, 8)),
)
def test_generated_text_finds_what_a_substring_scan_finds(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str]],
    needle: str,
    cut: tuple[int, int, int],
) -> None:
    store = open_store(str(tmp_path_factory.mktemp("o") / "o.gpkg"))
    records = [
        incident(n, title=t, description=d, place=p, location_precision="town")
        for n, (t, d, p) in enumerate(rows, start=1)
    ]
    store.write_batch(records, EDITOR)
    row, start, size = cut
    title = records[row % len(records)].title
    every = tuple(r.id for r in records)
    for text in (needle, title[start : start + size]):  # a random text, a piece of one held
        if not text.strip():
            continue
        for viewer, public in ((EDITOR, False), (PUBLIC, True)):
            expected = _expected(records, text, public)
            # the narrow copy alone, then joined to the rows (an id filter)
            for query in (Query(text=text), Query(text=text, ids=every)):
                assert _found(store, query, viewer) == expected, (text, query.ids)


def test_a_text_only_search_skips_the_incidents_rows() -> None:
    """Which SELECT each search gets (what the tests above check the answers of)."""
    from incidents.access import Visibility
    from incidents.store.sql import lookup_where
    from incidents.store.text_index import fid_select
    from incidents.store.text_lower import LOWER_TABLE, TRIGRAMS

    def select(query: Query, viewer: Viewer, like: str = "LIKE", side: bool = True) -> str:
        seen = Visibility.of(viewer)
        where = lookup_where(query, like, public=not seen.exact)
        where.add(seen.sql())
        sql, params = fid_select(query, seen, like, where, side)
        assert "detention" not in sql  # the text is a parameter, never SQL
        assert sql.count("%s") == len(params)
        return sql

    text = Query(text='arbitrary "detention"; --')
    staff = select(text, EDITOR)  # the narrow lowered rows, through their trigram index
    assert staff.startswith(f"SELECT w.fid AS fid FROM {LOWER_TABLE} w WHERE w.fid IN")
    assert f"{TRIGRAMS} MATCH %s" in staff and "FROM incidents i" not in staff
    public = select(text, PUBLIC)  # which records it reads: on the narrow row
    assert "w.sensitivity = 'public'" in public and "FROM incidents i" not in public
    assert "w.shown AND" in public and "w.shown" not in staff
    cased = select(Query(text="Tarhūnah Ū"), PUBLIC)  # lower() folds ASCII only
    assert f"{TRIGRAMS} MATCH %s" in cased and "FROM incidents i" not in cased
    assert "incidents_folded_in(w.body, %s)" in cased
    pg = select(text, PUBLIC, "ILIKE")
    assert pg.startswith(f"SELECT w.fid AS fid FROM {LOWER_TABLE} w WHERE")
    assert "LIKE lower(%s::text)" in pg
    assert "(w.body || '') LIKE lower(%s::text)" in pg  # the phrase: its word in the index
    for query, viewer, like, side in (
        (text.replace(tags=("curfew",)), EDITOR, "LIKE", True),  # a filter the row answers
        (text.replace(ids=("syn-1",)), EDITOR, "LIKE", True),
        (Query(text="ab"), EDITOR, "LIKE", True),  # under three characters: no trigram
        (text, EDITOR, "ILIKE", False),  # PostgreSQL without the narrow table
    ):
        assert "FROM incidents i WHERE" in select(query, viewer, like, side)
