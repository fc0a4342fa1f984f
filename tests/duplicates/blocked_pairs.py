"""Every pair the product's blocking yields, as one set: what the tests compare with
the oracle (duplicates_oracle.candidate_pairs). The product never needs the whole set:
it scores the chunks as they come (incidents.duplicates.search)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from incidents.duplicates.blocking import Pair, near_chunks, shared_key_pairs
from incidents.duplicates.profile import Profile
from incidents.duplicates.reasons import Found, ReasonBook, matches
from incidents.duplicates.scoring import Match, judge
from incidents.duplicates.table import table_of


def candidate_pairs(items: Sequence[Profile], sides: Sequence[int] | None = None) -> set[Pair]:
    """Index pairs (i < j) worth comparing. With sides, only pairs of different sides
    (new import rows against stored records)."""
    pairs = shared_key_pairs(items, sides)
    for i, j in near_chunks(table_of(items), sides):
        pairs.update(zip(np.minimum(i, j).tolist(), np.maximum(i, j).tolist(), strict=True))
    return pairs


def compare(a: Profile, b: Profile) -> Match:
    """One pair judged, whatever its score (the same arrays as a whole search)."""
    one = np.zeros(1, dtype=np.int64)
    book = ReasonBook()
    return matches(Found.of(judge(table_of([a, b]), one, one + 1, 0.0), book), book, [a, b])[0]
