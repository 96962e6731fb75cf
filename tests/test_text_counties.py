"""US counties: the gazetteer's admin-2 districts, chosen by the state and the towns the
text names with them; the fallback among the article's towns without them."""

from __future__ import annotations

import pytest

from geomap.model import Mention, Place
from geomap.text.counties import county_candidates, listed_county, place_counties
from geomap.text.resolve import geoparse
from tests.fake_gazetteer import FakeGazetteer


def _places(text, gaz):
    return {m.text: m.place for m in geoparse(text, gazetteer=gaz)}


def _us(gid, name, lat, lon, feature, a1, admin1, pop=0):
    return Place(gid, name, lat, lon, feature, "US", "United States", a1, admin1, pop)


# -- the gazetteer's counties ---------------------------------------------------


@pytest.mark.parametrize(
    "text, name, state",
    [
        # the state written after the county
        ("Deputies from Walker County, Georgia, searched the woods.", "Walker County", "GA"),
        # the state the text names, among the states with a county of that name
        ("Voters in Boone County backed the levy, the Indiana secretary of state said;"
         " turnout in Indiana was high.", "Boone County", "IN"),
        # a county with no cities500 place of its own (population 0) is still a county
        ("Powhatan County schools reopened on Monday.", "Powhatan County", "VA"),
        # a county in a list ("Jackson and Hall counties") in the state the text names
        ("Roads in Jackson and Hall counties were closed, Georgia officials said.", "Jackson",
         "GA"),
    ],
)
def test_a_county_mention_is_the_gazetteer_county_of_its_state(gaz, text, name, state):
    found = {m.text: m for m in geoparse(text, gazetteer=gaz)}[name]
    assert found.place is not None, found.reason
    assert (found.place.feature, found.place.country_code, found.place.admin1_code) == (
        "admin2", "US", state), found.reason
    assert (found.latitude, found.longitude) == (found.place.latitude, found.place.longitude)
    assert found.geo_precision == 2 and "US county" in found.reason


@pytest.mark.parametrize(
    "text, county, town, state",
    [
        # Springfield, Ohio, seat of Clark County, Ohio: not Springfield, Missouri (the
        # most populous) nor Clark County, Nevada (Las Vegas)
        ("A Springfield man was booked into the Clark County jail.", "Clark County",
         "Springfield", "OH"),
        # the Walker County whose towns the text names, not the most populous one (Texas)
        ("A Jasper man was held in the Walker County jail.", "Walker County", "Jasper", "AL"),
        # Paris, Texas, and Lamar County, Texas: the pair, not Paris, France
        ("Paris police said the man was held in the Lamar County jail.", "Lamar County",
         "Paris", "TX"),
    ],
)
def test_a_county_and_a_town_of_it_named_together_go_together(gaz, text, county, town, state):
    places = _places(text, gaz)
    assert places[county].feature == "admin2"
    assert (places[county].admin1_code, places[town].admin1_code) == (state, state)
    assert places[town].country_code == "US"


def test_one_other_town_is_enough_to_place_a_county_near_it(gaz):
    # Harris County, Georgia, beside Columbus, not Harris County, Texas (Houston)
    places = _places("A fire in Columbus spread to a barn in Harris County.", gaz)
    assert (places["Harris County"].admin1_code, places["Columbus"].admin1_code) == ("GA", "GA")


def test_the_state_named_most_often_decides_between_counties_near_named_towns(gaz):
    # Belvidere lies in Boone County, Illinois; the text is about Indiana's Boone County
    text = ("Boone County's jobless rate rose to 7 percent, Indiana officials said, below the"
            " rates of Ohio, Michigan and Illinois. Indiana's rate fell; Belvidere's rose.")
    assert _places(text, gaz)["Boone County"].admin1_code == "IN"


# -- gazetteers without counties ----------------------------------------------------


LONDON_KY = _us(4298960, "London", 37.12898, -84.08326, "city", "KY", "Kentucky", 8000)
KENTUCKY = _us(6254925, "Kentucky", 37.5, -85.0, "admin1", "KY", "Kentucky", 4_300_000)
LAUREL_KY = _us(4297480, "Laurel County", 37.12898, -84.08326, "admin2", "KY", "Kentucky",
                10615)
LONDON_GB = Place(2643743, "London", 51.5, -0.13, "city", "GB", "United Kingdom", "ENG",
                  "England", 8_900_000)


def test_county_candidates_are_the_gazetteer_counties_of_that_name():
    gaz = FakeGazetteer([(KENTUCKY, ()), (LONDON_KY, ()), (LAUREL_KY, ("Laurel",))])
    found, states = county_candidates(gaz, "Laurel County", [])
    assert (found, states) == ([(LAUREL_KY, True)], ("KY",))


def test_without_counties_a_county_is_a_namesake_town_or_the_state():
    gaz = FakeGazetteer([(KENTUCKY, ()), (LONDON_KY, ())])
    laurel_town = _us(1, "Laurel", 37.0, -84.0, "city", "KY", "Kentucky", 100)
    laurel_gb = Place(2, "Laurel", 51.0, 0.0, "city", "GB", "United Kingdom", "ENG", "England")
    found, states = county_candidates(gaz, "Laurel", [(laurel_town, True), (laurel_gb, True)])
    assert "KY" in states
    assert (laurel_town, True) in found and (KENTUCKY, False) in found
    assert all(p.country_code == "US" for p, _ in found)
    # a name no US county bears keeps its own candidates
    assert county_candidates(gaz, "Qwzzx", [(laurel_gb, True)]) == ([(laurel_gb, True)], ())


def _mention(text, place):
    return Mention("d", text, 0, len(text), place=place, latitude=place.latitude,
                   longitude=place.longitude, confidence=0.9)


def test_without_counties_a_county_is_placed_among_the_articles_towns():
    county = _mention("Laurel County", KENTUCKY)
    town = _mention("London", LONDON_KY)
    place_counties([("KY", "MS"), ()], [county, town])
    assert county.place is None and county.geo_precision == 2
    assert (county.latitude, county.longitude) == (LONDON_KY.latitude, LONDON_KY.longitude)
    assert "US county" in county.reason


def test_a_gazetteer_county_stays_where_resolution_put_it():
    county = _mention("Laurel County", LAUREL_KY)
    town = _mention("London", _us(3, "Corbin", 36.9, -84.1, "city", "KY", "Kentucky", 7000))
    place_counties([("KY",), ()], [county, town])
    assert county.place == LAUREL_KY
    assert (county.latitude, county.longitude) == (LAUREL_KY.latitude, LAUREL_KY.longitude)


def test_counties_in_a_list_are_counties():
    text = ("Schools in Barrow, Jackson and Madison counties closed; Paris and Lyon did not."
            " Jobless rates rose in most Indiana counties and in Clay & Perry counties.")
    words = ("Barrow", "Jackson", "Madison", "Paris", "Indiana", "Clay", "Perry")
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    assert [bool(listed_county(text, a, b)) for a, b in spans] == [
        True, True, True, False, False, True, True]


# -- counties the recogniser does not know ----------------------------------------


def test_counties_named_after_no_town_are_found(gaz):
    text = ("The Gwinnett County sheriff said deputies in Rapides Parish and Otter Tail County"
            " helped; schools in Barrow, Clarke and Oconee counties closed.")
    found = {m.text: m for m in geoparse(text, gazetteer=gaz)}
    expected = {"Gwinnett County": "GA", "Rapides Parish": "LA", "Otter Tail County": "MN",
                "Barrow": "GA", "Clarke": "GA", "Oconee": "GA"}
    for name, state in expected.items():
        assert name in found, sorted(found)
        place = found[name].place
        assert place is not None and (place.feature, place.admin1_code) == ("admin2", state)


def test_county_mentions_take_only_what_the_recogniser_left_and_real_counties(gaz):
    from geomap.text.counties import county_mentions

    text = "The Hall County board met. Fooqux County and Smith Parish were named in jest."
    hall = Mention("d", "Hall County", 4, 15)
    # the recogniser's mention stays the only one; no county is made up
    assert county_mentions(text, gaz, [hall], "d") == []
    found = county_mentions(text, gaz, [], "d")
    assert [(m.text, m.span_start) for m in found] == [("Hall County", 4)]  # not "The Hall"


def test_a_county_is_no_parish_and_a_parish_no_county(gaz):
    # Louisiana is named, but it has parishes: "Madison County" is Kentucky's, by Richmond
    text = "A Richmond man was held in the Madison County jail, Louisiana police said."
    assert _places(text, gaz)["Madison County"].admin1_code == "KY"
    text = "Deputies in Caddo and Bossier parishes searched the river banks."
    assert {p.name for p in _places(text, gaz).values()} == {"Caddo Parish", "Bossier Parish"}


@pytest.mark.parametrize(
    "text",
    [
        "In Hall County and Otter Tail County, in Rapides PARISH and in St. Mary Parish.",
        "Hall County-based, McHenry County's, O'Brien County; aHall County; 3Hall County",
        "County Hall County.\nLAUREL COUNTY\tand Laurel  County and West Baton Rouge Parish",
        "Élan County, Ñandú Parish and _Hall County at the start: Hall County",
    ],
)
def test_the_county_pattern_matches_as_its_word_boundary_form(text):
    """The pattern opens with the capital and checks the character before it after: the
    same matches as ``\\b`` before the first word."""
    import re

    from geomap.text.counties import _COUNTY_RE, _WORD

    plain = re.compile(rf"\b({_WORD}(?:\s+{_WORD})?)\s+(County|Parish|COUNTY|PARISH)\b")
    found = [(m.span(), m.groups()) for m in _COUNTY_RE.finditer(text)]
    assert found == [(m.span(), m.groups()) for m in plain.finditer(text)]
    assert found
