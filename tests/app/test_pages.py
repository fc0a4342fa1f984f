"""Page logic with Streamlit's AppTest: counts, filters, URL state, entry and import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.query import Query
from incidents.store import open_store

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
ENTRY_PAGE = str(ROOT / "app_pages" / "entry_page.py")
IMPORT_PAGE = str(ROOT / "app_pages" / "import_page.py")
TIMEOUT = 60
WHOLE_PAGE = "_whole_page"  # map_page.WHOLE: set when the map has reported its first draw


def _headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if " shown of " in m.value)


def _param(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


def _map_page(**params: str) -> AppTest:
    """The page as a browser has it once the map has drawn: a session's first run sends
    the title, counts and map only, and the map's first report (which AppTest has no
    browser to send: the flag it sets is set here) brings the rest of the page."""
    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.session_state[WHOLE_PAGE] = True
    return at.run()


def test_map_page_loads_and_counts(example_db):
    at = _map_page()
    assert not at.exception
    assert "9 incidents shown of 9" in _headline(at)


def test_a_first_run_sends_counts_and_map_before_the_rest(example_db):
    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    at.query_params["type"] = "mass_grave"
    at.run()
    assert not at.exception
    assert "2 incidents shown of 9" in _headline(at)  # the link's filters already apply
    assert not at.multiselect and not at.sidebar.multiselect  # the rest comes after
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert at.multiselect(key="f_types").value == ["mass_grave"]


def test_type_filter_changes_the_count_and_says_what_it_hides(example_db):
    at = _map_page()
    at.multiselect(key="f_types").set_value(["mass_grave"]).run()
    assert not at.exception
    assert "2 incidents shown of 9" in _headline(at)
    assert any("type: 7" in c.value for c in at.caption)
    assert _param(at, "type") == ["mass_grave"]


def test_time_window_and_range_semantics(example_db):
    at = _map_page()
    at.date_input(key="d_from_0").set_value(date(2020, 6, 1))
    at.date_input(key="d_to_0").set_value(date(2020, 12, 31)).run()
    overlapping = _headline(at)
    at.radio(key="d_mode").set_value("within").run()
    within = _headline(at)
    n_over = int(overlapping.split()[1])
    n_within = int(within.split()[1])
    assert n_within < n_over < 9
    assert any("time window" in c.value for c in at.caption)


def test_precision_filter_hides_town_level_incidents(example_db):
    at = _map_page()
    at.selectbox(key="f_prec").set_value("exact").run()
    assert "0 incidents shown of 9" in _headline(at)
    assert any("location precision: 9" in c.value for c in at.caption)


def test_a_shared_link_reopens_the_same_view(example_db):
    at = _map_page(
        type="mass_grave", sel="tarhuna-ex-001", layer="heat", z="9", lat="32.4", lon="13.6"
    )
    assert not at.exception
    assert "2 incidents shown of 9" in _headline(at)
    assert at.multiselect(key="f_types").value == ["mass_grave"]
    assert at.radio(key="m_layer").value == "heat"
    assert any("At least 11 mass graves" in m.value for m in at.markdown)  # detail panel
    assert _param(at, "sel") == ["tarhuna-ex-001"]
    assert _param(at, "z") == ["9"]


def test_detail_panel_escapes_user_text(example_db, as_editor):
    store = open_store(example_db)
    record = store.get("tarhuna-ex-001", as_editor)
    assert record is not None
    store.save(
        record.replace(
            description='<img src=x onerror="alert(1)"> ![x](http://evil.example/x.png)'
        ),
        as_editor,
    )
    at = _map_page(sel="tarhuna-ex-001")
    html = " ".join(m.value for m in at.markdown)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_entry_page_refuses_a_stale_edit(example_db, as_editor):
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT)
    at.session_state["edit_id"] = "tarhuna-ex-002"
    at.run()
    assert not at.exception
    store = open_store(example_db)
    record = store.get("tarhuna-ex-002", as_editor)
    assert record is not None
    store.save(record.replace(title="Changed elsewhere"), as_editor)  # someone else saves first
    at.text_input(key="e_title").set_value("My edit")
    next(b for b in at.button if b.label == "Save").click().run()
    assert any("Not saved" in e.value for e in at.error)
    assert store.get("tarhuna-ex-002", as_editor).title == "Changed elsewhere"


# The form's rules (required fields, what a save writes, two editors): test_entry_page.py


@pytest.mark.parametrize("page", [IMPORT_PAGE, ENTRY_PAGE])
def test_other_pages_load(example_db, as_editor, page):
    at = AppTest.from_file(page, default_timeout=TIMEOUT).run()
    assert not at.exception


@pytest.fixture
def large_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """More synthetic records than the entry page lists in one menu."""
    from incidents.importer import import_file
    from incidents.synthetic import write_synthetic_csv
    from tests.app.conftest import EDITOR, point_app_at

    path = str(tmp_path / "large.gpkg")
    csv = write_synthetic_csv(tmp_path / "s.csv", 2_100, seed=3)
    assert import_file(csv, open_store(path), EDITOR).accounted
    return point_app_at(path, tmp_path, monkeypatch)


def test_entry_page_of_a_large_store_searches_before_it_lists(large_db, as_editor):
    store = open_store(large_db)
    wanted = store.query(Query(), as_editor, ["id", "title"]).iloc[1234]
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception
    menu = at.selectbox[0]
    assert menu.options == ["New incident"]  # nothing listed before words are typed
    at.text_input(key="entry_find").set_value(str(wanted["id"])).run()
    assert any("incidents found" in c.value for c in at.caption)
    menu = at.selectbox[0]
    assert menu.options[1].startswith(f"{wanted['id']} — ")  # the exact id first
    menu.set_value(str(wanted["id"])).run()
    assert not at.exception
    assert at.text_input(key="e_title").value == wanted["title"]
    # The record being edited stays in the menu when the search changes.
    at.text_input(key="entry_find").set_value("no record says this").run()
    assert str(wanted["id"]) in " ".join(at.selectbox[0].options)


def test_the_district_filter_offers_the_districts_the_records_name(example_db):
    """Districts are bundled for every country: the filter lists those in the data, not 4,000."""
    at = _map_page(dist="LY-BA")
    options = at.multiselect(key="f_dist").options
    assert 0 < len(options) < 30
    assert any("(LY-MB)" in o for o in options)  # Tarhuna's district
    assert any("(LY-BA)" in o for o in options)  # chosen in the link, kept though empty


def _query_string(at: AppTest) -> dict[str, list[str]]:
    return {k: _param(at, k) for k in at.query_params}


@pytest.mark.parametrize(
    ("kind", "key", "value", "param", "written"),
    [
        ("radio", "m_layer", "districts", "layer", ["districts"]),
        ("checkbox", "m_tiles", True, "tiles", ["1"]),
        ("radio", "t_bin", "week", "bin", ["week"]),
    ],
)
def test_every_map_control_reaches_the_link(example_db, kind, key, value, param, written):
    """A widget's change wins over the session's older view and is written to the URL
    (the measure, tiles and bar width were lost to the view kept from the last run)."""
    at = _map_page()
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception
    assert _param(at, param) == written
    assert at.session_state["_view"].__dict__[{"layer": "layer", "tiles": "online_tiles",
                                               "bin": "bin"}[param]] == value  # fmt: skip


def test_the_districts_count_reaches_the_link_and_the_map(example_db):
    at = _map_page(layer="districts")
    at.selectbox(key="m_measure").set_value("disappeared_best").run()
    assert not at.exception
    assert _param(at, "measure") == ["disappeared_best"]
    assert at.session_state["_view"].measure == "disappeared_best"
    at.selectbox(key="m_measure").set_value("killed_best").run()
    assert _param(at, "measure") == ["killed_best"]


def test_a_link_with_online_tiles_asks_first(example_db):
    """tiles=1 in a shared link does not switch on requests to the internet: the page
    asks, and only the reader's click turns the tiles on."""
    at = _map_page(tiles="1")
    assert not at.exception
    assert at.checkbox(key="m_tiles").value is False
    assert "tiles" not in at.query_params
    assert at.session_state["_view"].online_tiles is False
    assert any("asks for online map tiles" in c.value for c in at.caption)
    at.button(key="accept_tiles").click().run()
    at.run()
    assert at.checkbox(key="m_tiles").value is True
    assert _param(at, "tiles") == ["1"]


def test_reset_all_filters_shows_every_incident(example_db):
    at = _map_page(type="mass_grave", **{"from": "2020-01-01"}, layer="heat")
    assert "9 incidents" not in _headline(at)
    at.button(key="reset_filters").click().run()
    assert not at.exception
    assert "9 incidents shown of 9" in _headline(at)
    assert at.multiselect(key="f_types").value == []
    assert "type" not in at.query_params and "from" not in at.query_params
    assert _param(at, "layer") == ["heat"]  # the map's choices stay


def test_the_link_to_this_view_is_shown_to_copy(example_db):
    at = _map_page(type="mass_grave")
    codes = [c.value for c in at.code]
    assert any("type=mass_grave" in c for c in codes), codes


def test_links_use_the_public_address_when_one_is_set(example_db, monkeypatch):
    monkeypatch.setenv("INCIDENTS_PUBLIC_URL", "https://incidents.example.org/")
    at = _map_page(type="mass_grave")
    codes = [c.value for c in at.code]
    assert any(c.startswith("https://incidents.example.org/?type=mass_grave") for c in codes)


def test_periods_offered_are_the_datas_years_and_whole_span(example_db):
    """Historic data: the periods come from the data, not from today."""
    at = _map_page()
    period = at.selectbox(key="t_year")
    assert "2015" in period.options and "2020" in period.options
    assert any(o.startswith("Whole span (2015–") for o in period.options)
    period.set_value("2020").run()
    assert not at.exception
    assert _param(at, "from") == ["2020-01-01"] and _param(at, "to") == ["2020-12-31"]
    assert "of 9" in _headline(at) and "9 incidents shown" not in _headline(at)
    at.selectbox(key="t_year").set_value("whole").run()
    assert "9 incidents shown of 9" in _headline(at)


def test_an_address_the_page_did_not_write_keeps_the_sessions_filters(example_db):
    """Only the back or forward button brings an address's view into a session: coming
    back to the map with an address holding only the language (from another page) keeps
    the filters chosen."""
    at = _map_page(type="mass_grave")
    assert "2 incidents shown of 9" in _headline(at)
    at.query_params.clear()
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "2 incidents shown of 9" in _headline(at)
