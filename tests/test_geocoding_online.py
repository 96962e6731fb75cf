"""Online providers (geomap.geocoding.online): the registry, user agent and pacing.

No test here reaches a network: services are only set up, never asked.
"""

from __future__ import annotations

import pytest

from geomap.errors import ConfigurationError
from geomap.geocoding.online import MIN_DELAY_SECONDS, OnlineService, online_geocoder, service_names

LOCAL = {"domain": "127.0.0.1:9", "scheme": "http"}


def test_the_registry_names_geopy_services():
    names = service_names()
    assert {"nominatim", "photon", "arcgis"} <= set(names) and names == sorted(names)


@pytest.mark.parametrize("asked", [0.01, 0.5, 1.0])
def test_online_is_paced_at_one_request_per_second_or_slower(asked):
    call = online_geocoder("nominatim", user_agent="geomap-tests", min_delay_seconds=asked, **LOCAL)
    assert call.min_delay_seconds >= MIN_DELAY_SECONDS >= 1.0
    assert (
        online_geocoder(
            "nominatim", user_agent="geomap-tests", min_delay_seconds=3, **LOCAL
        ).min_delay_seconds
        == 3
    )


def test_the_user_agent_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("GEOMAP_USER_AGENT", raising=False)
    with pytest.raises(ConfigurationError, match="user agent.*GEOMAP_USER_AGENT"):
        OnlineService("nominatim", options=LOCAL)
    monkeypatch.setenv("GEOMAP_USER_AGENT", "geomap-tests (tests@example.org)")
    service = OnlineService(" Nominatim ", options=LOCAL)
    assert (service.name, service.provider) == ("nominatim", "online:nominatim")
    assert service._geocoder.headers["User-Agent"] == "geomap-tests (tests@example.org)"


@pytest.mark.parametrize(
    ("service", "options", "message"),
    [
        ("nominatimm", {}, "'nominatimm'.*nominatim.*photon"),
        ("nominatim", {"no_such_option": 1}, "cannot be set up with \\['no_such_option'\\]"),
    ],
)
def test_bad_setups_are_refused(service, options, message):
    with pytest.raises(ConfigurationError, match=message):
        OnlineService(service, user_agent="geomap-tests", options=options)
