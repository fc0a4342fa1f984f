"""The table names a district by its code, in the reader's language, as the filter, the
map and the detail panel do, whatever the imported file called it ("Al Marqab (LY-MB)");
a district that is not bundled keeps the record's spelling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from app_pages.table_panel import _place
from incidents import translation
from incidents.importer import import_file
from incidents.store import open_store
from tests.app.conftest import EDITOR, point_app_at
from tests.app.test_table_panel import _page, _table
from tests.example_copies import FILE_SPELLING, write_marqab


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


def _rows(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["place", "admin1", "admin1_code"])


def _plain(frame: pd.DataFrame) -> list[str]:
    return list(_place(frame))


@pytest.mark.parametrize(("language", "name"), [("en", "Murqub"), ("ar", "شعبية المرقب")])
def test_a_rows_district_is_the_codes_one_name(language: str, name: str) -> None:
    translation.set_language(language)
    frame = _rows(
        ("Tarhuna", FILE_SPELLING, "LY-MB"),
        ("", "Al Murgub", "LY-MB"),  # no place: the district alone
        ("Somewhere", "Own district", "XX-ZZ"),  # not bundled: as recorded
        ("Elsewhere", "Written only", ""),
        ("", "", ""),
    )
    assert _plain(frame) == [
        f"Tarhuna ({name})", name, "Somewhere (Own district)", "Elsewhere (Written only)", "",
    ]  # fmt: skip


def test_a_place_named_like_its_district_is_not_repeated() -> None:
    assert list(_place(_rows(("Murqub", "Al Marqab", "LY-MB")))) == ["Murqub"]


def test_the_page_table_shows_murqub_not_the_files_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "marqab.gpkg")
    import_file(write_marqab(tmp_path / "marqab.csv"), open_store(path), EDITOR)
    point_app_at(path, tmp_path, monkeypatch)
    at = _page()
    assert not at.exception
    places = _table(at)["Place (district)"]
    assert places["tarhuna-ex-002"] == "Tarhuna (Murqub)"
    assert not places.str.contains("Marqab").any()


def test_an_arabic_table_names_the_town_as_the_map_does() -> None:
    """The table said "Tarhuna (شعبية المرقب)" where the map and the detail panel say
    ترهونة; a place the gazetteer does not know, or in another country, is as recorded."""
    translation.set_language("ar")
    frame = _rows(
        ("Tarhuna", FILE_SPELLING, "LY-MB"),
        ("Somewhere", "Own district", "XX-ZZ"),
        ("Tarhuna", "", ""),
    ).assign(country=["LY", "LY", "TN"])
    assert _plain(frame) == ["ترهونة (شعبية المرقب)", "Somewhere (Own district)", "Tarhuna"]
    translation.set_language("en")
    assert _place(frame).iloc[0] == "Tarhuna (Murqub)"


def test_direction_controls_stay_out_of_the_place_and_district() -> None:
    """ "Tarhuna abc\u202etxt.exe" turned the district after it around: "(buqruM)"; an
    isolate around the place could be closed early by the place's own U+2069."""
    frame = _rows(("Tarhuna abc\u202etxt.exe", FILE_SPELLING, "LY-MB"),
                  ("Tarhuna\u2069\u202e", "Own\u202edistrict", "XX-ZZ"))  # fmt: skip
    assert list(_place(frame)) == ["Tarhuna abctxt.exe (Murqub)", "Tarhuna (Owndistrict)"]


def test_a_record_without_a_country_is_named_in_its_districts_country() -> None:
    """A record with no country but an Afghan district code was looked up in Libya and
    kept its Latin name on an Arabic page; with neither, Libya is still the default."""
    translation.set_language("ar")
    frame = _rows(("Kabul", "", "AF-KAB"), ("Tarhuna", "", "")).assign(country=[None, ""])
    assert _plain(frame) == ["كابل (ولاية كابول)", "ترهونة"]


def test_no_rows_no_places() -> None:
    """A search that finds nothing: the table is empty, not an error (an empty column of
    town names was typed as numbers and could not be joined to the district)."""
    translation.set_language("ar")
    assert _place(_rows().assign(country=[])).tolist() == []


def test_a_search_that_finds_nothing_draws_the_page(example_db: str) -> None:
    at = _page(**{})
    at.sidebar.text_input(key="f_text").set_value("no record says this").run()
    assert not at.exception
