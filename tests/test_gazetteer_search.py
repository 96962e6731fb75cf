"""Searching the offline gazetteer (geomap.gazetteer.search): opening, lookups, ranking."""

from __future__ import annotations

import sqlite3

import pytest

from geomap.errors import ConfigurationError, GazetteerError
from geomap.gazetteer.schema import FORMAT_VERSION, SCHEMA, is_built
from geomap.gazetteer.search import Gazetteer
from geomap.geo import haversine_km


def test_keys_are_trimmed(gaz):
    bad = [key for key, _ in gaz.iter_keys() if key != key.strip() or "  " in key or not key]
    assert bad == []


# -- integrity -------------------------------------------------------------


def test_missing_gazetteer_says_how_to_build(tmp_path):
    path = tmp_path / "none.sqlite"
    assert not is_built(path)
    with pytest.raises(GazetteerError, match="geomap gazetteer build"):
        Gazetteer.open(path)


def test_half_built_gazetteer_is_refused(tmp_path):
    path = tmp_path / "half.sqlite"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_VERSION,))
    con.commit()
    con.close()
    assert not is_built(path)
    with pytest.raises(GazetteerError, match="half-built.*geomap gazetteer build"):
        Gazetteer.open(path)


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    assert not is_built(path)
    with pytest.raises(GazetteerError, match="garbage.sqlite"):
        Gazetteer.open(path)


def test_default_path_comes_from_config(gazetteer_file, monkeypatch):
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gazetteer_file))
    assert is_built()
    with Gazetteer.open() as g:
        assert g.path == gazetteer_file


# -- the real gazetteer ----------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Rastan", "Ar Rastan", "al-Rastan", "Al Rastan", "الرستن", "ar-Rastan"]
)
def test_rastan_spellings(gaz, places, query):
    best = gaz.search(query)[0]
    assert best.place == places["Rastan"]


@pytest.mark.parametrize(
    ("query", "geonameid", "feature"),
    [
        ("Homs", 169577, "city"),
        ("Homs province", 169575, "admin1"),
        ("Homs Governorate", 169575, "admin1"),
        ("Governorate of Homs", 169575, "admin1"),
        ("Syria", 163843, "country"),
        ("Damascus", 170654, "city"),
        ("Moscow", 524901, "city"),
        ("Turkey", 298795, "country"),
        ("Jordan", 248816, "country"),
        ("Russia", 2017370, "country"),
        ("Iran", 130758, "country"),
        ("United States", 6252001, "country"),
        ("U.S.", 6252001, "country"),
        ("US", 6252001, "country"),
        ("USA", 6252001, "country"),
        ("UK", 2635167, "country"),
        ("Britain", 2635167, "country"),
        ("Europe", 6255148, "continent"),
        ("Gaza", 281133, "city"),  # not Gaza Province, Mozambique
        ("Texas", 4736286, "admin1"),
        ("Russia's", 2017370, "country"),
    ],
)
def test_search_best(gaz, query, geonameid, feature):
    best = gaz.search(query)[0]
    assert (best.place.geonameid, best.place.feature) == (geonameid, feature)


@pytest.mark.parametrize("name", ["Jordan", "Syria", "Turkey", "Russia", "Georgia", "Lebanon"])
def test_country_beats_every_namesake(gaz, name):
    results = gaz.search(name, limit=50)
    assert results[0].place.feature == "country"
    assert all(c.score < results[0].score for c in results[1:])


def test_country_points_are_geonames_points(gaz):
    syria = gaz.country("sy")
    assert (syria.latitude, syria.longitude) == (35.0, 38.0)
    assert (gaz.country("RU").latitude, gaz.country("RU").longitude) == (60.0, 100.0)
    assert gaz.country("ZZ") is None


@pytest.mark.parametrize(
    ("cc", "code", "name"),
    [
        ("SY", "11", "Homs"),
        ("SY", "13", "Damascus"),
        ("US", "CA", "California"),
        ("US", "DC", "District of Columbia"),
        ("US", "TX", "Texas"),
    ],
)
def test_admin1_english_names(gaz, cc, code, name):
    assert gaz.admin1(cc, code).admin1 == name


def test_admin1_and_get(gaz):
    homs = gaz.admin1("SY", "11")
    assert homs.geonameid == 169575 and homs.feature == "admin1"
    # the robust centre of its cities lies inside the governorate's extent
    assert 33.5 < homs.latitude < 35.5 and 36.3 < homs.longitude < 39.0
    assert gaz.get(169577).name == "Homs"
    assert gaz.get(999_999_999) is None
    assert gaz.admin1("SY", "99") is None


def test_lookup_is_exact_key(gaz):
    ids = {p.geonameid for p in gaz.lookup("rastan")}
    assert 172946 in ids
    assert gaz.lookup("Rastan") == []  # keys are already normalised


def test_hints_narrow_the_search(gaz):
    assert gaz.search("Damascus", country="US")[0].place.country_code == "US"
    assert all(c.place.country_code == "US" for c in gaz.search("Damascus", country="us"))
    maryland = gaz.search("Damascus", country="US", admin1="Maryland")[0]
    assert maryland.place.admin1 == "Maryland"
    oregon = gaz.search("Damascus", bias=(45.4, -122.4))[0]
    assert oregon.place.admin1 == "Oregon"
    assert gaz.search("Homs", feature="admin1")[0].place.geonameid == 169575
    assert gaz.search("Moscow", country="SY") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": "Syria"}, "alpha-2.*'Syria'"),
        ({"feature": "town"}, "'town'"),
    ],
)
def test_bad_hints(gaz, kwargs, message):
    with pytest.raises(ConfigurationError, match=message):
        gaz.search("Homs", **kwargs)


def test_unknown_name_gives_nothing(gaz):
    assert gaz.search("Xyzzyplugh Qqq") == []
    assert gaz.search("   ") == []


def test_places_near_a_point_are_the_most_populous_within_reach(gaz, places):
    rastan = places["Rastan"]
    (found,) = gaz.places_near([(rastan.latitude, rastan.longitude)], 15, per_point=3,
                               exclude={rastan.geonameid})  # fmt: skip
    assert found[0].geonameid == places["Talbiseh"].geonameid  # 9 km away, 38,491 people
    assert rastan.geonameid not in {p.geonameid for p in found}
    assert len(found) <= 3
    assert [p.population for p in found] == sorted((p.population for p in found), reverse=True)
    assert all(p.feature == "city" for p in found)
    assert all(haversine_km(rastan.latitude, rastan.longitude, p.latitude, p.longitude) <= 15
               for p in found)  # fmt: skip


def test_a_place_within_reach_of_two_points_goes_to_the_nearer(gaz, places):
    rastan, talbiseh = places["Rastan"], places["Talbiseh"]
    points = [(rastan.latitude, rastan.longitude), (talbiseh.latitude, talbiseh.longitude)]
    near_rastan, near_talbiseh = gaz.places_near(points, 15, per_point=50)
    ids = [p.geonameid for p in near_rastan + near_talbiseh]
    assert len(ids) == len(set(ids))  # no place listed twice
    assert talbiseh.geonameid in {p.geonameid for p in near_talbiseh}  # its own point is nearest
    assert gaz.places_near([], 15) == []


def test_districts_answer_only_when_asked(gaz):
    """Admin-2 districts have their own name table: a plain lookup or search never returns
    one, so a district never outranks a town of the same name in ordinary text."""
    (district,) = gaz.districts("Diinsoor", country="SO")
    assert (district.feature, district.admin1_code, district.admin1) == ("admin2", "04", "Bay")
    assert gaz.districts("Dinsoor District") == [district]  # an alternate name + "District"
    assert all(p.feature != "admin2" for p in gaz.lookup("diinsoor"))
    assert gaz.search("Diinsoor")[0].place.feature == "city"
    assert gaz.get(district.geonameid) == district
    assert int(gaz.meta["count_admin2"]) > 30_000


def test_lookup_asked_again_answers_alike_without_a_query(gaz):
    first = gaz.lookup("rastan")
    assert first
    first.clear()  # the caller owns the list it gets
    queries = []
    gaz._con.set_trace_callback(queries.append)
    try:
        again = gaz.lookup("rastan")
    finally:
        gaz._con.set_trace_callback(None)
    assert queries == []
    assert again and again == gaz.lookup("rastan")
    assert {p.geonameid for p in again} == {row[1] for row in gaz._rows_for_key("rastan")}


def test_districts_asked_again_answer_alike_without_a_query(gaz):
    first = gaz.districts("Diinsoor", country="SO")
    assert first
    first.clear()  # the caller owns the list it gets
    queries = []
    gaz._con.set_trace_callback(queries.append)
    try:
        again = gaz.districts("Diinsoor", country="SO")
        elsewhere = gaz.districts("Diinsoor", country="KE")  # the same rows, filtered apart
    finally:
        gaz._con.set_trace_callback(None)
    assert queries == []
    assert [p.feature for p in again] == ["admin2"]
    assert elsewhere == []
