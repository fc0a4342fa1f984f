"""Fields and their values as people read them, in the reader's language: one rule for
every page that names a field (record history, the entry form, the duplicates review,
the import page's preview, column mapping and report).

Why: the data keeps internal names (date_start, source1_sha256) and codes
(enforced_disappearance, corroborated); people read the entry form's labels ("From",
"Source 1: Address (URL)") and the controlled lists' labels, translated.
"""

from __future__ import annotations

import re
from typing import Any

from incidents.form_edit import LABELS
from incidents.schema import VOCABULARIES
from incidents.translation import N_, _

EMPTY = "—"
# The entry form's sources table names a source's parts so (the template's columns
# source1_title ... source3_sha256 are named "Source 1: title" and so on).
SOURCE_HEADINGS = {
    "title": N_("Title"),
    "publisher": N_("Publisher"),
    "date": N_("Date"),
    "url": N_("Address (URL)"),
    "sha256": N_("sha256 of the saved copy"),
}
# Fields the form does not show, named as the pages name them.
EXTRA_LABELS = {
    "id": N_("Ref."),
    "location_method": LABELS["method"],
    "source_event_id": N_("Source event id"),
    "place_confirmed": N_("Place confirmed"),
    "confidential_notes": N_("Confidential notes"),
    "victim_details": N_("Victim details"),
    "witness_details": N_("Witness details"),
}
_SOURCE_COLUMN = re.compile(r"source(\d+)_([a-z0-9]+)")
_COUNT_ENDS = ("_min", "_best", "_max")


def label_of(name: str) -> str:
    """A field's label as the entry form shows it, in English (_() translates it)."""
    if name in LABELS:
        return LABELS[name]
    return EXTRA_LABELS.get(name, name.replace("_", " ").capitalize())


def field_label(name: str) -> str:
    """A field's label in the reader's language (a template source column included)."""
    source = _SOURCE_COLUMN.fullmatch(name)
    if source and source.group(2) in SOURCE_HEADINGS:
        said = _("Source {n}: {part}")
        return said.format(n=source.group(1), part=_(SOURCE_HEADINGS[source.group(2)]))
    return _(label_of(name))


def value_shown(name: str, value: Any) -> str:
    """A stored value as the form shows it: labels for codes (in the reader's language),
    lists joined, yes/no, whole counts; EMPTY for no value."""
    if value in (None, "", [], ()):
        return EMPTY
    vocabulary = VOCABULARIES.get(name)
    if vocabulary is not None:
        return vocabulary.shown(str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "; ".join(_source(v) if name == "sources" else str(v) for v in value)
    if isinstance(value, float) and value.is_integer() and name.endswith(_COUNT_ENDS):
        return str(int(value))
    return str(value)


def _source(source: Any) -> str:
    if not isinstance(source, dict):
        return str(source)
    parts = (source.get(p) for p in ("publisher", "title", "date", "url"))
    return ", ".join(str(p) for p in parts if p)
