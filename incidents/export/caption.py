"""The words an export prints about itself: filters, date window, counts, version.

Kept in one place so an image, a slide caption, speaker notes and a spreadsheet's
"About" sheet describe the same selection in the same words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date

import pandas as pd

from incidents import translation
from incidents.country_names import country_label
from incidents.query import Query
from incidents.schema import (
    DATE_KINDS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
    Vocabulary,
)
from incidents.translation import N_, _, ngettext

HASH_COLUMNS = ("id", "version", "type", "date_start", "date_end", "latitude", "longitude")


# Why incidents are missing from a map: Selection.excluded's keys, printed translated.
REASONS = (
    N_("outside the window"),
    N_("unverified"),
    N_("imprecise"),
    N_("outside the map view"),
    N_("of a type in no panel"),
)


def day_words(day: date) -> str:
    """'1 June 2020', '1 يونيو 2020', '1 juin 2020': unambiguous in every locale, unlike
    01/06/2020."""
    text = translation.day(day, "long")
    # French writes the first of a month as an ordinal: 1er juin 2020
    return f"1er{text[1:]}" if day.day == 1 and translation.language() == "fr" else text


def window_words(query: Query) -> str:
    """The date window as a phrase for a subtitle."""
    start, end = query.date_from, query.date_to
    if not (start or end):
        return _("All dates")
    within = query.date_mode == "within"
    if start and end:
        span = f"{day_words(start)} – {day_words(end)}"
    elif start:
        span = _("from {day}").format(day=day_words(start))
    else:
        span = _("up to {day}").format(day=day_words(end))  # type: ignore[arg-type]
    if within:
        return _("{span} (dated wholly within the window)").format(span=span)
    return _("{span} (dates overlapping the window)").format(span=span)


def _labels(vocab: Vocabulary, codes: tuple[str, ...]) -> str:
    return _(", ").join(vocab.shown(c) for c in codes)


def filter_phrases(query: Query, district_names: Mapping[str, str] | None = None) -> list[str]:
    """Each active filter as a short phrase; empty when nothing is filtered."""
    names = district_names or {}
    out: list[str] = []
    if query.types:
        out.append(_("Types: {list}").format(list=_labels(INCIDENT_TYPES, query.types)))
    if query.date_kinds:
        kinds = _labels(DATE_KINDS, query.date_kinds).lower()
        out.append(_("Dates of kind: {list}").format(list=kinds))
    if query.verification:
        listed = _labels(VERIFICATION_STATUSES, query.verification)
        out.append(_("Verification: {list}").format(list=listed))
    if query.countries:
        listed = _(", ").join(map(country_label, query.countries))
        out.append(_("Countries: {list}").format(list=listed))
    if query.admin1_codes:
        listed = _(", ").join(names.get(c, c) for c in query.admin1_codes)
        out.append(_("Districts: {list}").format(list=listed))
    if query.max_precision:
        label = LOCATION_PRECISIONS.shown(query.max_precision).lower()
        out.append(_("Located at least to: {precision}").format(precision=label))
    if query.perpetrators:
        listed = _(", ").join(query.perpetrators)
        out.append(_("Alleged perpetrators: {list}").format(list=listed))
    if query.tags:
        out.append(_("Tags: {list}").format(list=_(", ").join(query.tags)))
    if query.text.strip():
        out.append(_('Text contains "{text}"').format(text=query.text.strip()))
    if query.bbox:
        w, s, e, n = (translation.number(v, 2) for v in query.bbox)
        out.append(_("Inside {west}°–{east}°E, {south}°–{north}°N").format(
            west=w, east=e, south=s, north=n))  # fmt: skip
    if query.ids:
        chosen = len(query.ids)
        out.append(ngettext("{n} chosen incident", "{n} chosen incidents", chosen).format(
            n=translation.number(chosen)))  # fmt: skip
    if not query.include_unlocated:
        out.append(_("Located incidents only"))
    return out


def filters_sentence(query: Query, district_names: Mapping[str, str] | None = None) -> str:
    phrases = filter_phrases(query, district_names)
    if phrases:
        return _("; ").join(phrases)
    if query.date_from or query.date_to:
        return _("None besides the date window")
    return _("None: every incident this export's audience may see")


def incidents_words(n: int) -> str:
    """'1 incident', '9 incidents' (and each language's plural forms)."""
    return ngettext("{n} incident", "{n} incidents", n).format(n=translation.number(n))


def counts_line(shown: int, not_shown: Mapping[str, int]) -> str:
    """'9 incidents shown; 2 not shown (1 imprecise, 1 outside the window)'."""
    parts = [
        _("{n} {why}").format(n=translation.number(n), why=_(why))
        for why, n in not_shown.items()
        if n
    ]
    total = sum(n for n in not_shown.values() if n)
    first = ngettext("{n} incident shown", "{n} incidents shown", shown).format(
        n=translation.number(shown)
    )
    line = _("{shown}; {total} not shown").format(shown=first, total=translation.number(total))
    return _("{line} ({reasons})").format(line=line, reasons=_(", ").join(parts)) if parts else line


def selection_hash(rows: pd.DataFrame, profile: str) -> str:
    """Short, stable hash of what was exported: the same rows give the same version."""
    digest = hashlib.sha256(profile.encode())
    cols = [c for c in HASH_COLUMNS if c in rows.columns]
    if len(rows) and cols:
        ordered = rows.sort_values("id") if "id" in rows.columns else rows
        columns = [list(map(str, ordered[c].to_numpy(dtype=object))) for c in cols]
        digest.update("\x1e".join("\x1f".join(row) for row in zip(*columns, strict=True)).encode())
    return digest.hexdigest()[:10]
