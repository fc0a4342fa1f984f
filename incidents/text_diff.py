"""Where two versions of a long text differ, word by word.

A refused save shows the person's value beside the value stored now. Tried as an
editor would, a description of a few paragraphs that differed in one word was shown
twice, and finding the word meant reading both; the words that differ are now marked
on each side. Short values (a type, a number) are read at a glance and stay unmarked.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

Segment = tuple[str, bool]  # a run of the text, and whether it differs from the other side
MIN_CHARS = 60  # a value this long on either side is compared word by word
MAX_WORDS = 4000  # longer (a pasted megabyte): shown whole, unmarked, never slow
MIN_SHARED = 0.5  # of the two texts' words and spaces, or both are shown unmarked
_TOKENS = re.compile(r"\S+|\s+")


def changed_words(mine: str, stored: str) -> tuple[list[Segment], list[Segment]]:
    """Each text cut into runs, those that differ from the other text marked True; the
    runs of a side joined give that text back exactly."""
    whole = [(mine, False)], [(stored, False)]
    if max(len(mine), len(stored)) < MIN_CHARS:
        return whole
    a, b = _TOKENS.findall(mine), _TOKENS.findall(stored)
    if max(len(a), len(b)) > 2 * MAX_WORDS:  # words and the spaces between them
        return whole
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < MIN_SHARED:  # rewritten: marks on the few words kept are noise
        return whole
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        differs = tag != "equal"
        _add(left, "".join(a[i1:i2]), differs)
        _add(right, "".join(b[j1:j2]), differs)
    return left, right


def _add(segments: list[Segment], text: str, differs: bool) -> None:
    """text after segments, merged into the last run when it is marked alike; the white
    space around a differing run is left unmarked (the word is what changed)."""
    if differs:
        word = text.strip()
        if word:
            start = text.index(word)
            _add(segments, text[:start], False)
            if len(segments) > 1 and segments[-1][0].isspace() and segments[-2][1]:
                word = segments.pop()[0] + word  # two changed words: one marked run
            _join(segments, word, True)
            _add(segments, text[start + len(word) :], False)
            return
        differs = False
    _join(segments, text, differs)


def _join(segments: list[Segment], text: str, differs: bool) -> None:
    if not text:
        return
    if segments and segments[-1][1] == differs:
        segments[-1] = (segments[-1][0] + text, differs)
    else:
        segments.append((text, differs))


Change = tuple[int, int, tuple[str, ...]]  # base tokens [start, end) replaced by these


def merged_text(base: str, mine: str, theirs: str) -> str | None:
    """Both edits of base, where they touch different words: the text a second editor's
    'keep my changes' saves. Tried as an editor would: one changed 'many' to 'several',
    another 'hundreds' to 'dozens' in the same description, and keeping the second
    editor's changes put back 'many' without a word. None when the two change the same
    words (or insert at the same place) differently: then the person decides."""
    if theirs in (mine, base):
        return mine
    if mine == base:
        return theirs
    tokens = _TOKENS.findall(base)
    if len(tokens) > 2 * MAX_WORDS:
        return None
    ours, others = _changes(tokens, mine), _changes(tokens, theirs)
    merged: list[Change] = []
    for change in sorted({*ours, *others}):  # the same change made twice counts once
        if merged and _clash(merged[-1], change):
            return None
        merged.append(change)
    out: list[str] = []
    at = 0
    for start, end, new in merged:
        out += [*tokens[at:start], *new]
        at = end
    return "".join(out + tokens[at:])


def _changes(tokens: list[str], text: str) -> set[Change]:
    new = _TOKENS.findall(text)
    matcher = SequenceMatcher(None, tokens, new, autojunk=False)
    return {
        (i1, i2, tuple(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    }


def _clash(earlier: Change, later: Change) -> bool:
    """Whether two different changes, in base order, touch the same words or place."""
    return later[0] < earlier[1] or later[0] == earlier[0]
