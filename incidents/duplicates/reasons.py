"""The reasons of judged pairs in the words an editor reads.

Why apart from the scorer: the scorer leaves a row of small codes per pair (which
comparison said what, the distance, the days, the numbers killed); the words are
written once per distinct row, and only for the pairs found, so that judging millions
of pairs never builds millions of strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from incidents.duplicates.profile import Profile
from incidents.duplicates.scoring import CODES, Judged, Match
from incidents.translation import N_, _, ngettext

_IDS = ("", N_("the same source event id"), N_("two different events of the same data set"),
        N_("both cite the same source"), N_("a publisher in common"))  # fmt: skip
_DATES = (N_("same day"), N_("dates overlap (one is known only to the month or year)"),
          N_("dates overlap"), N_("one day apart"))  # fmt: skip
_PLACES = ("", N_(" (within the precision of their points)"),
           N_(" (farther than their precision allows)"), N_(" (too far apart)"),
           N_("same place named"), N_("same district"), N_("different countries"),
           N_("no point to compare"))  # fmt: skip
_KINDS = (N_("same type"), N_("one type is Other"), N_("compatible types"), N_("different types"))
_TITLES = ("", N_("similar titles"), N_("near-identical titles"))
_STORIES = ("", N_("descriptions tell the same story"), N_("descriptions share much"),
            N_("descriptions tell different stories"))  # fmt: skip


def reasons_of(row: Sequence[int], say: Callable[[str], str] | None = None) -> tuple[str, ...]:
    """One pair's reasons, in the order the comparisons are made, in the active language
    (a search is written in the language of the page or command that asked for it).
    say: how a phrase is translated (a ReasonBook's, which translates each phrase once
    per search)."""
    say = say or _words
    c = dict(zip(CODES, row, strict=True))
    said = [
        say(_IDS[c["ids"]]),
        say(_DATES[c["date"]])
        if c["date"] < 4
        else ngettext("{days} day apart", "{days} days apart", c["gap"]).format(days=c["gap"]),
        _place(c, say),
        say(_KINDS[c["kind"]]),
        say(", ").join(
            r for r in (say(_TITLES[c["text"]]), say(_SAME_PERPETRATORS) * c["perpetrators"]) if r
        ),
        say(_STORIES[c["story"]]),
        _counts(c, say),
    ]
    return tuple(r for r in said if r)


def _words(text: str) -> str:
    """text translated, or "" for no reason (gettext would give the catalogue's header)."""
    return _(text) if text else ""


def _place(c: dict[str, int], say: Callable[[str], str]) -> str:
    code = c["place"]
    if code >= 4:
        return say(_PLACES[code])
    shown = say(_KM).format(km=c["km"]) if c["km"] >= 0 else say(_SAME_POINT)
    note = say(_PLACES[code]) if code != 1 or c["coarse"] else ""
    return shown + note + (say(_SAME_PLACE) if c["named"] else "")


def _counts(c: dict[str, int], say: Callable[[str], str]) -> str:
    low, high = c["low"], c["high"]
    said = (
        "",
        N_("both say {low} killed"),
        "",
        N_("similar numbers killed ({low} and {high})"),
        N_("killed {low} and {high}"),
        N_("different numbers killed ({low} and {high})"),
    )[c["counts"]]
    return say(said).format(low=low, high=high)


_SAME_PERPETRATORS = N_("same perpetrators")
_KM, _SAME_POINT = N_("{km} km apart"), N_("at the same point")
_SAME_PLACE = N_(", both name the same place")


class ReasonBook:
    """The distinct reasons met in a search, each written once: a judged pair keeps only
    the number of its reasons here, so a dense store's millions of pairs keep no strings."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[int, ...], int] = {}
        self.said: list[tuple[str, ...]] = []
        self._phrases: dict[str, str] = {}  # each phrase translated once per search

    def numbers(self, codes: np.ndarray) -> np.ndarray:
        """The number of each pair's reasons (one row of codes per pair)."""
        if not len(codes):
            return np.zeros(0, dtype=np.int32)
        rows, back = _distinct_rows(codes)
        local = np.array([self._number(tuple(row)) for row in rows.tolist()], dtype=np.int32)
        return local[back]

    def _number(self, row: tuple[int, ...]) -> int:
        number = self._numbers.get(row)
        if number is None:
            number = self._numbers[row] = len(self.said)
            self.said.append(reasons_of(row, self._say))
        return number

    def _say(self, text: str) -> str:
        said = self._phrases.get(text)
        if said is None:
            said = self._phrases[text] = _words(text)
        return said


@dataclass(frozen=True)
class Found:
    """Pairs found (a is items[i], b is items[j]), with the number of their reasons."""

    i: np.ndarray
    j: np.ndarray
    score: np.ndarray
    certain: np.ndarray
    said: np.ndarray

    @classmethod
    def of(cls, judged: Judged, book: ReasonBook) -> Found:
        return cls(judged.i, judged.j, judged.score, judged.certain, book.numbers(judged.codes))


def matches(found: Found, book: ReasonBook, items: Sequence[Profile]) -> list[Match]:
    """The pairs found as matches, in their order.

    Why object arrays and map: a dense store finds millions of pairs; picking each
    pair's ids and reasons by numpy indexing and making the tuples in C (no Python call
    per pair) costs a fraction of a list comprehension calling Match(...)."""
    ids = np.empty(len(items), dtype=object)
    ids[:] = [p.id for p in items]
    said = np.empty(len(book.said), dtype=object)
    for k, reasons in enumerate(book.said):  # one by one: numpy would unpack the tuples
        said[k] = reasons
    columns = (
        ids[found.i].tolist(),
        ids[found.j].tolist(),
        found.score.tolist(),
        said[found.said].tolist(),
        found.certain.tolist(),
    )
    return list(map(partial(tuple.__new__, Match), zip(*columns, strict=True)))


def _distinct_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows and each row's index among them (np.unique(axis=0) does the
    same, but through a sort of raw bytes that is ten times slower)."""
    order = np.lexsort(codes.T[::-1])
    ranked = codes[order]
    new = np.ones(len(codes), dtype=bool)
    new[1:] = np.any(ranked[1:] != ranked[:-1], axis=1)
    back = np.empty(len(codes), dtype=np.int64)
    back[order] = np.cumsum(new) - 1
    return ranked[new], back
