"""The import page in the reader's language with AppTest (Arabic): the preview's headings
and coded values, the column mapping's choices, and the report as plain text naming
fields as the entry form does and pointing to the Duplicates page, never to a command;
hostile cell text stays text. The import button says what is left to do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import language
from incidents import translation
from incidents.field_words import field_label
from incidents.query import Query
from incidents.schema import INCIDENT_TYPES
from incidents.store import open_store
from tests.app.test_import_page import IMPORT_PAGE, TIMEOUT, empty_db  # noqa: F401

HOSTILE = "{{ 7*7 }} <script>alert(1)</script> =cmd()"


pytestmark = pytest.mark.usefixtures("language_from_the_session")


def _one_bad_row(tmp_path: Path) -> Path:
    path = tmp_path / "one_bad.csv"
    path.write_text(
        "type,title,date_start,place,country\n"
        f"mass_grave,{HOSTILE},2020-06-01,Tarhuna,Libya\n"
        "killing,SYNTHETIC bad day,\u202e2020-13-45,Tarhuna,Libya\n"
        "torture,SYNTHETIC,2020-06-03,Tarhuna,Libya\n",
        encoding="utf-8",
    )
    return path


def _page(path: Path, lang: str) -> AppTest:
    at = AppTest.from_file(IMPORT_PAGE, default_timeout=TIMEOUT)
    at.session_state[language.ACTIVE] = lang
    at.run()
    return at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv")).run()


def _in(lang: str, words: str) -> str:
    before = translation.language()
    translation.set_language(lang)
    try:
        return translation._(words)
    finally:
        translation.set_language(before)


def _label(lang: str, name: str) -> str:
    before = translation.language()
    translation.set_language(lang)
    try:
        return field_label(name)
    finally:
        translation.set_language(before)


def test_preview_and_mapping_speak_arabic(empty_db, as_editor, tmp_path):  # noqa: F811
    at = _page(_one_bad_row(tmp_path), "ar")
    assert not at.exception
    preview = at.dataframe[0].value
    assert {_in("ar", "Row"), _label("ar", "type"), _label("ar", "date_start")} <= set(
        preview.columns
    )
    assert not {"row", "problems", "type", "date_start"} & set(preview.columns)
    types = list(preview[_label("ar", "type")])
    assert types[:2] == [_in("ar", INCIDENT_TYPES.label("mass_grave")), ""]  # rejected: blank
    assert "None" not in preview.to_numpy() and "nan" not in preview.to_numpy()
    assert _label("ar", "date_start") in preview[_in("ar", "Problems and notes")][1]
    maps = {
        s.label.replace("\\", ""): s for s in at.selectbox if str(s.key).startswith("import_map:")
    }
    when = maps["date_start"]
    assert when.value == "date_start"  # the stored choice stays the field's name
    assert _label("ar", "date_start") in when.options and "date_start" not in when.options
    assert _label("ar", "source1_sha256") in when.options
    assert _in("ar", "— not used —") in when.options


def test_the_report_is_plain_text_in_the_readers_words(empty_db, as_editor, tmp_path):  # noqa: F811
    at = _page(_one_bad_row(tmp_path), "ar")
    translation.set_language("ar")  # AppTest formats the page's choices again here
    at.button(key="import_run").click().run()
    assert not at.exception
    assert not at.code  # no left-to-right code box
    report = "\n".join(t.value for t in at.text)
    assert f"{_label('ar', 'date_start')}: «2020-13-45»" in report
    assert "date_start" not in report and "python -m" not in report
    assert "\u202e" not in report  # a cell's direction override cannot reorder its line
    shown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning])
    assert "<script>" not in shown and "49" not in shown
    assert any("rejected" in d.proto.label or "المرفوضة" in d.proto.label
               for d in at.get("download_button"))  # fmt: skip
    metrics = [m.value for m in at.metric]
    assert metrics[0] == "2" and metrics[-1] == "1"  # imported 2, rejected 1


def test_the_import_button_says_what_is_left(empty_db, as_editor, tmp_path):  # noqa: F811
    at = _page(_one_bad_row(tmp_path), "en")
    assert at.button(key="import_run").label == "Import 3 rows"
    at.button(key="import_check").click().run()
    assert at.button(key="import_run").label == "Import 2 of 3 rows"
    assert not at.button(key="import_run").disabled
    at.button(key="import_run").click().run()
    assert not at.exception
    button = at.button(key="import_run")
    assert button.label == "Import done" and button.disabled
    assert "Imported" in {m.label for m in at.metric}


def test_the_same_file_fixed_and_uploaded_again_can_be_imported(empty_db, as_editor, tmp_path):  # noqa: F811
    """The rejected rows fixed in the same spreadsheet, uploaded under the same name: a
    new file (its contents differ), with its own button and no report of the old one."""
    path = _one_bad_row(tmp_path)
    at = _page(path, "en")
    at.button(key="import_run").click().run()
    assert at.button(key="import_run").disabled
    path.write_text(path.read_text(encoding="utf-8").replace("\u202e2020-13-45", "2020-06-02"))
    at = at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv")).run()
    button = at.button(key="import_run")
    assert not button.disabled and button.label == "Import 3 rows"
    assert not at.metric  # the old file's report is not shown under the new one
    at.button(key="import_run").click().run()
    assert open_store(os.environ["INCIDENTS_DB"]).count(Query(), as_editor) == 3
