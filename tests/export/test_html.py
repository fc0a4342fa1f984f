"""The standalone HTML map: works offline, loads nothing from any other host."""

from __future__ import annotations

import re

from incidents.access import Role, Viewer
from incidents.export.html_map import to_html
from incidents.export.selection import read_selection
from incidents.query import Query

# Attributes and CSS that make a browser fetch something.
_FETCHING = re.compile(
    r"""(?:\bsrc|\bhref|\baction|\bposter|\bdata)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_html_loads_nothing_from_other_hosts(tarhuna_store):
    selection = read_selection(tarhuna_store, Query(), Viewer("r", Role.VIEWER),
                               link="http://localhost:8501/?v=1")  # fmt: skip
    page = to_html(selection, "Tarhuna <b>briefing</b>").decode()
    assert not _FETCHING.findall(page)
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "leaflet" in page.lower()  # Leaflet is inlined, not linked
    assert 'title="A JavaScript library for interactive maps"' in page  # credit kept, unlinked


def test_html_states_its_audience_and_escapes_user_text(tarhuna_store):
    selection = read_selection(tarhuna_store, Query(), Viewer("r", Role.PUBLIC))
    page = to_html(selection, "Tarhuna <script>alert(1)</script>").decode()
    assert "<script>alert(1)</script>" not in page
    assert "PUBLIC" in page and "Data version" in page and selection.data_version in page
