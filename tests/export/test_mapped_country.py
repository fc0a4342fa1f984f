"""The map's country comes from the incidents: an export of Afghan records is titled
and framed for Afghanistan, not for the importer's default country (tried as a user
would: a real ACLED export of Afghanistan imported, then exported without options)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from geodata import FALLBACK_COUNTRY, countries_of
from incidents.access import Role, Viewer
from incidents.export.selection import read_selection
from incidents.export.service import ExportRequest, in_language, run_export
from incidents.export.static_map import default_title
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store
from incidents.store.record_store import RecordStore

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
AFGHANISTAN = REAL / "acled_2020_export_afghanistan.csv"
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "tarhuna.csv"
EDITOR = Viewer("editor", Role.EDITOR)


@pytest.fixture(scope="module")
def afghan_store(tmp_path_factory: pytest.TempPathFactory) -> RecordStore:
    store = open_store(str(tmp_path_factory.mktemp("af") / "af.gpkg"))
    report = import_file(AFGHANISTAN, store, EDITOR)
    assert report.imported == 28, report.lines()
    return store


@pytest.fixture(scope="module")
def two_country_store(tmp_path_factory: pytest.TempPathFactory) -> RecordStore:
    store = open_store(str(tmp_path_factory.mktemp("two") / "two.gpkg"))
    for path in (AFGHANISTAN, EXAMPLE):
        assert import_file(path, store, EDITOR).imported
    return store


def _deck_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        return " ".join(
            deck.read(n).decode() for n in deck.namelist() if n.startswith("ppt/slides/slide")
        )


def test_countries_are_read_from_district_codes_most_incidents_first() -> None:
    codes = pd.Series(["AF-BAL", "AF-KAP", "LY-TB", None, "", "AF-BAL", "junk"])
    assert countries_of(codes.value_counts().items()) == ("AF", "LY")
    assert countries_of(codes.astype("category").value_counts().items()) == ("AF", "LY")
    assert countries_of(pd.Series([None, ""], dtype=object).value_counts().items()) == ()


def test_an_afghan_selection_is_mapped_in_afghanistan(afghan_store: RecordStore) -> None:
    selection = read_selection(afghan_store, Query(), EDITOR)
    assert (selection.country, selection.countries) == ("AF", ("AF",))
    html = run_export(afghan_store, EDITOR, Query(), ExportRequest("html")).data.decode()
    assert "Incidents in Afghanistan" in html and "Libya" not in html


def test_a_counted_deck_takes_the_country_from_the_snapshot(afghan_store: RecordStore) -> None:
    """Above cells_above the deck is drawn from the column snapshot, not the rows."""
    request = ExportRequest("pptx", cells_above=0)
    text = _deck_text(run_export(afghan_store, EDITOR, Query(), request).data)
    assert "Incidents in Afghanistan" in text and "Incidents in Libya" not in text


def test_a_country_asked_for_is_kept(afghan_store: RecordStore) -> None:
    selection = read_selection(afghan_store, Query(), EDITOR, country="pk")
    assert (selection.country, selection.countries) == ("PK", ("PK",))


def test_two_countries_are_both_named(two_country_store: RecordStore) -> None:
    selection = read_selection(two_country_store, Query(), EDITOR)
    assert selection.countries == ("AF", "LY")  # 28 Afghan incidents, 9 in Tarhuna
    html = run_export(two_country_store, EDITOR, Query(), ExportRequest("html")).data.decode()
    assert "Incidents in Afghanistan and Libya" in html


def test_titles_for_none_one_two_and_many_countries() -> None:
    assert default_title(()) == "Incidents"
    assert default_title(("LY",)) == "Incidents in Libya"
    assert default_title(("AF", "LY")) == "Incidents in Afghanistan and Libya"
    assert default_title(("AF", "LY", "SO", "BD")) == "Incidents in several countries"
    arabic = in_language("ar", lambda: default_title(("AF", "LY")))
    assert "أفغانستان" in arabic and "ليبيا" in arabic and " و" in arabic


def test_a_selection_without_districts_falls_back_and_names_no_country(
    afghan_store: RecordStore,
) -> None:
    selection = read_selection(afghan_store, Query(text="no incident says this"), EDITOR)
    assert (selection.country, selection.countries) == (FALLBACK_COUNTRY, ())


def test_the_filter_sentence_names_districts_of_every_country(
    two_country_store: RecordStore,
) -> None:
    query = Query(admin1_codes=("AF-BAL", "LY-MB"))
    html = run_export(two_country_store, EDITOR, query, ExportRequest("html")).data.decode()
    assert "Balkh" in html and "Murqub" in html


def test_the_cli_looks_labels_up_in_the_data_country(afghan_store: RecordStore, tmp_path) -> None:
    """--label Kabul with no --country: looked up in Afghanistan, where the incidents are
    (worldwide, a bare town name is not confident enough to be placed)."""
    from incidents.cli import main

    out = tmp_path / "af.png"
    args = ["export", "png", "--out", str(out), "--label", "Kabul", "--db", afghan_store.url]
    assert main(args) == 0
    assert out.stat().st_size > 10_000


def test_a_label_that_cannot_be_placed_is_said_in_words(
    afghan_store: RecordStore, tmp_path
) -> None:
    """A place the gazetteer does not know: the export stops with the sentence that
    says how to give it (it failed on the translator's name, '_', shadowed)."""
    from incidents.export.cli import labels_from_args

    with pytest.raises(ValueError, match="NAME@LAT,LON"):
        labels_from_args(["Qzxwvq"], "AF")


def test_labels_are_looked_up_in_every_country_of_the_data(
    two_country_store: RecordStore, tmp_path
) -> None:
    """Afghan and Libyan incidents: 'Tarhuna' is found in Libya, 'Kabul' in Afghanistan."""
    from incidents.cli import main

    out = tmp_path / "two.png"
    db = two_country_store.url
    args = [
        "export",
        "png",
        "--out",
        str(out),
        "--label",
        "Kabul",
        "--label",
        "Tarhuna",
        "--db",
        db,
    ]
    assert main(args) == 0


def test_an_image_zoomed_on_one_country_of_two_draws_that_countrys_districts(
    two_country_store: RecordStore,
) -> None:
    from incidents.export.static_map import viewed_country

    selection = read_selection(two_country_store, Query(), EDITOR)
    assert viewed_country(selection, (13.0, 32.0, 14.2, 32.9)) == "LY"  # around Tarhuna
    assert viewed_country(selection, (60.0, 29.0, 75.0, 38.0)) == "AF"
    assert viewed_country(selection, (-10.0, 40.0, 5.0, 50.0)) == "AF"  # neither: the most
