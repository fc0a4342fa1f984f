"""Many visitors asking for the same snapshot at once (a server just started, a data
change just made): the store reads it once per visibility and every visitor gets that
one, and a visitor of another visibility is served while a read is under way."""

from __future__ import annotations

import threading

from incidents.access import PUBLIC
from incidents.importer import import_file
from tests.conftest import EDITOR, EXAMPLE


def test_visitors_arriving_together_share_one_read(store):
    import_file(EXAMPLE, store, EDITOR)
    got: list[object] = []
    start = threading.Barrier(6)

    def visit(who) -> None:
        start.wait()
        got.append((who.name, store.snapshot(who)))

    threads = [threading.Thread(target=visit, args=(w,)) for w in [PUBLIC, EDITOR] * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    public = {id(s) for name, s in got if name == PUBLIC.name}
    staff = {id(s) for name, s in got if name == EDITOR.name}
    assert len(public) == 1 and len(staff) == 1 and public != staff
    assert store.snapshot(PUBLIC) is next(s for n, s in got if n == PUBLIC.name)
