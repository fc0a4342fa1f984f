"""Types in another vocabulary: read as ours, kept as a tag, and listed in the report."""

from __future__ import annotations

from incidents import translation
from incidents.io.type_readings import TAG, Readings, incident_type, readings_note


def test_our_own_codes_and_labels_are_taken_as_they_are() -> None:
    readings = Readings()
    assert incident_type("killing", readings) == ("killing", "")
    assert incident_type("Mass grave", readings) == ("mass_grave", "")
    assert not readings and readings_note(readings) is None


def test_other_words_are_read_kept_as_a_tag_and_counted() -> None:
    readings = Readings()
    assert incident_type("violence", readings) == ("other", f"{TAG}violence")
    incident_type("violence", readings)
    code, tag = incident_type("Abduction/forced disappearance", readings)  # ACLED's name
    assert (code, tag) == ("enforced_disappearance", f"{TAG}Abduction/forced disappearance")
    note = readings_note(readings)
    assert note is not None
    assert note.startswith("3 rows name their type in words this tool does not use")
    assert '"violence" as Other (2)' in note  # most rows first
    assert note.index('"violence"') < note.index('"Abduction/forced disappearance"')


def test_a_long_or_many_words_keep_the_note_short() -> None:
    readings = Readings({("x" * 5000, "other"): 1})
    readings.update({(f"word {n}", "other"): 1 for n in range(9)})
    note = readings_note(readings)
    assert note is not None and len(note) < 600
    assert "x" * 40 + "…" in note and "x" * 41 not in note  # the tag keeps it whole
    assert "5 other words" in note


def test_the_note_is_in_the_readers_language() -> None:
    translation.set_language("ar")
    try:
        note = readings_note(Readings({("violence", "other"): 1}))
    finally:
        translation.set_language("en")
    assert note is not None and "violence" in note
    assert "row" not in note and "أخرى" in note
