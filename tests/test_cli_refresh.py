"""``geomap refresh``: the seed article, a pin, and the store, near and map following it.

Network is disabled in every test that refreshes in-process (sockets refuse to
connect).  The seed article is ingested once per module into a template store
and cache, copied for each test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geomap.store import EventStore

pytestmark = pytest.mark.gazetteer

SEED_DATE = "2015-09-30"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, gazetteer_file, seed_file) -> Path:
    """A store and cache holding the ingested seed article (built once)."""
    from geomap.ingestion import ingest_paths

    folder = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOMAP_DATA_DIR", str(folder))
        mp.setenv("GEOMAP_GAZETTEER", str(gazetteer_file))
        mp.setenv("GEOMAP_CACHE", str(folder / "geocode-cache.sqlite"))
        mp.setenv("GEOMAP_STORE", str(folder / "events.sqlite"))
        report = ingest_paths([seed_file], date=SEED_DATE)
    assert not report.errors, report.errors
    return folder


@pytest.fixture
def seed_store(seeded, geomap_env) -> Path:
    for name in ("events.sqlite", "geocode-cache.sqlite"):
        for suffix in ("", "-wal"):
            if (seeded / (name + suffix)).exists():
                shutil.copy(seeded / (name + suffix), geomap_env / (name + suffix))
    return geomap_env / "events.sqlite"


def rastan_event(path: Path):
    with EventStore.open(path) as st:
        found = [e for e in st.events() if "rastan" in e.location.lower()]
    assert len(found) == 1, [e.location for e in found]
    return found[0]


def mentions(path: Path) -> dict[tuple[int, int], tuple[float, float]]:
    with EventStore.open(path) as st:
        return {(m.span_start, m.span_end): (m.latitude, m.longitude) for m in st.mentions()}


def north_of(lat: float, lon: float, km: float) -> tuple[float, float]:
    from pyproj import Geod

    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, 0.0, km * 1000.0)
    return round(lat2, 6), round(lon2, 6)


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    from geopy.distance import geodesic

    return geodesic(a, b).km


def map_points(data: dict) -> dict[str, tuple[float, float]]:
    """event_id -> (lat, lon) from the data block of a map page."""
    ids = data["id"] if isinstance(data["id"], list) else [data["id"]["k"]] * data["n"]
    return {data["strings"][k]: (data["lat"][i], data["lon"][i]) for i, k in enumerate(ids)}


def store_digest(path: Path) -> str:
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    h.update(wal.read_bytes() if wal.exists() else b"")
    return h.hexdigest()


# ---------------------------------------------------------------------------


def test_pinned_rastan_moves_in_store_near_and_map(
    seed_store, seed_text, places, page_data, cli, tmp_path, no_network
):
    before = rastan_event(seed_store)
    old = (before.latitude, before.longitude)
    assert km_between(old, places.point("Rastan")) < 2  # the seed placed it on Rastan
    mentions_before = mentions(seed_store)
    homs_province = [span for span in mentions_before
                     if seed_text[span[0]:span[1]] == "Homs province"]  # fmt: skip
    assert homs_province
    with EventStore.open(seed_store) as st:
        others_before = {e.event_id: (e.latitude, e.longitude) for e in st.events()
                         if e.event_id != before.event_id}  # fmt: skip

    new = north_of(*old, 10.0)
    code, out, err = cli("cache", "pin", "Rastan", str(new[0]), str(new[1]),
                         "--country", "SY")  # fmt: skip
    assert code == 0, err
    code, out, err = cli("refresh", "--offline")
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if ln.startswith(f"event {before.event_id}"))
    assert "Rastan" in line and "10.00 km" in line and "precision 1 -> 1" in line

    # the store
    after = rastan_event(seed_store)
    assert after.event_id == before.event_id
    assert km_between(old, (after.latitude, after.longitude)) == pytest.approx(10.0, abs=0.05)
    assert km_between(new, (after.latitude, after.longitude)) < 0.01
    mentions_after = mentions(seed_store)
    for span in homs_province:  # the Homs-province mention did not move
        assert mentions_after[span] == mentions_before[span]
    with EventStore.open(seed_store) as st:
        assert {e.event_id: (e.latitude, e.longitude) for e in st.events()
                if e.event_id != before.event_id} == others_before  # fmt: skip
        assert st.check_indexes() == []

    # geomap near: found at the new point, not at the old one
    code, out, err = cli("near", f"{new[0]},{new[1]}", "--radius", "1",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    (hit,) = json.loads(out)["events"]
    assert hit["event_id"] == before.event_id and hit["distance_km"] < 0.01
    code, out, err = cli("near", f"{old[0]},{old[1]}", "--radius", "3",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    assert before.event_id not in [e["event_id"] for e in json.loads(out)["events"]]
    code, out, err = cli("near", "Rastan", "--radius", "1", "--format", "json")
    assert [e["event_id"] for e in json.loads(out)["events"]] == [before.event_id]

    # geomap map: the embedded data has the new point
    page = tmp_path / "map.html"
    code, out, err = cli("map", "-o", str(page))
    assert code == 0, err
    point = map_points(page_data(page.read_text(encoding="utf-8")))[before.event_id]
    assert km_between(point, new) < 0.01
    assert km_between(point, old) == pytest.approx(10.0, abs=0.05)


def test_dry_run_leaves_the_store_byte_identical(seed_store, cli, no_network):
    event = rastan_event(seed_store)
    new = north_of(event.latitude, event.longitude, 10.0)
    assert cli("cache", "pin", "Rastan", str(new[0]), str(new[1]),
               "--country", "SY")[0] == 0  # fmt: skip
    digest = store_digest(seed_store)
    code, out, err = cli("refresh", "--offline", "--dry-run")
    assert code == 0, err
    assert f"event {event.event_id}" in out and "Dry run (nothing changed)" in out
    assert store_digest(seed_store) == digest
    assert rastan_event(seed_store).latitude == event.latitude
    code, out, err = cli("refresh", "--offline", "--format", "json")
    assert [m["ref"] for m in json.loads(out)["moves"] if m["kind"] == "event"] == [event.event_id]
    assert store_digest(seed_store) != digest


def test_a_pin_without_country_moves_the_event_too(seed_store, cli, no_network):
    """`geomap cache pin Rastan LAT LON` (no --country) reaches text events,
    which were geocoded with a country hint."""
    event = rastan_event(seed_store)
    new = north_of(event.latitude, event.longitude, 10.0)
    assert cli("cache", "pin", "Rastan", str(new[0]), str(new[1]))[0] == 0
    code, out, err = cli("refresh", "--offline")
    assert code == 0, err
    after = rastan_event(seed_store)
    assert km_between(new, (after.latitude, after.longitude)) < 0.01


def test_names_option_limits_the_refresh(seed_store, cli, no_network):
    event = rastan_event(seed_store)
    new = north_of(event.latitude, event.longitude, 5.0)
    cli("cache", "pin", "Rastan", str(new[0]), str(new[1]), "--country", "SY")
    code, out, _ = cli("refresh", "--offline", "--names", "Homs", "Damascus")
    assert code == 0 and "0 events" in out
    assert rastan_event(seed_store).latitude == event.latitude
    code, out, _ = cli("refresh", "--offline", "--names", "al-Rastan")
    assert code == 0 and f"event {event.event_id}" in out


def test_cache_import_then_refresh_takes_a_colleagues_pin(seed_store, cli,
                                                          tmp_path, no_network):  # fmt: skip
    from geomap.geocoding import GeocodeCache

    event = rastan_event(seed_store)
    theirs = north_of(event.latitude, event.longitude, 3.0)
    colleague = GeocodeCache.open(tmp_path / "colleague.sqlite")
    colleague.pin("Rastan", theirs[0], theirs[1], country="SY")
    colleague.export(tmp_path / "colleague.csv")
    colleague.close()

    code, out, err = cli("cache", "import", str(tmp_path / "colleague.csv"))
    assert code == 0 and "1 pins left out" in out, out + err
    code, out, err = cli("cache", "import", str(tmp_path / "colleague.csv"), "--accept-pins")
    assert code == 0 and "1 added" in out and "0 conflicts" in out, out + err
    code, out, err = cli("refresh", "--offline")
    assert code == 0, err
    moved = rastan_event(seed_store)
    assert km_between(theirs, (moved.latitude, moved.longitude)) < 0.01

    # a later import that disagrees with the (now local) pin is listed, never applied
    other = GeocodeCache.open(tmp_path / "other.sqlite")
    other.pin("Rastan", event.latitude, event.longitude, country="SY")
    other.export(tmp_path / "other.json")
    other.close()
    code, out, _ = cli("cache", "import", str(tmp_path / "other.json"))
    assert code == 0 and "1 conflicts" in out and "kept the local pin" in out
    code, out, _ = cli("refresh", "--offline")
    assert code == 0 and f"event {event.event_id}" not in out
    assert km_between(theirs, (rastan_event(seed_store).latitude,
                               rastan_event(seed_store).longitude)) < 0.01  # fmt: skip


def test_store_option_picks_another_store(seed_store, cli, tmp_path, no_network):
    other = tmp_path / "other.sqlite"
    shutil.copy(seed_store, other)
    event = rastan_event(seed_store)
    new = north_of(event.latitude, event.longitude, 10.0)
    cli("cache", "pin", "Rastan", str(new[0]), str(new[1]), "--country", "SY")
    code, out, err = cli("refresh", "--offline", "--store", str(other))
    assert code == 0 and f"event {event.event_id}" in out, err
    assert rastan_event(seed_store).latitude == event.latitude  # the default store is untouched
    assert km_between(new, (rastan_event(other).latitude, rastan_event(other).longitude)) < 0.01


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["refresh", "--bogus"], 2, "--bogus"),
        (["refresh", "--format", "xml"], 2, "--format"),
        (["refresh", "--names", " "], 1, "--names"),
        (["refresh", "--offline", "--online", "nominatim"], 1, "offline"),
    ],
)
def test_bad_usage(args, code, needle, seed_store, cli):
    got, out, err = cli(*args)
    assert got == code
    assert needle in err and "Traceback" not in err
    if code == 1:
        assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1


def test_help_documents_the_command(cli):
    code, out, _ = cli("refresh", "--help")
    assert code == 0
    for option in ("--offline", "--dry-run", "--names", "--store"):
        assert option in out
    assert "cache import" in out


_KILL_TIMEOUT = 60

#: ``geomap refresh --offline`` with a pause inside its write transaction: once
#: the moved rows are written (uncommitted), it says so on stderr and sleeps.
PAUSED_REFRESH = textwrap.dedent(
    """
    import sys, time
    from geomap.store import EventStore

    write = EventStore.upsert_events

    def write_then_pause(self, events, **kwargs):
        written = write(self, events, **kwargs)
        if self.connection.in_transaction:
            print("paused inside the write transaction", file=sys.stderr, flush=True)
            time.sleep(120)
        return written

    EventStore.upsert_events = write_then_pause
    from geomap.cli import main

    sys.argv = ["geomap", "refresh", "--offline"]
    main()
    """
)


def test_killed_refresh_leaves_the_store_all_old_then_all_new(seed_store, cli, repo_root):
    event = rastan_event(seed_store)
    old = (event.latitude, event.longitude)
    new = north_of(*old, 10.0)
    assert cli("cache", "pin", "Rastan", str(new[0]), str(new[1]),
               "--country", "SY")[0] == 0  # fmt: skip
    before_mentions = mentions(seed_store)

    proc = subprocess.Popen([sys.executable, "-c", PAUSED_REFRESH], cwd=repo_root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + _KILL_TIMEOUT
        line = ""
        while "paused inside the write transaction" not in line:
            assert time.monotonic() < deadline, "refresh never reached its transaction"
            line = proc.stderr.readline()
            assert line or proc.poll() is None, f"refresh exited early: {proc.stdout.read()}"
        os.kill(proc.pid, signal.SIGKILL)  # every moved row is written, uncommitted
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()

    # fully old: the event and the mentions that were already rewritten are as before
    with EventStore.open(seed_store) as st:
        assert st.integrity_check() == "ok"
        assert st.check_indexes() == []
    assert (rastan_event(seed_store).latitude, rastan_event(seed_store).longitude) == old
    assert mentions(seed_store) == before_mentions

    # a second run completes: fully new
    code, out, err = cli("refresh", "--offline")
    assert code == 0, err
    after = rastan_event(seed_store)
    assert km_between(new, (after.latitude, after.longitude)) < 0.01
    moved = {span for span, point in mentions(seed_store).items() if point != before_mentions[span]}
    assert moved and all(km_between(mentions(seed_store)[s], new) < 0.01 for s in moved)


# -- everything that depends on a geocode moves with it -------------------------------

TRIPOLI_LB = (34.4367, 35.8497)  # Tripoli, Lebanon
TRIPOLI_ARTICLE = """Strike on the port city

An air strike on Tripoli killed five civilians on Saturday, a local doctor said.
"""


def secondary_points(data: dict) -> list[tuple[float, float, str]]:
    """The "Also placed" points of a map page's data block: (lat, lon, name)."""
    sec = data.get("sec") or {}
    return list(zip(sec.get("lat", []), sec.get("lon", []), sec.get("name", []), strict=True))


def test_a_pin_into_another_country_moves_every_field(cli, write_file, page_data, gaz, tmp_path,
                                                      no_network):  # fmt: skip
    """Pinned into Lebanon, a Tripoli strike used to keep country "Libya" (admin-1 "North
    Lebanon"), and its popup placed it in Libya as well."""
    article = write_file("tripoli.txt", TRIPOLI_ARTICLE)
    assert cli("ingest", str(article), "--date", "2016-03-12")[0] == 0
    with EventStore.open() as st:
        (before,) = st.events()
    assert (before.country, before.geonameid) == ("Libya", 2210247)
    libya = (before.latitude, before.longitude)

    code, out, err = cli("cache", "pin", "Tripoli", *map(str, TRIPOLI_LB))
    assert code == 0, err
    code, out, err = cli("refresh", "--offline")
    assert code == 0, err
    assert f"event {before.event_id}" in out and "precision 1 -> 1" in out

    with EventStore.open() as st:
        (after,) = st.events()
        (source,) = st.sources()
        mentions = st.mentions()
        assert st.check_indexes() == []
    for event in (after, source):  # the merged event the map reads, and its source row
        assert (event.latitude, event.longitude) == TRIPOLI_LB
        assert event.country == "Lebanon" and event.geo_precision == 1
        region = gaz.search(event.admin1, country="LB")
        assert region and region[0].place.feature == "admin1", event.admin1
        assert [(loc["latitude"], loc["longitude"]) for loc in event.extra["locations"]] == [
            TRIPOLI_LB
        ]
    assert {(m.latitude, m.longitude) for m in mentions} == {TRIPOLI_LB}

    page = tmp_path / "map.html"
    assert cli("map", "-o", str(page))[0] == 0
    data = page_data(page.read_text(encoding="utf-8"))
    assert km_between(map_points(data)[before.event_id], TRIPOLI_LB) < 0.01
    assert secondary_points(data) == []  # no "Also placed" left behind in Libya
    code, out, _ = cli("near", f"{libya[0]},{libya[1]}", "--radius", "50", "--format", "json")
    assert code == 0 and json.loads(out)["events"] == []


def test_also_placed_follows_a_pinned_rastan(seed_store, cli, page_data, tmp_path, no_network):
    """The report: after `cache pin Rastan 35.017 36.732 --country SY` and a refresh, the
    popup still listed "Also placed: Rastan (precision 1)" at the old point, and the map
    showed two solid Rastan markers 10 km apart."""
    event = rastan_event(seed_store)
    old = (event.latitude, event.longitude)
    others = [(loc["name"], loc["latitude"], loc["longitude"])
              for loc in event.extra["locations"][1:]]  # fmt: skip
    assert others  # northern Homs countryside, Homs province
    assert cli("cache", "pin", "Rastan", "35.017", "36.732", "--country", "SY")[0] == 0
    code, _, err = cli("refresh", "--offline")
    assert code == 0, err

    moved = rastan_event(seed_store)
    first, *rest = moved.extra["locations"]
    assert (first["latitude"], first["longitude"]) == (35.017, 36.732)
    assert [(loc["name"], loc["latitude"], loc["longitude"]) for loc in rest] == others

    page = tmp_path / "map.html"
    assert cli("map", "-o", str(page))[0] == 0
    data = page_data(page.read_text(encoding="utf-8"))
    assert km_between(map_points(data)[event.event_id], (35.017, 36.732)) < 0.01
    also = secondary_points(data)
    assert all(km_between((lat, lon), old) > 1 for lat, lon, _ in also), also
    assert "Rastan" not in [name for _, _, name in also]
