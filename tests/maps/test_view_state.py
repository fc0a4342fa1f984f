"""The whole view goes into the URL and comes back the same; bad values are ignored."""

from __future__ import annotations

import dataclasses
from datetime import date
from urllib.parse import parse_qs, urlparse

from incidents.query import Query
from incidents.view_state import (
    PLACE_PARAMS,
    ViewState,
    describe,
    from_params,
    names_a_view,
    share_link,
    to_params,
)


def _params_as_browser_returns_them(params):
    return {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}


def test_round_trip_of_a_full_view():
    view = ViewState(
        query=Query(
            date_from=date(2020, 6, 1),
            date_to=date(2020, 12, 31),
            date_mode="within",
            date_kinds=("discovered",),
            types=("mass_grave", "killing"),
            perpetrators=("Kaniyat militia (al-Kaniyat)",),
            verification=("corroborated",),
            admin1_codes=("LY-MB",),
            max_precision="town",
            tags=("Tarhuna",),
            text="مقبرة",
            include_unlocated=False,
        ),
        center=(32.43501, 13.6332),
        zoom=11,
        layer="districts",
        measure="killed_best",
        online_tiles=True,
        selected="tarhuna-ex-001",
        bin="week",
        speed="0.25",
        step="cumulative",
    )
    assert from_params(_params_as_browser_returns_them(to_params(view, exact=True))) == view
    shared = from_params(_params_as_browser_returns_them(to_params(view)))
    assert shared == dataclasses.replace(view, center=(32.4, 13.6))


def test_a_link_names_the_map_s_centre_only_to_a_tenth_of_a_degree():
    """Tried as an editor would: a link copied after opening a record carried its exact
    site (32.47777, 13.58888), and a signed-out browser opened the map centred on it.
    Links and addresses that may reach the public name the centre to 0.1 degree (about
    11 km); the record travels as its reference, seen as each reader may see it."""
    view = ViewState(center=(32.47777, 13.58888), zoom=11, selected="walk-public-002")
    params = to_params(view)
    assert (params["lat"], params["lon"], params["sel"]) == ("32.5", "13.6", "walk-public-002")
    link = share_link("https://map.example.org/", view)
    assert "32.47" not in link and "13.58" not in link and "lat=32.5&lon=13.6" in link
    assert to_params(view, exact=True)["lat"] == "32.47777"  # a public reader's own view
    south = to_params(ViewState(center=(-0.04, -179.96)))
    assert (south["lat"], south["lon"]) == ("0.0", "-180.0")


def test_default_view_is_an_empty_url():
    assert to_params(ViewState()) == {}
    assert from_params({}) == ViewState()


def test_share_link_is_parseable():
    view = ViewState(query=Query(types=("killing",), text="a&b=c"), zoom=7, center=(30.0, 15.0))
    link = share_link("http://127.0.0.1:8501/", view)
    parsed = parse_qs(urlparse(link).query)
    assert from_params(parsed) == view
    # An address without a path gets one before its query (a link typed as seen).
    assert share_link("https://maps.example.org", view).startswith("https://maps.example.org/?")
    assert share_link("https://maps.example.org/app", ViewState()) == "https://maps.example.org/app"


def test_bad_values_fall_back_to_defaults():
    view = from_params(
        {
            "from": ["2020-13-45"],
            "type": ["mass_grave,not_a_type"],
            "prec": ["nowhere"],
            "lat": ["91"],
            "lon": ["13"],
            "z": ["abc"],
            "layer": ["<script>"],
            "bin": ["year"],
            "dist": ["XX", "LY-MB", "<b>", "ly-mb", "SY-X01~"],
        }
    )
    assert view.query.admin1_codes == ("LY-MB", "SY-X01~")  # "XX", "ly-mb": no district
    assert view.query.date_from is None
    assert view.query.types == ("mass_grave",)
    assert view.query.max_precision is None
    assert view.center is None and view.zoom is None
    assert view.layer == "markers" and view.bin == "month"


def test_reversed_dates_are_swapped_not_refused():
    view = from_params({"from": ["2021-01-01"], "to": ["2020-01-01"]})
    assert view.query.date_from == date(2020, 1, 1) and view.query.date_to == date(2021, 1, 1)


def test_describe_says_the_filters_in_words():
    words = describe(
        from_params({"type": ["mass_grave"], "from": ["2020-06-01"], "dates": ["within"]})
    )
    assert any("Mass grave" in w for w in words)
    assert any("lies within" in w for w in words)
    assert "district: Murqub" in describe(from_params({"dist": ["LY-MB"]}))  # its name, not code


def test_an_arabic_sentence_keeps_each_date_one_left_to_right_run():
    """«يتداخل مع 2020-01-01 – 2020-12-31» showed as 01-01-2020 on an Arabic page: each
    date is held by left-to-right marks; an English sentence has none."""
    from incidents import translation

    view = from_params({"from": ["2020-01-01"], "to": ["2020-12-31"]})
    translation.set_language("ar")
    try:
        arabic = describe(view)[0]
    finally:
        translation.set_language("en")
    assert "\u200e2020-01-01\u200e – \u200e2020-12-31\u200e" in arabic
    assert describe(view)[0] == "date range overlaps 2020-01-01 – 2020-12-31"


def test_the_place_parameters_are_what_the_map_writes_of_where_it_is():
    """history_entries replaces the history entry when only these change: they must be
    exactly the map's place and open incident, never a filter."""
    placed = ViewState(center=(32.4, 13.6), zoom=9, selected="tarhuna-ex-002")
    assert set(to_params(placed)) == set(PLACE_PARAMS)
    filtered = ViewState(query=Query(types=("mass_grave",), text="Tarhuna"), lang="ar")
    assert not set(to_params(filtered)) & set(PLACE_PARAMS)


def test_an_address_with_only_the_form_record_or_language_names_no_view():
    """Back from the form lands on the map's entry holding '?id=...': the map shows the
    session's last view, not a default one."""
    assert not names_a_view({})
    assert not names_a_view({"id": ["tarhuna-ex-002"], "lang": ["ar"]})
    assert names_a_view({"id": ["x"], "sel": ["x"]})
    assert names_a_view({"type": ["mass_grave"]})


def test_a_linked_search_text_is_read_as_the_text_box_holds_it():
    """Found in a browser walk: ?q=Tar%00huna showed "Tar�huna" in the sentence under
    the heading, and ?q=Tarhuna%0Agrave put "Tarhunagrave" in the box (a text box drops
    line breaks) while the search and the sentence said "Tarhuna grave"."""
    for typed, read in (
        ("Tar\x00huna", "Tarhuna"),
        ("Tarhuna\ngrave", "Tarhuna grave"),
        ("a\r\n\r\nb", "a b"),
        ("\x00\x01", ""),
        ("تر\u200fهونة", "تر\u200fهونة"),  # a direction mark is text, kept
    ):
        assert from_params({"q": typed}).query.text == read, typed
