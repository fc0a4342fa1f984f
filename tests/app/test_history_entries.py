"""The history script as the string every page draws (app_pages/history_entries.py);
its effect in a browser is tested in tests/browser/test_editing_browser.py (Back
from the form returns to the map as it was)."""

from __future__ import annotations

import json
import re

from app_pages import history_entries
from incidents.view_state import PLACE_PARAMS, RECORD_PARAM


def test_it_replaces_entries_for_the_place_parameters_only():
    script = history_entries.script()
    listed = re.search(r"var PLACE = (\[.*?\]),", script)
    assert listed is not None
    assert json.loads(listed.group(1)) == [*PLACE_PARAMS, RECORD_PARAM]
    mapped = re.search(r"MAP = (\[.*?\]),", script)
    assert mapped is not None and json.loads(mapped.group(1)) == ["lat", "lon", "z"]
    assert "replaceState" in script and "pushState" in script


def test_it_installs_itself_once_per_window():
    """Drawn on every run: a second copy must not wrap pushState again."""
    script = history_entries.script()
    assert "if (h.__incidentPlaceEntries) { return; }" in script
    assert script.count("<script>") == 1 and script.endswith("</script>")
