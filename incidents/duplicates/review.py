"""Two records side by side for an editor: every field, and which of them differ.

Why apart from the page: what is shown and what counts as "differs" (a list in another
order is the same list; an empty value is shown as a dash) is decided once, without
Streamlit, and tested here; the page only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.field_words import value_shown
from incidents.record import CONTENT_FIELDS, Incident, content_value
from incidents.schema import CONFIDENTIAL_FIELDS, FIELDS

# Fields an editor can take from the other record; the rest are united or kept.
CHOOSABLE = tuple(
    f.name
    for f in FIELDS
    if f.name in CONTENT_FIELDS
    and f.name not in ("id", "source_event_id", "sources", "tags", "perpetrators")
    and f.name not in CONFIDENTIAL_FIELDS
    and f.name != "sensitivity"
)


@dataclass(frozen=True)
class FieldRow:
    name: str
    first: str
    second: str
    differs: bool


def shown(name: str, value: object) -> str:
    """A field's value as text for the table, in the reader's language as the record's
    history shows it (incidents.field_words): codes as their labels, lists one item per
    '; ', an empty value as a dash."""
    return value_shown(name, content_value(value))


def field_rows(first: Incident, second: Incident) -> list[FieldRow]:
    """Every content field of both records in the data dictionary's order."""
    rows = []
    for f in FIELDS:
        if f.name not in CONTENT_FIELDS:
            continue
        a, b = getattr(first, f.name), getattr(second, f.name)
        same = sorted(map(str, a)) == sorted(map(str, b)) if isinstance(a, tuple) else a == b
        rows.append(FieldRow(f.name, shown(f.name, a), shown(f.name, b), not same))
    return rows


def differing(first: Incident, second: Incident) -> list[str]:
    """The fields an editor may take from the other record that differ."""
    return [r.name for r in field_rows(first, second) if r.differs and r.name in CHOOSABLE]
