"""Toponym resolution: context, containment, ACLED precision, abstention, the cache."""

from __future__ import annotations

import math

import pytest

from geomap.model import Mention
from geomap.text.resolve import MIN_SCORE, SHIFT_KM, geoparse, resolve_mentions


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def by_text(mentions):
    return {m.text: m for m in mentions}


# -- context --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name, geonameid",
    [
        # the focus country decides between namesakes
        ("Syrian troops shelled Aleppo and Homs. In Damascus, officials denied it.", "Damascus",
         170654),
        ("Police in Maryland and across the United States said Damascus was calm.", "Damascus",
         4351977),
        ("Moscow said Russia would act.", "Moscow", 524901),
        # a region named right after the town ("Gainesville, Ga.") wins over population
        ("A fire in Gainesville, Ga. destroyed a barn.", "Gainesville", 4196586),
        ("A fire in Gainesville, Georgia destroyed a barn.", "Gainesville", 4196586),
        ("Students in Gainesville cheered.", "Gainesville", 4156404),
    ],
)
def test_context_picks_the_right_namesake(fake_gazetteer, text, name, geonameid):
    m = by_text(geoparse(text, gazetteer=fake_gazetteer))[name]
    assert m.place is not None and m.place.geonameid == geonameid, m.reason
    assert 0 < m.confidence <= 1


def test_region_word_wants_the_admin1(fake_gazetteer):
    m = by_text(geoparse("Jets hit Homs province.", gazetteer=fake_gazetteer))["Homs province"]
    assert (m.place.geonameid, m.place.feature, m.geo_precision) == (169575, "admin1", 3)
    assert (m.latitude, m.longitude) == (m.place.latitude, m.place.longitude)


def test_bare_name_shared_with_its_region_is_the_town(fake_gazetteer):
    m = by_text(geoparse("Jets hit Homs.", gazetteer=fake_gazetteer))["Homs"]
    assert (m.place.geonameid, m.geo_precision) == (169577, 1)


@pytest.mark.parametrize(
    "text, surface, precision, shifted",
    [
        ("Fighting in Rastan.", "Rastan", 1, False),
        ("Fighting near Rastan.", "Rastan", 2, False),
        ("Fighting on the outskirts of Rastan.", "Rastan", 2, False),
        ("Fighting in the northern Homs countryside.", "northern Homs countryside", 2, True),
        ("Fighting in Homs province.", "Homs province", 3, False),
        ("Fighting in Syria.", "Syria", 3, False),
    ],
)
def test_geo_precision(fake_gazetteer, text, surface, precision, shifted):
    m = by_text(geoparse(text, gazetteer=fake_gazetteer))[surface]
    assert m.geo_precision == precision, m.reason
    moved = km(m.latitude, m.longitude, m.place.latitude, m.place.longitude)
    if shifted:
        assert moved == pytest.approx(SHIFT_KM, abs=0.5)
        assert m.latitude > m.place.latitude  # northern: moved north
        assert "shifted" in m.reason
    else:
        assert moved < 0.01
    if precision == 2 and not shifted:
        assert "flagged" in m.reason


def test_abstains_on_an_implausible_guess(fake_gazetteer):
    text = "Nothing happened in Tinyville."
    mention = Mention("", "Tinyville", text.index("Tinyville"), text.index("Tinyville") + 9)
    (m,) = resolve_mentions([mention], text, gazetteer=fake_gazetteer)
    assert m.place is None and m.latitude is None
    assert m.reason.startswith("abstained") and str(MIN_SCORE) in m.reason


def test_unknown_name_is_unresolved_with_a_reason(fake_gazetteer):
    text = "They went to Atlantis."
    mention = Mention("", "Atlantis", 13, 21)
    (m,) = resolve_mentions([mention], text, gazetteer=fake_gazetteer)
    assert not m.resolved and "no gazetteer entry" in m.reason


def test_resolve_keeps_order_and_doc_id(fake_gazetteer):
    text = "Moscow and Damascus."
    mentions = [Mention("", "Moscow", 0, 6), Mention("", "Damascus", 11, 19)]
    out = resolve_mentions(mentions, text, gazetteer=fake_gazetteer, doc_id="d1")
    assert [m.text for m in out] == ["Moscow", "Damascus"]
    assert {m.doc_id for m in out} == {"d1"}
    assert mentions[0].place is None  # inputs are not changed


@pytest.mark.parametrize("text", ["", "nothing here", "\x00\xff" * 50])
def test_bad_input_gives_an_empty_result(fake_gazetteer, text):
    assert geoparse(text, gazetteer=fake_gazetteer) == []


# -- the seed on the real gazetteer ---------------------------------------



def test_seed_places_match_the_gold_exactly(gaz, seed_text, seed_gold):
    got = [
        (m.span_start, m.span_end, m.place.geonameid if m.place else None, m.geo_precision)
        for m in geoparse(seed_text, gazetteer=gaz)
    ]
    expected = [(*p["span"], p["geonameid"], p["precision"]) for p in seed_gold["places"]]
    assert got == expected


def test_seed_countryside_point_is_inside_homs_governorate(gaz, seed_text):
    (m, *_) = [m for m in geoparse(seed_text, gazetteer=gaz) if "countryside" in m.text]
    assert (m.place.country_code, m.place.admin1_code) == ("SY", "11")
    homs = gaz.get(169577)
    assert km(m.latitude, m.longitude, homs.latitude, homs.longitude) == pytest.approx(
        SHIFT_KM, abs=0.5
    )
    assert "shifted" in m.reason and "north" in m.reason


def test_seed_every_place_is_resolved_with_confidence(gaz, seed_text):
    for m in geoparse(seed_text, gazetteer=gaz):
        assert m.resolved and m.confidence > 0.3, (m.text, m.reason)


def test_seed_demonyms_resolve_to_their_countries(gaz, seed_text, seed_gold):
    demonyms = {d["surface"]: d["geonameid"] for d in seed_gold["demonyms"]}
    for m in geoparse(seed_text, gazetteer=gaz, demonyms=True):
        if m.text in demonyms:
            assert m.place.geonameid == demonyms[m.text]
            assert "demonym" in m.reason


def test_seed_goes_through_the_geocode_cache_and_a_pin_wins(gaz, cache, seed_text):
    from geomap.geocoding import Geocoder

    geocoder = Geocoder(cache=cache, gazetteer=gaz)
    mentions = geoparse(seed_text, gazetteer=gaz, geocoder=geocoder)
    keys = {m.cache_key for m in mentions if m.place is not None}
    assert "" not in keys
    stored = {e.key: e for e in cache.entries()}
    assert keys <= set(stored)
    rastan = next(m for m in mentions if m.text == "Rastan")
    assert stored[rastan.cache_key].geonameid == 172946

    cache.pin("Rastan", 34.95, 36.75, country="SY")
    rastan = next(m for m in geoparse(seed_text, gazetteer=gaz, geocoder=geocoder)
                  if m.text == "Rastan")
    assert (rastan.latitude, rastan.longitude) == (34.95, 36.75)
    assert "pinned" in rastan.reason


def test_us_county_is_the_gazetteer_county_and_steers_the_towns(gaz):
    text = "A Laurel County man was arrested in London on Friday."
    found = by_text(geoparse(text, gazetteer=gaz))
    county, town = found["Laurel County"], found["London"]
    # London, Kentucky (not London, England): the county names the state
    assert (town.place.country_code, town.place.admin1_code) == ("US", "KY")
    # the county itself: the gazetteer's admin-2 place, precision 2
    assert (county.place.feature, county.place.admin1_code) == ("admin2", "KY")
    assert county.geo_precision == 2 and "US county" in county.reason


# -- names shared by a country or state and small towns ------------------------


@pytest.mark.parametrize(
    "text, name, feature, country",
    [
        # a country's own name in a document about another country's towns is the country
        ("Officials from Mexico's football club said the team will play in Dallas, Houston"
         " and Fort Worth in July.", "Mexico", "country", "MX"),
        # a state's name is the state, not a small namesake town elsewhere in the country
        ("Workers in Pittsburgh and Uniontown said California has cheaper land.",
         "California", "admin1", "US"),
        # a name that is a country's and a big state's: the state in a paper about its towns
        ("An Albany man was arrested on Friday. The Georgia Bureau of Investigation said"
         " Albany police helped.", "Albany", "city", "US"),
    ],
)
def test_country_and_state_names_against_small_namesakes(gaz, text, name, feature, country):
    m = by_text(geoparse(text, gazetteer=gaz))[name]
    assert m.place is not None, m.reason
    assert (m.place.feature, m.place.country_code) == (feature, country), m.reason


def test_georgia_shares_its_evidence_with_the_us_state(gaz):
    ms = geoparse(
        "An Albany man was arrested on Friday. The Georgia Bureau of Investigation said"
        " Albany police helped.",
        gazetteer=gaz,
    )
    albany = by_text(ms)["Albany"]
    assert albany.place.admin1_code == "GA", albany.reason  # Albany, Georgia, not New York


def test_a_town_the_text_places_keeps_its_country_or_state_name(gaz):
    m = by_text(geoparse("A barn burned in Mexico, Missouri, on Sunday.", gazetteer=gaz))["Mexico"]
    assert (m.place.feature, m.place.country_code, m.place.admin1_code) == ("city", "US", "MO")


def test_a_list_of_counties_does_not_decide_the_same_name_alone(gaz):
    text = ("Boone County ranks near the middle of Indiana counties for jobs. Last month"
            " 300,000 Indiana residents were looking for work.")
    ms = [m for m in geoparse(text, gazetteer=gaz) if m.text == "Indiana"]
    last = ms[-1]
    assert last.place is not None and last.place.feature == "admin1", last.reason
    assert last.place.admin1_code == "IN"


def test_a_region_smaller_than_a_sizeable_namesake_city_abroad_is_not_the_bare_name(gaz):
    # Gaza Province (Mozambique) holds fewer people than the city of Gaza
    m = by_text(geoparse("Rockets fell on Gaza overnight.", gazetteer=gaz))["Gaza"]
    assert (m.place.feature, m.place.country_code) == ("city", "PS"), m.reason
