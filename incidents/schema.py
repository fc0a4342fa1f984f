"""The incident record's fields and controlled vocabularies.

This module is the single source of truth for the schema: the data dictionary in
docs/data-dictionary.md, the spreadsheet template, the store's columns and the
validators are all derived from (or tested against) what is declared here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from incidents.translation import N_, _, catalogue

# Imports accept a label in any of these languages as well as the code.
LABEL_LANGUAGES = ("ar", "fr")


@dataclass(frozen=True)
class Vocabulary:
    """A controlled list: codes stored in the data, labels shown to people."""

    name: str
    terms: tuple[tuple[str, str], ...]  # (code, label)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.terms)

    def label(self, code: str) -> str:
        """The English label (files, the data dictionary and exports write it)."""
        return dict(self.terms).get(code, code)

    def shown(self, code: str) -> str:
        """The label in the reader's language (incidents.translation)."""
        return _(self.label(code))

    def lookup(self, text: str) -> str | None:
        """Accept a code or a label in English, Arabic or French, case-insensitively, as
        researchers type any of them."""
        return _folded_terms(self.terms).get(_fold(text))


@functools.lru_cache(maxsize=64)
def _folded_terms(terms: tuple[tuple[str, str], ...]) -> dict[str, str]:
    folded: dict[str, str] = {}
    for lang in LABEL_LANGUAGES:
        words = catalogue(lang)
        for code, label in terms:
            for said in words.gettext(label).split(" / "):  # "تهجير / نزوح": either word
                folded.setdefault(_fold(said), code)
            folded.setdefault(_fold(words.gettext(label)), code)
    folded.update({_fold(label): code for code, label in terms})
    folded.update({_fold(code): code for code, _label in terms})
    return folded


_MARKS = dict.fromkeys(range(0x064B, 0x0653))  # Arabic short vowels and shadda: optional


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    plain = text.translate(_MARKS).replace("_", " ").replace("-", " ")
    return " ".join(plain.split()).casefold()


INCIDENT_TYPES = Vocabulary(
    "type",
    (
        ("mass_grave", N_("Mass grave")),
        ("killing", N_("Summary execution / killing")),
        ("torture", N_("Torture")),
        ("enforced_disappearance", N_("Enforced disappearance")),
        ("arbitrary_detention", N_("Arbitrary detention")),
        ("displacement", N_("Displacement")),
        ("attack_on_civilians", N_("Attack on civilians")),
        ("sexual_violence", N_("Sexual violence")),
        ("destruction_of_property", N_("Destruction of property")),
        ("other", N_("Other")),
    ),
)

DATE_PRECISIONS = Vocabulary(
    "date_precision", (("day", N_("Day")), ("month", N_("Month")), ("year", N_("Year")))
)

DATE_KINDS = Vocabulary(
    "date_kind",
    (
        ("occurred", N_("Occurred")),
        ("discovered", N_("Discovered")),
        ("reported", N_("Reported")),
    ),
)

LOCATION_PRECISIONS = Vocabulary(
    "location_precision",
    (
        ("exact", N_("Exact site")),
        ("approximate", N_("Approximate")),
        ("town", N_("Town")),
        ("district", N_("District")),
        ("country", N_("Country")),
    ),
)

LOCATION_METHODS = Vocabulary(
    "location_method",
    (
        ("source", N_("From the source")),
        ("geocoded", N_("Geocoded")),
        ("manual", N_("Set by hand")),
    ),
)

VERIFICATION_STATUSES = Vocabulary(
    "verification",
    (
        ("reported", N_("Reported")),
        ("corroborated", N_("Corroborated")),
        ("verified", N_("Verified")),
        ("disputed", N_("Disputed")),
    ),
)

SENSITIVITIES = Vocabulary(
    "sensitivity", (("public", N_("Public")), ("restricted", N_("Restricted")))
)

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        INCIDENT_TYPES,
        DATE_PRECISIONS,
        DATE_KINDS,
        LOCATION_PRECISIONS,
        LOCATION_METHODS,
        VERIFICATION_STATUSES,
        SENSITIVITIES,
    )
}

# Coarser precisions rank higher: "hide everything less precise than town" keeps
# exact, approximate and town.
PRECISION_RANK: dict[str, int] = {code: rank for rank, code in enumerate(LOCATION_PRECISIONS.codes)}

FieldKind = Literal["text", "integer", "number", "date", "code", "list", "boolean"]
Group = Literal["record", "time", "place", "people", "sources", "protection", "system"]


@dataclass(frozen=True)
class Field:
    """One column of the incident record as the data dictionary describes it."""

    name: str
    kind: FieldKind
    group: Group
    description: str
    required: bool = False
    confidential: bool = False
    vocabulary: str | None = None


def _counts(what: str) -> tuple[Field, ...]:
    return tuple(
        Field(
            f"{what}_{bound}",
            "integer",
            "people",
            f"Number of people {what}: {bound} estimate stated by the sources.",
        )
        for bound in ("min", "best", "max")
    )


FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "text",
        "record",
        "Stable identifier, kept across re-imports; derived from source_event_id "
        "or the row's content when left empty.",
        True,
    ),
    Field(
        "source_event_id",
        "text",
        "record",
        "Identifier in the data set it came from (e.g. acled:LBY1234, ucdp:56789).",
    ),
    Field("type", "code", "record", "What happened.", True, vocabulary="type"),
    Field("title", "text", "record", "Short headline of the incident.", True),
    Field("description", "text", "record", "What the sources say happened."),
    Field(
        "date_start", "date", "time", "First day the incident may have happened (YYYY-MM-DD).", True
    ),
    Field(
        "date_end",
        "date",
        "time",
        "Last day it may have happened; equals date_start for one known day.",
    ),
    Field(
        "date_precision",
        "code",
        "time",
        "How precisely the date is known.",
        vocabulary="date_precision",
    ),
    Field(
        "date_kind",
        "code",
        "time",
        "Which date this is: when it occurred, or when it was discovered or reported.",
        vocabulary="date_kind",
    ),
    Field("place", "text", "place", "Place name as written in the source."),
    Field("country", "text", "place", "ISO 3166-1 alpha-2 country code (e.g. LY)."),
    Field("admin1", "text", "place", "District (first-level division) name."),
    Field("admin1_code", "text", "place", "District code, ISO 3166-2 (e.g. LY-MB)."),
    Field("latitude", "number", "place", "WGS84 latitude in decimal degrees."),
    Field("longitude", "number", "place", "WGS84 longitude in decimal degrees."),
    Field(
        "location_precision",
        "code",
        "place",
        "How precisely the point is known.",
        vocabulary="location_precision",
    ),
    Field(
        "location_uncertainty_km",
        "number",
        "place",
        "Radius in km within which the site lies (for approximate precision).",
    ),
    Field(
        "location_method",
        "code",
        "place",
        "How the point was obtained.",
        vocabulary="location_method",
    ),
    Field(
        "place_confirmed",
        "boolean",
        "place",
        "False when geocoding found no confident match and the point awaits review.",
    ),
    Field("perpetrators", "list", "people", "Alleged perpetrator(s), separated by ';'."),
    *_counts("killed"),
    *_counts("disappeared"),
    *_counts("displaced"),
    Field(
        "verification",
        "code",
        "sources",
        "How far the incident has been checked.",
        vocabulary="verification",
    ),
    Field(
        "sources",
        "list",
        "sources",
        "Sources: title, publisher, date, URL and sha256 of a saved copy each.",
    ),
    Field("tags", "list", "record", "Free keywords, separated by ';'."),
    Field(
        "sensitivity",
        "code",
        "protection",
        "Public records may appear in public views; restricted ones never do.",
        vocabulary="sensitivity",
    ),
    Field(
        "public_date_to_month",
        "boolean",
        "protection",
        "When true, public views show only the month of the dates.",
    ),
    Field(
        "confidential_notes",
        "text",
        "protection",
        "Notes for entitled staff only; never leave the store for others.",
        confidential=True,
    ),
    Field(
        "victim_details",
        "text",
        "protection",
        "Names or details of victims; entitled staff only.",
        confidential=True,
    ),
    Field(
        "witness_details",
        "text",
        "protection",
        "Witness names or contacts; entitled staff only.",
        confidential=True,
    ),
    Field("created_by", "text", "system", "Who created the record."),
    Field("created_at", "text", "system", "When it was created (UTC, ISO 8601)."),
    Field("updated_by", "text", "system", "Who last changed it."),
    Field("updated_at", "text", "system", "When it was last changed (UTC, ISO 8601)."),
    Field("version", "integer", "system", "Incremented on every change; edits must name it."),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
CONFIDENTIAL_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.confidential)
SOURCE_PARTS: tuple[str, ...] = ("title", "publisher", "date", "url", "sha256")
