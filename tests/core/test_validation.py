from datetime import date

import pytest

from incidents.validation import RowInvalid, checked_row, validate_row
from incidents.validation_columns import validate_columns

TODAY = date(2026, 11, 27)


def row(**cells):
    base = {"type": "Mass grave", "date_start": "2020-06", "place": "Tarhuna"}
    base.update(cells)
    return base


def problems(raw):
    with pytest.raises(RowInvalid) as error:
        validate_row(raw, today=TODAY)
    return {p.field: p.message for p in error.value.problems}


def test_labels_and_codes_are_both_accepted_case_insensitively():
    for written in ("Mass grave", "mass_grave", "MASS GRAVE"):
        assert validate_row(row(type=written), today=TODAY).type == "mass_grave"
    incident = validate_row(
        row(location_precision="Town", verification="CORROBORATED"), today=TODAY
    )
    assert (incident.location_precision, incident.verification) == ("town", "corroborated")


def test_month_precision_spans_the_month_and_defaults_are_safe():
    incident = validate_row(row(), today=TODAY)
    assert (incident.date_start, incident.date_end) == (date(2020, 6, 1), date(2020, 6, 30))
    assert incident.date_precision == "month"
    assert incident.sensitivity == "restricted"  # nothing is public unless someone says so
    assert incident.title == "Mass grave in Tarhuna"


def test_every_problem_of_a_row_is_reported_at_once():
    found = problems(row(type="massacre?", date_start="2031-01-01", latitude="95"))
    assert set(found) >= {"type", "date_start", "latitude"}
    assert "in the future" in found["date_start"]
    assert "not one of" in found["type"]


def test_half_a_point_is_refused():
    assert "longitude" in problems(row(latitude="32.4"))


def test_counts_must_be_ordered_and_whole():
    assert "killed_best" in problems(row(killed_min="10", killed_max="5"))
    assert "killed_best" in problems(row(killed_min="10", killed_best="7", killed_max="5"))
    assert "killed_min" in problems(row(killed_min="2.5"))


@pytest.mark.parametrize(
    ("cells", "stored", "field"),
    [
        ({"killed_min": "10", "killed_best": "5"}, (5, 5, None), "killed_min"),
        ({"killed_min": "1", "killed_best": "3", "killed_max": "2"}, (1, 3, 3), "killed_max"),
        ({"killed_best": "9", "killed_max": "4"}, (None, 9, 9), "killed_max"),
    ],
)
def test_a_best_count_outside_min_max_is_kept_and_the_bound_widened(cells, stored, field):
    """UCDP publishes a few events with best outside low..high: the row is kept, best
    (UCDP's figure) stays, the bound it passes moves to it, and a warning says so."""
    incident, warnings = checked_row(row(**cells), today=TODAY)
    assert (incident.killed_min, incident.killed_best, incident.killed_max) == stored
    assert [w.field for w in warnings] == [field]
    assert "best kept" in warnings[0].message
    assert validate_columns(_columns(row(**cells)), 1, "unknown", TODAY) == [None]


@pytest.mark.parametrize("placeholder", ["HIDDEN", "n/a", "-", "unknown", " Unknown "])
def test_a_placeholder_source_url_is_dropped_with_a_warning(placeholder):
    raw = row(source1_title="Witness statement", source1_url=placeholder)
    incident, warnings = checked_row(raw, today=TODAY)
    assert incident.sources[0].title == "Witness statement" and incident.sources[0].url == ""
    assert [(w.field, placeholder.strip() in w.message) for w in warnings] == [
        ("source1_url", True)
    ]
    # The column validator leaves the row to checked_row, which writes the warning.
    assert validate_columns(_columns(raw), 1, "unknown", TODAY) == [None]
    alone, _ = checked_row(row(source1_url=placeholder), today=TODAY)
    assert alone.sources == ()  # a source made of a placeholder only is no source


@pytest.mark.parametrize(
    ("field", "stored"), [("verification", "reported"), ("sensitivity", "restricted")]
)
def test_a_placeholder_status_reads_as_an_empty_cell_with_a_warning(field, stored):
    incident, warnings = checked_row(row(**{field: "Unknown"}), today=TODAY)
    assert getattr(incident, field) == stored
    assert [(w.field, "'Unknown' names no") for w in warnings] == [
        (field, warnings[0].message[: len("'Unknown' names no")])
    ]
    assert validate_columns(_columns(row(**{field: "n/a"})), 1, "unknown", TODAY) == [None]


def test_other_unknown_labels_are_still_refused():
    """A label that says something ('denied', 'internal') may mean another status."""
    assert "verification" in problems(row(verification="denied"))
    assert "sensitivity" in problems(row(sensitivity="internal"))
    assert "type" in problems(row(type="unknown"))
    assert "public_date_to_month" in problems(row(public_date_to_month="unknown"))


def test_a_source_url_that_is_text_is_still_refused():
    """Not a placeholder: the cell holds something else (a name), which must be fixed."""
    assert "source1_url" in problems(row(source1_url="BBC News, 3 May"))


def _columns(raw):
    return {name: [value] for name, value in raw.items()}


def test_sources_are_numbered_and_checked():
    incident = validate_row(
        row(
            source1_title="Statement",
            source1_url="https://example.org/a",
            source2_title="Report",
            source2_sha256="A" * 64,
        ),
        today=TODAY,
    )
    assert [s.title for s in incident.sources] == ["Statement", "Report"]
    assert incident.sources[1].sha256 == "a" * 64
    assert "source1_sha256" in problems(row(source1_sha256="abc"))
    assert "source1_url" in problems(row(source1_url="javascript:alert(1)"))


def test_arabic_text_is_kept_as_written():
    incident = validate_row(row(place="ترهونة", description="مقبرة جماعية"), today=TODAY)
    assert incident.place == "ترهونة"
    assert incident.description == "مقبرة جماعية"


def test_control_characters_are_stripped():
    incident = validate_row(row(title="A\x00B\x1b"), today=TODAY)
    assert incident.title == "AB"


def test_an_unknown_code_is_answered_with_the_terms_in_the_readers_words():
    """A walk's Arabic reader was told "ليس من القيم المقبولة: mass_grave, killing, …" and
    "يجب أن تكون أعداد killed بالترتيب min <= best <= max": codes and symbols."""
    from incidents import translation
    from incidents.schema import INCIDENT_TYPES
    from incidents.validation import code_message

    translation.set_language("ar")
    try:
        said = code_message("type", "zzz")
        with pytest.raises(RowInvalid) as bad:
            validate_row({"type": "killing", "date_start": "2020-01-01", "place": "Tarhuna",
                          "killed_min": "10", "killed_best": "7", "killed_max": "5"})  # fmt: skip
        counts = bad.value.problems[0].message
    finally:
        translation.set_language("en")
    assert "مقبرة جماعية" in said and "mass_grave" not in said
    assert INCIDENT_TYPES.lookup("مقبرة جماعية") == "mass_grave"  # a cell may hold it
    assert "min" not in counts and "<=" not in counts and "10" in counts and "5" in counts


def test_an_empty_type_and_an_end_before_the_start_speak_the_readers_words():
    """An Arabic import report said «فارغ؛ اكتب أحد: mass_grave, killing, …» of an empty
    type (a wrong one named the Arabic terms) and «قبل date_start» of an early end."""
    from incidents import translation

    translation.set_language("ar")
    try:
        said = problems(row(type="", date_start="2020-07-10", date_end="2020-07-01"))
    finally:
        translation.set_language("en")
    assert "مقبرة جماعية" in said["type"] and "mass_grave" not in said["type"]
    assert "date_start" not in said["date_end"] and "تاريخ البداية" in said["date_end"]
    assert "\u200e2020-07-01\u200e" in said["date_end"]  # a date keeps its order
    english = problems(row(type="", date_start="2020-07-10", date_end="2020-07-01"))
    assert english["date_end"] == "2020-07-01 is before the first date, 2020-07-10"
    assert "Mass grave" in english["type"]


@pytest.mark.parametrize("written", ["0001-01-02", "0040-06-01", "1020", "1799-12"])
def test_a_date_before_1800_is_refused_by_both_readers(written):
    """Tried as a red team would: a date in year 1 failed the whole import (no row
    named) and a year 0040 failed every deck that drew it. Refused with the row's
    reason, by the row reader and the column reader alike."""
    said = problems(row(date_start=written))["date_start"]
    assert said.endswith("is before 1800: check the year"), said
    assert validate_columns(_columns(row(date_start=written)), 1, "unknown", TODAY) == [None]


def test_1800_itself_is_kept():
    assert validate_row(row(date_start="1800-01-01"), today=TODAY).date_start == date(1800, 1, 1)


def test_a_refused_date_is_quoted_without_its_control_characters():
    """Tried as a red team would: an ESC sequence in a date cell was quoted back in the
    reason, and the command line's report drove the terminal (colours, its title)."""
    said = problems(row(date_start="\x1b[31mRED\x1b]0;pwned\x07"))["date_start"]
    assert said.startswith("'[31mRED]0;pwned' is not a date")
    assert all(c.isprintable() for c in said)


@pytest.mark.parametrize(("written", "warned"), [("9999-12-30", True), ("2026-11", False)])
def test_an_end_in_the_future_is_stored_as_today_and_said(written, warned):
    """Tried as a red team would: 9999-12-30 was stored as today without a word (and a
    re-import on a later day changed the record). An end whose month holds today is
    cut to today as before, silently: it is not in the future as written."""
    incident, warnings = checked_row(row(date_end=written), "unknown", TODAY)
    assert incident.date_end == TODAY
    said = f"{written} is in the future: stored as today, 2026-11-27"
    assert [(w.field, w.message) for w in warnings] == ([("date_end", said)] if warned else [])
    fast = validate_columns(_columns(row(date_end=written)), 1, "unknown", TODAY)
    assert (fast == [None]) is warned  # the row validator says it, for the column reader too


@pytest.mark.parametrize("field", ["id", "source_event_id"])
def test_an_identifier_of_more_than_255_characters_is_refused_by_name(field):
    """PostgreSQL's key index holds about 2,700 bytes: a 6,000-character event id
    stopped a whole PostGIS import with "an unexpected error" (a red-team pass), where
    the GeoPackage took it. Such a cell is a sentence in the wrong column."""
    assert getattr(validate_row(row(**{field: "e" * 255}), today=TODAY), field) == "e" * 255
    message = problems(row(**{field: "é" * 256}))[field]
    assert "256" in message and "255" in message
    assert validate_columns(_columns(row(**{field: "é" * 256})), 1, "unknown", TODAY) == [None]
