"""Duplicates in a real browser, from two files that report one incident (the
organisation's own records and a partner's sheet, tests/duplicates/two_files.py): an
editor reviews the pair on the Duplicates page and merges it; the map counts one
incident fewer, and the merged incident's detail lists both source records; the
files imported again change nothing; Unmerge on the Duplicates page's list of merged
incidents, once confirmed, brings the map back to its count and markers; `audit verify`
on the same store is intact, and a re-import of both files still changes nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import LOADER, ROOT, Guarded, Server, _add_editor, idle
from test_app_browser import HEADLINE, MAP, TIMEOUT, _map, _markers, _no_exception, _sign_in

from incidents.importer import import_file
from incidents.store import open_store
from incidents.store.merges import MergeLink, merge_links
from incidents.store.record_store import RecordStore
from tests.duplicates.two_files import ABSORBED, KEPT, write_two_files

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_files_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with both files imported, one after the other, as a user would."""
    tmp = tmp_path_factory.mktemp("duplicates")
    db = tmp / "incidents.gpkg"
    for path in write_two_files(tmp):
        import_file(path, open_store(str(db)), LOADER)
    _add_editor(tmp, db)
    server = Server(db, tmp)
    try:
        yield server
    finally:
        server.stop()


def _cli(db: Path, *args: str) -> str:
    """A command in its own process, as a user types it; what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "incidents", "--db", str(db), *args],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def _map_count(g: Guarded, server: Server) -> str:
    """The map page's headline, once the map has drawn its markers."""
    g.page.goto(f"{server.url}/")
    g.page.get_by_text(HEADLINE).first.wait_for(timeout=TIMEOUT)
    g.page.frame_locator(MAP).first.locator(".leaflet-interactive").first.wait_for(timeout=TIMEOUT)
    idle(g)
    return g.page.get_by_text(HEADLINE).first.inner_text()


def _marker_count(g: Guarded) -> int:
    """Markers on the map (its frame's Leaflet map, once it exists)."""
    _map(g).wait_for_function("() => window.map && window.map._layers", timeout=TIMEOUT)
    return _markers(g)


def _merged_on_the_page(g: Guarded, store: RecordStore) -> list[MergeLink]:
    """The Duplicates page proposes the two files' pair; Merge, keeping the first."""
    g.page.get_by_role("link", name="Duplicates").click()
    g.page.get_by_text(re.compile(r"pairs? to review")).first.wait_for(timeout=TIMEOUT)
    idle(g)
    g.page.get_by_text("1 pair to review, best first.").wait_for(timeout=TIMEOUT)
    g.page.get_by_text(f"First record: {KEPT} · second record: {ABSORBED}").wait_for()
    g.page.get_by_role("button", name="Merge", exact=True).click()
    links = merge_links(store, LOADER)
    for _ in range(60):  # the page merges, then reruns: wait for the store to say so
        if links:
            break
        g.page.wait_for_timeout(1000)
        links = merge_links(store, LOADER)
    idle(g)
    _no_exception(g)
    return links


def _detail_lists_both(g: Guarded, server: Server) -> None:
    """The merged incident selected on the map: its detail names both source records."""
    g.page.goto(f"{server.url}/?sel={KEPT}")
    g.page.get_by_text("Merged from 2 source records").wait_for(timeout=TIMEOUT)
    idle(g)
    g.page.get_by_text(f"{KEPT} (own records; kept)", exact=True).wait_for()  # its own data set
    absorbed = re.compile(f"^{re.escape(ABSORBED)} \\(partner; merged \\d{{4}}-\\d\\d-\\d\\d by ")
    g.page.get_by_text(absorbed).wait_for()
    _no_exception(g)


def _unmerged_on_the_page(g: Guarded, store: RecordStore) -> None:
    """The Duplicates page's merged incidents: Unmerge the partner's record, confirm."""
    g.page.get_by_role("link", name="Duplicates").click()
    listed = g.page.get_by_text("Merged incidents (1)")
    listed.wait_for(timeout=TIMEOUT)
    idle(g)
    listed.click()
    idle(g)
    g.page.get_by_role("button", name=f"Unmerge {ABSORBED}…").click()
    g.page.get_by_text(f"Unmerge {ABSORBED} from {KEPT}? Both records").wait_for(timeout=TIMEOUT)
    idle(g)
    assert merge_links(store, LOADER) != []  # nothing undone before the confirmation
    g.page.get_by_role("button", name="Unmerge", exact=True).click()
    g.page.get_by_text(f"Unmerged {ABSORBED} from {KEPT}.").wait_for(timeout=TIMEOUT)
    idle(g)
    g.page.get_by_text("Merged incidents (0)").wait_for(timeout=TIMEOUT)
    _no_exception(g)


def _reimport_changes_nothing(db: Path, unchanged: tuple[int, int]) -> None:
    """Both files the test started from, imported again on the command line."""
    for name, same in zip(("own.csv", "partner.csv"), unchanged, strict=True):
        said = _cli(db, "import", str(db.parent / name))
        assert "imported: 0" in said and "updated: 0" in said, said
        assert f"unchanged: {same}" in said, said


def test_review_merge_see_one_incident_with_both_sources_unmerge_see_two(
    guarded: Guarded, two_files_server: Server
) -> None:
    server, db = two_files_server, two_files_server.db
    store = open_store(str(db))
    assert isinstance(store, RecordStore)
    _sign_in(guarded, server)
    assert "3 incidents shown of 3" in _map_count(guarded, server)
    before = _marker_count(guarded)

    links = _merged_on_the_page(guarded, store)
    assert [(link.kept_id, link.absorbed_id) for link in links] == [(KEPT, ABSORBED)]
    assert "2 incidents shown of 2" in _map_count(guarded, server)
    assert _marker_count(guarded) == before - 1
    _detail_lists_both(guarded, server)

    _reimport_changes_nothing(db, (2, 0))  # the partner's row stays merged
    assert "2 incidents shown of 2" in _map_count(guarded, server)
    _detail_lists_both(guarded, server)

    _unmerged_on_the_page(guarded, store)
    assert merge_links(store, LOADER) == []
    assert "3 incidents shown of 3" in _map_count(guarded, server)
    assert _marker_count(guarded) == before

    verified = _cli(db, "audit", "verify")
    assert "Audit log intact" in verified and "Records: 3 in the store" in verified
    _reimport_changes_nothing(db, (2, 1))
    assert "3 incidents shown of 3" in _map_count(guarded, server)
    assert "Audit log intact" in _cli(db, "audit", "verify")
