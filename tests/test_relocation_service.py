"""Tests for geomap.relocation: refreshed geocodes reach the stored events and mentions.

These use a small hand-built store and cache and a fake gazetteer (a dict of
places), so they need neither the built gazetteer nor the text pipeline; the
seed-article acceptance run lives in tests/test_cli_refresh.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from geomap.errors import ConfigurationError, StoreError
from geomap.gazetteer import Candidate, normalize
from geomap.geo import geodesic_km
from geomap.geocoding import CacheEntry, GeocodeCache, cache_key
from geomap.model import Article, Event, Mention, Place
from geomap.relocation import refresh_store
from geomap.store import EventStore

TOWN_A = Place(9001, "Town A", 35.00, 37.00, "city", "SY", "Syria", "11", "Homs", 20000)
TOWN_A_NEW = Place(9001, "Town A", 35.05, 37.00, "city", "SY", "Syria", "11", "Homs", 20000)
TOWN_B = Place(9002, "Town B", 35.50, 37.50, "city", "SY", "Syria", "11", "Homs", 5000)
REGION = Place(9003, "Region A", 34.60, 37.30, "admin1", "SY", "Syria", "11", "Homs", 900000)


class FakeGazetteer:
    """Just enough of geomap.gazetteer.Gazetteer: get, search, admin1."""

    def __init__(self, *places: Place) -> None:
        self.places = {p.geonameid: p for p in places}

    def get(self, geonameid: int) -> Place | None:
        return self.places.get(int(geonameid))

    def search(self, name, *, country=None, admin1=None, bias=None, limit=10):
        key = normalize(name)
        return [Candidate(p, 1.0, key) for p in self.places.values()
                if normalize(p.name) == key][:limit]  # fmt: skip

    def admin1(self, country_code, admin1_code):
        return None

    def close(self) -> None:
        pass


@pytest.fixture
def store_path(geomap_env) -> Path:
    return geomap_env / "events.sqlite"


def entry(name: str, lat: float, lon: float, *, provider="online:test", gid=None, country=None,
          admin1=None, feature="") -> CacheEntry:
    raw = {"feature": feature, "country": "Syria", "admin1": "Homs", "name": name}
    raw = raw if feature else {}
    hints = {k: v for k, v in (("country", country), ("admin1", admin1)) if v}
    return CacheEntry(key=cache_key(name, country=country, admin1=admin1), query=name,
                      name_key=normalize(name), hints=hints, latitude=lat, longitude=lon,
                      geonameid=gid, found=True, provider=provider, confidence=0.9,
                      created="2020-01-01T00:00:00.000000Z", updated="2020-01-01T00:00:00.000000Z",
                      raw=raw)  # fmt: skip


@pytest.fixture(scope="module")
def event(make_event):
    """A row placed through cache key ``key`` (or with its own coordinates: ``own``)."""

    def row(eid: str, key: str, lat, lon, *, date="2015-10-01", own=False, gid=None, prec=1,
            origin="csv", location=None) -> Event:
        return make_event(None, event_id=eid, event_date=date, country="Syria",
                          location=location or key or eid, latitude=lat, longitude=lon, geo_precision=prec,
                          geocode_key=key, coords_from_source=own, geonameid=gid, origin=origin,
                          source=f"src-{eid}", deaths_low=3, deaths_best=3, deaths_high=3,
                          fatalities=3)

    return row


def put_rows(path: Path, events=(), mentions=()) -> None:
    with EventStore.open(path) as st:
        if events:
            st.upsert_events(list(events))
        if mentions:
            st.add_document(Article(doc_id="doc1", title="", text="x" * 200))
            st.add_mentions(list(mentions))


def source(path: Path, eid: str) -> Event:
    with EventStore.open(path) as st:
        return next(e for e in st.sources() if e.event_id == eid)


def digest(path: Path) -> dict[str, str]:
    """Hashes of the store file and its WAL (a missing WAL counts as empty)."""
    out = {}
    for p in (path, path.with_name(path.name + "-wal")):
        data = p.read_bytes() if p.exists() else b""
        out[p.name] = hashlib.sha256(data).hexdigest()
    return out


# ---------------------------------------------------------------------------


def test_pin_moves_dependent_events_and_never_own_coordinates(event, store_path, cache, no_network):
    cache.put(entry("Town A", 35.0, 37.0))
    put_rows(store_path, [
        event("geo1", "town a", 35.0, 37.0),
        event("geo2", "town a", 35.0, 37.0, date="2015-11-20"),
        event("acled1", "town a", 35.0, 37.0, own=True, origin="acled", date="2015-12-24"),
        event("other", "town b", 35.5, 37.5),
    ])  # fmt: skip
    cache.pin("Town A", 35.09, 37.0)  # ~10 km north

    report = refresh_store(offline=True, gazetteer=FakeGazetteer())

    moved = {m.ref: m for m in report.event_moves}
    assert set(moved) == {"geo1", "geo2"}
    for m in moved.values():
        assert m.km == pytest.approx(geodesic_km(35.0, 37.0, 35.09, 37.0), abs=0.01)
        assert 9.5 < m.km < 10.5
        assert m.provider == "pin"
    assert report.kept_own_coordinates == 1
    geo1 = source(store_path, "geo1")
    assert (geo1.latitude, geo1.longitude) == (35.09, 37.0)
    assert source(store_path, "acled1").latitude == 35.0  # came with its own coordinates
    assert source(store_path, "other").latitude == 35.5
    with EventStore.open(store_path) as st:
        assert st.check_indexes() == []
        assert st.integrity_check() == "ok"
        merged = st.event("geo1")
        assert merged is not None and merged.latitude == 35.09
        assert merged.extra.get("admin1_method")  # admin-1 recomputed from the new point


def test_near_sees_the_new_point_and_not_the_old_one(event, store_path, cache, no_network):
    from geomap.query import near

    cache.put(entry("Town A", 35.0, 37.0))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0)])
    cache.pin("Town A", 35.3, 37.0)  # ~33 km north
    refresh_store(offline=True, gazetteer=FakeGazetteer())

    assert list(near((35.0, 37.0), radius_km=5, store=store_path)["event_id"]) == []
    found = near((35.3, 37.0), radius_km=1, store=store_path)
    assert list(found["event_id"]) == ["geo1"]
    assert float(found["distance_km"].iloc[0]) < 0.01


def test_second_refresh_is_a_no_op_and_a_moved_pin_moves_again(event, store_path, cache):
    gaz = FakeGazetteer(TOWN_A)
    cache.put(entry("Town A", 35.0, 37.0, provider="gazetteer", gid=9001, feature="city"))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0)])
    cache.pin("Town A", 35.1, 37.0)
    assert len(refresh_store(gazetteer=gaz).event_moves) == 1
    assert refresh_store(gazetteer=gaz).moves == []
    cache.pin("Town A", 35.2, 37.1)
    again = refresh_store(gazetteer=gaz)
    assert [(m.old_latitude, m.new_latitude, m.new_longitude) for m in again.event_moves] == [
        (35.1, 35.2, 37.1)
    ]
    cache.unpin("Town A")  # the gazetteer answers again
    back = refresh_store(gazetteer=gaz)
    assert [(m.new_latitude, m.new_longitude) for m in back.event_moves] == [(35.0, 37.0)]


def test_offset_of_a_derived_point_is_kept(store_path, cache):
    """A "northern X countryside" mention sits 25 km north of X: it moves with X, offset kept."""
    cache.put(entry("Town A", 35.0, 37.0, provider="gazetteer", gid=9001, feature="city"))
    put_rows(store_path, mentions=[
        Mention("doc1", "Town A", 10, 16, place=TOWN_A, latitude=35.0, longitude=37.0,
                geo_precision=1, cache_key="town a"),
        Mention("doc1", "northern Town A countryside", 30, 57, place=TOWN_A, latitude=35.22483,
                longitude=37.0, geo_precision=2, cache_key="town a"),
    ])  # fmt: skip
    cache.pin("Town A", 35.0, 37.1)
    report = refresh_store(gazetteer=FakeGazetteer(TOWN_A))
    got = {m.ref: (m.new_latitude, m.new_longitude, m.new_precision) for m in report.mention_moves}
    assert got == {"doc1:10-16": (35.0, 37.1, 1), "doc1:30-57": (35.22483, 37.1, 2)}
    with EventStore.open(store_path) as st:
        stored = {(m.span_start, m.latitude, m.longitude) for m in st.mentions("doc1")}
    assert stored == {(10, 35.0, 37.1), (30, 35.22483, 37.1)}


def test_row_placed_on_another_place_than_its_entry_is_left_alone(event, store_path, cache):
    """ "Region A province" resolved to the region while the cache key names the town."""
    cache.put(entry("Town A", 35.0, 37.0, provider="gazetteer", gid=9001, feature="city"))
    put_rows(store_path, [event("region", "town a", 34.6, 37.3, gid=9003, prec=3)], [
        Mention("doc1", "Region A province", 0, 17, place=REGION, latitude=34.6, longitude=37.3,
                geo_precision=3, cache_key="town a"),
    ])  # fmt: skip
    cache.pin("Town A", 35.1, 37.0)
    report = refresh_store(gazetteer=FakeGazetteer(TOWN_A, REGION))
    assert report.moves == []
    assert len(report.skipped) == 2 and all("Region A" in s for s in report.skipped)
    assert source(store_path, "region").latitude == 34.6


def test_gazetteer_answers_are_re_derived(event, store_path, cache, no_network):
    """A cache entry made by an older gazetteer is re-derived, and its events follow."""
    cache.put(entry("Town A", 35.0, 37.0, provider="gazetteer", gid=9001, feature="city"))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0, gid=9001)])
    report = refresh_store(offline=True, gazetteer=FakeGazetteer(TOWN_A_NEW))
    assert [c.key for c in report.entry_changes] == ["town a"]
    assert [(m.new_latitude, m.new_precision) for m in report.event_moves] == [(35.05, 1)]
    assert cache.get("town a").latitude == 35.05
    assert source(store_path, "geo1").geonameid == 9001


def test_online_answers_are_kept_offline_and_region_answers_set_precision_3(
    event, store_path, cache
):
    cache.put(entry("Town A", 35.0, 37.0))  # online:test - the gazetteer knows nothing of it
    cache.put(entry("Region A", 34.0, 37.0, provider="gazetteer", gid=9003, feature="admin1"))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0),
                          event("reg", "region a", 34.0, 37.0)])  # fmt: skip
    report = refresh_store(gazetteer=FakeGazetteer(REGION))
    assert cache.get("town a").latitude == 35.0
    moves = [(m.ref, m.new_latitude, m.old_precision, m.new_precision) for m in report.event_moves]
    assert moves == [("reg", 34.6, 1, 3)]


def test_unlocated_row_is_located_by_a_pin(event, store_path, cache):
    cache.put(CacheEntry(key="town z", query="Town Z", name_key="town z", found=False,
                         provider="gazetteer", created="2020", updated="2020"))  # fmt: skip
    put_rows(store_path, [event("nowhere", "town z", None, None)])
    cache.pin("Town Z", 35.4, 37.4)
    report = refresh_store(gazetteer=FakeGazetteer())
    assert [(m.ref, m.km, m.new_latitude) for m in report.event_moves] == [("nowhere", None, 35.4)]
    with EventStore.open(store_path) as st:
        assert st.event("nowhere").latitude == 35.4
        assert st.check_indexes() == []


def test_names_limit_the_refresh(event, store_path, cache):
    cache.put(entry("Town A", 35.0, 37.0))
    cache.put(entry("Town B", 35.5, 37.5))
    put_rows(store_path, [event("a", "town a", 35.0, 37.0), event("b", "town b", 35.5, 37.5)])
    cache.pin("Town A", 35.1, 37.0)
    cache.pin("Town B", 35.6, 37.5)
    report = refresh_store(gazetteer=FakeGazetteer(), names=["town-b"])
    assert report.keys == 1
    assert [m.ref for m in report.event_moves] == ["b"]
    assert source(store_path, "a").latitude == 35.0


def test_dry_run_changes_nothing(event, store_path, cache):
    cache.put(entry("Town A", 35.0, 37.0, provider="gazetteer", gid=9001, feature="city"))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0, gid=9001)])
    cache.pin("Town A", 35.1, 37.0)
    before, cache_before = digest(store_path), [e.to_record() for e in cache.entries()]
    report = refresh_store(gazetteer=FakeGazetteer(TOWN_A_NEW), dry_run=True)
    assert report.dry_run and len(report.event_moves) == 1
    assert digest(store_path) == before
    assert [e.to_record() for e in cache.entries()] == cache_before
    assert source(store_path, "geo1").latitude == 35.0


def test_moving_rows_recomputes_dedup_groups(event, store_path, cache):
    """Two reports of one town 30 km apart are two events; a pin that puts them together merges
    them (two different towns never merge, wherever they lie)."""
    gaz = FakeGazetteer(TOWN_A)
    cache.put(entry("Town A", 35.0, 37.0, provider="gazetteer", gid=9001, feature="city"))
    put_rows(store_path, [
        event("text1", "town a", 35.0, 37.0),
        event("acled9", "", 35.27, 37.0, own=True, origin="acled", location="Town A"),
    ])  # fmt: skip
    with EventStore.open(store_path) as st:
        assert st.count() == 2
    cache.pin("Town A", 35.27, 37.01)
    report = refresh_store(gazetteer=gaz)
    assert (report.events_before, report.events_after) == (2, 1)
    with EventStore.open(store_path) as st:
        (merged,) = st.events()
        assert merged.extra["n_sources"] == 2
        assert (merged.latitude, merged.longitude) == (35.27, 37.0)  # the ACLED row's own point
        assert st.check_indexes() == []
    cache.unpin("Town A")  # apart again
    assert refresh_store(gazetteer=gaz).events_after == 2
    with EventStore.open(store_path) as st:
        assert st.check_indexes() == []


def test_imported_answers_flow_through_and_pins_win(event, store_path, cache, tmp_path):
    """cache import then refresh: a colleague's answers move events; a local pin is kept."""
    a_key, b_key = "town a|cc=SY|a1=11", "town b|cc=SY|a1=11"
    cache.put(entry("Town A", 35.0, 37.0, country="SY", admin1="11"))
    cache.put(entry("Town B", 35.5, 37.5, country="SY", admin1="11"))
    put_rows(store_path, [event("a", a_key, 35.0, 37.0), event("b", b_key, 35.5, 37.5)])
    cache.pin("Town B", 35.55, 37.5, country="SY")

    colleague = GeocodeCache.open(tmp_path / "colleague.sqlite")
    for name, lat, lon in (("Town A", 35.2, 37.0), ("Town B", 35.8, 37.5)):
        e = entry(name, lat, lon, country="SY", admin1="11")
        e.updated = "2024-01-01T00:00:00.000000Z"  # newer than ours
        colleague.put(e)
    colleague.pin("Town B", 35.9, 37.5, country="SY")  # their own pin for the same name
    colleague.export(tmp_path / "colleague.json")
    colleague.close()

    imported = cache.import_(tmp_path / "colleague.json")
    assert len(imported.conflicts) == 1 and "town b|cc=SY" in imported.conflicts[0]
    report = refresh_store(gazetteer=FakeGazetteer())
    moved = {m.ref: (m.new_latitude, m.provider) for m in report.event_moves}
    assert moved == {"a": (35.2, "online:test"), "b": (35.55, "pin")}
    (conflict,) = report.conflicts
    assert b_key in conflict and "35.55" in conflict and "35.80" in conflict
    assert cache.get("town b|cc=SY").latitude == 35.55  # our pin, never silently overwritten


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"names": [""]}, ConfigurationError, "--names"),
        ({"names": [" , "]}, ConfigurationError, "--names"),
        ({"offline": True, "online": "nominatim"}, ConfigurationError, "offline"),
        ({"dry_run": True, "store": "missing.sqlite"}, StoreError, "missing.sqlite"),
        ({"store": "missing.sqlite"}, StoreError, "no event store"),
    ],
)
def test_bad_input(kwargs, error, match, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=match):
        refresh_store(gazetteer=FakeGazetteer(), **kwargs)


def test_empty_store_reports_nothing(store_path):
    EventStore.open(store_path).close()
    report = refresh_store(gazetteer=FakeGazetteer())
    assert report.keys == 0 and report.moves == []
    assert "0 cache keys" in report.summary()
    assert json.loads(json.dumps(report.to_dict()))["moves"] == []


def test_a_workspace_brings_the_store_cache_and_gazetteer(event, store_path, cache):
    from geomap.workspace import Workspace

    cache.put(entry("Town A", 35.0, 37.0))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0)])
    cache.pin("Town A", 35.1, 37.0)
    with Workspace(store=store_path, cache=cache, gazetteer=FakeGazetteer(),
                   read_only=True) as ws:  # fmt: skip
        dry = refresh_store(workspace=ws, dry_run=True)
        assert [m.ref for m in dry.event_moves] == ["geo1"]
        with pytest.raises(StoreError, match="opened read-only"):
            refresh_store(workspace=ws)  # a read-only store cannot be refreshed
    with Workspace(store=store_path, cache=cache, gazetteer=FakeGazetteer()) as ws:
        report = refresh_store(workspace=ws)
        assert [m.ref for m in report.event_moves] == ["geo1"]
        assert ws.store.event("geo1").latitude == 35.1
    assert len(cache) > 0  # a cache passed in is left open


@pytest.mark.parametrize(
    ("kwargs", "workspace_online", "match"),
    [
        ({"store": "other.sqlite"}, None, "also a store"),
        ({"offline": False, "online": "nominatim"}, None, "also a store"),
        ({"offline": True}, "nominatim", "offline, but its workspace uses"),
    ],
)
def test_a_workspace_and_its_parts_do_not_mix(store_path, kwargs, workspace_online, match):
    from geomap.workspace import Workspace

    EventStore.open(store_path).close()
    with Workspace(gazetteer=FakeGazetteer(), online=workspace_online) as ws:
        with pytest.raises(ConfigurationError, match=match):
            refresh_store(workspace=ws, **kwargs)


# -- what depends on a geocode moves with it -------------------------------------------


def text_event(make_event, locations: list[tuple[str, str, float, float, int, int]]) -> Event:
    """A text event of doc1 placed on its first location; each is (name, key, lat, lon, start,
    end), as the text pipeline writes ``extra["locations"]``."""
    name, key, lat, lon, _, _ = locations[0]
    return make_event(None, event_id="text1", origin="text", doc_id="doc1", country="Syria",
                      location=name, latitude=lat, longitude=lon, geo_precision=1,
                      geocode_key=key, extra={"locations": [
                          {"name": n, "mention": n, "geonameid": None, "latitude": la,
                           "longitude": lo, "geo_precision": 1, "feature": "city",
                           "span_start": s, "span_end": e}
                          for n, _, la, lo, s, e in locations]})  # fmt: skip


def mention(name: str, key: str, lat: float, lon: float, start: int, end: int) -> Mention:
    return Mention("doc1", name, start, end, latitude=lat, longitude=lon, geo_precision=1,
                   role="event", cache_key=key)  # fmt: skip


PLACES_OF_TEXT = [
    ("Town A", "town a", 35.0, 37.0, 10, 16),
    ("Town B", "town b", 35.5, 37.5, 40, 46),
]


def test_further_places_of_a_text_event_follow_their_mentions(make_event, store_path, cache):
    """Pinning the second place of an event moves its "Also placed", not the event."""
    cache.put(entry("Town A", 35.0, 37.0))
    cache.put(entry("Town B", 35.5, 37.5))
    put_rows(store_path, [text_event(make_event, PLACES_OF_TEXT)],
             [mention(*place) for place in PLACES_OF_TEXT])  # fmt: skip
    cache.pin("Town B", 35.6, 37.5)
    report = refresh_store(gazetteer=FakeGazetteer())
    assert [m.ref for m in report.moves] == ["doc1:40-46"] and report.event_moves == []
    with EventStore.open(store_path) as st:
        for event in (st.event("text1"), source(store_path, "text1")):
            assert (event.latitude, event.longitude) == (35.0, 37.0)
            assert [(loc["latitude"], loc["longitude"]) for loc in event.extra["locations"]] == [
                (35.0, 37.0), (35.6, 37.5)]  # fmt: skip
        assert st.check_indexes() == []
    assert refresh_store(gazetteer=FakeGazetteer()).moves == []  # and a second run is a no-op


@pytest.mark.parametrize(
    ("pin_country", "country"),
    [("LB", "Lebanon"),  # the pin names its country
     (None, "Lebanon")],  # a country-less pin: the country the point lies in
)  # fmt: skip
def test_a_pin_across_a_border_changes_the_country(make_event, store_path, cache, pin_country,
                                                   country):  # fmt: skip
    town = [("Town A", "town a", 35.0, 37.0, 10, 16)]
    cache.put(entry("Town A", 35.0, 37.0))
    put_rows(store_path, [text_event(make_event, town)], [mention(*town[0])])
    cache.pin("Town A", 33.89, 35.50, country=pin_country)  # Beirut
    refresh_store(gazetteer=FakeGazetteer())
    with EventStore.open(store_path) as st:
        moved = st.event("text1")
    assert (moved.latitude, moved.longitude, moved.country) == (33.89, 35.5, country)
    assert moved.admin1 and moved.admin1 != "Homs"
    assert moved.extra["geocode_refresh"]["previous_place"] == ["Syria", ""]
    assert moved.extra["locations"][0]["latitude"] == 33.89


def test_a_pin_inside_the_country_keeps_it(event, store_path, cache):
    cache.put(entry("Town A", 35.0, 37.0))
    put_rows(store_path, [event("geo1", "town a", 35.0, 37.0)])
    cache.pin("Town A", 35.1, 37.0)
    refresh_store(gazetteer=FakeGazetteer())
    assert source(store_path, "geo1").country == "Syria"
