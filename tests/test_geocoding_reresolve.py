"""Re-resolving cached answers (geomap.geocoding.reresolve): one key, and every entry."""

from __future__ import annotations

import pytest

from geomap.gazetteer import Gazetteer, normalize
from geomap.gazetteer import builder as build_module
from geomap.geocoding.entry import CacheEntry
from geomap.geocoding.geocoder import Geocoder
from geomap.geocoding.reresolve import refresh_entries, reresolve_key


def answer(query, lat, lon=2.0, *, gid=None, provider="gazetteer", key=None, **kw):
    """A found cache entry for ``query`` (keyed by its plain name unless ``key``)."""
    raw = {"name": query, "feature": "city"}
    name_key = normalize(query)
    fields = dict(latitude=lat, longitude=lon, geonameid=gid, found=True, provider=provider)
    return CacheEntry(key=key or name_key, query=query, name_key=name_key, raw=raw, **fields, **kw)


@pytest.fixture
def tiny_gazetteer(alpha_build):
    """``tiny_gazetteer(path, lat)`` builds a gazetteer that knows Alpha at (lat, 2.0) only."""

    def build(path, lat):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(build_module, "_build_into", alpha_build(lat))
            build_module.build(path)

    return build


def test_cache_outlives_rebuild_and_refresh_reports_changes(tmp_path, cache, no_network,
                                                            tiny_gazetteer):  # fmt: skip
    gaz_path = tmp_path / "gaz" / "g.sqlite"
    gaz_path.parent.mkdir()
    tiny_gazetteer(gaz_path, lat=1.0)
    with Gazetteer.open(gaz_path) as g:
        first = Geocoder(cache=cache, gazetteer=g).resolve("Alpha")
    assert (first.latitude, first.from_cache) == (1.0, False)
    created = cache.get("alpha").created
    cache.pin("Beta", 7, 8)

    tiny_gazetteer(gaz_path, lat=3.0)  # rebuilt: Alpha moved
    with Gazetteer.open(gaz_path) as g:
        cached = Geocoder(cache=cache, gazetteer=g).resolve("Alpha")
        assert (cached.latitude, cached.from_cache) == (1.0, True)  # outlived the rebuild
        changes = refresh_entries(Geocoder(cache=cache, gazetteer=g)).changes
        assert [(c.key, c.before.latitude, c.after.latitude) for c in changes] == [
            ("alpha", 1.0, 3.0)
        ]
        assert "'Alpha'" in changes[0].describe()
        assert cache.get("alpha").latitude == 3.0
        assert cache.get("alpha").created == created
        assert cache.get("beta").latitude == 7.0  # pins untouched
        assert refresh_entries(Geocoder(cache=cache, gazetteer=g)).changes == []  # all done


@pytest.mark.gazetteer
def test_refresh_keeps_pins_and_online_answers(cache, gaz, no_network, places):
    cache.pin("Rastan", 1, 2)
    cache.put(answer("Homs", 0.0, 0.0, gid=places["Homs"].geonameid))  # stale answer
    cache.put(
        CacheEntry(
            key="zzqx town",
            query="Zzqx Town",
            name_key="zzqx town",
            latitude=5.0,
            longitude=6.0,
            found=True,
            provider="online:nominatim",
        )
    )
    report = refresh_entries(Geocoder(cache=cache, gazetteer=gaz))
    assert [c.key for c in report.changes] == ["homs"] and report.entries == 3
    assert cache.get("homs").latitude == places["Homs"].latitude
    assert cache.get("rastan").pinned
    assert cache.get("zzqx town").provider == "online:nominatim"


# -- one key -------------------------------------------------------------------


@pytest.fixture
def alpha(tmp_path, tiny_gazetteer):
    """A gazetteer that knows one place, Alpha at (3.0, 2.0)."""
    path = tmp_path / "alpha.sqlite"
    tiny_gazetteer(path, lat=3.0)
    with Gazetteer.open(path) as g:
        yield g


def alpha_entry(lat=1.0, *, provider="gazetteer", key="alpha", **kw):
    return answer("Alpha", lat, gid=1, key=key, provider=provider, **kw)


def test_an_absent_key_is_resolved_and_written(cache, alpha):
    result = reresolve_key(Geocoder(cache=cache, gazetteer=alpha), "alpha|cc=SY", None)
    assert (result.query, result.hints, result.before) == ("alpha", {"country": "SY"}, None)
    assert result.underneath.latitude == 3.0 and result.underneath.key == "alpha|cc=SY"
    assert result.rewrite and result.previous is result.underneath and not result.error


def test_a_gazetteer_answer_is_rederived(cache, alpha):
    before = alpha_entry(created="2020-01-01T00:00:00.000000Z")
    result = reresolve_key(Geocoder(cache=cache, gazetteer=alpha), "alpha", before)
    assert result.rewrite and result.underneath.latitude == 3.0
    assert result.underneath.created == before.created
    assert result.previous is before


def test_an_unchanged_answer_is_not_rewritten(cache, alpha):
    geocoder = Geocoder(cache=cache, gazetteer=alpha)
    current = geocoder.fresh_entry("Alpha", pins=False)
    result = reresolve_key(geocoder, "alpha", current)
    assert not result.rewrite and result.underneath is current


@pytest.mark.parametrize("provider", ["online:nominatim", "pin"])
def test_offline_keeps_online_and_imported_answers(cache, alpha, provider, no_network):
    before = alpha_entry(9.0, provider=provider)
    result = reresolve_key(Geocoder(cache=cache, gazetteer=alpha), "alpha", before)
    assert result.underneath is before and not result.rewrite


def test_a_pin_is_never_changed_and_shows_what_lies_underneath(cache, alpha):
    pin = cache.pin("Alpha", 7.0, 8.0)
    result = reresolve_key(Geocoder(cache=cache, gazetteer=alpha), "alpha", pin)
    assert result.before is pin and not result.rewrite
    assert result.underneath.provider == "gazetteer" and result.underneath.latitude == 3.0
    assert result.previous is result.underneath


def test_a_failing_online_lookup_keeps_the_old_entry(cache, alpha):
    geocoder = Geocoder(
        cache=cache,
        gazetteer=alpha,
        online="nominatim",
        user_agent="geomap-tests",
        online_options={"domain": "127.0.0.1:9", "scheme": "http", "max_retries": 0},
    )
    before = answer("Nowhereville", 12.5, -3.25, provider="online:nominatim")
    result = reresolve_key(geocoder, "nowhereville", before)
    assert result.underneath is before and not result.rewrite


def test_a_key_that_cannot_be_resolved_keeps_its_entry_and_says_why(cache, alpha):
    before = alpha_entry(key="alpha|cc=SYR", hints={"country": "SYR"})
    result = reresolve_key(Geocoder(cache=cache, gazetteer=alpha), "alpha|cc=SYR", before)
    assert result.underneath is before and not result.rewrite
    assert "alpha-2" in result.error and "'SYR'" in result.error


# -- every entry -----------------------------------------------------------------


def test_cache_refresh_offline_keeps_an_imported_answer(cache, alpha, no_network):
    """An answer a colleague's online service gave survives an offline refresh."""
    cache.put(alpha_entry(9.0, provider="online:nominatim"))
    cache.put(alpha_entry(key="alpha|cc=SY", hints={"country": "SY"}))
    report = refresh_entries(Geocoder(cache=cache, gazetteer=alpha))
    assert [c.key for c in report.changes] == ["alpha|cc=SY"]
    assert cache.get("alpha").latitude == 9.0  # kept
    assert cache.get("alpha|cc=SY").latitude == 3.0  # re-derived


def test_cache_refresh_lists_keys_it_could_not_resolve(cache, alpha):
    cache.put(alpha_entry(key="alpha|cc=SYR", hints={"country": "SYR"}))
    report = refresh_entries(Geocoder(cache=cache, gazetteer=alpha))
    assert report.changes == [] and len(report.skipped) == 1
    assert report.skipped[0].startswith("alpha|cc=SYR: could not be re-resolved")


def test_cache_refresh_needs_a_cache(alpha):
    from geomap.errors import CacheError

    with pytest.raises(CacheError, match="needs a geocoder with a cache"):
        refresh_entries(Geocoder(cache=None, gazetteer=alpha))
