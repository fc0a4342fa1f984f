"""The app on PostGIS as a role that does not own the tables, granted exactly what
docs/deployment.md ("Optional hardening") lists: it imports, edits, deletes, restores,
merges and searches, text search's lower-cased copy stays current through its
triggers (they run as the owner), and the audit chain verifies. The grants are read
from the document itself, so the document cannot fall behind the store's tables."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from incidents.access import PUBLIC
from incidents.importer import import_file
from incidents.query import Query
from tests.conftest import EDITOR, EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deployment.md"
GRANT = re.compile(r"^(GRANT [^;]+);", re.MULTILINE)


def documented_grants(schema: str, role: str) -> list[str]:
    """The GRANT statements of the hardening section, for this schema and role."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### Optional hardening", 1)[1].split("\n### ", 1)[0]
    grants = GRANT.findall(section)
    assert grants, "docs/deployment.md lists no GRANT for the app role"
    return [
        g.replace("SCHEMA public", f'SCHEMA "{schema}"').replace("incidents_app", role)
        for g in grants
    ]


@pytest.fixture
def owner_and_app() -> Iterator[tuple[object, object]]:
    url = os.environ.get("INCIDENTS_TEST_PG")
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("INCIDENTS_TEST_PG is not set: scripts/test.sh starts PostGIS in CI")
        pytest.skip("no PostGIS server (scripts/test.sh starts one)")
    import psycopg

    from incidents.store.postgis import PostGISStore

    schema, role = "t_" + uuid.uuid4().hex[:12], "app_" + uuid.uuid4().hex[:12]
    owner = PostGISStore(url, schema=schema)  # the owner's first start makes the tables
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f'SET search_path = "{schema}"')
        for grant in documented_grants(schema, role):
            conn.execute(grant)
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    app_url = urlunsplit(parts._replace(netloc=f"{role}@{host}"))
    try:
        yield owner, PostGISStore(app_url, schema=schema)
    finally:
        owner.drop_schema()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def _ids(store, text: str, viewer=EDITOR) -> set[str]:
    return {str(i) for i in store.query(Query(text=text), viewer)["id"]}


def test_the_documented_grants_let_the_app_do_its_work(owner_and_app):
    from incidents.store.merges import merge, unmerge

    owner, app = owner_and_app
    report = import_file(EXAMPLE, app, EDITOR)
    assert report.imported == 9
    record = app.get("tarhuna-ex-001", EDITOR)
    app.save(record.replace(title="Renamed Zebrafinch grave"), EDITOR)
    assert _ids(app, "zebrafinch") == {"tarhuna-ex-001"}  # the copy followed the edit
    assert _ids(owner, "zebrafinch") == {"tarhuna-ex-001"}
    two = app.get("tarhuna-ex-002", EDITOR)
    app.delete(two.id, two.version, EDITOR, reason="duplicate")
    app.restore(two.id, EDITOR)
    kept, other = app.get("tarhuna-ex-003", EDITOR), app.get("tarhuna-ex-004", EDITOR)
    merge(app, kept.id, other.id, EDITOR, {}, (kept.version, other.version))
    unmerge(app, other.id, EDITOR)
    assert len(app.query(Query(text="Tarhuna"), EDITOR)) == 9
    assert _ids(app, "tarhuna", PUBLIC) == _ids(owner, "tarhuna", PUBLIC)
    assert app.verify_audit() == []


def test_the_app_role_searches_the_rows_of_a_store_whose_copy_its_owner_has_not_made(
    owner_and_app,
):
    """A store made before the lower-cased copy, opened by the app role first: the role
    may not make the copy's triggers, so it does not try (each failed try logged an
    error on the server, on every open) and searches the rows; the owner's next open
    makes it."""
    import psycopg

    from incidents.store import text_index, text_lower
    from incidents.store.postgis import PostGISStore

    owner, app = owner_and_app
    import_file(EXAMPLE, owner, EDITOR)
    with psycopg.connect(owner.url, autocommit=True) as conn:  # as a store made before it
        conn.execute(f'DROP TABLE "{owner.schema}".{text_lower.LOWER_TABLE}')
        keep = f'"{owner.schema}".{text_lower.LOWER_TABLE}_keep'
        for kind in ("insert", "delete", "update"):
            conn.execute(f"DROP FUNCTION {keep}_{kind}() CASCADE")
    late = PostGISStore(app.url, schema=app.schema)
    with psycopg.connect(app.url, autocommit=True) as conn:
        incidents = f'"{app.schema}".incidents'
        assert not text_lower.first(conn, text_lower.OWNS_INCIDENTS, [incidents])
    assert not text_index.has_lower_table(late._fetch, "ILIKE")
    assert _ids(late, "ترهونة") == {f"tarhuna-ex-{n:03d}" for n in range(1, 10)}
    again = PostGISStore(owner.url, schema=owner.schema)  # the owner makes the copy
    assert text_index.has_lower_table(again._fetch, "ILIKE")
    assert _ids(again, "tarhuna") == _ids(late, "tarhuna")


def test_a_large_first_import_by_the_app_role_keeps_the_owners_indexes(owner_and_app, tmp_path):
    """A role that does not own the tables may not drop their indexes, so its batch
    into the empty table writes with them in place (pg_batch) and succeeds."""
    import psycopg

    from incidents.store import pg_batch
    from incidents.synthetic import write_synthetic_csv

    owner, app = owner_and_app
    indexes = f"SELECT indexdef FROM pg_indexes WHERE schemaname = '{owner.schema}'"
    with psycopg.connect(owner.url) as conn:
        made = set(conn.execute(indexes).fetchall())
    big = write_synthetic_csv(tmp_path / "big.csv", pg_batch.DEFER_INDEXES_FROM, seed=2)
    assert import_file(big, app, EDITOR).imported == pg_batch.DEFER_INDEXES_FROM
    with psycopg.connect(owner.url) as conn:
        assert set(conn.execute(indexes).fetchall()) == made
    assert app.verify_audit() == []


def test_the_app_role_cannot_fire_the_copys_functions_on_a_table_of_its_own(owner_and_app):
    """The copy's trigger functions run as its owner: a role that could attach one to
    a temporary table of its own could empty or rewrite the copy, and records would
    silently drop out of the text search, with no audit entry."""
    import psycopg

    from incidents.store import text_lower

    owner, app = owner_and_app
    import_file(EXAMPLE, owner, EDITOR)
    keep = f'"{app.schema}".{text_lower.LOWER_TABLE}_keep'
    with psycopg.connect(app.url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE mine (a int)")
        for kind in ("insert", "delete", "update", "truncate"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    f"CREATE TRIGGER t_{kind} AFTER TRUNCATE ON mine "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {keep}_{kind}()"
                )
    assert len(app.query(Query(text="Tarhuna"), EDITOR)) == 9


def test_an_earlier_copy_with_the_same_rows_is_searched_by_the_app_role(owner_and_app):
    """After an upgrade the app role may open the store before its owner does: it may
    not bring the copy up to date, but a copy whose rows are this version's (only a
    trigger came since) is still what it searches through, not the records' rows."""
    import psycopg

    from incidents.store import text_index, text_lower
    from incidents.store.postgis import PostGISStore

    owner, app = owner_and_app
    import_file(EXAMPLE, owner, EDITOR)
    table = f'"{owner.schema}".{text_lower.LOWER_TABLE}'
    with psycopg.connect(owner.url, autocommit=True) as conn:
        conn.execute(f"COMMENT ON TABLE {table} IS '{text_lower.SAME_ROWS[-1]}'")
    late = PostGISStore(app.url, schema=app.schema)
    assert text_index.has_lower_table(late._fetch, "ILIKE")
    assert _ids(late, "ترهونة") == {f"tarhuna-ex-{n:03d}" for n in range(1, 10)}
    again = PostGISStore(owner.url, schema=owner.schema)  # the owner brings it up to date
    with psycopg.connect(again.url) as conn:
        comment = conn.execute(f"SELECT obj_description('{table}'::regclass)").fetchone()
    assert comment == (text_lower.PG_VERSION,)
