"""Unknown is not zero: the count rule as a function, on the map and in the index."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from incidents import count_totals
from incidents.count_totals import Total
from incidents.maps import MapOptions, build_map, map_html
from incidents.maps.aggregate import district_table, district_totals
from tests import people_words_oracle as oracle

NAN = math.nan


def _frame(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["admin1_code", "disappeared_best", "disappeared_min"])


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([("A", 3, NAN), ("A", 4, 1)], "7"),  # every record gives a best estimate
        ([("A", NAN, 338), ("A", NAN, NAN)], "at least 338"),  # minimum only
        ([("A", 5, NAN), ("A", NAN, NAN)], "at least 5"),  # one record gives nothing
        ([("A", NAN, NAN), ("A", NAN, NAN)], "unknown"),  # nothing at all: never 0
        ([("A", 0, NAN)], "0"),  # a stated zero is a zero
    ],
)
def test_the_rule(rows: list[tuple[str, float, float]], words: str) -> None:
    table = district_table(_frame(rows), "disappeared_best")
    assert oracle.words(count_totals.as_total(table.loc["A"])) == words


def test_sentences_and_notes() -> None:
    assert oracle.sentence(Total(338, 9, 0, 1), "disappeared") == "At least 338 people disappeared"
    assert oracle.sentence(Total(0, 9, 0, 0), "killed") == "Number of people killed unknown"
    assert oracle.sentence(Total(1, 1, 1, 1), "killed_best") == "1 person killed"
    assert "8 of 9 incidents give no best estimate" in oracle.note(Total(338, 9, 1, 9))
    # a walk: "100 of 100 incidents give no best estimate" of 338 given by one of them
    assert oracle.note(Total(338, 9, 1, 2)).startswith("only 2 of 9 incidents give a number;")
    assert oracle.note(Total(4, 2, 2, 2)) == ""


def test_district_totals_use_the_minimum_where_best_is_missing() -> None:
    frame = _frame([("A", NAN, 338), ("B", 2, NAN), ("", 9, NAN)])
    totals = district_totals(frame, "disappeared_best")
    assert totals.to_dict() == {"A": 338.0, "B": 2.0}


def test_the_example_map_says_at_least_and_unknown_never_zero(example_frame) -> None:
    disappeared = map_html(
        build_map(example_frame, MapOptions(layer="districts", measure="disappeared_best"))
    )
    assert "at least 338 people disappeared" in disappeared
    assert "0 people disappeared" not in disappeared
    assert "their minimum is counted" in disappeared  # the legend says why
    options = MapOptions(layer="districts", measure="killed_best")
    killed = map_html(build_map(example_frame, options))
    assert "people killed: unknown" in killed
    assert "0 people killed" not in killed
    assert "no number given" in killed  # the legend's grey swatch


def test_people_lines_for_exports(example_frame) -> None:
    lines = oracle.people_lines(example_frame)
    assert lines == [
        "At least 338 people disappeared (only 1 of 9 incidents gives a number; a minimum "
        "counts where a best estimate is missing)",
        "People killed or displaced: unknown (no incident gives a number)",
    ]
    assert oracle.people_lines(example_frame.iloc[0:0]) == []


@pytest.fixture
def example_frame() -> pd.DataFrame:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data" / "examples" / "tarhuna.csv"
    return pd.read_csv(path)
