"""The district filter names each district in the page's language first (what a
chosen chip shows); every other known name follows, so typing any of them finds it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app_pages.filters import _district_label
from geodata.district_names import search_label
from incidents import translation


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


def test_an_arabic_page_names_the_district_in_arabic_first() -> None:
    translation.set_language("ar")
    label = _district_label("LY-MB")
    assert label.startswith("شعبية المرقب (LY-MB)")
    assert "Murqub" in label and "Al Marqab" in label  # still found by its Latin names
    assert label.count("شعبية المرقب") == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_other_pages_keep_the_display_name_first(lang: str) -> None:
    translation.set_language(lang)
    assert _district_label("LY-MB") == search_label("LY-MB")
    assert _district_label("LY-MB").startswith("Murqub (LY-MB)")
