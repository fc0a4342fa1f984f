"""The words an export prints about itself: filters, date window, counts, version.

Kept in one place so an image, a slide caption, speaker notes and a spreadsheet's
"About" sheet describe the same selection in the same words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date

import pandas as pd

from incidents.query import Query
from incidents.schema import (
    DATE_KINDS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
)

HASH_COLUMNS = ("id", "version", "type", "date_start", "date_end", "latitude", "longitude")


def day_words(day: date) -> str:
    """'1 June 2020': unambiguous in every locale, unlike 01/06/2020."""
    return f"{day.day} {day:%B %Y}"


def window_words(query: Query) -> str:
    """The date window as a phrase for a subtitle."""
    start, end = query.date_from, query.date_to
    if start and end:
        span = f"{day_words(start)} – {day_words(end)}"
    elif start:
        span = f"from {day_words(start)}"
    elif end:
        span = f"up to {day_words(end)}"
    else:
        return "All dates"
    how = "dated wholly within" if query.date_mode == "within" else "dates overlapping"
    return f"{span} ({how} the window)"


def _labels(vocab_label: object, codes: tuple[str, ...]) -> str:
    return ", ".join(vocab_label(c) for c in codes)  # type: ignore[operator]


def filter_phrases(query: Query, district_names: Mapping[str, str] | None = None) -> list[str]:
    """Each active filter as a short phrase; empty when nothing is filtered."""
    names = district_names or {}
    out: list[str] = []
    if query.types:
        out.append("Types: " + _labels(INCIDENT_TYPES.label, query.types))
    if query.date_kinds:
        out.append("Dates of kind: " + _labels(DATE_KINDS.label, query.date_kinds).lower())
    if query.verification:
        out.append("Verification: " + _labels(VERIFICATION_STATUSES.label, query.verification))
    if query.admin1_codes:
        out.append("Districts: " + ", ".join(names.get(c, c) for c in query.admin1_codes))
    if query.max_precision:
        label = LOCATION_PRECISIONS.label(query.max_precision).lower()
        out.append(f"Located at least to: {label}")
    if query.perpetrators:
        out.append("Alleged perpetrators: " + ", ".join(query.perpetrators))
    if query.tags:
        out.append("Tags: " + ", ".join(query.tags))
    if query.text.strip():
        out.append(f'Text contains "{query.text.strip()}"')
    if query.bbox:
        w, s, e, n = query.bbox
        out.append(f"Inside {w:.2f}°–{e:.2f}°E, {s:.2f}°–{n:.2f}°N")
    if query.ids:
        out.append(f"{len(query.ids)} chosen incidents")
    if not query.include_unlocated:
        out.append("Located incidents only")
    return out


def filters_sentence(query: Query, district_names: Mapping[str, str] | None = None) -> str:
    phrases = filter_phrases(query, district_names)
    if phrases:
        return "; ".join(phrases)
    if query.date_from or query.date_to:
        return "None besides the date window"
    return "None: every incident this export's audience may see"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def counts_line(shown: int, not_shown: Mapping[str, int]) -> str:
    """'9 incidents shown; 2 not shown (1 imprecise, 1 outside the window)'."""
    parts = [f"{n:,} {why}" for why, n in not_shown.items() if n]
    total = sum(n for n in not_shown.values() if n)
    line = f"{plural(shown, 'incident')} shown; {total:,} not shown"
    return f"{line} ({', '.join(parts)})" if parts else line


def selection_hash(rows: pd.DataFrame, profile: str) -> str:
    """Short, stable hash of what was exported: the same rows give the same version."""
    digest = hashlib.sha256(profile.encode())
    cols = [c for c in HASH_COLUMNS if c in rows.columns]
    if len(rows) and cols:
        ordered = rows.sort_values("id") if "id" in rows.columns else rows
        columns = [list(map(str, ordered[c].to_numpy(dtype=object))) for c in cols]
        digest.update("\x1e".join("\x1f".join(row) for row in zip(*columns, strict=True)).encode())
    return digest.hexdigest()[:10]


def type_counts(rows: pd.DataFrame) -> list[tuple[str, int]]:
    """(type label, count), most frequent first."""
    if "type" not in rows.columns or rows.empty:
        return []
    counts = rows["type"].value_counts()
    return [(INCIDENT_TYPES.label(str(code)), int(n)) for code, n in counts.items()]
