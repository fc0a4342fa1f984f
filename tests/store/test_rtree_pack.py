"""The GeoPackage R-tree packed in one pass (incidents/store/rtree_pack.py), checked
against SQLite's own R-tree module as the oracle: the same entries to the bit, a tree
SQLite's rtreecheck() accepts, the same answers to box queries, and later writes
through the module keep it valid."""

from __future__ import annotations

import sqlite3

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.store import rtree_pack

DDL = "CREATE VIRTUAL TABLE {name} USING rtree(id, minx, maxx, miny, maxy)"


def _both(points: list[tuple[float, float]]) -> sqlite3.Connection:
    """One database, two R-trees of the points: 'built' by SQLite's own inserts,
    'packed' by rtree_pack."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(DDL.format(name="built"))
    conn.execute(DDL.format(name="packed"))
    conn.execute("BEGIN")
    rows = [(n + 1, x, x, y, y) for n, (x, y) in enumerate(points)]
    conn.executemany("INSERT INTO built VALUES (?, ?, ?, ?, ?)", rows)
    fids = np.arange(1, len(points) + 1, dtype=np.int64)
    xy = np.array(points, np.float64).reshape(-1, 2)
    rtree_pack.pack(conn, "packed", fids, xy[:, 0], xy[:, 1])
    conn.execute("COMMIT")
    return conn


def _ids(conn: sqlite3.Connection, table: str, box: tuple[float, float, float, float]) -> list:
    west, south, east, north = box
    sql = f"SELECT id FROM {table} WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"
    return sorted(r[0] for r in conn.execute(sql, (east, west, north, south)))


COORD = st.one_of(
    st.floats(-180, 180, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1e-40, -1e-40, 13.1234567891, -179.99999999, 32.4351]),
)
POINTS = st.lists(st.tuples(COORD, COORD), max_size=3000)  # 3 levels from 2,602


@settings(deadline=None, max_examples=25)
@given(points=POINTS, boxes=st.lists(st.tuples(COORD, COORD, COORD, COORD), max_size=5))
def test_the_packed_tree_holds_what_sqlite_s_inserts_hold_and_answers_alike(points, boxes):
    conn = _both(points)
    assert conn.execute("SELECT rtreecheck('packed')").fetchone() == ("ok",)
    everything = "SELECT * FROM {} ORDER BY id"
    assert (
        conn.execute(everything.format("packed")).fetchall()
        == conn.execute(everything.format("built")).fetchall()
    )  # float32 bounds rounded outwards exactly as rtree.c rounds them
    for a, b, c, d in boxes:
        box = (min(a, c), min(b, d), max(a, c), max(b, d))
        assert _ids(conn, "packed", box) == _ids(conn, "built", box)


def test_a_large_packed_tree_is_full_and_keeps_taking_writes():
    """5,000 points: three levels, leaves of 51 cells (SQLite's own inserts leave them
    two-thirds full); then inserts, moves and deletes through the module."""
    rng = np.random.default_rng(7)
    points = list(zip(rng.uniform(9, 25, 5000), rng.uniform(19, 34, 5000), strict=True))
    conn = _both(points)
    (nodes,) = conn.execute("SELECT count(*) FROM packed_node").fetchone()
    (built,) = conn.execute("SELECT count(*) FROM built_node").fetchone()
    assert nodes == 99 + 2 + 1 < built  # ceil(5000 / 51) leaves, 2 branches, the root
    conn.execute("BEGIN")
    for table in ("packed", "built"):
        conn.executemany(
            f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?, ?)",
            [(n, 13.0, 13.0, 32.0, 32.0) for n in range(4900, 5100)],
        )
        conn.execute(f"DELETE FROM {table} WHERE id % 7 = 0")
    conn.execute("COMMIT")
    assert conn.execute("SELECT rtreecheck('packed')").fetchone() == ("ok",)
    for box in ((12.9, 31.9, 13.1, 32.1), (9, 19, 17, 27), (-1, -1, 1, 1)):
        assert _ids(conn, "packed", box) == _ids(conn, "built", box)


def test_no_point_leaves_an_empty_root_the_module_can_fill():
    conn = _both([])
    assert conn.execute("SELECT rtreecheck('packed')").fetchone() == ("ok",)
    conn.execute("INSERT INTO packed VALUES (1, 13.0, 13.0, 32.0, 32.0)")
    assert _ids(conn, "packed", (12, 31, 14, 33)) == [1]


def test_rounding_matches_rtree_c_on_values_float32_cannot_hold():
    values = np.array([13.1234567891, -13.1234567891, 0.1, -0.1, 1e-40, 180.0, -90.0])
    down, up = rtree_pack.value_down(values), rtree_pack.value_up(values)
    normal = np.abs(values) > 1e-30  # rtree.c's own rounding does not hold on subnormals
    assert (down[normal] <= values[normal]).all() and (up[normal] >= values[normal]).all()
    conn = sqlite3.connect(":memory:")
    conn.execute(DDL.format(name="r"))
    for n, v in enumerate(values.tolist()):
        conn.execute("INSERT INTO r VALUES (?, ?, ?, 0, 0)", (n, v, v))
    stored = conn.execute("SELECT minx, maxx FROM r ORDER BY id").fetchall()
    assert stored == [(float(d), float(u)) for d, u in zip(down, up, strict=True)]
