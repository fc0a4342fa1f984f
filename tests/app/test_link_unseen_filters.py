"""A shared link's perpetrator and tag filters that its reader is not offered: a walk
found them dropped without a word, the page showing every incident as if it were the
sender's view. The page now says some filters were left out, in the same words whether
the value is on restricted records only or on none, and never names it. AppTest, the
Tarhuna example with one record made restricted (SYNTHETIC values)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from incidents.store import open_store
from tests.app.conftest import EDITOR
from tests.app.test_pages import MAP_PAGE, TIMEOUT, WHOLE_PAGE, _headline, _map_page

SECRET_TAG = "secret-site-tag"
SECRET_UNIT = "SYNTHETIC Unit Seven"
NOTICE = (
    "This link asked for a tag or alleged perpetrator that is not among the incidents you "
    "can see; those filters were left out."
)


@pytest.fixture
def restricted_db(example_db: str) -> str:
    """The example with tarhuna-ex-009 restricted, the only record of a tag and a unit."""
    store = open_store(example_db)
    record = store.get("tarhuna-ex-009", EDITOR)
    assert record is not None
    store.save(
        record.replace(
            sensitivity="restricted",
            tags=(*record.tags, SECRET_TAG),
            perpetrators=(SECRET_UNIT,),
        ),
        EDITOR,
    )
    return example_db


def _everything_said(at: AppTest) -> str:
    """Every word the page shows, the address included."""
    parts = [e.value for kind in ("markdown", "caption", "warning", "info") for e in at.get(kind)]
    parts += [str(v) for v in at.query_params.values()]
    return "\n".join(str(p) for p in parts)


def _notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "This link asked" in w.value]


@pytest.mark.parametrize(
    "params",
    [
        {"tag": SECRET_TAG},  # on a restricted record only
        {"perp": SECRET_UNIT},
        {"tag": "no-such-tag-anywhere"},  # on no record at all
        {"tag": SECRET_TAG, "perp": SECRET_UNIT},
    ],
)
def test_a_link_filter_the_reader_cannot_see_is_left_out_and_said(restricted_db, params):
    at = _map_page(**params)
    assert not at.exception
    assert "8 incidents shown of 8" in _headline(at)  # the public records, all of them
    assert _notices(at) == [NOTICE]  # the same words, whatever the value was
    said = _everything_said(at).lower()
    for value in params.values():
        assert value.lower() not in said


def test_a_link_filter_the_reader_can_see_applies_and_says_nothing(restricted_db):
    at = _map_page(tag="mass-grave", perp="Kaniyat militia (al-Kaniyat)")
    assert not at.exception
    assert "2 incidents shown of 8" in _headline(at)
    assert not _notices(at)


def test_only_the_unseen_value_goes_and_the_notice_goes_with_a_change(restricted_db):
    at = _map_page(tag=["mass-grave", SECRET_TAG])  # type: ignore[arg-type]
    assert "2 incidents shown of 8" in _headline(at)
    assert at.multiselect(key="f_tags").value == ["mass-grave"]
    assert _notices(at) == [NOTICE]
    at.run()  # another step of the same view: still said
    assert _notices(at) == [NOTICE]
    at.multiselect(key="f_types").set_value(["mass_grave"]).run()
    assert not at.exception and not _notices(at)


def test_staff_who_can_see_the_value_get_the_filter(restricted_db, as_editor):
    at = _map_page(tag=SECRET_TAG)
    assert not at.exception
    assert "1 incident shown of 9" in _headline(at)
    assert not _notices(at)


def test_the_first_run_already_leaves_the_unseen_filter_out(restricted_db):
    """A session's first run (the counts and map only, before the sidebar) counted with
    the link's unseen tag: "0 incidents shown of 8" for a moment, then the page said 8."""
    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    at.query_params["tag"] = SECRET_TAG
    at.run()
    assert not at.exception
    assert "8 incidents shown of 8" in _headline(at)
    assert _notices(at) == [NOTICE]
    at.session_state[WHOLE_PAGE] = True  # the map's first report: the whole page
    at.run()
    assert "8 incidents shown of 8" in _headline(at)
    assert _notices(at) == [NOTICE] and at.multiselect(key="f_tags").value == []
