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
