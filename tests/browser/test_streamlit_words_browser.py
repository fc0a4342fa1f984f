"""app_pages/streamlit_words.py's script in a real browser, on a page of Streamlit-like
markup: Streamlit's words change in its own controls and in button names, as they
are drawn and when redrawn; record text that says the same words (a tag "Search", a
title "Select all", an option "Open") is left as it is."""

from __future__ import annotations

import pytest

from app_pages import streamlit_words
from incidents import translation

pytestmark = pytest.mark.browser

PAGE = """
<div role="listbox"><div role="option">Select all</div><div role="option">Search</div>
  <div role="option">Open</div><div role="option">Select 3 matches</div></div>
<div data-baseweb="select"><div id="empty">Choose options</div></div>
<div data-testid="stFileUploader"><button>Upload</button><span>200MB per file</span></div>
<div data-testid="stElementToolbar"><button aria-label="Download as CSV">Search</button></div>
<button id="open" aria-label="Open"></button><button id="help" aria-label="Help for Type"></button>
<h2 id="record">Select all</h2><p id="note">Upload</p>
<input id="record-name" aria-label="Search" value="Search">
"""


def _texts(page: object) -> dict[str, object]:
    return page.evaluate(  # type: ignore[attr-defined, no-any-return]
        """() => ({
          options: [...document.querySelectorAll('[role=option]')].map(o => o.textContent),
          empty: document.getElementById('empty').textContent,
          uploader: document.querySelector('[data-testid=stFileUploader]').innerText,
          toolbar: document.querySelector('[data-testid=stElementToolbar] button').textContent,
          csv: document.querySelector('[data-testid=stElementToolbar] button')
                 .getAttribute('aria-label'),
          open: document.getElementById('open').getAttribute('aria-label'),
          help: document.getElementById('help').getAttribute('aria-label'),
          record: document.getElementById('record').textContent,
          note: document.getElementById('note').textContent,
        })"""
    )


def test_streamlits_words_change_and_record_text_does_not(browser: object) -> None:
    translation.set_language("ar")
    try:
        script = streamlit_words.script()
    finally:
        translation.set_language("en")
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.set_content(f"<body>{PAGE}{script}</body>")
        shown = _texts(page)
        assert shown["options"] == ["تحديد الكل", "Search", "Open", "تحديد النتائج المطابقة (3)"]
        assert shown["empty"] == "اختر" and shown["uploader"] == "رفع200MB لكل ملف"
        assert shown["toolbar"] == "بحث" and shown["csv"] == "تنزيل بصيغة CSV"
        assert shown["open"] == "فتح" and shown["help"] == "مساعدة: Type"
        assert shown["record"] == "Select all" and shown["note"] == "Upload"  # record text
        # Drawn again by React (a rerun): changed again, as it is drawn.
        page.evaluate(
            """() => { const box = document.querySelector('[role=listbox]');
              box.insertAdjacentHTML('afterbegin', '<div role="option">No results</div>');
              document.getElementById('open').setAttribute('aria-label', 'Open'); }"""
        )
        page.wait_for_function(
            "() => document.querySelector('[role=option]').textContent === 'لا نتائج'"
        )
        assert _texts(page)["open"] == "فتح"
    finally:
        page.close()


def test_in_english_nothing_changes(browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.set_content(f"<body>{PAGE}{streamlit_words.script()}</body>")
        shown = _texts(page)
        assert shown["options"][0] == "Select all" and shown["csv"] == "Download as CSV"
    finally:
        page.close()


def _run(page: object, lang: str) -> None:
    """The script of a run in this language, as the page's next run draws it."""
    translation.set_language(lang)
    try:
        body = streamlit_words.script().removeprefix("<script>").removesuffix("</script>")
    finally:
        translation.set_language("en")
    page.add_script_tag(content=body)  # type: ignore[attr-defined]


def test_a_language_switched_without_a_reload_starts_from_streamlits_words(
    browser: object,
) -> None:
    """Arabic, then French, then English, in one page (the switch needs no reload):
    each time Streamlit's words in the language chosen, back to English at the end."""
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.set_content(f"<body>{PAGE}</body>")
        _run(page, "ar")
        assert _texts(page)["options"][0] == "تحديد الكل"
        _run(page, "fr")
        shown = _texts(page)
        assert shown["options"][0] == "Tout sélectionner" and shown["open"] == "Ouvrir"
        _run(page, "en")
        shown = _texts(page)
        assert shown["options"] == ["Select all", "Search", "Open", "Select 3 matches"]
        assert shown["open"] == "Open" and shown["csv"] == "Download as CSV"
        assert shown["uploader"] == "Upload200MB per file"
    finally:
        page.close()


DATES = """
<div data-testid="stDateInput"><div data-testid="stDateInputField">
  <span role="spinbutton" aria-label="year, From" aria-valuetext="Empty"
    data-placeholder="true" id="year">yyyy</span>
  <span role="spinbutton" data-placeholder="false" id="typed">dd</span></div></div>
<div role="dialog"><h2 id="month">Choose date, December 2026</h2>
  <button id="prev" aria-label="Previous month"></button></div>
<p id="record-date">Choose date, December 2026</p>
<button id="record-year" aria-label="year, 1990 ($&)"></button>
"""


def test_date_fields_and_the_calendar_speak_the_pages_language(browser: object) -> None:
    """Streamlit hands its calendar the browser's locale (navigator.language), read each
    time it draws: the script puts the page's there (month and day names in Arabic
    whatever the browser's language), and puts the browser's own back in English.
    An empty date field's parts and the calendar's names are Streamlit's words; a
    typed part and record text are not."""
    page = browser.new_page(locale="en-US")  # type: ignore[attr-defined]
    try:
        page.set_content(f"<body>{DATES}</body>")
        page.evaluate(
            "() => { window.heard = 0;"
            " window.addEventListener('languagechange', () => { window.heard += 1; }); }"
        )
        _run(page, "ar")
        assert page.evaluate("[navigator.language, navigator.languages]") == ["ar-LY", ["ar-LY"]]
        assert page.evaluate("window.heard") == 1  # Streamlit is told, and draws again
        shown = page.evaluate(
            """() => ['year', 'typed', 'month', 'record-date'].map(
                 id => document.getElementById(id).textContent)
               .concat(['year', 'prev'].map(id => document.getElementById(id)
                 .getAttribute('aria-label')), [document.getElementById('year')
                 .getAttribute('aria-valuetext')])"""
        )
        assert shown == [
            "سنة", "dd", "اختر تاريخًا، December 2026", "Choose date, December 2026",
            "السنة، From", "الشهر السابق", "فارغ",
        ]  # fmt: skip
        # A name of the same form elsewhere is not a date field's: left as it is.
        record = page.evaluate("document.getElementById('record-year').getAttribute('aria-label')")
        assert record == "year, 1990 ($&)"
        _run(page, "fr")
        assert page.evaluate("navigator.language") == "fr-FR"
        _run(page, "en")
        assert page.evaluate("[navigator.language, window.heard]") == ["en-US", 3]
        assert page.evaluate("document.getElementById('year').textContent") == "yyyy"
    finally:
        page.close()


def test_a_name_with_dollar_signs_is_kept_whole(browser: object) -> None:
    """A help icon's name carries a field's label, which may hold "$&" or "$1": put in
    the reader's words as written, not read as a replacement pattern."""
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.set_content('<body><button id="help" aria-label="Help for Cost ($&)"></button></body>')
        _run(page, "ar")
        shown = page.evaluate("document.getElementById('help').getAttribute('aria-label')")
        assert shown == "مساعدة: Cost ($&)"
    finally:
        page.close()


def test_in_english_the_browsers_language_is_left_alone(browser: object) -> None:
    """A first page in English changes nothing of the browser's (and tells nothing)."""
    page = browser.new_page(locale="de-DE")  # type: ignore[attr-defined]
    try:
        page.set_content("<body></body>")
        page.evaluate(
            "() => { window.heard = 0;"
            " window.addEventListener('languagechange', () => { window.heard += 1; }); }"
        )
        _run(page, "en")
        assert page.evaluate("[navigator.language, window.heard]") == ["de-DE", 0]
    finally:
        page.close()
