"""Online geocoding services through geopy, used only when asked for (``--online``).

geopy's registry maps a service name ("nominatim", "photon", ...) to its class;
an unknown name is refused with the list of valid ones.  Every service needs a
user agent that identifies the user (``--user-agent`` or
``$GEOMAP_USER_AGENT``, see :func:`geomap.config.user_agent`) and is paced at
one request per second or slower, the Nominatim usage policy, across every
process that shares the geocode cache (:mod:`~geomap.geocoding.pacing`).

A request that fails for a passing reason (timeout, unavailable, rate limit,
server error) is retried a bounded number of times (``max_retries``, default
1) after ``error_wait_seconds``; the first retry is logged as one line.  A
lookup that still fails is :class:`OnlineLookupError`: one line naming the
service, the name and the cause, never geopy's traceback.  geopy is imported
only here and only when a service is set up.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap import config
from geomap.errors import ConfigurationError, GeocodeError, quote, shorten
from geomap.geocoding.pacing import Pacer

if TYPE_CHECKING:
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders.base import Geocoder as GeopyGeocoder
    from geopy.location import Location

log = logging.getLogger(__name__)

#: Requests never start closer together than this (the Nominatim usage policy).
MIN_DELAY_SECONDS = 1.0
#: How long a timeout or server error waits before its retry, by default.
ERROR_WAIT_SECONDS = 5.0
#: The most retries a lookup may be given (whatever ``max_retries`` asks).
MAX_RETRIES = 3

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class OnlineLookupError(GeocodeError):
    """An online service failed to answer (network, quota, server error)."""


def service_names() -> list[str]:
    """The service names geopy knows, sorted."""
    from geopy.geocoders import SERVICE_TO_GEOCODER

    return sorted(SERVICE_TO_GEOCODER)


def _user_agent(service: str, given: str | None) -> str:
    agent = (given if given is not None else config.user_agent() or "").strip()
    if not agent:
        raise ConfigurationError(
            f"The online service {service!r} needs a user agent that identifies you"
            f"{', instead got a blank one' if given else ''}."
            " Fix: pass --user-agent 'yourapp/1.0 (you@example.org)'"
            f" or set {config.USER_AGENT_ENV}."
        )
    if _CONTROL.search(agent) or len(agent) > 300:
        raise ConfigurationError(
            f"The user agent must be one short line of text, instead got: {quote(agent)}."
            " Fix: pass --user-agent 'yourapp/1.0 (you@example.org)'."
        )
    return agent


def _adapter_factory() -> Any:
    """geopy's default HTTP adapter without its own silent transport retries."""
    from geopy.adapters import RequestsAdapter
    from geopy.geocoders import options as geopy_options

    factory = geopy_options.default_adapter_factory
    if factory is RequestsAdapter:
        return functools.partial(RequestsAdapter, max_retries=0)
    return factory


def _make(service: str, user_agent: str | None, options: dict[str, Any]) -> GeopyGeocoder:
    """The geopy geocoder for ``service`` (``options`` go to its class)."""
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(service.strip().lower())
    except GeocoderNotFound:
        raise ConfigurationError(
            f"Unknown online geocoding service, instead got: {quote(service)}."
            f" Fix: use one of {', '.join(service_names())}."
        ) from None
    agent = _user_agent(service, user_agent)
    try:
        return cls(user_agent=agent, adapter_factory=_adapter_factory(), **options)
    except TypeError as exc:
        raise ConfigurationError(
            f"The online service {service!r} cannot be set up with {sorted(options)} ({exc})."
            " Fix: pass the options that geopy documents for it (many services need an api_key)."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - geopy services raise their own config errors
        raise ConfigurationError(
            f"The online service {service!r} cannot be set up ({shorten(str(exc), 200)})."
            " Fix: pass the options that geopy documents for it (many services need an api_key)."
        ) from exc


def _pacing(options: dict[str, Any]) -> tuple[float, float, int]:
    """(min delay, error wait, retries) taken out of ``options``, within geomap's bounds."""
    min_delay = max(MIN_DELAY_SECONDS, float(options.pop("min_delay_seconds", MIN_DELAY_SECONDS)))
    error_wait = max(min_delay, float(options.pop("error_wait_seconds", ERROR_WAIT_SECONDS)))
    retries = min(MAX_RETRIES, max(0, int(options.pop("max_retries", 1))))
    return min_delay, error_wait, retries


def online_geocoder(service: str, *, user_agent: str | None = None, **options: Any) -> RateLimiter:
    """A geopy geocoder for ``service`` (e.g. "nominatim"), paced by geopy's RateLimiter.

    Returns a callable like ``geocoder.geocode`` (paced within this process).
    Raises ConfigurationError for an unknown service name or a missing user agent.
    """
    from geopy.extra.rate_limiter import RateLimiter

    min_delay, error_wait, retries = _pacing(options)
    return RateLimiter(_make(service, user_agent, options).geocode, min_delay_seconds=min_delay,
                       max_retries=retries, error_wait_seconds=error_wait,
                       swallow_exceptions=False)  # fmt: skip


def _retry_wait(exc: Exception, error_wait: float) -> float | None:
    """How long to wait before retrying after ``exc``; None when retrying cannot help.

    A timeout, an unavailable service, a rate limit and a server error may
    pass (a rate limit waits as long as the service asks, up to a minute).
    """
    from geopy.exc import (
        GeocoderRateLimited,
        GeocoderServiceError,
        GeocoderTimedOut,
        GeocoderUnavailable,
    )

    if isinstance(exc, GeocoderRateLimited):
        return min(max(error_wait, float(exc.retry_after or 0)), 60.0)
    if isinstance(exc, (GeocoderTimedOut, GeocoderUnavailable)):
        return error_wait
    return error_wait if type(exc) is GeocoderServiceError else None


class OnlineService:
    """One geopy service, set up once and asked one name at a time.

    ``options`` go to the geopy class (for example ``domain``/``scheme`` or
    ``api_key``), except ``min_delay_seconds``, ``error_wait_seconds`` and
    ``max_retries``, which set the pacing (never below one second) and the
    retries (at most :data:`MAX_RETRIES`).
    """

    def __init__(
        self, service: str, *, user_agent: str | None = None, options: dict[str, Any] | None = None
    ) -> None:
        self.name = service.strip().lower()
        options = dict(options or {})
        self.min_delay, self.error_wait, self.max_retries = _pacing(options)
        self._geocoder = _make(self.name, user_agent, options)
        self._pacer = Pacer(self.min_delay)
        self._retry_noted = False

    @property
    def provider(self) -> str:
        """The provenance recorded with this service's answers."""
        return f"online:{self.name}"

    def pace_with(self, lock_file: Path | None) -> None:
        """Share the one-request-a-second pace with every process using ``lock_file``."""
        if lock_file != self._pacer.path:
            self._pacer = Pacer(self.min_delay, lock_file)

    def lookup(self, query: str, *, country: str | None = None) -> Location | None:
        """The service's best match for ``query`` (None when it knows no such place).

        ``country`` is passed as the service's own country filter when it has
        one.  Raises :class:`OnlineLookupError` when the service fails.
        """
        kwargs: dict[str, Any] = {"exactly_one": True}
        if country:
            params = inspect.signature(self._geocoder.geocode).parameters
            if "country_codes" in params:
                kwargs["country_codes"] = country.lower()
            elif "country" in params:
                kwargs["country"] = country
        retries = 0
        while True:
            self._pacer.wait()
            try:
                location: Location | None = self._geocoder.geocode(query, **kwargs)
                return location
            except Exception as exc:  # noqa: BLE001 - any failure of the service is one line
                wait = _retry_wait(exc, self.error_wait)
                if retries >= self.max_retries or wait is None:
                    raise self._failure(query, exc) from None
                self._note_retry(query, exc, wait)
            retries += 1
            time.sleep(wait)

    def _note_retry(self, query: str, exc: Exception, wait: float) -> None:
        level = logging.DEBUG if self._retry_noted else logging.WARNING
        self._retry_noted = True
        log.log(level, "The online service %r failed for %s (%s: %s); failed lookups are"
                " retried up to %d time(s), after %g s.", self.name, quote(query, 60),
                type(exc).__name__, shorten(str(exc), 160), self.max_retries, wait)  # fmt: skip

    def _failure(self, query: str, exc: Exception) -> OnlineLookupError:
        cause = shorten(" ".join(str(exc).split()) or type(exc).__name__, 200)
        return OnlineLookupError(
            f"The online service {self.name!r} failed for {quote(query, 60)}"
            f" ({type(exc).__name__}: {cause})."
            " Fix: retry later, or pin the place with `geomap cache pin`."
        )
