"""The export layer's own sentences: the same English as the modules they say things
for (count_totals, public_place), and the plural forms each language needs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.access import PublicRules
from incidents.count_totals import Total
from incidents.export import people_words, placement_words
from incidents.export.caption import counts_line, day_words, incidents_words
from incidents.export.service import in_language
from tests import people_words_oracle, placement_words_oracle

totals = st.builds(
    lambda records, best, number, value: Total(
        float(value), records, min(best, records), min(max(number, best), records)
    ),
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 5000),
)


@settings(deadline=None, max_examples=200)
@given(killed=totals, disappeared=totals, displaced=totals)
def test_english_people_lines_say_what_count_totals_says(
    killed: Total, disappeared: Total, displaced: Total
) -> None:
    """Same words in English, but for the singular where one is meant (count_totals
    writes 'At least 1 people' and '... of 1 incidents give ...: their minimum')."""
    found = {"killed": killed, "disappeared": disappeared, "displaced": displaced}
    ours = in_language("en", lambda: people_words.lines_for(found))

    def as_count_totals_says(line: str) -> str:
        return line.replace("At least 1 person ", "At least 1 people ").replace(
            " of 1 incident gives no best estimate: its minimum",
            " of 1 incidents give no best estimate: their minimum",
        )

    assert [as_count_totals_says(line) for line in ours] == people_words_oracle.lines_for(found)


@pytest.mark.parametrize("level", ["town", "district"])
@pytest.mark.parametrize("grid_km", [0.0, 10.0, 2.5])
def test_english_placement_words_say_what_public_place_says(level: str, grid_km: float) -> None:
    rules = PublicRules(grid_km=grid_km, fallback_grid_km=10.0, level=level)
    rows = pd.DataFrame(
        {
            "location_precision": ["town", "town", "district", "approximate", "exact"],
            "place": ["Tarhuna", "Tarhuna", "", "", ""],
            "latitude": [32.4, 32.4, 32.0, 32.1, None],
        }
    )
    english = in_language("en", lambda: placement_words.placement_summary(rows, rules))
    assert english == placement_words_oracle.placement_summary(rows, rules)
    assert in_language("en", lambda: placement_words.rules_words(rules)) == (
        placement_words_oracle.rules_words(rules)
    )


def test_arabic_counts_use_the_dual_and_the_plural() -> None:
    assert in_language("ar", lambda: incidents_words(1)) == "حادثة واحدة"
    assert in_language("ar", lambda: incidents_words(2)) == "حادثتان"
    assert in_language("ar", lambda: incidents_words(5)) == "5 حوادث"
    assert in_language("ar", lambda: incidents_words(11)) == "11 حادثة"
    line = in_language("ar", lambda: counts_line(9, {"imprecise": 2}))
    assert line.startswith("9 حوادث معروضة؛ 2 غير معروضة")


def test_dates_are_written_as_each_language_writes_them() -> None:
    day = date(2020, 6, 1)
    assert in_language("en", lambda: day_words(day)) == "1 June 2020"
    assert in_language("ar", lambda: day_words(day)) == "1 يونيو 2020"
    assert in_language("fr", lambda: day_words(day)) == "1er juin 2020"
    assert in_language("fr", lambda: day_words(date(2020, 6, 2))) == "2 juin 2020"
