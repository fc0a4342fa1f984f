"""One table of filter fields: the link, the export command line and the sidebar follow it."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from streamlit.testing.v1 import AppTest

from incidents import filter_fields
from incidents.export.cli import add_filter_options, query_from_args
from incidents.filter_fields import FIELDS, FilterField
from incidents.query import Query
from incidents.view_state import ViewState, describe, from_params, to_params

# A filter the table does not have today: incidents picked by id, now also in links,
# on the command line under a new name, and in the sidebar.
ADDED = FilterField("ids", "names", "picked", "pick", "--pick", widget="multiselect",
                    key="f_pick", label="Picked incidents")  # fmt: skip


def _sample(f: FilterField) -> Any:
    """A value of f that is not its default (what a person might set)."""
    codes = f.vocab.codes if f.vocab else ()
    return {
        "day": date(2020, 6, 1),
        "code": codes[1] if codes else "",
        "codes": codes[:1],
        "names": ("Tarhuna",),
        "district": ("LY-MB",),
        "country": ("LY",),
        "text": "grave",
        "switch": not f.default,
        "box": (12.0, 32.0, 14.0, 33.0),
    }[f.kind]


def _sidebar(view, choices):  # the script AppTest runs: its own imports, no annotations
    import streamlit as st

    from app_pages import filters

    filters.prime(view)
    st.session_state["out"] = filters.sidebar(view, choices)


def _parse(*argv: str) -> Query:
    command = add_filter_options(click.Command("filters"))
    return query_from_args(command.make_context("filters", list(argv)).params)


def test_every_query_field_has_one_entry():
    assert [f.name for f in FIELDS] == [f.name for f in dataclasses.fields(Query)]


@pytest.mark.parametrize("f", [f for f in FIELDS if f.param], ids=lambda f: f.name)
def test_every_field_with_a_parameter_goes_into_a_link_and_back(f: FilterField):
    view = ViewState(query=Query(**{f.name: _sample(f)}))
    params = to_params(view)
    assert f.param in params
    browser = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    assert from_params(browser) == view


@pytest.fixture
def added(monkeypatch: pytest.MonkeyPatch) -> FilterField:
    table = tuple(ADDED if f.name == ADDED.name else f for f in FIELDS)
    monkeypatch.setattr(filter_fields, "FIELDS", table)
    return ADDED


def test_a_field_added_to_the_table_reaches_the_link(added: FilterField):
    view = ViewState(query=Query(ids=("tarhuna-ex-001",)))
    assert to_params(view) == {"pick": ["tarhuna-ex-001"]}
    assert from_params({"pick": ["tarhuna-ex-001"]}) == view
    assert "picked: tarhuna-ex-001" in describe(view)
    assert list(filter_fields.lifts(view.query)) == ["picked"]  # "hidden by" counts it


def test_a_field_added_to_the_table_reaches_the_command_line(added: FilterField):
    assert _parse("--pick", "a", "--pick", "b", "--type", "killing") == Query(
        ids=("a", "b"), types=("killing",)
    )


def test_a_field_added_to_the_table_reaches_the_sidebar(added: FilterField):
    view = ViewState(query=Query(ids=("a",)))
    at = AppTest.from_function(_sidebar, args=(view, {"ids": ["a", "b"]}), default_timeout=60)
    at.run()
    assert not at.exception
    widget = at.sidebar.multiselect(key="f_pick")
    assert widget.label == "Picked incidents" and widget.options == ["a", "b"]
    assert widget.value == ["a"]
    widget.set_value(["a", "b"]).run()
    assert at.session_state["out"].query == Query(ids=("a", "b"))


def test_every_widget_of_the_table_is_in_the_sidebar_and_gives_back_the_view():
    set_ = {f.name: _sample(f) for f in FIELDS if f.key}
    view = ViewState(query=Query(**set_))
    choices = {"perpetrators": ["Tarhuna"], "tags": ["Tarhuna"], "admin1_codes": ["LY-MB"],
               "countries": ["LY", "SO"]}  # fmt: skip
    at = AppTest.from_function(_sidebar, args=(view, choices), default_timeout=60).run()
    assert not at.exception
    keys = {w.key for kind in ("multiselect", "selectbox", "radio", "text_input", "checkbox")
            for w in at.sidebar.get(kind)}  # fmt: skip
    assert {f.key for f in FIELDS if f.key} <= keys
    assert at.session_state["out"].query == view.query


def test_every_flag_of_the_table_is_an_option():
    options = {s for p in add_filter_options(click.Command("filters")).params for s in p.opts}
    assert {f.flag for f in FIELDS if f.flag} <= options
    query = _parse("--located-only", "--max-precision", "Town", "--district", "LY-MB")
    assert query == Query(include_unlocated=False, max_precision="town", admin1_codes=("LY-MB",))
    query = _parse("--date-mode", "within", "--bbox", "12,32,14,33", "--id", "a", "--text", "x")
    assert query == Query(date_mode="within", bbox=(12, 32, 14, 33), ids=("a",), text="x")
    assert _parse() == Query()


def test_the_country_filter_takes_codes_or_names_and_says_them_in_words():
    """Files of several countries (ACLED, UCDP): one country, by code or name, in any
    surface; a link's value that is not a country code filters nothing away."""
    assert _parse("--in-country", "Somalia", "--in-country", "ly") == Query(countries=("SO", "LY"))
    with pytest.raises(ValueError, match=r"no country called .Atlantis."):
        _parse("--in-country", "Atlantis")
    assert from_params({"country": ["SO", "Somalia", "ly"]}).query == Query(countries=("SO",))
    assert describe(ViewState(query=Query(countries=("SO", "AF")))) == [
        "country: Somalia, Afghanistan"
    ]


def test_the_filters_in_words_follow_the_table():
    query = Query(date_kinds=("discovered",), max_precision="town", text=" grave ", tags=("a",))
    assert describe(ViewState(query=query)) == [
        "dates: Discovered",
        "location at least as precise as Town",
        "tags: a",
        'text contains "grave"',
    ]


def test_one_country_of_real_exports_on_both_stores(store, tmp_path, capsys):
    """Real ACLED exports of Afghanistan and Somalia in one store: the country filter
    keeps each one's rows, for staff and the public, and the export command takes it."""
    from incidents.access import PUBLIC
    from incidents.cli import main
    from incidents.importer import import_file
    from tests.conftest import EDITOR

    real = Path(__file__).parent.parent / "fixtures" / "real"
    counts = {}
    for code, name in (("AF", "acled_2020_export_afghanistan.csv"),
                       ("SO", "acled_2025_current_somalia.csv")):  # fmt: skip
        counts[code] = import_file(real / name, store, EDITOR).imported
    assert all(counts.values())
    for viewer in (EDITOR, PUBLIC):
        snapshot = store.snapshot(viewer)
        for code, n in counts.items():
            assert snapshot.count(Query(countries=(code,))) == n
        assert snapshot.count(Query(countries=("AF", "SO"))) == sum(counts.values())
        assert snapshot.count(Query(countries=("LY",))) == 0
    if isinstance(getattr(store, "path", None), Path):  # the command line names a file
        out = tmp_path / "somalia.csv"
        argv = ["--db", str(store.path), "export", "csv", "--out", str(out)]
        assert main([*argv, "--in-country", "Somalia", "--profile", "internal"]) == 0
        assert f"{counts['SO']} incidents" in capsys.readouterr().out
