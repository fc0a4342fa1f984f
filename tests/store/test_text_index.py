"""The text filter through each store's full-text index: same matches as a substring
search, kept by every write, built for stores made before it, and spellings of a town
in either script found through the gazetteer."""

from __future__ import annotations

import sqlite3
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.access import PUBLIC, Visibility
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.column_load import build_index
from incidents.store.gpkg import GeoPackageStore
from incidents.store.text_index import search_needles
from tests.conftest import ADMIN, EDITOR, EXAMPLE
from tests.store.test_store import incident

PUBLIC_SEEN = Visibility.of(PUBLIC)

TARHUNA = {f"tarhuna-ex-{n:03d}" for n in range(1, 10)}


def _ids(store: Store, text: str, viewer=EDITOR) -> set[str]:
    return set(store.query(Query(text=text), viewer)["id"])


@pytest.mark.parametrize("text", ["tarhuna", "Tarhouna", "TARHUNA", "ترهونة", "Qasr Tarhunah"])
def test_every_spelling_and_script_finds_the_nine_tarhuna_incidents(store, text):
    import_file(EXAMPLE, store, EDITOR)
    assert _ids(store, text) == TARHUNA
    assert store.count(Query(text=text), EDITOR) == 9
    assert len(store.matching_fids(Query(text=text), EDITOR)) == 9
    index = build_index(store, EDITOR)
    assert index.count(Query(text=text)) == 9


@pytest.mark.parametrize("text", ["Tarhuna", "ترهونة", "Tarhūnah"])
def test_a_record_spelling_the_town_the_french_way_is_found_by_its_other_names(store, text):
    """A record whose source wrote "Tarhouna" (French reports) is found by staff typing
    the town's other spellings: the committed alias puts it among the town's names."""
    store.write_batch(
        [incident(1, title="Grave found in Tarhouna", place="Tarhouna"), incident(2)], EDITOR
    )
    store.save(store.get("syn-2", EDITOR).replace(place="Bani Walid", title="Elsewhere"), EDITOR)
    assert _ids(store, text) == {"syn-1"}


AFGHANISTAN = (
    Path(__file__).resolve().parents[1] / "fixtures/real" / "acled_2020_export_afghanistan.csv"
)


@pytest.mark.parametrize("viewer", [EDITOR, PUBLIC])
@pytest.mark.parametrize("setting", [None, "LY"])
def test_the_towns_of_the_datas_own_countries_are_found_in_arabic(
    store, viewer, setting, monkeypatch
):
    """Tried as an Arabic reader would, on a real ACLED export of Afghanistan: كابل
    found nothing, since the search knew Libya's towns alone. With no setting, it
    knows the towns of the countries the data is in; a setting still decides."""
    if setting is None:
        monkeypatch.delenv("INCIDENTS_SEARCH_COUNTRIES", raising=False)
    else:
        monkeypatch.setenv("INCIDENTS_SEARCH_COUNTRIES", setting)
    import_file(AFGHANISTAN, store, EDITOR)
    latin = _ids(store, "Kabul", viewer)
    assert latin
    assert _ids(store, "كابل", viewer) == (latin if setting is None else set())


def test_a_search_that_names_no_town_is_a_plain_substring_search(store):
    import_file(EXAMPLE, store, EDITOR)
    assert search_needles("mass grave") == ("mass grave",)
    found = _ids(store, "mass grave")
    assert found and found < TARHUNA
    assert _ids(store, "no such words anywhere") == set()
    assert _ids(store, "ex-00") == TARHUNA  # ids, and short needles too
    rows = pd.read_csv(EXAMPLE, dtype=str).fillna("")
    for short in ("01", "ar", "a"):  # under three characters: no trigram, still found
        text = rows["title"] + " " + rows["description"] + " " + rows["place"] + " " + rows["id"]
        expected = set(rows["id"][text.str.casefold().str.contains(short, regex=False)])
        assert _ids(store, short) == expected


def test_the_index_follows_every_write(store):
    store.write_batch([incident(i) for i in range(1, 4)], EDITOR)
    assert _ids(store, "Synthetic incident 2") == {"syn-2"}
    two = store.get("syn-2", EDITOR)
    store.save(two.replace(title="Renamed Zebrafinch"), EDITOR)
    assert _ids(store, "zebrafinch") == {"syn-2"}
    assert _ids(store, "Synthetic incident 2") == set()
    store.delete("syn-2", 2, EDITOR, reason="duplicate")
    assert _ids(store, "zebrafinch") == set()
    store.restore("syn-2", EDITOR)
    assert _ids(store, "zebrafinch") == {"syn-2"}
    store.purge("syn-2", ADMIN, "Court order")
    assert _ids(store, "zebrafinch") == set()
    assert _ids(store, "Synthetic incident") == {"syn-1", "syn-3"}


def test_a_place_the_public_cannot_see_is_never_searched_for_it(store):
    hidden = incident(1).replace(title="Event", description="", place="Zliten")
    shown = incident(2).replace(
        title="Event", description="", place="Zliten", location_precision="district"
    )
    secret = incident(3).replace(confidential_notes="CANARY-zliten-notes")
    store.write_batch([hidden, shown, secret], EDITOR)
    for text in ("Zliten", "زليتن"):
        assert _ids(store, text) == {"syn-1", "syn-2"}
        assert _ids(store, text, PUBLIC) == {"syn-2"}
        assert len(store.matching_fids(Query(text=text), PUBLIC)) == 1
        assert store.count(Query(text=text), PUBLIC) == 1
    for viewer in (EDITOR, PUBLIC):  # confidential fields are never searched
        assert _ids(store, "CANARY", viewer) == set()


# What a store made before this release kept beside the narrow copy (its own DDL, as it
# wrote it): the FTS5 table over the wide columns, its triggers, the sensitivity index.
_WIDE_ROW = (
    "{0}.fid, {0}.title, {0}.description, {0}.place, CASE WHEN {0}.location_precision "
    "IN ('town', 'district') THEN {0}.place END, {0}.id"
)
_WIDE_INSERT = "INSERT INTO incidents_text (rowid, title, description, place, public_place, id)"
_WIDE_DDL = (
    "CREATE VIRTUAL TABLE incidents_text USING fts5("
    "title, description, place, public_place, id, tokenize = 'trigram')",
    "CREATE TRIGGER incidents_text_insert AFTER INSERT ON incidents "
    f"BEGIN {_WIDE_INSERT} VALUES ({_WIDE_ROW.format('new')}); END",
    "CREATE TRIGGER incidents_text_delete AFTER DELETE ON incidents "
    "BEGIN DELETE FROM incidents_text WHERE rowid = old.fid; END",
    "CREATE TRIGGER incidents_text_update AFTER UPDATE OF fid, title, description, place, "
    "location_precision, id ON incidents BEGIN DELETE FROM incidents_text WHERE rowid = "
    f"old.fid; {_WIDE_INSERT} VALUES ({_WIDE_ROW.format('new')}); END",
    "CREATE TRIGGER incidents_text_purge AFTER INSERT ON audit_log WHEN new.action = 'purge' "
    "BEGIN INSERT INTO incidents_text (incidents_text) VALUES ('optimize'); END",
    f"{_WIDE_INSERT} SELECT {_WIDE_ROW.format('i')} FROM incidents i",
    "CREATE INDEX incidents_text_seen ON incidents(sensitivity)",
    "ANALYZE sqlite_schema",
    "INSERT INTO sqlite_stat1 VALUES ('incidents', 'incidents_text_seen', '1000000 500000')",
    "INSERT INTO store_meta VALUES ('text_index', '1')",
)


def test_a_store_made_with_the_wide_full_text_table_loses_it_on_open(tmp_path: Path) -> None:
    """The narrow copy answers every search: the FTS5 table over the wide columns that
    stores made before kept (a second index filled on every write) goes on the next
    open, with its triggers, so a write no longer fills it, and the search is unchanged."""
    path = tmp_path / "old.gpkg"
    open_store(str(path)).write_batch([incident(i) for i in range(1, 4)], EDITOR)
    with sqlite3.connect(path) as conn:
        for statement in _WIDE_DDL:
            conn.execute(statement)
    reopened = open_store(str(path))
    with sqlite3.connect(path) as conn:
        names = "SELECT name FROM sqlite_master WHERE name LIKE 'incidents_text%'"
        left = {name for (name,) in conn.execute(names)}
        assert not left & {"incidents_text", "incidents_text_seen", "incidents_text_insert"}
        stat = "SELECT 1 FROM sqlite_stat1 WHERE idx = 'incidents_text_seen'"
        assert conn.execute(stat).fetchone() is None
        assert conn.execute("SELECT 1 FROM store_meta WHERE key = 'text_index'").fetchone() is None
    assert _ids(reopened, "INCIDENT 3") == {"syn-3"}
    reopened.write_batch([incident(4)], EDITOR)
    assert _ids(reopened, "incident 4") == {"syn-4"}
    assert _ids(reopened, "ÜBER") == set()


def test_a_purge_leaves_no_copy_of_the_words_in_the_index(tmp_path: Path) -> None:
    store = GeoPackageStore(tmp_path / "p.gpkg")
    store.write_batch([incident(1).replace(description="PURGE-ME words")], EDITOR)
    store.delete("syn-1", 1, EDITOR, reason="x")
    store.purge("syn-1", ADMIN, "Court order")
    data = store.path.read_bytes()
    assert b"PURGE-ME" not in data and b"purge-me" not in data  # nor the lowered copy
    assert _ids(store, "PURGE-ME") == set()


def test_the_narrow_copy_follows_sensitivity_and_place_precision(store: Store) -> None:
    """text_lower's rows hold the sensitivity and whether the public sees the place:
    an edit of either changes what the public's search finds."""
    record = incident(1).replace(title="Quarry", place="Zliten", location_precision="district")
    store.write_batch([record], EDITOR)
    assert _ids(store, "zliten", PUBLIC) == {"syn-1"}
    saved = store.get("syn-1", EDITOR)
    assert saved is not None
    store.save(saved.replace(location_precision="exact"), EDITOR)
    assert _ids(store, "zliten", PUBLIC) == set()
    assert _ids(store, "quarry", PUBLIC) == {"syn-1"}
    saved = store.get("syn-1", EDITOR)
    assert saved is not None
    store.save(saved.replace(sensitivity="restricted"), EDITOR)
    assert _ids(store, "quarry", PUBLIC) == set()
    assert _ids(store, "QUARRY") == _ids(store, "zliten") == {"syn-1"}


def test_a_store_made_before_the_narrow_copy_gets_it_on_open(tmp_path: Path) -> None:
    from incidents.store.text_lower import LOWER_TABLE, TRIGRAMS

    path = tmp_path / "old.gpkg"
    open_store(str(path)).write_batch([incident(i) for i in range(1, 4)], EDITOR)
    with sqlite3.connect(path) as conn:  # as a store made before the narrow copy was
        for (name,) in (
            conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                [f"{LOWER_TABLE}%"],
            ).fetchall()
            + conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
                [f"{TRIGRAMS}%"],
            ).fetchall()
        ):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"DROP TABLE {TRIGRAMS}")
        conn.execute(f"DROP TABLE {LOWER_TABLE}")
        conn.execute("DELETE FROM store_meta WHERE key = 'text_lower'")
    reopened = open_store(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute(f"SELECT COUNT(*) FROM {LOWER_TABLE}").fetchone() == (3,)
    assert _ids(reopened, "INCIDENT 3") == {"syn-3"}
    reopened.write_batch([incident(4)], EDITOR)
    assert _ids(reopened, "incident 4") == {"syn-4"}
    assert len(reopened.matching_fids(Query(text="synthetic"), EDITOR)) == 4


_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " %_-'\"\\", max_size=12)


@settings(max_examples=60)
@given(titles=st.lists(_TEXT, min_size=1, max_size=6), needle=_TEXT)
def test_ascii_search_matches_exactly_what_a_substring_search_matches(
    tmp_path_factory, titles, needle
):
    store = open_store(str(tmp_path_factory.mktemp("h") / "h.gpkg"))
    store.write_batch(
        [incident(i + 1).replace(title=t, description="", place="") for i, t in enumerate(titles)],
        EDITOR,
    )
    term = needle.strip()
    if not term:
        return
    expected = {f"syn-{i + 1}" for i, t in enumerate(titles) if term.casefold() in t.casefold()}
    expected |= {f"syn-{i + 1}" for i in range(len(titles)) if term.casefold() in f"syn-{i + 1}"}
    assert _ids(store, term) == expected


def test_a_postgis_store_made_before_the_narrow_copy_gets_it_on_open(pg: Store) -> None:
    """PostgreSQL: the table is made and filled on the next open, and followed after."""
    from incidents.store.text_lower import LOWER_TABLE

    store = pg
    import psycopg

    from incidents.store.postgis import PostGISStore

    assert isinstance(store, PostGISStore)
    store.write_batch([incident(i) for i in range(1, 4)], EDITOR)
    with psycopg.connect(store.url, autocommit=True) as conn:  # as a store made before it
        conn.execute(f'DROP TABLE "{store.schema}".{LOWER_TABLE}')
        for kind in ("insert", "delete", "update"):
            conn.execute(f'DROP FUNCTION "{store.schema}".{LOWER_TABLE}_keep_{kind}() CASCADE')
    reopened = PostGISStore(store.url, schema=store.schema)
    assert _ids(reopened, "INCIDENT 3") == {"syn-3"}
    reopened.write_batch([incident(4)], EDITOR)
    assert _ids(reopened, "incident 4") == {"syn-4"}
    with psycopg.connect(store.url) as conn:
        count = conn.execute(f'SELECT count(*) FROM "{store.schema}".{LOWER_TABLE}').fetchone()
    assert count == (4,)


def test_a_postgis_store_emptied_by_hand_with_truncate_takes_records_again(pg: Store) -> None:
    """An administrator's TRUNCATE ... RESTART IDENTITY CASCADE left the narrow copy's
    rows, and the next import failed on their fids ("an unexpected error"). The copy is
    now emptied with the table; a copy made before that loses such rows when opened."""
    import psycopg

    from incidents.store.postgis import PostGISStore
    from incidents.store.text_lower import LOWER_TABLE

    assert isinstance(pg, PostGISStore)
    table, keep = f'"{pg.schema}".{LOWER_TABLE}', f'"{pg.schema}".{LOWER_TABLE}_keep_truncate'

    def emptied_by_hand() -> PostGISStore:
        with psycopg.connect(pg.url, autocommit=True) as conn:
            conn.execute(f'TRUNCATE "{pg.schema}".incidents RESTART IDENTITY CASCADE')
        return PostGISStore(pg.url, schema=pg.schema)

    pg.write_batch([incident(i) for i in range(1, 4)], EDITOR)
    store = emptied_by_hand()
    store.write_batch([incident(4)], EDITOR)  # fid 1 again
    assert _ids(store, "incident 4") == {"syn-4"} and _ids(store, "incident 1") == set()
    with psycopg.connect(pg.url, autocommit=True) as conn:  # as the version before left it
        conn.execute(f"DROP FUNCTION {keep}() CASCADE")
        conn.execute(f"COMMENT ON TABLE {table} IS 'text_lower 3'")
    emptied_by_hand()  # its rows stay in the copy
    reopened = PostGISStore(pg.url, schema=pg.schema)  # and go when the copy is made again
    reopened.write_batch([incident(5)], EDITOR)
    assert _ids(reopened, "incident 5") == {"syn-5"} and _ids(reopened, "incident 4") == set()
    emptied_by_hand()
    with psycopg.connect(pg.url) as conn:  # the trigger is back
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_a_batch_leaves_the_narrow_copy_as_the_per_row_triggers_would(tmp_path: Path) -> None:
    from incidents.store import text_index, text_lower

    path = tmp_path / "batch.gpkg"
    store = open_store(str(path))
    store.write_batch([incident(i) for i in range(1, 4)], EDITOR)
    renamed = incident(5).replace(title="Renamed Zebrafinch", location_precision="district")
    new = [incident(1).replace(id=f"new-{n}", title=f"New {n}") for n in range(4, 504)]
    batch = [incident(5), *new, renamed, incident(2).replace(title="Kestrel")]
    store.write_batch(batch, EDITOR)  # new rows, one of them written again, an old one changed
    with sqlite3.connect(path) as conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert text_index._BATCH_TRIGGER in triggers  # back after the batch
        lower = f"SELECT fid, sensitivity, shown, body, place FROM {text_lower.LOWER_TABLE}"
        expected = f"SELECT {text_lower._row('i')} FROM incidents i"
        assert sorted(conn.execute(lower)) == sorted(conn.execute(expected))
        assert len(list(conn.execute(lower))) == 504
        table = text_lower.TRIGRAMS
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
        # the fill's larger pending-terms buffer is set back for every other writer
        size = f"SELECT v FROM {table}_config WHERE k = 'hashsize'"
        assert conn.execute(size).fetchone() == (1024 * 1024,)
    assert _ids(store, "zebrafinch") == {"syn-5"}
    assert _ids(store, "kestrel") == {"syn-2"}


def test_arabic_marks_are_searched_past_and_an_earlier_copy_is_made_again(store: Store) -> None:
    """«جويا» found nothing in «جويّا» (a shadda). A store whose full-text copies hold
    the marks (made by an earlier version) gets them made again on open."""
    from incidents.store import text_lower

    store.write_batch([incident(1).replace(title="قصف قرية جويّا"), incident(2)], EDITOR)
    for typed in ("جويا", "جويّا", "قرية جويا"):
        assert _ids(store, typed) == {"syn-1"}
        assert _ids(store, typed, PUBLIC) == {"syn-1"}  # the narrow copy's public path
    marked = "lower(title) || char(10) || lower(description) || char(10) || lower(id)"
    if isinstance(store, GeoPackageStore):
        with sqlite3.connect(store.path) as conn:  # as the earlier version left them
            conn.execute(f"DROP TRIGGER {text_lower.TRIGRAMS}_update")
            lower = text_lower.LOWER_TABLE
            conn.execute(f"UPDATE {lower} SET body = (SELECT {marked} "
                         f"FROM incidents i WHERE i.fid = {lower}.fid)")  # fmt: skip
            conn.execute(
                f"INSERT INTO {text_lower.TRIGRAMS} ({text_lower.TRIGRAMS}) VALUES ('rebuild')"
            )
            conn.execute("UPDATE store_meta SET value = '1' WHERE key = 'text_lower'")
        reopened: Store = open_store(str(store.path))
    else:
        import psycopg

        from incidents.store.postgis import PostGISStore

        assert isinstance(store, PostGISStore)
        table = f'"{store.schema}".{text_lower.LOWER_TABLE}'
        with psycopg.connect(store.url, autocommit=True) as conn:
            conn.execute(f"COMMENT ON TABLE {table} IS NULL")
            conn.execute(f"GRANT SELECT ON {table} TO PUBLIC")  # as deployment grants it
            conn.execute(f"UPDATE {table} w SET body = i.title FROM \"{store.schema}\".incidents i "
                         "WHERE i.fid = w.fid")  # fmt: skip
        reopened = PostGISStore(store.url, schema=store.schema)
        with psycopg.connect(store.url) as conn:  # the copy was refilled where it stands
            acl = conn.execute(f"SELECT relacl::text FROM pg_class WHERE oid = '{table}'::regclass")
            assert "=r/" in str(acl.fetchone())
    assert _ids(reopened, "جويا") == _ids(reopened, "قصف قرية جويا") == {"syn-1"}  # both copies
    reopened.write_batch([incident(3).replace(description="مَقْبَرَةٌ")], EDITOR)
    assert _ids(reopened, "مقبرة") == {"syn-3"}


def test_an_arabic_search_with_another_filter_reads_past_the_marks(store: Store) -> None:
    """A text and a tag together: the text is still searched without the marks (in
    PostgreSQL through the narrow copy's index, no longer a scan of the rows)."""
    store.write_batch(
        [
            incident(1).replace(title="قصف قرية جويّا", tags=("Kaniyat",)),
            incident(2).replace(title="قرية جويا"),
        ],
        EDITOR,
    )
    for viewer in (EDITOR, PUBLIC):
        found = store.query(Query(text="جويا", tags=("kaniyat",)), viewer)
        assert set(found["id"]) == {"syn-1"}


def test_bringing_a_copy_up_to_date_leaves_readers_of_the_records_alone(pg: Store) -> None:
    """The copy of an earlier version is written again when its owner opens the store
    (1.5 minutes at a million records). Meanwhile replicas go on reading the records:
    no statement of it may lock the incidents table against readers (a DROP TRIGGER
    did, and a reader reading the copy first then deadlocked with it)."""
    import psycopg

    from incidents.store.postgis import PostGISStore
    from incidents.store.text_lower import postgres_refill

    assert isinstance(pg, PostGISStore)
    pg.write_batch([incident(i) for i in range(1, 4)], EDITOR)
    with psycopg.connect(pg.url) as conn:
        for statement in postgres_refill(pg.schema):
            conn.execute(statement)
        held = conn.execute(
            "SELECT l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid() "
            "AND l.relation = %s::regclass",
            [f'"{pg.schema}".incidents'],
        ).fetchall()
        conn.rollback()
    assert held and {mode for (mode,) in held} <= {"AccessShareLock", "ShareRowExclusiveLock"}
