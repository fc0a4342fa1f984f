"""ACLED exports: detection, the codebook mappings, and a full import into a GeoPackage."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io import acled
from incidents.io.formats import detect
from incidents.io.tabular import FileUnusable, read_table
from incidents.query import Query
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
    assert attack["type"] == "killing"  # an attack on civilians in which three died
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
    assert again.unchanged == first.imported  # every row found, nothing changed
    assert len(again.rejected) == len(first.rejected)


REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
REAL_ACLED = [
    "acled_2015_asia_uppercase.csv",
    "acled_2016_pandas_resaved_africa.csv",
    "acled_2018_api_africa.csv",
    "acled_2020_export_afghanistan.csv",
    "acled_2025_current_somalia.csv",
]
OLD_VAC = "Violence against civilians"


@pytest.mark.parametrize("name", REAL_ACLED)
def test_every_published_layout_is_detected(name: str) -> None:
    """2015 UPPER-CASE, 2016 pandas re-save, 2018 API, 2020 export tool, 2025 (real files)."""
    assert detect(read_table(REAL / name)) is acled


def test_shapefile_names_cut_to_ten_characters_are_read(tmp_path: Path) -> None:
    """dBASE cuts EVENT_ID_CNTY to EVENT_ID_C, GEO_PRECISION to GEO_PRECIS ... (synthetic)."""
    text = FIXTURE.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    cut = [c[:10].upper() for c in header.split(",")]
    path = tmp_path / "acled_dbf.csv"
    path.write_text(",".join(cut) + "\n" + rest, encoding="utf-8")
    table = read_table(path)
    assert detect(table) is acled
    first = next(acled.raw_rows(table))[1]
    assert (first["source_event_id"], first["type"]) == (
        "acled:LBY900001",
        "enforced_disappearance",
    )
    assert first["location_precision"] == "town"


def test_a_template_sheet_is_not_taken_for_acled() -> None:
    template = Path(__file__).resolve().parent.parent / "fixtures" / "template" / "mixed.csv"
    assert detect(read_table(template)) is not acled


@pytest.mark.parametrize(
    ("event_type", "fatalities", "inter2", "expected"),
    [
        (OLD_VAC, "2", "7", "killing"),
        (OLD_VAC, "0", "7", "attack_on_civilians"),
        ("Remote violence", "3", "7", "attack_on_civilians"),
        ("Remote violence", "3", "1", "other"),
        ("Riots/Protests", "0", "7", "attack_on_civilians"),
        ("Riots/Protests", "0", "1", "other"),
        ("Battle-No change of territory", "5", "2", "other"),
        ("Battle-Government regains territory", "1", "2", "other"),
        ("Battle-Non-state actor overtakes territory", "0", "1", "other"),
        ("Strategic development", "0", "7", "other"),  # non-violent: never "targeting"
        ("Non-violent transfer of territory", "0", "0", "other"),
        ("Headquarters or base established", "0", "0", "other"),
    ],
)
def test_old_event_types(event_type: str, fatalities: str, inter2: str, expected: str) -> None:
    """2015-2018 files: one event type, civilians as actor 2 (inter2 7), no sub-event type."""
    row = {"event_type": event_type, "fatalities": fatalities, "inter2": inter2}
    assert acled.map_row(row)["type"] == expected


@pytest.mark.parametrize(
    ("sub_event_type", "fatalities", "expected"),
    [
        ("Attack", "4", "killing"),
        ("Attack", "0", "attack_on_civilians"),
        ("Attack", "", "attack_on_civilians"),
    ],
)
def test_attack_on_civilians_with_deaths_is_a_killing(
    sub_event_type: str, fatalities: str, expected: str
) -> None:
    assert acled.incident_type(VAC, sub_event_type, "Civilian targeting", fatalities) == expected


def test_forced_format_keeps_the_codebook_types(store: GeoPackageStore) -> None:
    """--format acled on the 2018 API file: its violence against civilians is not 'other'."""
    report = import_file(
        REAL / "acled_2018_api_africa.csv", store, EDITOR, ImportOptions(format="acled")
    )
    assert report.imported == report.rows_read == 32
    kinds = store.query(Query(), EDITOR, ["type"])["type"].value_counts().to_dict()
    assert kinds == {"other": 25, "killing": 5, "attack_on_civilians": 2}


def test_old_layout_row_mapping() -> None:
    """The 2015 UPPER-CASE file: ALLY_ACTOR_1 is a perpetrator, dates 01-January-2015."""
    rows = {
        str(r["source_event_id"]): r
        for _, r in acled.raw_rows(read_table(REAL / "acled_2015_asia_uppercase.csv"))
    }
    first = rows["acled:2BNG"]
    assert (first["date_start"], first["date_precision"]) == ("2015-01-01", "day")
    assert (first["country"], first["location_precision"]) == ("Bangladesh", "district")
    assert first["tags"] == "ACLED; Riots/Protests"
    assert first["perpetrators"] == "Police Forces of Bangladesh"  # protesters (inter1 6)
    rioters = rows["acled:32BNG"]["perpetrators"]
    assert rioters == "Rioters (Bangladesh); BNP: Bangladesh Nationalist Party"
    assert all(r["type"] in ("other", "attack_on_civilians") for r in rows.values())


def test_pandas_index_column_is_ignored() -> None:
    """A DataFrame.to_csv re-save starts with a nameless index column."""
    table = read_table(REAL / "acled_2016_pandas_resaved_africa.csv")
    assert table.header[0] == ""
    rows = [raw for _, raw in acled.raw_rows(table)]
    assert len(rows) == 26
    assert rows[0]["source_event_id"].startswith("acled:") and rows[0]["latitude"]


def _renamed(tmp_path: Path, old: str, new: str) -> Path:
    """The synthetic sample with one column renamed, as a user's edited copy would be."""
    text = FIXTURE.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    columns = [new if c == old else c for c in header.split(",")]
    path = tmp_path / "acled_renamed.csv"
    path.write_text(",".join(columns) + "\n" + rest, encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["fatalities", "FATALITIES", "killed_best"])
def test_column_map_is_honoured(tmp_path: Path, store: GeoPackageStore, target: str) -> None:
    """--map 'Deaths reported=fatalities' (ACLED's column) or '=killed_best' (the field)."""
    path = _renamed(tmp_path, "fatalities", "Deaths reported")
    unmapped = {str(r["source_event_id"]): r for _, r in acled.raw_rows(read_table(path))}
    assert unmapped["acled:LBY900002"]["killed_best"] == ""
    options = ImportOptions(format="acled", column_map={"Deaths reported": target})
    report = import_file(path, store, EDITOR, options)
    assert report.imported == 13
    record = store.get("acled-LBY900002", EDITOR)
    assert record is not None and record.killed_best == 3


def test_column_map_can_replace_an_acled_column(tmp_path: Path) -> None:
    """A column mapped onto 'notes' is read instead of the file's own notes column."""
    path = _renamed(tmp_path, "source_scale", "My summary")
    table = read_table(path)
    rows = dict(acled.raw_rows(table, {"My summary": "notes"}))
    assert rows[3]["description"] == "National"


@pytest.mark.parametrize(
    ("column_map", "words"),
    [
        ({"Deaths reported": "deaths"}, "'deaths', which is neither one of the ACLED columns"),
        ({"Casualties": "fatalities"}, "names a column 'Casualties' that the file does not have"),
    ],
)
def test_column_map_it_cannot_apply_is_refused(
    tmp_path: Path, column_map: dict[str, str], words: str
) -> None:
    path = _renamed(tmp_path, "fatalities", "Deaths reported")
    with pytest.raises(FileUnusable, match=words):
        list(acled.raw_rows(read_table(path), column_map))


AGGREGATED = (
    "WEEK,REGION,COUNTRY,ADMIN1,EVENT_TYPE,SUB_EVENT_TYPE,EVENTS,FATALITIES,"
    "POPULATION_EXPOSURE,DISORDER_TYPE,ID,CENTROID_LATITUDE,CENTROID_LONGITUDE\n"
    "2020-06-06,Northern Africa,Libya,Al Marqab,Violence against civilians,Attack,2,3,,"
    "Political violence,1,32.4,13.6\n"
)


def test_aggregated_totals_are_not_taken_for_incidents(
    tmp_path: Path, store: GeoPackageStore
) -> None:
    """ACLED's aggregated layout (synthetic numbers): totals per week and district."""
    path = tmp_path / "acled_aggregated.csv"
    path.write_text(AGGREGATED, encoding="utf-8")
    table = read_table(path)
    assert detect(table) is not acled
    with pytest.raises(FileUnusable, match="totals per week"):
        list(acled.raw_rows(table))
    for options in (ImportOptions(), ImportOptions(format="acled")):
        with pytest.raises(ImportFailed):
            import_file(path, store, EDITOR, options)
    assert store.query(Query(), EDITOR, ["id"]).empty


def _cut(source: Path, keep: list[str], target: Path) -> Path:
    """The file with only some of its columns (a user's trimmed copy), in file order."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=keep, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.mark.parametrize(
    "keep",
    [
        ["event_id_cnty", "event_date", "event_type", "latitude", "longitude"],
        ["event_date", "sub_event_type", "latitude", "longitude", "actor1", "fatalities"],
        [
            *("country", "event_date", "event_type", "latitude", "longitude", "notes"),
            *("geo_precision", "time_precision", "fatalities", "EXTRA COLUMN"),
        ],
    ],
)
def test_detected_with_optional_columns_missing(tmp_path: Path, keep: list[str]) -> None:
    """Real 2025 rows trimmed to a few columns: still ACLED, still mapped."""
    path = _cut(REAL / "acled_2025_current_somalia.csv", keep, tmp_path / "trimmed.csv")
    table = read_table(path)
    assert detect(table) is acled
    rows = [raw for _, raw in acled.raw_rows(table)]
    assert len(rows) == 25 and all(r["date_start"].startswith("2025-04") for r in rows)


def test_not_acled_without_its_own_columns(tmp_path: Path) -> None:
    """Dates, types and coordinates alone are anybody's sheet, not an ACLED export."""
    keep = ["event_date", "event_type", "latitude", "longitude", "notes"]
    path = _cut(REAL / "acled_2025_current_somalia.csv", keep, tmp_path / "plain.csv")
    assert detect(read_table(path)) is not acled


REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


def _us_dates(tmp_path: Path, day_first: bool = False) -> tuple[Path, list[str]]:
    """The real 2020 Afghanistan export with its dates ('21 March 2020') as a US
    spreadsheet re-saves them (3/21/2020), or as a European one does (21/03/2020)."""
    from datetime import datetime

    with (REAL / "acled_2020_export_afghanistan.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("event_date")
    days = []
    for row in rows[1:]:
        day = datetime.strptime(row[at], "%d %B %Y").date()
        precision = row[rows[0].index("time_precision")]
        days.append(acled.event_dates(row[at], precision)["date_start"])
        row[at] = (
            f"{day.day}/{day.month}/{day.year}"
            if day_first
            else f"{day.month}/{day.day}/{day.year}"
        )
    path = tmp_path / ("eu.csv" if day_first else "us.csv")
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path, days


@pytest.mark.parametrize("day_first", [False, True])
def test_month_first_dates_of_a_us_spreadsheet_read_right(
    tmp_path: Path, store: GeoPackageStore, day_first: bool
) -> None:
    """ACLED writes days first, but the same export through a US spreadsheet has
    3/21/2020: the whole column decides, as for any sheet, and the notes say so."""
    path, days = _us_dates(tmp_path, day_first)
    report = import_file(path, store, EDITOR)
    assert report.imported == len(days) and not report.rejected
    frame = store.query(Query(), EDITOR)
    assert sorted(str(d)[:10] for d in frame["date_start"]) == sorted(days)
    said = any("read month first" in note for note in report.notes)
    assert said is not day_first


def test_dates_that_cannot_tell_are_read_day_first_as_acled_writes_them() -> None:
    assert acled.event_dates("03/04/2020", "1")["date_start"] == "2020-04-03"
    assert acled.event_dates("03/04/2020", "1", "month_first")["date_start"] == "2020-03-04"


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("acled_2015_asia_uppercase.csv", "ACLED 2015-2016 upper-case columns"),
        ("acled_2016_pandas_resaved_africa.csv", "ACLED 2016 API (data_id, ally_actor_1"),
        ("acled_2018_api_africa.csv", "ACLED 2017-2018 API (assoc_actor_1"),
        ("acled_2020_export_afghanistan.csv", "ACLED 2019-2022 export (sub_event_type"),
        ("acled_2025_current_somalia.csv", "ACLED 2023 and later (disorder_type"),
    ],
)
def test_the_summary_names_the_acled_layout(name: str, layout: str, store: GeoPackageStore) -> None:
    report = import_file(REAL / name, store, EDITOR, ImportOptions(dry_run=True))
    assert report.layout.startswith(layout)
    assert f"layout: {layout}" in report.how_read()
    assert ("re-saved by pandas" in report.layout) is ("pandas" in name)
    assert ("actor types as words (2025)" in report.layout) is ("2025" in name)


def test_a_chosen_day_order_reaches_the_acled_reader(tmp_path: Path) -> None:
    """Dates that cannot tell (3/4/2020 and 4/3/2020 only) read as the user says
    (--month-first), where ACLED's own day first applies otherwise."""
    with (REAL / "acled_2020_export_afghanistan.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at, precision = rows[0].index("event_date"), rows[0].index("time_precision")
    ids = rows[0].index("event_id_cnty")
    for n, row in enumerate(rows[1:]):
        row[at], row[precision] = ("3/4/2020" if n % 2 else "4/3/2020"), "1"
    path = tmp_path / "ambiguous.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)

    def days(order: str | None) -> dict[str, str]:
        store = GeoPackageStore(tmp_path / f"{order}.gpkg")
        report = import_file(path, store, EDITOR, ImportOptions(day_order=order))  # type: ignore[arg-type]
        assert report.imported == 28
        frame = store.query(Query(), EDITOR)
        pairs = zip(frame["source_event_id"], frame["date_start"], strict=True)
        return {e: str(d)[:10] for e, d in pairs}

    day_first = {f"acled:{r[ids]}": "2020-03-04" if r[at] == "4/3/2020" else "2020-04-03"
                 for r in rows[1:]}  # fmt: skip
    month_first = {
        e: "2020-04-03" if d == "2020-03-04" else "2020-03-04" for e, d in day_first.items()
    }
    assert days(None) == day_first == days("day_first")
    assert days("month_first") == month_first


def test_the_layout_joins_its_parts_as_the_language_does() -> None:
    """An Arabic page read "بلا sub_event_type); أُعيد": a Latin semicolon between two
    Arabic phrases."""
    from incidents import translation

    table = read_table(REAL / "acled_2016_pandas_resaved_africa.csv")
    translation.set_language("ar")
    try:
        said = acled.layout(table)
    finally:
        translation.set_language("en")
    assert "؛ " in said and "; " not in said
