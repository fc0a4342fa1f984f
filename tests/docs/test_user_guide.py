"""The user guide in English, Arabic and French (docs/user-guide*.md) is checked as code is.

Three readers follow the same guide in three languages, often side by side on a call:
the guides must have the same sections in the same order, each word of the interface
they quote must be the word the app shows in that language (a guide that names a button
the page does not have sends a reader hunting), and every picture and link must open.

Quoting convention: the guides quote an interface label in **bold** (and use bold for
nothing else). In the English guide each bold label is a msgid of the catalogues; in
the Arabic and French guides it is a msgstr of that language's catalogue. A label with
a value in it (a count, an id) is written with "…" where the catalogue has {name}, and a
long message may be cut after its first words with "…".
Words the interface still shows only in English are written in "quotes", unchecked.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from incidents.translation import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LOCALE = ROOT / "incidents" / "locale"
GUIDES = {
    "en": DOCS / "user-guide.md",
    "ar": DOCS / "user-guide.ar.md",
    "fr": DOCS / "user-guide.fr.md",
}
# A section: its anchor (the same id in every language, so the guides can link to one
# another's sections) on the line above a numbered level-2 heading.
SECTION = re.compile(r'^<a id="([a-z0-9-]+)"></a>\n## (\d+)\. \S', re.M)
LEVEL_2 = re.compile(r"^## ", re.M)
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)  # a label may run over a line break
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
HEADING = re.compile(r"^#{1,6} (.+?)\s*$", re.M)
PLACEHOLDER = re.compile(r"\{\w+\}")


def _text(lang: str) -> str:
    return GUIDES[lang].read_text(encoding="utf-8")


def _sections(lang: str) -> list[tuple[str, str]]:
    return SECTION.findall(_text(lang))


@cache
def _catalogue(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "incidents.po").open("rb") as po:
        return read_po(po)


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A message's one string, or each of its plural forms."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@cache
def _labels(lang: str) -> frozenset[str]:
    """Every word the app can show in that language, placeholders written as "…"."""
    words: set[str] = set(LANGUAGES.values())  # the language switch names each in itself
    for code in ("ar", "fr"):
        for message in _catalogue(code):
            if not message.id:
                continue
            if lang == "en":
                words.update(_forms(message.id))
            elif code == lang:
                words.update(s for s in _forms(message.string) if s)
    return frozenset(_spaced(PLACEHOLDER.sub("…", w)) for w in words)


def _spaced(text: str) -> str:
    """Line breaks and no-break spaces (French « : ») count as one space."""
    return " ".join(text.split())


def _is_label(quoted: str, labels: frozenset[str]) -> bool:
    """The label itself, or the first words of one followed by "…"."""
    if quoted in labels:
        return True
    start = quoted.removesuffix("…")
    return start != quoted and len(start) >= 12 and any(w.startswith(start) for w in labels)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    text = doc.read_text(encoding="utf-8")
    return set(ANCHOR.findall(text)) | {_slug(h) for h in HEADING.findall(text)}


def test_every_guide_numbers_and_anchors_each_section() -> None:
    for lang, doc in GUIDES.items():
        sections = _sections(lang)
        assert len(sections) == len(LEVEL_2.findall(_text(lang))), (
            f"{doc.name}: a '## ' heading without its anchor line and number"
        )
        numbers = [int(n) for _, n in sections]
        assert numbers == list(range(1, len(numbers) + 1)), f"{doc.name}: {numbers}"
        assert len({a for a, _ in sections}) == len(sections), f"{doc.name}: an anchor twice"


@pytest.mark.parametrize("lang", list(GUIDES))
def test_the_contents_list_every_section_in_order(lang: str) -> None:
    text = _text(lang)
    contents = text[: text.index("<a id=")]
    listed = re.findall(r"^(\d+)\. \[[^\]]+\]\(#([a-z0-9-]+)\)$", contents, re.M)
    assert [(a, n) for n, a in listed] == _sections(lang)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_guides_have_the_same_sections_in_the_same_order(lang: str) -> None:
    assert _sections(lang) == _sections("en")


def test_the_arabic_guide_reads_right_to_left() -> None:
    text = _text("ar").strip()
    assert text.startswith('<div dir="rtl">') and text.endswith("</div>")
    # GitHub renders Markdown inside the block only after a blank line.
    assert text.startswith('<div dir="rtl">\n\n') and text.endswith("\n\n</div>")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_translations_say_they_await_review(lang: str) -> None:
    said = {"ar": "مراجعة", "fr": "relecture"}[lang]
    intro = _text(lang).split("<a id=")[0]
    assert said in intro, f"{GUIDES[lang].name} must say it awaits review by a native speaker"


@pytest.mark.parametrize("lang", list(GUIDES))
def test_every_quoted_label_is_the_apps_own_word(lang: str) -> None:
    quoted = [_spaced(q) for q in BOLD.findall(_text(lang))]
    assert quoted, f"{GUIDES[lang].name} quotes no interface word"
    unknown = sorted({q for q in quoted if not _is_label(q, _labels(lang))})
    where = "msgid" if lang == "en" else f"msgstr of the {lang} catalogue"
    assert not unknown, f"{GUIDES[lang].name} quotes words that are no {where}: {unknown}"


@pytest.mark.parametrize("lang", list(GUIDES))
def test_every_image_and_relative_link_resolves(lang: str) -> None:
    doc = GUIDES[lang]
    links = LINK.findall(_text(lang))
    assert any(image for image, _ in links), f"{doc.name} shows no screenshot"
    for image, target in links:
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, fragment = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        assert file.is_file(), f"{doc.name} links to missing {target}"
        if image:
            assert file.suffix in {".png", ".jpg", ".svg"}, f"{doc.name}: {target}"
        if fragment:
            assert fragment in _anchors(file), f"{doc.name} links to missing anchor {target}"


# "مقبرة جماعية (mass grave)": the terms docs/translating.md sets for the Arabic catalogue.
TERM = re.compile(r"([\u0600-\u06ff][\u0600-\u06ff /]*?)\s*\(([a-z][a-z /]*)\)")


def _terms() -> list[tuple[list[str], list[str]]]:
    text = (DOCS / "translating.md").read_text(encoding="utf-8")
    pairs = TERM.findall(text)
    return [([a.strip() for a in ar.split("/")], en.split(" / ")) for ar, en in pairs]


def test_the_arabic_guide_uses_the_practitioners_terms() -> None:
    """Where the English guide names a term of the glossary, the Arabic guide uses the
    glossary's word for it (and not a near synonym a reader would take for another
    thing: disappearance is not absence, detention is not arrest)."""
    terms = _terms()
    assert len(terms) >= 8, "docs/translating.md no longer lists the Arabic terms"
    english, arabic = _text("en").lower(), _text("ar")
    for ar_words, en_words in terms:
        if any(re.search(rf"\b{re.escape(w)}", english) for w in en_words):
            assert any(w in arabic for w in ar_words), f"{en_words}: use {' / '.join(ar_words)}"
