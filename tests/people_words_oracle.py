"""The English words people totals were first written in (before the export layer said
them in every language, incidents/export/people_words.py): kept as the oracle the
English output of people_words is checked against."""

from __future__ import annotations

import pandas as pd

from incidents.count_totals import EXACT, PEOPLE, UNKNOWN, Total, total, what_of


def words(found: Total) -> str:
    """'338', 'at least 338' or 'unknown'."""
    if found.kind == UNKNOWN:
        return UNKNOWN
    number = f"{round(found.value):,}"
    return number if found.kind == EXACT else f"at least {number}"


def sentence(found: Total, measure: str) -> str:
    """'At least 338 people disappeared', 'Number of people killed unknown'."""
    what = what_of(measure) or "killed"
    if found.kind == UNKNOWN:
        return f"Number of people {what} unknown"
    said = words(found)
    noun = "person" if said == "1" else "people"
    return f"{said[0].upper()}{said[1:]} {noun} {what}"


def note(found: Total) -> str:
    """Why a total is a lower bound or unknown ('' when it is exact)."""
    missing = found.records - found.with_best
    if found.kind == EXACT or not found.records:
        return ""
    if found.kind == UNKNOWN:
        return f"none of the {found.records:,} incidents gives a number"
    if found.with_number < found.records:
        verb = "gives" if found.with_number == 1 else "give"
        return (
            f"only {found.with_number:,} of {found.records:,} incidents {verb} a number; "
            "a minimum counts where a best estimate is missing"
        )
    return (
        f"{missing:,} of {found.records:,} incidents give no best estimate: their "
        "minimum is counted where given"
    )


def people_lines(frame: pd.DataFrame) -> list[str]:
    """What exports print about people: 'At least 338 people disappeared (only 1 of 9
    incidents gives a number; ...)', 'People killed or displaced: unknown (no incident
    gives a number)'. Nothing for no records."""
    if frame.empty:
        return []
    return lines_for({what: total(frame, what) for what in PEOPLE})


def lines_for(totals: dict[str, Total]) -> list[str]:
    """people_lines from a Total per kind (killed, disappeared, displaced)."""
    if not any(t.records for t in totals.values()):
        return []
    lines, unknown = [], []
    for what, found in totals.items():
        if found.kind == UNKNOWN:
            unknown.append(what)
            continue
        said = note(found)
        lines.append(sentence(found, what) + (f" ({said})" if said else ""))
    if unknown:
        kinds = " or ".join([", ".join(unknown[:-1]), unknown[-1]] if len(unknown) > 1 else unknown)
        lines.append(f"People {kinds}: unknown (no incident gives a number)")
    return lines
