"""Online geocoding services through geopy, used only when asked for (``--online``).

geopy's registry maps a service name ("nominatim", "photon", ...) to its class;
an unknown name is refused with the list of valid ones.  Every service needs a
user agent that identifies the user (``--user-agent`` or
``$GEOMAP_USER_AGENT``, see :func:`geomap.config.user_agent`) and is paced by
geopy's ``RateLimiter`` at one request per second or slower, the Nominatim
usage policy.  geopy is imported only here and only when a service is set up.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from geomap import config
from geomap.errors import ConfigurationError, GeocodeError

if TYPE_CHECKING:
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders.base import Geocoder as GeopyGeocoder
    from geopy.location import Location

#: geopy's RateLimiter never goes faster than this (the Nominatim usage policy).
MIN_DELAY_SECONDS = 1.0


class OnlineLookupError(GeocodeError):
    """An online service failed to answer (network, quota, server error)."""


def service_names() -> list[str]:
    """The service names geopy knows, sorted."""
    from geopy.geocoders import SERVICE_TO_GEOCODER

    return sorted(SERVICE_TO_GEOCODER)


def _setup(
    service: str, user_agent: str | None, options: dict[str, Any]
) -> tuple[GeopyGeocoder, RateLimiter]:
    """The geopy geocoder for ``service`` and its paced ``geocode``."""
    from geopy.exc import GeocoderNotFound
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(service.strip().lower())
    except GeocoderNotFound:
        raise ConfigurationError(
            f"Unknown online geocoding service, instead got: {service!r}."
            f" Fix: use one of {', '.join(service_names())}."
        ) from None
    agent = user_agent or config.user_agent()
    if not agent:
        raise ConfigurationError(
            f"The online service {service!r} needs a user agent that identifies you."
            " Fix: pass --user-agent 'yourapp/1.0 (you@example.org)'"
            f" or set {config.USER_AGENT_ENV}."
        )
    min_delay = max(MIN_DELAY_SECONDS, float(options.pop("min_delay_seconds", MIN_DELAY_SECONDS)))
    error_wait = max(min_delay, float(options.pop("error_wait_seconds", 5.0)))
    retries = max(0, int(options.pop("max_retries", 1)))
    try:
        geocoder = cls(user_agent=agent, **options)
    except TypeError as exc:
        raise ConfigurationError(
            f"The online service {service!r} cannot be set up with {sorted(options)} ({exc})."
            " Fix: pass the options that geopy documents for it (many services need an api_key)."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - geopy services raise their own config errors
        raise ConfigurationError(
            f"The online service {service!r} cannot be set up ({exc})."
            " Fix: pass the options that geopy documents for it (many services need an api_key)."
        ) from exc
    limited = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=min_delay,
        max_retries=retries,
        error_wait_seconds=error_wait,
        swallow_exceptions=False,
    )
    return geocoder, limited


def online_geocoder(service: str, *, user_agent: str | None = None, **options: Any) -> RateLimiter:
    """A geopy geocoder for ``service`` (e.g. "nominatim"), paced by RateLimiter.

    Returns a callable like ``geocoder.geocode``.  Raises ConfigurationError for
    an unknown service name or a missing user agent.
    """
    return _setup(service, user_agent, options)[1]


class OnlineService:
    """One geopy service, set up once and asked one name at a time.

    ``options`` go to the geopy class (for example ``domain``/``scheme`` or
    ``api_key``), except ``min_delay_seconds``, ``error_wait_seconds`` and
    ``max_retries``, which set the pacing (never below one second).
    """

    def __init__(
        self, service: str, *, user_agent: str | None = None, options: dict[str, Any] | None = None
    ) -> None:
        self.name = service.strip().lower()
        self._geocoder, self._call = _setup(self.name, user_agent, dict(options or {}))

    @property
    def provider(self) -> str:
        """The provenance recorded with this service's answers."""
        return f"online:{self.name}"

    def lookup(self, query: str, *, country: str | None = None) -> Location | None:
        """The service's best match for ``query`` (None when it knows no such place).

        ``country`` is passed as the service's own country filter when it has
        one.  Raises :class:`OnlineLookupError` when the service fails.
        """
        from geopy.exc import GeopyError

        kwargs: dict[str, Any] = {"exactly_one": True}
        if country:
            params = inspect.signature(self._geocoder.geocode).parameters
            if "country_codes" in params:
                kwargs["country_codes"] = country.lower()
            elif "country" in params:
                kwargs["country"] = country
        try:
            location: Location | None = self._call(query, **kwargs)
        except GeopyError as exc:
            raise OnlineLookupError(
                f"The online service {self.name!r} failed for {query!r}: {exc}."
                " Fix: retry later, or pin the place with `geomap cache pin`."
            ) from exc
        return location
