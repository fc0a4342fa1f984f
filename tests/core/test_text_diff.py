"""Where two versions of a long text differ (incidents.text_diff)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.text_diff import MAX_WORDS, changed_words, merged_text

STORED = (
    "Residents reported that the bodies of seven men were found in a shallow grave "
    "east of the town; relatives said the men had been detained in the prison."
)


def _marked(runs):
    return [text for text, differs in runs if differs]


def test_one_changed_word_is_marked_on_both_sides_and_nothing_else():
    mine = STORED.replace("seven", "eight")
    left, right = changed_words(mine, STORED)
    assert (_marked(left), _marked(right)) == (["eight"], ["seven"])
    assert "".join(t for t, _ in left) == mine and "".join(t for t, _ in right) == STORED


def test_added_and_removed_words_are_marked_on_their_side_only():
    mine = STORED.replace("in a shallow grave", "in a grave") + " Witnesses spoke to us."
    left, right = changed_words(mine, STORED)
    assert _marked(right) == ["shallow"]
    assert _marked(left) == ["Witnesses spoke to us."]


def test_changed_words_side_by_side_are_one_marked_run():
    mine = STORED.replace("shallow grave", "mass burial site")
    left, right = changed_words(mine, STORED)
    assert (_marked(left), _marked(right)) == (["mass burial site"], ["shallow grave"])


def test_a_rewritten_text_is_shown_unmarked():
    mine = "Description from the second editor, written again from the start."
    assert changed_words(mine, STORED) == ([(mine, False)], [(STORED, False)])


def test_short_values_are_read_at_a_glance_unmarked():
    assert changed_words("killing", "torture") == ([("killing", False)], [("torture", False)])


def test_a_pasted_megabyte_is_shown_whole_unmarked():
    huge = "word " * (MAX_WORDS * 2)
    assert changed_words(huge, STORED) == ([(huge, False)], [(STORED, False)])


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=300), st.text(max_size=300))
def test_each_side_s_runs_give_its_text_back(mine, stored):
    """Hostile text of any kind (bidi marks, template syntax, NUL) is cut, never changed."""
    left, right = changed_words(mine, stored)
    assert "".join(t for t, _ in left) == mine and "".join(t for t, _ in right) == stored
    for runs in (left, right):
        assert all(a[1] != b[1] for a, b in pairwise(runs))  # marked runs alternate


BASE = "Residents said many men were held; hundreds of families were displaced."


def test_edits_of_different_words_are_both_kept():
    mine = BASE.replace("hundreds", "dozens")
    theirs = BASE.replace("many", "several").replace("displaced.", "displaced, witnesses said.")
    assert merged_text(BASE, mine, theirs) == (
        "Residents said several men were held; dozens of families were displaced, witnesses said."
    )


@pytest.mark.parametrize(
    ("mine", "theirs", "merged"),
    [
        ("many:several", "many:a few", None),  # one word changed two ways: the person says
        ("Residents:Some residents", "Residents:Neighbours", None),
        ("many:several", "men:women", BASE.replace("many men", "several women")),  # next door
    ],
)
def test_only_edits_of_the_same_words_are_left_to_the_person(mine, theirs, merged):
    def edited(change: str) -> str:
        old, new = change.split(":")
        return BASE.replace(old, new)

    assert merged_text(BASE, edited(mine), edited(theirs)) == merged


def test_the_same_edit_made_twice_is_one_edit():
    both = BASE.replace("many", "several")
    assert merged_text(BASE, both, both) == both


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=200), st.text(max_size=200))
def test_an_edit_on_one_side_only_is_that_edit(base, edited):
    assert merged_text(base, edited, base) == edited
    assert merged_text(base, base, edited) == edited
