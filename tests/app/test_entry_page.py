"""The entry page with Streamlit's AppTest: the form shows the stored record or the
person's draft, a save writes only what was typed, junk is refused, and of two
editors saving the same record the second is refused with what changed, and loses
nothing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.identity import SESSION
from incidents.access import Role, Viewer
from incidents.auth.accounts import Accounts
from incidents.auth.sessions import start_session
from incidents.query import Query
from incidents.store import open_store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ENTRY_PAGE = str(ROOT / "app_pages" / "entry_page.py")
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
TIMEOUT = 60
RECORD = "tarhuna-ex-002"
PASSPHRASE = "a long passphrase for the entry page test"


def _click(at: AppTest, label: str) -> AppTest:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button '{label}' among {[b.label for b in at.button]}"
    return matches[0].click().run()


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


@pytest.fixture
def signed_in(example_db: str):
    """The whole app (navigation included) for a signed-in editor; one AppTest each
    call, as one browser each."""
    name = "entry-page-editor"
    Accounts(os.environ["INCIDENTS_USERS"]).add(name, Role.EDITOR, PASSPHRASE)

    def app(edit_id: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state[SESSION] = start_session(name, Role.EDITOR, "local")
        if edit_id:
            at.session_state["edit_id"] = edit_id
        return at.switch_page(ENTRY_PAGE).run()

    return app, Viewer(name, Role.EDITOR)


def _opened(app, editor: Viewer):
    """The form opened on RECORD, the store, and the record as stored before."""
    store = open_store(os.environ["INCIDENTS_DB"])
    before = store.get(RECORD, editor)
    assert before is not None
    return app(RECORD), store, before


def test_a_form_left_for_the_map_shows_the_record_again_and_saves_only_the_change(signed_in):
    app, editor = signed_in
    at, store, before = _opened(app, editor)
    assert at.text_input(key="e_title").value == before.title
    at.switch_page(MAP_PAGE).run()
    assert not at.exception
    at.switch_page(ENTRY_PAGE).run()
    assert not at.exception
    # Every field as stored, none blank or default.
    assert at.text_input(key="e_title").value == before.title
    assert at.text_area(key="e_description").value == before.description
    assert at.text_input(key="e_place").value == before.place
    assert at.date_input(key="e_date_start").value == before.date_start
    assert at.selectbox(key="e_type").value == before.type
    assert at.selectbox(key="e_date_kind").value == before.date_kind
    at.text_input(key="e_title").set_value("A title typed after coming back")
    _click(at, "Save")
    assert not at.exception
    after = store.get(RECORD, editor)
    assert after is not None
    assert after.version == before.version + 1
    assert after.content() == before.replace(title="A title typed after coming back").content()


def test_a_draft_not_yet_saved_survives_a_visit_to_the_map(signed_in):
    app, _ = signed_in
    at = app(RECORD)
    at.text_input(key="e_title").set_value("Draft title")
    at.date_input(key="e_date_start").set_value(date(2030, 1, 1))  # refused: in the future
    _click(at, "Save")
    assert "is in the future" in _errors(at)
    at.switch_page(MAP_PAGE).run()
    at.switch_page(ENTRY_PAGE).run()
    assert at.text_input(key="e_title").value == "Draft title"
    assert at.date_input(key="e_date_start").value == date(2030, 1, 1)


def test_saving_an_untouched_record_writes_nothing(signed_in):
    app, editor = signed_in
    store = open_store(os.environ["INCIDENTS_DB"])
    before = store.get(RECORD, editor)
    at = _click(app(RECORD), "Save")
    assert any("Nothing to save" in i.value for i in at.info)
    assert store.get(RECORD, editor) == before


def test_save_pressed_twice_says_the_change_was_saved(signed_in):
    """The second Save finds nothing changed; it said only "Nothing to save", which read
    as if the edit pressed a moment before had been lost."""
    app, editor = signed_in
    at, store, before = _opened(app, editor)
    at.text_input(key="e_title").set_value("A title saved twice")
    _click(at, "Save")
    at = _click(at, "Save")
    assert not at.exception
    said = " ".join(s.value for s in at.success)
    assert f"Saved {RECORD} (version {before.version + 1})." in said, said
    assert "Nothing changed since." in said and not at.info
    # also in a toast: the message at the top was off screen below the long form
    assert any(f"Saved {RECORD}" in t.value.replace("\\", "") for t in at.toast)
    after = store.get(RECORD, editor)
    assert after is not None and after.version == before.version + 1
    assert after.title == "A title saved twice"


def test_save_in_a_stale_tab_with_nothing_changed_shows_the_newer_version(signed_in):
    """Tab A opened the record, tab B saved it, tab A pressed Save with no change: it
    said "Saved (version 3). Nothing changed since." beside version 4 (a browser walk).
    It now says the record changed since and shows the stored version; nothing is
    written."""
    app, editor = signed_in
    tab_a, store, before = _opened(app, editor)
    _click(tab_a, "Save")  # saved nothing: no field changed
    tab_b = app(RECORD)
    tab_b.text_input(key="e_title").set_value("Changed in the second tab")
    _click(tab_b, "Save")
    tab_a = _click(tab_a, "Save")
    assert not tab_a.exception and not tab_a.success
    said = " ".join(i.value for i in tab_a.info)
    assert f"{RECORD} was changed by {editor.name}" in said
    assert f"the form now shows that version ({before.version + 1})" in said
    assert tab_a.text_input(key="e_title").value == "Changed in the second tab"
    after = store.get(RECORD, editor)
    assert after is not None and after.version == before.version + 1


def test_an_untouched_new_form_cannot_be_saved(example_db, as_editor):
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    _click(at, "Save")
    assert not at.exception
    messages = _errors(at)
    for label in ("Type:", "Title:", "From:", "Place name:"):
        assert label in messages
    assert open_store(example_db).count(Query(), as_editor) == 9


def test_problems_are_shown_next_to_their_fields(example_db, as_editor):
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    at.text_input(key="e_title").set_value("New incident for the test")
    at.date_input(key="e_date_start").set_value(date(2030, 1, 1))
    _click(at, "Save")
    assert not at.exception
    assert "From: 2030-01-01 is in the future" in _errors(at)
    assert at.text_input(key="e_title").value == "New incident for the test"  # kept


def test_the_precision_says_what_the_public_is_shown(example_db, as_editor):
    """Found in a red-team pass: an editor who lowers a site's precision to hide it may
    not know that the place text of an incident known only to its district goes out to
    the public as written. The precision's help says so."""
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    tip = at.selectbox(key="e_location_precision").help or ""
    assert "with the place as written here (make sure it names no site)" in tip
    assert "its country and nothing finer" in tip


def _type_new(at: AppTest, title: str) -> AppTest:
    at.selectbox(key="e_type").set_value("torture")
    at.text_input(key="e_title").set_value(title)
    at.date_input(key="e_date_start").set_value(date(2019, 3, 1))
    at.number_input(key="e_latitude").set_value(32.435)
    at.number_input(key="e_longitude").set_value(13.633)
    return _click(at, "Save")


def test_after_a_save_the_next_incident_is_a_new_record(example_db, as_editor):
    store = open_store(example_db)
    at = _type_new(AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run(), "First one")
    assert not at.exception, at.exception
    assert any("Saved inc-" in s.value for s in at.success)
    assert at.text_input(key="e_title").value == ""  # the form is new again
    assert at.selectbox(key="e_type").value is None
    at = _type_new(at, "Second one")
    titles = set(store.query(Query(), as_editor, ["title"])["title"])
    assert {"First one", "Second one"} <= titles
    assert store.count(Query(), as_editor) == 11


def test_place_unknown_is_an_explicit_choice(example_db, as_editor):
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    at.selectbox(key="e_type").set_value("arbitrary_detention")
    at.text_input(key="e_title").set_value("Detention, place not given")
    at.date_input(key="e_date_start").set_value(date(2021, 5, 2))
    _click(at, "Save")
    assert "Place name:" in _errors(at)
    at.checkbox(key="e_place_unknown").check()
    _click(at, "Save")
    assert any("Saved inc-" in s.value for s in at.success)


def _two_editors(signed_in):
    app, editor = signed_in
    first, second = app(RECORD), app(RECORD)
    first.text_input(key="e_title").set_value("Title from the first editor")
    _click(first, "Save")
    second.text_area(key="e_description").set_value("Description from the second editor")
    second.number_input(key="e_killed_best").set_value(7)
    _click(second, "Save")
    return second, editor


def test_the_second_of_two_editors_is_refused_and_shown_what_changed(signed_in):
    second, editor = _two_editors(signed_in)
    assert "Not saved" in _errors(second)
    assert "you saved this incident in another tab or window" in _errors(second)  # one person
    table = " ".join(m.value for m in second.markdown if "<table" in m.value)
    assert "Description" in table and "Description from the second editor" in table
    assert "Killed best" in table
    stored = open_store(os.environ["INCIDENTS_DB"]).get(RECORD, editor)
    assert stored is not None and stored.title == "Title from the first editor"


def test_a_long_description_changed_by_both_editors_marks_each_side_s_own_changes(signed_in):
    """Tried as an editor would: the table showed the whole description twice and the
    one word that differed had to be found by reading both. Then each word that differed
    was marked on both sides, the other editor's change under "Your value" too: each
    side now marks only its own changes since the version both opened."""
    app, _editor = signed_in
    first, second = app(RECORD), app(RECORD)
    stored = first.text_area(key="e_description").value
    first.text_area(key="e_description").set_value(stored.replace("268 bodies", "270 bodies"))
    _click(first, "Save")
    mine = stored.replace("rubbish dump", "<b>rubbish</b> tip")
    second.text_area(key="e_description").set_value(mine)
    _click(second, "Save")
    table = " ".join(m.value for m in second.markdown if "<table" in m.value)
    assert "<mark>&lt;b&gt;rubbish&lt;/b&gt; tip</mark>" in table  # text, never markup
    assert "<mark>270</mark>" in table  # the other save's change, on its side only
    assert "<mark>268</mark>" not in table and "<mark>rubbish dump</mark>" not in table
    assert table.count("<mark>") == 2
    assert '<col style="width:42%">' in table  # the texts get the room, not the label
    assert any("yours under “Your value”" in c.value for c in second.caption)


def test_the_second_editor_keeps_both_changes(signed_in):
    second, editor = _two_editors(signed_in)
    _click(second, "Keep my changes on top of the stored record")
    assert second.text_input(key="e_title").value == "Title from the first editor"
    assert second.text_area(key="e_description").value == "Description from the second editor"
    _click(second, "Save")
    assert any("Saved" in s.value for s in second.success), _errors(second)
    stored = open_store(os.environ["INCIDENTS_DB"]).get(RECORD, editor)
    assert stored is not None
    assert (stored.title, stored.description, stored.killed_best) == (
        "Title from the first editor",
        "Description from the second editor",
        7,
    )


def _both_change_the_description(signed_in, theirs: tuple[str, str], mine: tuple[str, str]):
    """The first editor saves one change of the description, the second another and is
    refused, then keeps their changes; the second's page and the original text."""
    app, _editor = signed_in
    first, second = app(RECORD), app(RECORD)
    text = first.text_area(key="e_description").value
    first.text_area(key="e_description").set_value(text.replace(*theirs))
    _click(first, "Save")
    second.text_area(key="e_description").set_value(text.replace(*mine))
    second.number_input(key="e_killed_best").set_value(7)
    _click(second, "Save")
    _click(second, "Keep my changes on top of the stored record")
    return second, text


def test_keeping_my_changes_keeps_the_other_editor_s_words_too(signed_in):
    """Tried as an editor would: one editor changed 'numerous' to 'many' in the
    description, a second 'hundreds' to 'dozens'; the second's 'keep my changes' put
    'numerous' back and a Save would have erased the first's word without a word."""
    theirs, mine = ("found a new", "found one more"), ("rubbish dump", "landfill site")
    second, text = _both_change_the_description(signed_in, theirs, mine)
    both = text.replace(*theirs).replace(*mine)
    assert second.text_area(key="e_description").value == both
    assert not any("changed these too" in i.value for i in second.info)
    _click(second, "Save")
    stored = open_store(os.environ["INCIDENTS_DB"]).get(RECORD, signed_in[1])
    assert stored is not None and (stored.description, stored.killed_best) == (both, 7)


def test_a_word_both_editors_changed_is_named_when_mine_is_kept(signed_in):
    mine = ("rubbish dump", "landfill")
    second, text = _both_change_the_description(signed_in, ("rubbish dump", "tip"), mine)
    assert second.text_area(key="e_description").value == text.replace(*mine)
    said = " ".join(i.value for i in second.info)
    assert "changed these too, and the form holds your value: Description." in said


def test_the_second_editor_may_drop_their_changes(signed_in):
    second, editor = _two_editors(signed_in)
    store = open_store(os.environ["INCIDENTS_DB"])
    stored = store.get(RECORD, editor)
    _click(second, "Drop my changes and reload")
    assert second.text_input(key="e_title").value == "Title from the first editor"
    assert second.text_area(key="e_description").value == stored.description
    assert store.get(RECORD, editor) == stored


def test_delete_asks_why_then_restore_brings_it_back(example_db, as_editor):
    store = open_store(example_db)
    before = store.get(RECORD, as_editor)
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT)
    at.session_state["edit_id"] = RECORD
    _click(at.run(), "Delete…")
    _click(at, "Delete this incident")  # no reason given: refused
    assert "Say why" in _errors(at)
    assert store.get(RECORD, as_editor) is not None
    at.text_input(key="delete_reason").set_value("Duplicate of another record")
    _click(at, "Delete this incident")
    assert not at.exception
    assert store.get(RECORD, as_editor) is None
    assert store.count(Query(), as_editor) == 8
    assert at.selectbox(key="entry_choice").value == "new"  # the form is new, not the deleted
    listed = " ".join(m.value for m in at.markdown if "<table" in m.value)
    assert RECORD in listed and "Duplicate of another record" in listed
    _click(at, "Restore")
    assert not at.exception
    restored = store.get(RECORD, as_editor)
    assert restored is not None and restored.content() == before.content()
    assert at.text_input(key="e_title").value == before.title  # opened again in the form


def test_revert_to_an_earlier_version_after_one_confirmation(example_db, as_editor):
    store = open_store(example_db)
    first = store.get(RECORD, as_editor)
    store.save(first.replace(title="A wrong title"), as_editor)
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT)
    at.session_state["edit_id"] = RECORD
    _click(at.run(), "Revert to this version")
    assert store.get(RECORD, as_editor).title == "A wrong title"  # not before it is confirmed
    _click(at, "Confirm revert")
    assert not at.exception
    reverted = store.get(RECORD, as_editor)
    assert reverted.title == first.title and reverted.version == first.version + 2
    assert at.text_input(key="e_title").value == first.title
    assert store.verify_audit() == []


def test_only_administrators_may_purge_and_only_after_typing_the_id(
    example_db, as_editor, monkeypatch: pytest.MonkeyPatch
):
    from app_pages import common

    store = open_store(example_db)
    admin = Viewer("app-test-admin", Role.ADMIN)
    record = store.get(RECORD, admin)
    store.delete(RECORD, record.version, admin, reason="Entered by mistake")
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    assert not [b for b in at.button if b.label == "Purge…"]  # editors restore, never purge
    monkeypatch.setattr(common, "viewer", lambda: admin)
    at = _click(AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run(), "Purge…")
    at.text_input(key="purge_reason").set_value("Court order 12/2026")
    at.text_input(key="purge_id").set_value("tarhuna-ex-00")
    _click(at, "Purge for good")
    assert "type the id" in _errors(at)
    assert [d.id for d in store.deleted_records(admin)] == [RECORD]
    at.text_input(key="purge_id").set_value(RECORD)
    _click(at, "Purge for good")
    assert not at.exception
    assert store.deleted_records(admin) == []
    assert store.verify_audit() == []


def test_the_map_counts_a_deleted_incident_no_more_right_after(signed_in):
    """Every write makes the next run read the store's new data version: the map's
    cached counts do not lag behind."""
    app, _ = signed_in
    at = app(RECORD)
    at.switch_page(MAP_PAGE).run()
    assert any("9 incidents shown of 9" in m.value for m in at.markdown)
    at.switch_page(ENTRY_PAGE).run()
    _click(at, "Delete…")
    at.text_input(key="delete_reason").set_value("Duplicate")
    _click(at, "Delete this incident")
    at.switch_page(MAP_PAGE).run()
    assert not at.exception
    assert any("8 incidents shown of 8" in m.value for m in at.markdown)


def test_tables_of_record_text_stay_text():
    from app_pages.text_table import html_table

    hostile = '<img src=x onerror="alert(1)">\n\n![x](http://evil.example/x.png) **bold**'
    table = html_table(("Field", "Value"), [("Description", hostile)])
    assert "<img" not in table and "\n" not in table  # no blank line ends the HTML block
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in table


def test_a_reload_reopens_the_record_the_address_names(signed_in):
    """The address names the record open in the form (and the language chosen): a new
    session given that address, as a reload or a second tab is, opens the same record in
    the same language. An address naming a record the viewer cannot see opens a new form."""
    app, editor = signed_in
    before = open_store(os.environ["INCIDENTS_DB"]).get(RECORD, editor)
    assert before is not None
    at = app(RECORD)
    assert at.query_params["id"] == RECORD
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)  # the reload: a new session
    at.session_state[SESSION] = start_session(editor.name, Role.EDITOR, "local")
    at.query_params["id"] = RECORD
    at.query_params["lang"] = "ar"
    at = at.switch_page(ENTRY_PAGE).run()
    assert not at.exception
    assert at.text_input(key="e_title").value == before.title
    assert at.title[0].value == "إضافة حادثة أو تعديلها"
    assert at.query_params["lang"] == "ar" and at.query_params["id"] == RECORD
    stranger = AppTest.from_file(APP, default_timeout=TIMEOUT)
    stranger.session_state[SESSION] = start_session(editor.name, Role.EDITOR, "local")
    stranger.query_params["id"] = "no-such-record"
    stranger = stranger.switch_page(ENTRY_PAGE).run()
    assert stranger.text_input(key="e_title").value == ""
    assert "id" not in stranger.query_params


def test_an_address_changed_by_back_opens_the_record_it_names(signed_in):
    """Back from a new form lands on the record's own address (tried as a user would:
    the form stayed new and the address was written over). An address naming another
    record than the page wrote opens that record; one without a record, or the page's
    own, leaves the form as it is."""
    app, editor = signed_in
    at, _store, before = _opened(app, editor)
    at = _click(at, "New incident")
    assert at.text_input(key="e_title").value == ""
    assert "id" not in at.query_params
    at = at.run()  # the page's own run: the form stays new
    assert at.text_input(key="e_title").value == ""
    at.query_params["id"] = RECORD  # Back: the browser's address names the record
    at = at.run()
    assert not at.exception
    assert at.text_input(key="e_title").value == before.title
    assert at.query_params["id"] == RECORD
    at = at.run()  # its own address again: the record stays
    assert at.text_input(key="e_title").value == before.title


def test_a_save_refused_names_the_other_editor(signed_in):
    """Another person's save: the refusal names them (the same person's other tab is
    'you ... in another tab or window', above)."""
    app, _editor = signed_in
    other = "entry-page-other-editor"
    Accounts(os.environ["INCIDENTS_USERS"]).add(other, Role.EDITOR, PASSPHRASE)
    mine = app(RECORD)
    theirs = AppTest.from_file(APP, default_timeout=TIMEOUT)
    theirs.session_state[SESSION] = start_session(other, Role.EDITOR, "local")
    theirs.session_state["edit_id"] = RECORD
    theirs = theirs.switch_page(ENTRY_PAGE).run()
    theirs.text_input(key="e_title").set_value("Title from the other editor")
    _click(theirs, "Save")
    mine.text_area(key="e_description").set_value("My description")
    _click(mine, "Save")
    assert f"Not saved: {other} saved this incident" in _errors(mine)
    assert "another tab" not in _errors(mine)


def test_found_places_read_in_arabic_with_the_numbers_in_place():
    """On an Arabic page a found place names the town as the Arabic map does (ترهونة,
    with the gazetteer's Latin name), its parts isolated so the per cent sign and the
    numbers stay where they belong ('%تطابق 100' before)."""
    from types import SimpleNamespace

    from app_pages.entry_fields import _candidate_words
    from incidents import translation

    found = SimpleNamespace(name="Tarhuna", admin1="Murqub", lat=32.435, lon=13.6332, score=100,
                            country="LY", admin1_code="LY-MB")  # fmt: skip
    kabul = SimpleNamespace(name="Kabul", admin1="Kabul", lat=34.5, lon=69.2, score=100,
                            country="AF", admin1_code="AF-KAB")  # fmt: skip
    translation.set_language("ar")
    try:
        said = _candidate_words(0, found)
        afghan = _candidate_words(0, kabul)  # named in its own country, not looked up in Libya
    finally:
        translation.set_language("en")
    assert said.startswith("1. \u2068ترهونة (Tarhuna)\u2069")
    assert afghan.startswith("1. \u2068كابل (Kabul)\u2069")
    assert "\u2068تطابق 100%\u2069" in said and "\u206832.4350, 13.6332\u2069" in said
    assert _candidate_words(0, found).startswith("1. \u2068Tarhuna\u2069")


def test_a_new_form_takes_the_datas_country(example_db, as_editor):
    """A walk with Afghan, Somali and Libyan records: the new form (and its map) opened
    on Libya. It takes the country most of the data is in."""
    store = open_store(example_db)
    assert (
        AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run().session_state["e_country"]
        == "LY"
    )
    from incidents.importer import import_file

    real = ROOT / "tests" / "fixtures" / "real" / "acled_2020_export_afghanistan.csv"
    assert import_file(real, store, as_editor).imported > 9  # more than Libya's nine
    at = AppTest.from_file(ENTRY_PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception and at.session_state["e_country"] == "AF"


def test_saving_a_record_someone_deleted_keeps_what_was_typed(signed_in):
    """Tried as editors would: one changed the title while another deleted the record;
    the first's Save emptied the form ("New incident", every required field marked) and
    the typed title was gone. The Save is now refused as for a record deleted since it
    was opened, with the title kept and the two ways on."""
    app, editor = signed_in
    form, store, before = _opened(app, editor)
    form.text_input(key="e_title").set_value("A title typed before the delete")
    store.delete(RECORD, before.version, editor, "Entered twice")
    _click(form, "Save")
    assert "deleted after you opened it" in _errors(form)
    assert "Please fix" not in _errors(form)
    assert any("Nothing you typed is lost" in c.value for c in form.caption)
    _click(form, "Keep my changes on top of the stored record")
    assert form.text_input(key="e_title").value == "A title typed before the delete"
    assert any("your version is in the form as a new incident" in i.value for i in form.info)
    assert store.get(RECORD, editor) is None  # nothing written by the refused Save


def test_a_record_deleted_while_its_form_is_open_keeps_the_form(signed_in):
    """Any rerun of the page (a widget outside the form touched) after someone deleted
    the record refilled the form as a new incident, and the browser's typed text with it:
    the form keeps the record it was opened on."""
    app, editor = signed_in
    form, store, before = _opened(app, editor)
    store.delete(RECORD, before.version, editor, "Entered twice")
    form.run()
    assert form.selectbox(key="entry_choice").value == RECORD
    assert form.text_input(key="e_title").value == before.title


def _session_ends(at: AppTest, name: str) -> None:
    """The session times out (started long ago), checked at the next step."""
    import time

    from app_pages.identity import CHECKED

    at.session_state[SESSION] = start_session(name, Role.EDITOR, "local", now=time.time() - 9e4)
    at.session_state[CHECKED] = 0.0


def _signs_in(at: AppTest, name: str) -> AppTest:
    accounts = Accounts(os.environ["INCIDENTS_USERS"])
    if accounts.get(name) is None:
        accounts.add(name, Role.EDITOR, PASSPHRASE)
    at.session_state[SESSION] = start_session(name, Role.EDITOR, "local")
    at.run()  # the page asked for, now that the menu has Add or edit again
    if not any(t.key == "e_title" for t in at.text_input):
        at.switch_page(ENTRY_PAGE).run()
    return at


def test_what_was_typed_when_the_session_ended_is_back_after_signing_in(signed_in):
    """Tried as an editor would: the session ended (signed out in another tab, or idle)
    while witness details were being typed; Save showed the map with "Add or edit needs
    you to sign in", and after signing in again the form held the stored record, the
    typed text gone. It is now kept for the same account, and said so both times."""
    app, editor = signed_in
    form = app(RECORD)
    form.text_input(key="e_title").set_value("Typed before the session ended")
    _session_ends(form, editor.name)
    _click(form, "Save")
    notes = " ".join(i.value for i in form.info)
    assert "what you typed is kept in the form" in notes, notes
    back = _signs_in(form, editor.name)
    assert back.text_input(key="e_title").value == "Typed before the session ended"
    assert any("what you typed is back in the form" in i.value for i in back.info)
    stored = open_store(os.environ["INCIDENTS_DB"]).get(RECORD, editor)
    assert stored is not None and stored.title != "Typed before the session ended"


def test_a_draft_is_never_shown_to_another_account_signing_in_on_the_same_tab(signed_in):
    app, editor = signed_in
    form = app(RECORD)
    before = form.text_input(key="e_title").value
    form.text_input(key="e_title").set_value("Only its author may see this draft")
    _session_ends(form, editor.name)
    _click(form, "Save")
    other = _signs_in(form, "another-editor")
    assert other.text_input(key="e_title").value == before
    assert not any("back in the form" in i.value for i in other.info)


def test_the_incident_picker_shows_titles_without_direction_overrides(signed_in):
    """A title "\u202e12 killed" read "dellik 21" in the picker (a review)."""
    app, editor = signed_in
    store = open_store(os.environ["INCIDENTS_DB"])
    record = store.get(RECORD, editor)
    assert record is not None
    store.write_batch([record.replace(title="\u202e12 killed")], editor)
    options = app().selectbox(key="entry_choice").options
    assert f"{RECORD} — 12 killed" in options
    assert not [o for o in options if "\u202e" in o]
