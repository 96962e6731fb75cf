"""One request a second across processes (geomap.geocoding.pacing), bounded retries logged
once (geomap.geocoding.online), against a fake Nominatim on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import textwrap
import time

import pytest

from geomap.geocoding import GeocodeCache, Geocoder
from geomap.geocoding.online import MAX_RETRIES, OnlineService
from geomap.geocoding.pacing import Pacer, lock_file_for
from tests.fake_nominatim import serve


def test_two_pacers_sharing_a_lock_file_keep_the_pace(tmp_path):
    lock = tmp_path / "cache.sqlite.online-lock"
    first, second = Pacer(0.3, lock), Pacer(0.3, lock)  # two processes, in effect
    # the start times each call records: a loaded machine may delay the return, never these
    starts = [pacer.wait() for pacer in (first, second, first, second)]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.28, gaps


def test_a_damaged_lock_file_costs_one_wait(tmp_path):
    lock = tmp_path / "lock"
    lock.write_text("not a time\n")
    pacer = Pacer(0.2, lock)
    pacer.wait()
    assert float(lock.read_text()) == pytest.approx(time.time(), abs=5)


def test_an_unusable_lock_file_paces_this_process_only(tmp_path, caplog):
    folder = tmp_path / "a-folder"  # a folder where the lock file should be
    folder.mkdir()
    pacer = Pacer(0.2, folder)
    with caplog.at_level(logging.WARNING, logger="geomap"):
        started = time.monotonic()
        for _ in range(3):
            pacer.wait()
    assert time.monotonic() - started >= 0.38
    assert len(caplog.records) == 1 and "in this process only" in caplog.records[0].getMessage()


def test_the_lock_file_sits_beside_the_cache(tmp_path):
    assert lock_file_for(tmp_path / "geocode-cache.sqlite") == (
        tmp_path / "geocode-cache.sqlite.online-lock"
    )


LOOKUPS = textwrap.dedent(
    """
    import json, sys
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import GeocodeCache, Geocoder

    cache_path, options, *names = sys.argv[1:]
    geocoder = Geocoder(cache=GeocodeCache.open(cache_path), gazetteer=Gazetteer.open(),
                        online="nominatim", user_agent="geomap-tests",
                        online_options=json.loads(options))
    for name in names:
        result = geocoder.resolve(name)
        assert not result.error and not result.found, result
    """
)


@pytest.mark.gazetteer
def test_three_processes_send_one_request_a_second(tmp_path, run_at_once):
    """The report: the limit was per process, and three processes sent about 3 a second."""
    cache = str(tmp_path / "geocode-cache.sqlite")
    GeocodeCache.open(cache).close()
    with serve() as fake:
        options = json.dumps(fake.options)
        run_at_once(*([LOOKUPS, cache, options, *(f"Qqzxville {p} {i}" for i in range(3))]
                      for p in "abc"), timeout=180)  # fmt: skip
    assert len(fake.hits) == 9
    times = sorted(fake.times)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert times[-1] - times[0] >= 8 * 0.95, gaps  # 9 requests, one a second
    assert min(gaps) >= 0.5, gaps  # never a burst (arrival jitter aside)


@pytest.mark.gazetteer
def test_retries_are_bounded_and_logged_once(cache, gaz, caplog, monkeypatch):
    with serve() as fake:
        fake.fail = True
        geocoder = Geocoder(cache=cache, gazetteer=gaz, online="nominatim",
                            user_agent="geomap-tests",
                            online_options={**fake.options, "error_wait_seconds": 1.0})  # fmt: skip
        with caplog.at_level(logging.WARNING, logger="geomap"):
            results = geocoder.resolve_many(["Qqzxville one", "Qqzxville two"])
    assert fake.hits == ["Qqzxville one"] * 2 + ["Qqzxville two"] * 2  # one retry each
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and "retried up to 1 time(s)" in notes[0]
    for result in results:
        assert not result.found and "\n" not in result.error
        failed = f"The online service 'nominatim' failed for '{result.query}'"
        assert result.error.startswith(failed)
        assert "GeocoderServiceError" in result.error and "Fix:" in result.error
    assert cache.get("qqzxville one") is None  # a failure is not cached


def test_retries_never_exceed_the_bound():
    service = OnlineService("nominatim", user_agent="geomap-tests",
                            options={"max_retries": 50, "domain": "127.0.0.1:9"})  # fmt: skip
    assert service.max_retries == MAX_RETRIES
