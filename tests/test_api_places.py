"""geomap.geocode_many and geomap.refresh_cache: on a given or a default workspace."""

from __future__ import annotations

import pytest

from geomap.api.places import geocode_many as geocode_names
from geomap.api.places import refresh_cache
from geomap.errors import ConfigurationError
from geomap.geocoding import GeocodeCache
from geomap.workspace import Workspace


def test_refresh_refuses_offline_and_online():
    with pytest.raises(ConfigurationError, match="offline.*'nominatim'"):
        refresh_cache(offline=True, online="nominatim")


def test_geocode_names_uses_default_files(gazetteer_file):
    results = geocode_names(["Rastan", "Homs province"])
    assert [r.geonameid for r in results] == [172946, 169575]
    assert [r.from_cache for r in geocode_names(["Rastan"])] == [True]


@pytest.mark.gazetteer
def test_geocode_names_on_a_given_workspace(tmp_path, gaz):
    with GeocodeCache.open(tmp_path / "c.sqlite") as cache:
        with Workspace(cache=cache, gazetteer=gaz) as ws:
            results = geocode_names(["Rastan", "  ", "Damascus"], country="SY", workspace=ws)
        assert [r.found for r in results] == [True, False, True]
        assert "blank" in results[1].error
        assert cache.get("rastan|cc=SY") is not None  # the given cache, still open
    with GeocodeCache.open() as default:
        assert len(default) == 0  # the default files were not touched


def test_online_settings_belong_to_the_workspace(tmp_path):
    with Workspace(cache=tmp_path / "c.sqlite") as ws:
        with pytest.raises(ConfigurationError, match="online, user_agent.*workspace"):
            geocode_names(["Rastan"], online="nominatim", user_agent="x", workspace=ws)
        with pytest.raises(ConfigurationError, match="user_agent.*workspace"):
            refresh_cache(offline=False, user_agent="x", workspace=ws)
    with Workspace(online="nominatim", user_agent="geomap-tests") as ws:
        with pytest.raises(ConfigurationError, match="offline.*'nominatim'"):
            refresh_cache(offline=True, workspace=ws)


@pytest.mark.gazetteer
def test_refresh_cache_on_a_given_workspace(tmp_path, gaz, places):
    with GeocodeCache.open(tmp_path / "c.sqlite") as cache:
        with Workspace(cache=cache, gazetteer=gaz) as ws:
            ws.geocoder.resolve("Homs")
            stale = cache.get("homs")
            stale.latitude, stale.updated = 0.5, ""
            cache.put(stale)
            report = refresh_cache(workspace=ws)
        assert [c.key for c in report.changes] == ["homs"] and report.entries == 1
        assert cache.get("homs").latitude == places["Homs"].latitude
