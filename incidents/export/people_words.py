"""People killed, disappeared and displaced, as an export prints them, in its language.

count_totals adds the numbers up honestly (unknown is not zero, a missing best estimate
makes the total a lower bound); this module only says the result in words, with each
language's plural forms, so every export (image legend, slide, notes, About sheet,
HTML map) prints the same sentence in the reader's language. Each sentence is whole in
the catalogue: Arabic and French agree the verb with the number and the kind.
"""

from __future__ import annotations

import pandas as pd

from incidents import count_totals, translation
from incidents.count_totals import EXACT, PEOPLE, UNKNOWN, Total
from incidents.translation import N_, _, ngettext

_UNKNOWN = {
    ("killed",): N_("People killed: unknown (no incident gives a number)"),
    ("disappeared",): N_("People disappeared: unknown (no incident gives a number)"),
    ("displaced",): N_("People displaced: unknown (no incident gives a number)"),
    ("killed", "disappeared"): N_(
        "People killed or disappeared: unknown (no incident gives a number)"
    ),
    ("killed", "displaced"): N_("People killed or displaced: unknown (no incident gives a number)"),
    ("disappeared", "displaced"): N_(
        "People disappeared or displaced: unknown (no incident gives a number)"
    ),
    PEOPLE: N_("People killed, disappeared or displaced: unknown (no incident gives a number)"),
}


def _exact(what: str, n: int) -> str:
    if what == "killed":
        return ngettext("{n} person killed", "{n} people killed", n)
    if what == "disappeared":
        return ngettext("{n} person disappeared", "{n} people disappeared", n)
    return ngettext("{n} person displaced", "{n} people displaced", n)


def _at_least(what: str, n: int) -> str:
    if what == "killed":
        return ngettext("At least {n} person killed", "At least {n} people killed", n)
    if what == "disappeared":
        return ngettext("At least {n} person disappeared", "At least {n} people disappeared", n)
    return ngettext("At least {n} person displaced", "At least {n} people displaced", n)


def sentence(what: str, found: Total) -> str:
    """'At least 338 people disappeared (8 of 9 incidents give no best estimate: their
    minimum is counted where given)' for a total that is not unknown."""
    n = round(found.value)
    form = _exact if found.kind == EXACT else _at_least
    text = form(what, n).format(n=translation.number(n))
    if found.kind == EXACT or not found.records:
        return text
    if found.with_number < found.records:  # most of a selection may give no number at all
        return _("{sentence} ({note})").format(sentence=text, note=_some_give(found))
    note = ngettext(
        "{missing} of {n} incident gives no best estimate: its minimum is counted where given",
        "{missing} of {n} incidents give no best estimate: their minimum is counted where given",
        found.records,
    ).format(
        missing=translation.number(found.records - found.with_best),
        n=translation.number(found.records),
    )
    return _("{sentence} ({note})").format(sentence=text, note=note)


def _some_give(found: Total) -> str:
    """Why 338 is a lower bound when few incidents give a number: "9 of 100 incidents
    give no best estimate" read as if the 91 that say nothing of it were counted."""
    said = ngettext(
        "only {given} of {n} incidents gives a number; a minimum counts where a best estimate "
        "is missing",
        "only {given} of {n} incidents give a number; a minimum counts where a best estimate "
        "is missing",
        found.with_number,
    )
    return said.format(
        given=translation.number(found.with_number), n=translation.number(found.records)
    )


def lines_for(totals: dict[str, Total]) -> list[str]:
    """A sentence per kind some record gives a number for, then one for the kinds none
    does, in the active language; nothing for no records (the English reference:
    tests/people_words_oracle.py)."""
    if not any(t.records for t in totals.values()):
        return []
    lines = [sentence(what, t) for what, t in totals.items() if t.kind != UNKNOWN]
    unknown = tuple(what for what, t in totals.items() if t.kind == UNKNOWN)
    if unknown:
        lines.append(_(_UNKNOWN[unknown]))
    return lines


def people_lines(frame: pd.DataFrame) -> list[str]:
    """The lines for the rows of a selection (count_totals sums them)."""
    if frame.empty:
        return []
    return lines_for({what: count_totals.total(frame, what) for what in PEOPLE})


def estimate_words(low: float | None, best: float | None, high: float | None) -> str:
    """One record's count as a reader says it: 'best estimate 40, between 30 and 55',
    'at least 338' (a minimum alone was shown as 'range 338–?', a question mark where
    the record is silent), 'at most 12'; '' when the record gives no number."""
    parts = []
    if best is not None:
        parts.append(_("best estimate {n}").format(n=translation.number(best)))
    if low is not None and low == high:  # min = max: the number, once
        if low != best:
            parts.append(translation.number(low))
    elif low is not None and high is not None:
        span = _("between {low} and {high}")
        parts.append(span.format(low=translation.number(low), high=translation.number(high)))
    elif low is not None:
        parts.append(_("at least {n}").format(n=translation.number(low)))
    elif high is not None:
        parts.append(_("at most {n}").format(n=translation.number(high)))
    return _(", ").join(parts)
