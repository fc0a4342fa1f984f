"""Fields, their values and the import's words in the reader's language: one rule for
the record history, the entry form, the duplicates review and the import page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from incidents import translation
from incidents.column_choices import NOT_USED, column_choices
from incidents.field_words import EMPTY, field_label, value_shown
from incidents.io.formats import formats
from incidents.io.tabular import Table
from incidents.report import ImportReport, RejectedRow, WarnedRow


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


def test_fields_are_named_as_the_form_names_them() -> None:
    assert field_label("date_start") == "From"
    assert field_label("id") == "Ref."  # as the map's table heads it
    assert field_label("source2_sha256") == "Source 2: sha256 of the saved copy"
    translation.set_language("ar")
    assert field_label("date_start") == "من" and field_label("id") == "المرجع"
    assert field_label("source1_url").startswith("المصدر 1: ")


def test_values_are_shown_as_labels_in_the_readers_language() -> None:
    translation.set_language("fr")
    assert value_shown("type", "enforced_disappearance") == "Disparition forcée"
    assert value_shown("date_precision", "month") == "Mois"
    assert value_shown("killed_best", 12.0) == "12" and value_shown("tags", ()) == EMPTY
    assert value_shown("title", "{{ 7*7 }} <script>") == "{{ 7*7 }} <script>"  # as written


def _report() -> ImportReport:
    report = ImportReport("f.csv", "template", rows_read=3, imported=2)
    bad = "'\u202e2020-13-45' is not a real calendar date"
    report.rejected.append(RejectedRow(3, {}, (("date_start", bad),)))
    report.warnings.append(WarnedRow(2, "x", "killed_max", "raised"))
    report.like_existing_note = "not looked for; list them with `python -m incidents duplicates`"
    return report


def test_the_page_report_names_fields_and_the_duplicates_page() -> None:
    translation.set_language("ar")
    page = "\n".join(_report().page_lines("…"))
    assert "الصف 3: من: '2020-13-45'" in page and "date_start" not in page
    assert "killed_max" not in page and translation._("Killed max") in page
    assert "python -m" not in page and "صفحة السجلات المكررة" in page
    assert "\u202e" not in page and not any(line.startswith(" ") for line in page.split("\n"))


def test_the_command_line_report_is_as_it_was() -> None:
    cli = "\n".join(_report().lines())
    assert "  row 3: date_start: '\u202e2020-13-45'" in cli and "row 2, killed_max" in cli
    assert "`python -m incidents duplicates`" in cli


def test_mapping_choices_read_in_the_readers_language() -> None:
    table = Table("t.csv", ["When", "fatalities"], [(2, ["2020-01-01", "3"])])
    translation.set_language("ar")
    when = column_choices(table, formats()["template"])[0]
    assert when.label("date_start") == "من" and when.label(NOT_USED) == "— غير مستخدم —"
    own = column_choices(table, formats()["acled"])[1]
    assert own.start == "fatalities"
    assert own.label("fatalities") == "fatalities (عمود من ACLED) ← القتلى (التقدير الأرجح) والنوع"
    assert own.label("date_start") == "من (حقل في النموذج)"
