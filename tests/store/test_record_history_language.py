"""The change history reads in the page's language (actions, field names, labels),
while the audit log keeps its codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from incidents import translation
from incidents.record_history import readable_history
from incidents.store.base import Store
from tests.conftest import EDITOR
from tests.store.test_store import incident


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


def _changes(store: Store, lang: str) -> list[tuple[str, str, str, str]]:
    store.write_batch([incident(1), incident(2)], EDITOR)
    first = store.get("syn-1", EDITOR)
    assert first is not None
    store.save(first.replace(verification="verified"), EDITOR)
    store.delete("syn-1", 2, EDITOR, reason="duplicate")
    store.restore("syn-1", EDITOR)
    store.revert("syn-1", 1, 3, EDITOR)
    translation.set_language(lang)
    rows = readable_history(store.history("syn-1", EDITOR), EDITOR)
    return [(r.action, r.field, r.before, r.after) for r in rows]


def test_history_in_arabic(store: Store) -> None:
    rows = _changes(store, "ar")
    actions = [a for a, *_rest in rows]
    assert actions[:2] == ["استُورد", "عُدّل"]
    assert "حُذف — السبب: duplicate" in actions  # the reason is the editor's own words
    assert "استُعيد" in actions and "أُعيد إلى النسخة 1" in actions
    edited = rows[1]
    assert edited[3] == "تم التحقق"
    assert not any("a" <= ch.lower() <= "z" for ch in edited[1]), edited


def test_history_in_french(store: Store) -> None:
    rows = _changes(store, "fr")
    actions = [a for a, *_rest in rows]
    assert actions[:2] == ["Importé", "Modifié"]
    assert "Supprimé — motif : duplicate" in actions
    assert "Restauré" in actions and "Ramené à la version 1" in actions


def test_the_audit_log_keeps_its_codes(store: Store) -> None:
    _changes(store, "ar")
    codes = [e.action for e in store.history("syn-1", EDITOR)]
    assert all(c.isascii() for c in codes), codes


def test_events_that_change_no_record_read_in_the_language_too() -> None:
    """The audit log page names every entry in the reader's words, sign-ins and exports
    too (it showed 'sign-in', 'import:create', 'edit:update'); the code stays beside it."""
    from incidents.record_history import action_words
    from incidents.store.audit import AuditEntry

    def entry(action: str) -> AuditEntry:
        return AuditEntry(1, "2026-12-04T01:00:00+00:00", "ed", action, "", None, None, "", "")

    translation.set_language("ar")
    words = {a: action_words(entry(a)) for a in ("sign-in", "export", "import", "import:create")}
    assert words == {"sign-in": "سجّل الدخول", "export": "صدّر بيانات", "import": "استورد ملفًا",
                     "import:create": "استُورد"}  # fmt: skip
    translation.set_language("en")
    assert action_words(entry("sign-in-failed")) == "Sign-in refused"
