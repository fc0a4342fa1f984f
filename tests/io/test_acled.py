"""ACLED exports: detection, the codebook mappings, and a full import into a GeoPackage."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.io import acled
from incidents.io.formats import detect
from incidents.io.tabular import read_table
from incidents.store.gpkg import GeoPackageStore

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "acled_sample.csv"
EDITOR = Viewer("test", Role.EDITOR)
VAC, ERV = "Violence against civilians", "Explosions/Remote violence"


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "incidents.gpkg")


def mapped() -> dict[str, dict[str, object]]:
    """The fixture's rows as mapped, by ACLED event id."""
    table = read_table(FIXTURE)
    return {str(raw["source_event_id"]): raw for _, raw in acled.raw_rows(table)}


def test_detected_as_acled() -> None:
    assert detect(read_table(FIXTURE)) is acled


def test_detected_with_upper_case_columns(tmp_path: Path) -> None:
    """Older ACLED downloads write EVENT_ID_CNTY, EVENT_DATE ... in capitals."""
    text = FIXTURE.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    upper = tmp_path / "acled_upper.csv"
    upper.write_text(header.upper() + "\n" + rest, encoding="utf-8")
    table = read_table(upper)
    assert detect(table) is acled
    first = next(acled.raw_rows(table))[1]
    assert first["source_event_id"] == "acled:LBY900001"
    assert first["type"] == "enforced_disappearance"


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "targeting", "expected"),
    [
        (VAC, "Abduction/forced disappearance", "", "enforced_disappearance"),
        (VAC, "Sexual violence", "", "sexual_violence"),
        (VAC, "Attack", "Civilian targeting", "attack_on_civilians"),
        ("Strategic developments", "Arrests", "", "arbitrary_detention"),
        ("Strategic developments", "Looting/property destruction", "", "destruction_of_property"),
        ("Protests", "Excessive force against protesters", "", "attack_on_civilians"),
        (ERV, "Air/drone strike", "", "other"),
        (ERV, "Air/drone strike", "Civilian targeting", "attack_on_civilians"),
        ("Battles", "Armed clash", "", "other"),
        ("Protests", "Peaceful protest", "", "other"),
        ("Strategic developments", "Other", "", "other"),
    ],
)
def test_type_mapping(event_type: str, sub_event_type: str, targeting: str, expected: str) -> None:
    assert acled.incident_type(event_type, sub_event_type, targeting) == expected


def test_no_acled_sub_event_type_claims_displacement() -> None:
    """ACLED's codebook has no displacement sub-event type; none is invented."""
    assert "displacement" not in acled.SUB_EVENT_TYPES.values()


@pytest.mark.parametrize(
    ("event_date", "precision", "expected"),
    [
        ("2020-06-11", "1", ("2020-06-11", "2020-06-11", "day")),
        ("11 June 2020", "1", ("2020-06-11", "2020-06-11", "day")),
        ("11/06/2020", "1", ("2020-06-11", "2020-06-11", "day")),
        ("05 June 2020", "2", ("2020-06-02", "2020-06-08", "day")),
        ("2020-05-15", "3", ("2020-05", None, "month")),
        ("2020-05-15", "", ("2020-05-15", "2020-05-15", "day")),
    ],
)
def test_time_precision(event_date: str, precision: str, expected: tuple[str, ...]) -> None:
    dates = acled.event_dates(event_date, precision)
    assert (dates["date_start"], dates.get("date_end"), dates["date_precision"]) == expected


def test_unreadable_date_is_passed_on_for_validation_to_reject() -> None:
    assert acled.event_dates("31 June 2020", "1") == {"date_start": "31 June 2020"}


def test_row_mapping() -> None:
    rows = mapped()
    attack = rows["acled:LBY900002"]
    assert attack["id"] == ""
    assert attack["type"] == "attack_on_civilians"
    assert attack["title"] == "Attack in Tarhuna"
    assert str(attack["description"]).startswith("SYNTHETIC — three civilians")
    assert (attack["location_precision"], attack["location_uncertainty_km"]) == (
        "approximate",
        25.0,
    )
    assert attack["location_method"] == "source"
    assert (attack["place"], attack["admin1"], attack["country"]) == (
        "Tarhuna",
        "Al Marqab",
        "Libya",
    )
    assert attack["killed_best"] == "3"
    assert (attack["verification"], attack["sensitivity"]) == ("reported", "public")
    assert attack["source1_title"] == "Synthetic Observer; Synthetic Herald"
    assert attack["source1_publisher"] == "ACLED"
    tags = str(attack["tags"]).split("; ")
    assert {"ACLED", "Violence against civilians", "Attack", "civilian targeting"} <= set(tags)
    assert rows["acled:LBY900001"]["location_precision"] == "town"
    assert rows["acled:LBY900005"]["location_precision"] == "district"


def test_perpetrators_follow_the_event_type() -> None:
    rows = mapped()
    assert rows["acled:LBY900012"]["perpetrators"] == (
        "Militia X (synthetic); Tribal Militia A (synthetic); Tribal Militia B (synthetic)"
    )
    # Battles: both sides fought; protests: the force used against the protesters.
    assert rows["acled:LBY900006"]["perpetrators"] == (
        "Militia X (synthetic); Militia Y (synthetic)"
    )
    assert rows["acled:LBY900009"]["perpetrators"] == "Police Forces (synthetic)"
    assert rows["acled:LBY900010"]["perpetrators"] == ""


def test_import_accounts_for_every_row(store: GeoPackageStore) -> None:
    report = import_file(FIXTURE, store, EDITOR)
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        data_rows = sum(1 for _ in csv.DictReader(handle))
    assert report.format == "acled"
    assert report.rows_read == data_rows == 15
    assert report.imported + report.updated + len(report.rejected) == report.rows_read
    reasons = {r.row: r.reason_text() for r in report.rejected}
    assert set(reasons) == {14, 15}
    assert "not a real calendar date" in reasons[14]
    assert "swapped" in reasons[15]


def test_imported_records(store: GeoPackageStore) -> None:
    import_file(FIXTURE, store, EDITOR)
    week = store.get("acled-LBY900002", EDITOR)
    assert week is not None
    assert (week.date_start.isoformat(), week.date_end.isoformat()) == ("2020-06-02", "2020-06-08")
    assert (week.country, week.admin1_code) == ("LY", "LY-MB")
    assert week.sources[0].publisher == "ACLED"
    month = store.get("acled-LBY900003", EDITOR)
    assert month is not None
    assert (month.date_start.isoformat(), month.date_end.isoformat()) == (
        "2020-05-01",
        "2020-05-31",
    )
    assert month.date_precision == "month"


def test_reimport_changes_nothing(store: GeoPackageStore) -> None:
    first = import_file(FIXTURE, store, EDITOR)
    again = import_file(FIXTURE, store, EDITOR)
    assert again.imported == 0
    assert again.updated == again.unchanged == first.imported
    assert len(again.rejected) == len(first.rejected)
