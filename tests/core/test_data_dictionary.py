from pathlib import Path

from incidents.data_dictionary import render
from incidents.io.template import TEMPLATE_COLUMNS
from incidents.schema import FIELDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


def test_the_committed_dictionary_matches_the_schema():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/data-dictionary.md is out of date: "
        "run python -m incidents.data_dictionary > docs/data-dictionary.md"
    )


def test_every_field_is_documented_and_in_the_template():
    text = DOC.read_text(encoding="utf-8")
    for field in FIELDS:
        assert f"`{field.name}`" in text
        if field.group != "system" and field.name != "sources":
            assert field.name in TEMPLATE_COLUMNS
