"""The sorted-neighbourhood window of dense groups: pairs stay linear in the records of
a group far denser than real data, every pair it keeps is one the exact search finds,
and a group below the limit is searched exactly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from incidents.duplicates import blocking
from incidents.duplicates.profile import Profile, profile
from incidents.record import Incident
from tests.duplicates.blocked_pairs import candidate_pairs


def _store(n: int, days: int) -> list[Profile]:
    """n killings at one town within a few hundred metres, over `days` days."""
    out = []
    for k in range(n):
        day = date(2023, 1, 1) + timedelta(k % days)
        record = Incident(
            **{
                "id": f"r{k}",
                "type": "killing",
                "title": f"Killing {k}",
                "date_start": day,
                "date_end": day,
                "country": "LY",
                "place": "Tarhuna",
                "latitude": 32.43 + (k % 7) * 0.001,
                "longitude": 13.63 + (k % 5) * 0.001,
                "location_precision": "exact",
            }
        )
        out.append(profile(record))
    return out


def test_dense_group_pairs_grow_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocking, "DENSE_WINDOW", 10)
    small, large = _store(300, 3), _store(1200, 3)
    few, many = len(candidate_pairs(small)), len(candidate_pairs(large))
    assert many <= 4.5 * few  # all pairs would be 16 times as many
    assert many <= len(large) * 2 * 10


def test_window_keeps_only_pairs_of_the_exact_search(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _store(200, 5)
    windowed = candidate_pairs(items)
    monkeypatch.setattr(blocking, "DENSE_WINDOW", 10**9)
    exact = candidate_pairs(items)
    assert windowed <= exact
    assert len(windowed) < len(exact)
    same_day = {(i, j) for i, j in exact if abs(i - j) == 5}  # same day, records 5 apart
    assert same_day <= windowed


def test_group_below_the_limit_is_searched_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _store(2 * blocking.DENSE_WINDOW, 10)
    windowed = candidate_pairs(items)
    monkeypatch.setattr(blocking, "DENSE_WINDOW", 10**9)
    assert windowed == candidate_pairs(items)
