"""The app's server settings that security depends on (.streamlit/config.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_no_error_details_reach_a_visitor():
    """A trace can name paths, settings and record text: the page shows none of it."""
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["client"]["showErrorDetails"] == "none"


def test_the_map_scripts_are_served_by_the_app_itself():
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["server"]["enableStaticServing"] is True
    assert settings["browser"]["gatherUsageStats"] is False


def test_the_server_does_not_watch_its_source_files():
    """Watching re-resolved every imported module's path after each run, on the thread
    that serves the page's scripts: the page came 0.1 to 0.2 s later."""
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["server"]["fileWatcherType"] == "none"
