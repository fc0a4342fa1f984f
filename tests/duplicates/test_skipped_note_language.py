"""The note an import report shows when the duplicate look was skipped is in the
reader's language, its number written as that language writes numbers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from incidents import translation
from incidents.duplicates.on_import import skipped_large


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "not looked for at import"),
        ("fr", "non recherchés à l’import"),
        ("ar", "لم يُبحث عنها عند الاستيراد"),
    ],
)
def test_the_skipped_note_speaks_the_readers_language(lang: str, words: str) -> None:
    translation.set_language(lang)
    said = skipped_large(20_000)
    assert words in said
    assert translation.number(20_000) in said
    assert "`python -m incidents duplicates`" in said
