"""The geocoder chain: pins -> cache -> gazetteer -> online (a local test server only),
and the one pin rule (Geocoder.pin_for)."""

from __future__ import annotations

import pytest

from geomap.errors import ConfigurationError, GeocodeError
from geomap.geocoding.cache import GeocodeCache
from geomap.geocoding.geocoder import Geocoder
from geomap.geocoding.reresolve import refresh_entries
from tests.fake_nominatim import serve

pytestmark = pytest.mark.gazetteer


@pytest.fixture
def geocoder(cache, gaz):
    return Geocoder(cache=cache, gazetteer=gaz)


ACCEPTANCE = [
    ("Rastan", 172946, "city"),
    ("Homs", 169577, "city"),
    ("Homs province", 169575, "admin1"),
    ("Syria", 163843, "country"),
    ("Damascus", 170654, "city"),  # the Syrian capital
    ("Moscow", 524901, "city"),  # the Russian capital
]


@pytest.mark.parametrize(("query", "geonameid", "feature"), ACCEPTANCE)
def test_acceptance_names(geocoder, query, geonameid, feature):
    result = geocoder.resolve(query)
    assert (result.geonameid, result.place.feature) == (geonameid, feature)
    assert result.provider == "gazetteer" and not result.from_cache
    assert 0 < result.confidence <= 1


def test_rastan_coordinates(geocoder, places):
    result = geocoder.resolve("Rastan")
    assert (result.latitude, result.longitude) == pytest.approx(places.point("Rastan"), abs=0.005)


def test_second_call_comes_from_the_cache(cache, gaz):
    first = Geocoder(cache=cache, gazetteer=gaz).resolve("Rastan")
    assert not first.from_cache
    again = Geocoder(cache=cache, gazetteer=gaz).resolve("Rastan")  # a fresh process's view
    assert again.from_cache and again.provider == "gazetteer"
    assert again.place == first.place
    assert again.to_dict() | {"from_cache": False} == first.to_dict()


def test_cached_answers_need_no_gazetteer(cache, gaz):
    Geocoder(cache=cache, gazetteer=gaz).resolve("Homs")
    geocoder = Geocoder(cache=cache, gazetteer=lambda: pytest.fail("the gazetteer was opened"))
    result = geocoder.resolve("Homs")
    assert result.from_cache and result.geonameid == 169577


def test_a_gazetteer_factory_is_called_on_the_first_miss_only(cache, gaz):
    Geocoder(cache=cache, gazetteer=gaz).resolve("Homs")
    opened = []

    def open_gazetteer():
        opened.append(1)
        return gaz

    geocoder = Geocoder(cache=cache, gazetteer=open_gazetteer)
    assert geocoder.resolve("Homs").from_cache and opened == []  # the cache answered
    assert geocoder.resolve("Rastan").geonameid == 172946
    assert geocoder.resolve("Damascus").found and opened == [1]


def test_not_found_is_cached_too(cache, gaz):
    assert Geocoder(cache=cache, gazetteer=gaz).resolve("Qqzzx Nowhere").found is False
    entry = cache.get("qqzzx nowhere")
    assert entry is not None and entry.found is False
    assert Geocoder(cache=cache, gazetteer=gaz).resolve("Qqzzx Nowhere").from_cache


def test_geopy_interface(geocoder, places):
    from geopy.location import Location

    location = geocoder.geocode("Rastan")
    assert isinstance(location, Location)
    assert (location.latitude, location.longitude) == pytest.approx(places.point("Rastan"))
    assert location.address == "Ar Rastan, Homs, Syria"
    raw = location.raw
    assert raw["geonameid"] == 172946
    assert (raw["feature"], raw["country_code"], raw["admin1"]) == ("city", "SY", "Homs")
    assert raw["score"] > 0 and raw["provider"] == "gazetteer" and "from_cache" in raw
    several = geocoder.geocode("Homs", exactly_one=False)
    ids = [loc.raw["geonameid"] for loc in several]
    assert ids[0] == 169577 and 169575 in ids and len(ids) == len(set(ids))
    assert geocoder.geocode("Qqzzx Nowhere") is None
    assert geocoder.geocode("Qqzzx Nowhere", exactly_one=False) == []


def test_hints(geocoder):
    assert geocoder.resolve("Damascus", country="US").place.country_code == "US"
    assert geocoder.resolve("Damascus", bias=(45.4, -122.5)).place.admin1 == "Oregon"
    assert geocoder.resolve("Damascus", country="US", admin1="Maryland").place.admin1 == "Maryland"
    # hints are part of the key: the plain query is untouched
    assert geocoder.resolve("Damascus").place.country_code == "SY"


def test_pin_wins_over_gazetteer_and_cache(cache, gaz):
    geocoder = Geocoder(cache=cache, gazetteer=gaz)
    assert geocoder.resolve("Rastan").geonameid == 172946  # cached gazetteer answer + memo
    cache.pin("Rastan", 34.95, 36.70, country="SY")
    pinned = geocoder.resolve("Rastan")
    assert pinned.pinned and pinned.provider == "pin"
    assert (pinned.latitude, pinned.longitude) == (34.95, 36.70)
    assert geocoder.resolve("rastan", country="SY").pinned
    assert not geocoder.resolve("Rastan", country="LB").pinned  # another country's Rastan
    # and it survives a refresh
    refresh_entries(Geocoder(cache=cache, gazetteer=gaz))
    assert Geocoder(cache=cache, gazetteer=gaz).resolve("Rastan").pinned
    cache.unpin("Rastan", country="SY")
    assert geocoder.resolve("Rastan").geonameid == 172946


@pytest.mark.parametrize("bad", ["", "   ", "--", None])
def test_blank_query(geocoder, bad):
    with pytest.raises(GeocodeError, match="empty or blank"):
        geocoder.resolve(bad)


def test_resolve_many_carries_on(geocoder):
    results = geocoder.resolve_many(["Rastan", "  ", "Homs"])
    assert [r.found for r in results] == [True, False, True]
    assert "blank" in results[1].error


def test_without_a_cache_nothing_is_stored(gaz):
    geocoder = Geocoder(cache=None, gazetteer=gaz)
    assert geocoder.resolve("Rastan").geonameid == 172946 and geocoder.cache is None
    assert not geocoder.resolve("Rastan").from_cache


def test_a_cache_opener_is_called_on_the_first_lookup(gaz):
    opened = []

    def open_cache():
        opened.append(GeocodeCache.open())
        return opened[-1]

    geocoder = Geocoder(cache=open_cache, gazetteer=gaz)
    assert opened == []
    geocoder.resolve("Rastan")
    assert len(opened) == 1 and opened[0].get("rastan") is not None
    geocoder.resolve("Homs")
    assert len(opened) == 1
    opened[0].close()


def test_warm_lookups_use_the_memo(geocoder, monkeypatch):
    geocoder.resolve("Rastan")

    def boom(*args, **kwargs):
        raise AssertionError("the memo should answer")

    monkeypatch.setattr(geocoder.cache, "get", boom)
    monkeypatch.setattr(geocoder.cache, "pins", boom)
    assert geocoder.resolve("Rastan").geonameid == 172946


# -- online, against a server on 127.0.0.1 only -----------------------------


@pytest.fixture
def nominatim():
    with serve() as fake:
        yield fake


@pytest.fixture
def online_geocoder(cache, gaz, nominatim):
    """A new geocoder that asks the local Nominatim after the gazetteer (another process's)."""

    def make(**options) -> Geocoder:
        return Geocoder(cache=cache, gazetteer=gaz, online="nominatim", user_agent="geomap-tests",
                        online_options={**nominatim.options, **options})  # fmt: skip

    return make


def test_online_provider_after_the_gazetteer(cache, online_geocoder, nominatim):
    geocoder = online_geocoder()
    assert geocoder.resolve("Rastan").provider == "gazetteer"  # offline first
    assert nominatim.hits == []
    result = geocoder.resolve("Nowhereville")
    assert result.provider == "online:nominatim" and not result.from_cache
    assert (result.latitude, result.longitude) == (12.5, -3.25)
    assert nominatim.hits == ["Nowhereville"]
    # cached: a new geocoder (another process) does not ask again
    again = online_geocoder().resolve("Nowhereville")
    assert again.from_cache and again.provider == "online:nominatim"
    assert nominatim.hits == ["Nowhereville"]
    stored = cache.get("nowhereville")
    assert stored.raw["address"] == "Nowhereville, Testland"


def test_online_failure_is_reported_not_cached(cache, online_geocoder, nominatim):
    nominatim.fail = True
    geocoder = online_geocoder(max_retries=0)
    result = geocoder.resolve("Nowhereville")
    assert not result.found and "'nominatim' failed for 'Nowhereville'" in result.error
    assert cache.get("nowhereville") is None


def test_unknown_service_lists_the_valid_ones():
    with pytest.raises(ConfigurationError, match="'nominatimm'.*nominatim.*photon"):
        Geocoder(cache=None, gazetteer=_no_gazetteer, online="nominatimm", user_agent="x")


def test_online_needs_a_user_agent(monkeypatch):
    monkeypatch.delenv("GEOMAP_USER_AGENT", raising=False)
    with pytest.raises(ConfigurationError, match="user agent.*GEOMAP_USER_AGENT"):
        Geocoder(cache=None, gazetteer=_no_gazetteer, online="nominatim")
    monkeypatch.setenv("GEOMAP_USER_AGENT", "geomap-tests")
    assert Geocoder(cache=None, gazetteer=_no_gazetteer, online="nominatim").online == "nominatim"


def _no_gazetteer():
    raise AssertionError("the gazetteer was opened")


# -- the pin rule: Geocoder.pin_for ----------------------------------------


@pytest.fixture
def pin_geocoder(cache):
    return Geocoder(cache=cache, gazetteer=lambda: pytest.fail("the pin rule needs no gazetteer"))


@pytest.mark.parametrize(
    ("pin_country", "query_country", "matches"),
    [
        (None, None, True),
        ("SY", None, True),
        ("SY", "sy", True),
        ("SY", "US", False),
        # a country-less pin is meant for every query of the name
        (None, "US", True),
        (None, "SY", True),
    ],
)
def test_pin_country_rule(cache, pin_geocoder, pin_country, query_country, matches):
    cache.pin("Rastan", 34.9, 36.7, country=pin_country)
    found = pin_geocoder.pin_for("RASTAN", country=query_country)
    assert (found is not None) is matches


def test_pin_for_prefers_the_country_pin_for_that_country(cache, pin_geocoder):
    cache.pin("Damascus", 33.5, 36.3, country="SY")
    cache.pin("Damascus", 39.3, -77.2, country="US")
    assert pin_geocoder.pin_for("Damascus", country="US").latitude == 39.3
    assert pin_geocoder.pin_for("Damascus", country="SY").latitude == 33.5


def test_country_pin_beats_a_countryless_pin_for_its_country(cache, pin_geocoder):
    cache.pin("Damascus", 10.0, 10.0)
    cache.pin("Damascus", 39.3, -77.2, country="US")
    assert pin_geocoder.pin_for("Damascus", country="US").latitude == 39.3
    assert pin_geocoder.pin_for("Damascus", country="SY").latitude == 10.0
    assert pin_geocoder.pin_for("Damascus").latitude == 10.0


def test_the_newest_of_two_equal_pins_wins(cache, pin_geocoder):
    cache.pin("Homs", 34.73, 36.72, country="SY")
    imported = cache.get("homs|cc=SY")
    imported.key, imported.query, imported.updated = "homs|cc=SY|a1=11", "Homs", "2999-01-01"
    cache.put(imported)  # a second pin of the same name and country (from an import)
    assert pin_geocoder.pin_for("Homs", country="SY").key == "homs|cc=SY|a1=11"


def test_no_cache_no_pins(gaz):
    assert Geocoder(cache=None, gazetteer=gaz).pin_for("Rastan") is None
