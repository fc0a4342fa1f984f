"""UCDP GED files: detection, the codebook mappings, and a full import into a GeoPackage."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.io import ucdp
from incidents.io.formats import detect
from incidents.io.tabular import read_table
from incidents.store.gpkg import GeoPackageStore

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "ucdp_sample.csv"
EDITOR = Viewer("test", Role.EDITOR)


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "incidents.gpkg")


def mapped() -> dict[str, dict[str, object]]:
    table = read_table(FIXTURE)
    return {str(raw["source_event_id"]): raw for _, raw in ucdp.raw_rows(table)}


def test_detected_as_ucdp() -> None:
    assert detect(read_table(FIXTURE)) is ucdp


@pytest.mark.parametrize(
    ("where_prec", "precision", "km"),
    [
        ("1", "exact", None),
        ("2", "approximate", 25.0),
        ("3", "approximate", 50.0),
        ("4", "district", None),
        ("5", "approximate", 100.0),
        ("6", "country", None),
        ("7", "approximate", None),
    ],
)
def test_where_prec(where_prec: str, precision: str, km: float | None) -> None:
    raw = ucdp.map_row({"id": "1", "where_prec": where_prec, "latitude": "32", "longitude": "13"})
    assert raw["location_precision"] == precision
    assert raw["location_uncertainty_km"] == ("" if km is None else km)


@pytest.mark.parametrize(
    ("date_prec", "expected"),
    [("1", "day"), ("2", "day"), ("3", "day"), ("4", "month"), ("5", "year")],
)
def test_date_prec(date_prec: str, expected: str) -> None:
    assert ucdp.map_row({"id": "1", "date_prec": date_prec})["date_precision"] == expected


@pytest.mark.parametrize(
    ("violence", "kind", "tag", "sides"),
    [
        ("3", "killing", "one-sided violence", "A"),
        ("1", "other", "state-based conflict", "A; B"),
        ("2", "other", "non-state conflict", "A; B"),
    ],
)
def test_type_of_violence(violence: str, kind: str, tag: str, sides: str) -> None:
    raw = ucdp.map_row({"id": "1", "type_of_violence": violence, "side_a": "A", "side_b": "B"})
    assert raw["type"] == kind
    assert tag in str(raw["tags"]).split("; ")
    assert raw["perpetrators"] == sides


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Murqub district", "Murqub"),
        ("Tarhunah town", "Tarhunah"),
        ("Misratah city", "Misratah"),
        ("Nafusa Mountains Province", "Nafusa Mountains"),
        ("District", "District"),
        ("Tripoli", "Tripoli"),
    ],
)
def test_place_names_lose_ucdp_suffixes(written: str, name: str) -> None:
    assert ucdp.place_name(written) == name


def test_row_mapping() -> None:
    raw = mapped()["ucdp:990001"]
    assert raw["id"] == ""
    assert raw["title"] == "One-sided violence in Tarhunah"
    assert (raw["date_start"], raw["date_end"]) == ("2020-06-05", "2020-06-05")
    assert (raw["place"], raw["admin1"], raw["country"]) == ("Tarhunah", "Murqub", "Libya")
    assert (raw["killed_min"], raw["killed_best"], raw["killed_max"]) == ("5", "5", "7")
    assert (raw["verification"], raw["sensitivity"]) == ("reported", "public")
    assert raw["source1_title"] == "Five civilians killed in Tarhuna (synthetic)"
    assert raw["source1_publisher"] == "Synthetic Wire"
    assert raw["source2_title"] == "UCDP Georeferenced Event Dataset, event 990001"
    assert "civilians 5" in str(raw["description"])


def test_import_accounts_for_every_row(store: GeoPackageStore) -> None:
    report = import_file(FIXTURE, store, EDITOR)
    assert report.format == "ucdp"
    assert report.rows_read == 10
    assert report.imported + report.updated + len(report.rejected) == report.rows_read
    reasons = {r.row: r.reason_text() for r in report.rejected}
    assert set(reasons) == {8, 9, 10}
    assert "at sea" in reasons[8]  # where_prec 7, a point off the coast
    assert "not a real calendar date" in reasons[9]
    assert "min <= best <= max" in reasons[10]


def test_imported_records(store: GeoPackageStore) -> None:
    import_file(FIXTURE, store, EDITOR)
    week = store.get("ucdp-990002", EDITOR)
    assert week is not None
    assert (week.date_start.isoformat(), week.date_end.isoformat()) == ("2020-05-04", "2020-05-10")
    assert (week.location_precision, week.location_uncertainty_km) == ("approximate", 25.0)
    month = store.get("ucdp-990004", EDITOR)
    assert month is not None
    assert (month.type, month.date_precision, month.location_precision) == (
        "other",
        "month",
        "district",
    )
    year = store.get("ucdp-990006", EDITOR)
    assert year is not None
    assert (year.date_start.isoformat(), year.date_end.isoformat()) == ("2017-01-01", "2017-12-31")
    assert year.location_precision == "country"


def test_reimport_changes_nothing(store: GeoPackageStore) -> None:
    first = import_file(FIXTURE, store, EDITOR)
    again = import_file(FIXTURE, store, EDITOR)
    assert again.imported == 0
    assert again.updated == again.unchanged == first.imported
