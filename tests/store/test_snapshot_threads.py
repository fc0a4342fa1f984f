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


def test_text_lookups_from_many_threads_never_lose_their_answer(store):
    """Sessions and the export thread share one snapshot: a thread that clears the text
    cache (more than 16 texts asked) must not take another's answer away (KeyError)."""
    import dataclasses
    import sys

    from incidents.query import Query

    import_file(EXAMPLE, store, EDITOR)
    idx = dataclasses.replace(store.snapshot(PUBLIC), lookup=lambda query: [1, 2, 3])
    errors: list[BaseException] = []

    def ask(n: int) -> None:
        for i in range(3000):
            try:
                assert list(idx._lookup(Query(text=f"t{n}-{i % 40}"))) == [1, 2, 3]
            except BaseException as error:  # collected for the assert below
                errors.append(error)
                return

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads change as often as they can
    try:
        threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert errors == []
