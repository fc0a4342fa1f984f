"""The store's refusals (a stale version when two editors save one record, a write the
role does not allow, a missing record), the form's required-field problems and the
country names in messages speak the page's or command's language; English stays as it
was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from incidents import translation
from incidents.form_edit import required_problems
from incidents.placing import country_name
from incidents.record import Incident
from incidents.store.base import NotAllowed, NotFound, StaleEdit, Store
from tests.conftest import EDITOR, VIEWER


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


def _record() -> Incident:
    return Incident(
        id="syn-refusal",
        type="enforced_disappearance",
        title="Synthetic incident",
        description="SYNTHETIC test record",
        date_start=date(2020, 5, 1),
        date_end=date(2020, 5, 1),
        place="Tarhuna",
        country="LY",
        latitude=32.43501,
        longitude=13.6332,
        location_precision="exact",
        sensitivity="public",
    )


def _stale_refusal(store: Store) -> str:
    """Two editors open one record; the second to save is refused."""
    store.write_batch([_record()], EDITOR)
    first, second = store.get("syn-refusal", EDITOR), store.get("syn-refusal", EDITOR)
    assert first is not None and second is not None
    store.save(first.replace(title="First editor"), EDITOR)
    with pytest.raises(StaleEdit) as refused:
        store.save(second.replace(title="Second editor"), EDITOR)
    return str(refused.value)


def test_a_stale_version_is_refused_in_french(gpkg_store: Store) -> None:
    translation.set_language("fr")
    message = _stale_refusal(gpkg_store)
    assert "a été modifié par test-editor" in message
    assert "syn-refusal" in message and "version 2" in message
    assert "changed by" not in message


def test_a_stale_version_is_refused_in_arabic(gpkg_store: Store) -> None:
    translation.set_language("ar")
    message = _stale_refusal(gpkg_store)
    assert "أعد تحميلها" in message and "test-editor" in message and "syn-refusal" in message
    assert "Reload" not in message


def test_a_stale_version_is_refused_in_english_as_before(gpkg_store: Store) -> None:
    message = _stale_refusal(gpkg_store)
    assert "Incident 'syn-refusal' was changed by test-editor at " in message
    ending = "(now version 2) after you opened it. Reload it and apply your change again."
    assert message.endswith(ending)


def test_a_refused_write_and_a_missing_record_speak_arabic(gpkg_store: Store) -> None:
    translation.set_language("ar")
    with pytest.raises(NotAllowed, match="يسمح لك دورك بقراءة الحوادث لا بتغييرها"):
        gpkg_store.save(_record(), VIEWER)
    with pytest.raises(NotFound, match="الحادثة «ghost» ليست بين السجلات المحذوفة"):
        gpkg_store.restore("ghost", EDITOR)


def test_a_missing_record_speaks_french(gpkg_store: Store) -> None:
    translation.set_language("fr")
    with pytest.raises(NotFound, match="L’incident « ghost » ne figure pas parmi"):
        gpkg_store.restore("ghost", EDITOR)
    with pytest.raises(NotAllowed, match="Seuls les administrateurs peuvent purger"):
        gpkg_store.purge("ghost", EDITOR, "legal request")


def test_the_forms_required_fields_speak_the_language() -> None:
    translation.set_language("fr")
    assert required_problems({})["title"] == "Écrivez un titre court."
    translation.set_language("ar")
    assert required_problems({})["type"] == "اختر نوع الحادثة."
    translation.set_language("en")
    assert required_problems({})["date_start"] == "Give the (first possible) date."


def test_country_names_in_messages_speak_the_language() -> None:
    assert country_name("LY") == "Libya (LY)"
    assert country_name("CD") == "DR Congo (CD)"  # English as conflict data sets write it
    translation.set_language("ar")
    assert country_name("LY") == "ليبيا (LY)"
    assert country_name("TN") == "تونس (TN)"
    translation.set_language("fr")
    assert country_name("LY") == "Libye (LY)"
    assert country_name("SY") == "Syrie (SY)"
