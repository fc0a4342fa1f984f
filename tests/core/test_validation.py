from datetime import date

import pytest

from incidents.validation import RowInvalid, validate_row

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
    assert "killed_best" in problems(row(killed_min="10", killed_best="5"))
    assert "killed_min" in problems(row(killed_min="2.5"))


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
