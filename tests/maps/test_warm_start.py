"""The server's start (app_pages/map_warm_start.py): the page's modules are imported and
the public snapshot read before the server answers, and never streamlit_folium, whose
component declared before Streamlit's runtime exists is not served (the map's frame
would get a 404 and the map never draw)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app_pages import map_warm_start
from incidents import filter_fields
from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "tarhuna.csv"

# Run in a fresh interpreter: what start() imports must not be there already.
PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING)
from streamlit import config
from app_pages import map_warm_start
from app_pages import common
from incidents.access import PUBLIC
store = common.get_store()
reads = []
original = type(store).snapshot
type(store).snapshot = lambda self, who: reads.append(who) or original(self, who)
map_warm_start.start()
read_at_start = len(reads)
print(json.dumps({
    "folium_component": "streamlit_folium" in sys.modules,
    "imported": [m for m in map_warm_start.PAGE_MODULES if m in sys.modules],
    "gc_after_run": config.get_option("runner.postScriptGC"),
    "read_at_start": read_at_start,
    "module_files_known": len(__import__("inspect").modulesbyfile),
    "records": int(len(store.snapshot(PUBLIC).fid)),
    "choices": sorted(store.snapshot(PUBLIC).choices),
    "kept": sorted({key[0] for key in store.snapshot(PUBLIC).derived}),
}))
"""


def test_start_imports_the_page_reads_the_snapshot_and_leaves_the_map_component(
    tmp_path: Path,
) -> None:
    db = tmp_path / "example.gpkg"
    import_file(EXAMPLE, open_store(str(db)), Viewer("warm-start-test", Role.EDITOR))
    env = {**os.environ, "INCIDENTS_DB": str(db), "INCIDENTS_MODE": "public",
           "INCIDENTS_INDEX_CACHE": str(tmp_path / "index")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=True,
    )  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["folium_component"] is False
    assert found["imported"] == list(map_warm_start.PAGE_MODULES)
    assert found["gc_after_run"] is False
    assert found["module_files_known"] > 100  # inspect.getmodule's table, filled at start
    assert found["read_at_start"] == 1  # read by start() itself, not left to a thread
    assert found["records"] == 9
    assert found["choices"] == sorted(filter_fields.choice_lists())  # the sidebar's lists
    assert found["kept"] == ["pyramid"]  # the first map's grid levels
    assert "could not" not in done.stderr  # every module imported, the snapshot read


def test_the_direct_run_check_is_marked_done() -> None:
    """The server is `streamlit run`: Streamlit's once-per-server look for a Python prompt
    (inspect.stack over the first run's frames) is not left for the first visit."""
    from streamlit import delta_generator

    map_warm_start._skip_direct_run_check()
    assert delta_generator._use_warning_has_been_displayed is True


def test_a_read_that_does_not_finish_does_not_keep_the_server_from_answering(
    monkeypatch,
) -> None:
    """An unreachable store, or a first read of a large one with nothing on disk: start()
    returns after WAIT_S (the server answers) and the read goes on behind."""
    import threading

    release = threading.Event()
    monkeypatch.setattr(map_warm_start, "WAIT_S", 0.05)
    monkeypatch.setattr(map_warm_start, "_read_snapshot", lambda: release.wait(120))
    try:
        map_warm_start.start()
        behind = [t for t in threading.enumerate() if t.name == "snapshot-warm-up"]
        assert behind and behind[0].is_alive()
    finally:
        release.set()
