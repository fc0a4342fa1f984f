"""Types a file names in another vocabulary: read as ours, and said so.

HXL files and namespaced GeoJSON (``incident:type``) name an event's type in their own
words. Our own codes and labels (in any of the three languages) are taken as they are;
ACLED's sub-event names map as the ACLED reader maps them; anything else is read as
"other". The word the file used is kept on the record as a tag ("type: violence"),
and the import report lists what each word was read as: the rows import either way,
and a researcher had no way to learn that "violence" had become Other.
"""

from __future__ import annotations

from collections import Counter

from incidents.io import acled
from incidents.schema import INCIDENT_TYPES
from incidents.translation import _, ngettext, number

TAG = "type: "  # the tag that keeps the file's word on the record
LISTED = 5  # words named in the note; the rest are counted
_WORD_CHARS = 40  # a longer word is cut in the note (the tag keeps it whole)

Readings = Counter[tuple[str, str]]  # (the file's word, our code) -> rows


def incident_type(text: str, readings: Readings | None = None) -> tuple[str, str]:
    """Our code for a type in another vocabulary, and a tag keeping the original when it
    was read from another vocabulary (counted in readings when given)."""
    code = INCIDENT_TYPES.lookup(text)
    if code is not None:
        return code, ""
    mapped = acled.incident_type("", text)
    if readings is not None:
        readings[(text, mapped)] += 1
    return mapped, f"{TAG}{text}"


def readings_note(readings: Readings) -> str | None:
    """The report's sentence on the words read as our types, most rows first."""
    if not readings:
        return None
    listed = _(", ").join(
        _('"{word}" as {type} ({n})').format(
            word=_cut(word), type=INCIDENT_TYPES.shown(code), n=number(n)
        )
        for (word, code), n in readings.most_common(LISTED)
    )
    if len(readings) > LISTED:
        others = len(readings) - LISTED
        more = ngettext("{n} other word", "{n} other words", others)
        listed = _(", ").join([listed, more.format(n=number(others))])
    rows = sum(readings.values())
    said = ngettext(
        "{n} row names its type in words this tool does not use. It was read as: {list}. "
        "The word is kept as a tag (type: ...); change the type on the record if it is wrong",
        "{n} rows name their type in words this tool does not use. They were read as: "
        "{list}. Each keeps its word as a tag (type: ...); change the type on a record if "
        "it is wrong",
        rows,
    )
    return said.format(n=number(rows), list=listed)


def _cut(word: str) -> str:
    return word if len(word) <= _WORD_CHARS else word[:_WORD_CHARS] + "…"
