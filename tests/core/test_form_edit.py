"""The form's save rule as plain functions: only what the person changed is written."""

from __future__ import annotations

from datetime import date

import pytest

from incidents import form_edit
from incidents.record import Incident, Source
from incidents.validation import RowInvalid

STORED = Incident(
    id="rec-1",
    type="mass_grave",
    title="Grave found near the farm",
    description="Line one\r\nLine two",
    date_start=date(2020, 6, 15),
    date_end=date(2020, 6, 15),
    date_kind="discovered",
    place="Tarhuna",
    country="LY",
    admin1="Al Murqub",
    admin1_code="LY-MB",
    latitude=32.43512345,
    longitude=13.63387711,
    location_precision="town",
    location_method="geocoded",
    perpetrators=("Group A", "Group B"),
    killed_best=12,
    sources=(Source(title="Report", publisher="NGO", url="https://example.org/r"),),
    tags=("grave",),
    confidential_notes="Witness asked not to be named.",
    source_event_id="EV-9",
    version=3,
)
TODAY = date(2026, 1, 1)


def test_an_untouched_form_changes_nothing():
    base = form_edit.form_values(STORED)
    assert form_edit.changed(base, dict(base)) == []


def test_the_form_as_a_browser_sends_it_back_is_unchanged():
    """Line breaks come back as \\n, points with 6 decimals, lists re-spaced."""
    now = form_edit.form_values(STORED)
    now.update(
        description="Line one\nLine two ",
        latitude=32.435123,
        perpetrators="Group A;Group B",
        sources=[{**s.to_dict()} for s in STORED.sources] + [dict.fromkeys("abc", "")],
    )
    assert form_edit.changed(form_edit.form_values(STORED), now) == []


def test_a_save_writes_only_the_changed_field():
    base = form_edit.form_values(STORED)
    now = {**base, "title": "Grave at the farm"}
    saved = form_edit.apply_edit(STORED, base, now, "unused", TODAY)
    assert saved == STORED.replace(title="Grave at the farm")
    assert saved.confidential_notes == STORED.confidential_notes  # untouched: not written
    assert saved.latitude == STORED.latitude  # not rounded to the form's 6 decimals
    assert saved.version == STORED.version  # the version opened: a stale save is refused


def test_a_blank_form_for_a_stored_record_is_refused_not_saved():
    """The data-loss case: every widget forgotten, the form blank. Saving it must not
    erase the record: the required fields stop it."""
    base = form_edit.form_values(STORED)
    blank = form_edit.form_values(None)
    with pytest.raises(RowInvalid) as error:
        form_edit.apply_edit(STORED, base, blank, "unused", TODAY)
    fields = {p.field for p in error.value.problems}
    assert {"type", "title", "date_start", "place"} <= fields


def test_a_changed_date_widens_by_its_precision():
    base = form_edit.form_values(STORED)
    now = {**base, "date_start": date(2020, 5, 3), "date_precision": "month"}
    saved = form_edit.apply_edit(STORED, base, now, "unused", TODAY)
    assert (saved.date_start, saved.date_end) == (date(2020, 5, 1), date(2020, 6, 15))
    assert saved.date_kind == "discovered"


def test_a_point_typed_by_hand_is_manual_and_confirmed():
    stored = STORED.replace(place_confirmed=False)
    base = form_edit.form_values(stored)
    now = {**base, "latitude": 32.5, "longitude": 13.7}
    saved = form_edit.apply_edit(stored, base, now, "unused", TODAY)
    assert (saved.latitude, saved.longitude, saved.location_method) == (32.5, 13.7, "manual")
    assert saved.place_confirmed


def test_an_untouched_new_form_cannot_be_saved():
    blank = form_edit.form_values(None)
    with pytest.raises(RowInvalid) as error:
        form_edit.apply_edit(None, blank, dict(blank), "inc-new", TODAY)
    assert {p.field for p in error.value.problems} == {"type", "title", "date_start", "place"}


def test_a_new_incident_may_say_its_place_is_unknown():
    blank = form_edit.form_values(None)
    now = {**blank, "type": "torture", "title": "Detainee tortured",
           "date_start": date(2019, 3, 1), "place_unknown": True}  # fmt: skip
    saved = form_edit.apply_edit(None, blank, now, "inc-new", TODAY)
    assert (saved.id, saved.type, saved.place, saved.latitude) == ("inc-new", "torture", "", None)
    assert saved.date_end == date(2019, 3, 1)


def test_a_stored_record_with_no_place_keeps_saving():
    stored = STORED.replace(place="", latitude=None, longitude=None)
    base = form_edit.form_values(stored)
    assert base["place_unknown"] is True
    saved = form_edit.apply_edit(stored, base, {**base, "killed_best": 13}, "unused", TODAY)
    assert saved.killed_best == 13


def test_keeping_my_changes_on_a_record_someone_else_saved():
    base = form_edit.form_values(STORED)
    mine = {**base, "title": "My title", "killed_best": 14}
    theirs = STORED.replace(description="Their description", killed_best=13, version=4)
    draft, both = form_edit.merged_draft(theirs, base, mine)
    assert both == ["killed_best"]  # 13 stored, 14 mine: mine in the form, and said
    rows = form_edit.differences(base, mine, theirs)
    assert rows == [
        ("Title", STORED.title, "My title", STORED.title),
        # only theirs: listed too, so the person sees what changed under them
        ("Description", "Line one\nLine two", "Line one\nLine two", "Their description"),
        ("Killed best", str(STORED.killed_best), "14", "13"),
    ]
    rebased = form_edit.form_values(theirs)
    saved = form_edit.apply_edit(theirs, rebased, draft, "unused", TODAY)
    assert saved == theirs.replace(title="My title", killed_best=14)


def test_two_editors_changing_different_words_of_one_text_keep_both():
    """Tried as an editor would: one changed 'many' to 'several', the other 'hundreds' to
    'dozens' in the same description; keeping the second one's changes put 'many' back
    without a word."""
    text = "Residents said many men were held; hundreds of families were displaced."
    stored = STORED.replace(description=text)
    base = form_edit.form_values(stored)
    theirs = stored.replace(description=text.replace("many", "several"), version=4)
    mine = {**base, "description": text.replace("hundreds", "dozens")}
    draft, both = form_edit.merged_draft(theirs, base, mine)
    assert (
        draft["description"]
        == "Residents said several men were held; dozens of families were displaced."
    )
    assert both == []
    same_word = {**base, "description": text.replace("many", "a few")}
    draft, both = form_edit.merged_draft(theirs, base, same_word)
    assert draft["description"] == same_word["description"] and both == ["description"]


def test_shown_values_read_as_the_form_shows_them():
    assert form_edit.shown("type", "mass_grave") == "Mass grave"
    assert form_edit.shown("method", "geocoded") != "geocoded"
    assert form_edit.shown("description", "") == "(empty)"
    assert form_edit.shown("place_unknown", True) == "yes"


def test_confidential_fields_typed_in_the_form_are_saved_as_typed():
    """Victims and witnesses could be recorded by import only: the form had no field
    for them. A change to one is written, as typed; the others stay as stored."""
    base = form_edit.form_values(STORED)
    typed = 'Victims: {{ 7*7 }} <b>names</b> =HYPERLINK("x")\nheld by the legal team'
    saved = form_edit.apply_edit(STORED, base, {**base, "victim_details": typed}, "unused", TODAY)
    assert saved.victim_details == typed
    assert saved.confidential_notes == STORED.confidential_notes
    assert form_edit.changed(base, {**base, "victim_details": typed}) == ["victim_details"]


def test_confidential_fields_left_alone_are_not_written():
    base = form_edit.form_values(STORED)
    assert base["confidential_notes"] == STORED.confidential_notes
    assert base["witness_details"] == ""
    saved = form_edit.apply_edit(STORED, base, {**base, "title": "Grave"}, "unused", TODAY)
    assert saved == STORED.replace(title="Grave")
