"""The map page's district totals with AppTest: unknown is not zero. The example's
Tarhuna district (Al Marqab, LY-MB) gives a minimum of 338 people disappeared and no
best estimate, and no number of people killed."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

MAP_PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "map_page.py")
WHOLE_PAGE = "_whole_page"


def _totals(measure: str) -> dict[str, str]:
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["layer"] = "districts"
    at.query_params["measure"] = measure
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception
    frame = next(d.value for d in at.dataframe if "District" in d.value.columns)
    return dict(zip(frame["District"], frame[frame.columns[1]], strict=True))


def test_disappeared_in_tarhuna_reads_at_least_338(example_db) -> None:
    totals = _totals("disappeared_best")
    marqab = next(v for k, v in totals.items() if "Marqab" in k or "Murqub" in k)
    assert marqab == "at least 338"


def test_killed_in_tarhuna_reads_unknown(example_db) -> None:
    totals = _totals("killed_best")
    assert set(totals.values()) == {"unknown"}
    assert "0" not in totals.values()
