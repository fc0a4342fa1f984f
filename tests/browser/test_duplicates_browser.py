"""Duplicates in a real browser: an editor merges a pair on the Duplicates page and the
map shows one incident fewer; the merge undone (the command line's unmerge, here on
the store) brings the map back to the count it had."""

from __future__ import annotations

import pytest
from browser_support import LOADER, Guarded, Server
from test_app_browser import HEADLINE, TIMEOUT, _no_exception, _sign_in

from incidents.store import open_store
from incidents.store.merges import merge_links, unmerge
from incidents.store.record_store import RecordStore

pytestmark = pytest.mark.browser


def _map_count(g: Guarded, server: Server) -> str:
    g.page.goto(f"{server.url}/")
    headline = g.page.get_by_text(HEADLINE).first
    headline.wait_for(timeout=TIMEOUT)
    return headline.inner_text()


def test_merge_on_the_page_counts_one_incident_fewer_and_unmerge_restores_it(
    guarded: Guarded, example_server: Server
) -> None:
    store = open_store(str(example_server.db))
    assert isinstance(store, RecordStore)
    _sign_in(guarded, example_server)
    assert "9 incidents shown of 9" in _map_count(guarded, example_server)
    guarded.page.get_by_role("link", name="Duplicates").click()
    guarded.page.get_by_text("pair(s) to review").first.wait_for(timeout=TIMEOUT)
    guarded.page.get_by_role("button", name="Merge").click()
    links = merge_links(store, LOADER)
    for _ in range(60):  # the page merges, then reruns: wait for the store to say so
        if links:
            break
        guarded.page.wait_for_timeout(1000)
        links = merge_links(store, LOADER)
    _no_exception(guarded)
    assert len(links) == 1
    guarded.page.wait_for_timeout(1000)
    assert "8 incidents shown of 8" in _map_count(guarded, example_server)
    unmerge(store, links[0].absorbed_id, LOADER)
    assert merge_links(store, LOADER) == []
    guarded.page.reload()
    assert "9 incidents shown of 9" in _map_count(guarded, example_server)
    assert store.verify_records().problems == []
