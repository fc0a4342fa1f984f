"""The detail panel shows a record's witnesses, victims and notes, under their own
heading, to those entitled to them (editors, admins) and to no one else (tried as a
user would: staff imported them and could find them nowhere in the app). Record text
stays text: markup in it is shown, not obeyed."""

from __future__ import annotations

import pytest
from test_detail_merged import _detail

from incidents.access import Role, Viewer
from incidents.store import open_store

WITNESS = "Witness W-17 <b>contact</b> via the field office"
NOTES = "{{ 7*7 }} kept for the legal team"


@pytest.fixture
def with_confidential(example_db: str, as_editor: Viewer) -> str:
    store = open_store(example_db)
    record = store.get("tarhuna-ex-002", as_editor)
    assert record is not None
    store.save(record.replace(witness_details=WITNESS, confidential_notes=NOTES), as_editor)
    return example_db


def test_an_editor_sees_them_under_their_own_heading(with_confidential: str) -> None:
    shown = _detail("tarhuna-ex-002")
    assert "Confidential: staff only" in shown
    assert "Witness details" in shown and "W-17" in shown and "&lt;b&gt;contact" in shown
    assert "{{ 7*7 }} kept for the legal team" in shown  # as typed, not evaluated
    assert "Victim details" not in shown  # an empty field is not listed


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PUBLIC])
def test_others_never_see_them(
    with_confidential: str, role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app_pages import common

    monkeypatch.setattr(common, "viewer", lambda: Viewer("someone", role))
    shown = _detail("tarhuna-ex-002")
    assert "W-17" not in shown and "legal team" not in shown
    assert "Confidential: staff only" not in shown
