"""geomap.query: near() (geodesic radius queries over the R*Tree, filters, centre parsing)
and export_events() (every format re-opens in geopandas with the same events)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geomap.dataset import ALL_COLUMNS, LEAN_COLUMNS, EventDataset
from geomap.errors import ConfigurationError, GeocodeError, InputError
from geomap.model import Event, EventFilter
from geomap.query import export_events, near, parse_radius, resolve_center, totals
from geomap.store import EventStore

GEOD = Geod(ellps="WGS84")


def test_rastan_homs_distance_matches_geopy(strike_store, places):
    rastan, homs = places.point("Rastan"), places.point("Homs")
    expected = geodesic(rastan, homs).km
    assert expected == pytest.approx(22.5, abs=0.2)
    frame = near(rastan, radius_km=25, store=strike_store)
    assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]  # nearest first
    assert frame["distance_km"].iloc[1] == pytest.approx(expected, abs=0.001)
    assert frame.crs.to_epsg() == 4326 and frame.geometry.iloc[0].x == pytest.approx(rastan[1])


def test_homs_radius_5_does_not_return_rastan(strike_store, places):
    frame = near(places.point("Homs"), radius_km=5, store=strike_store)
    assert list(frame["event_id"]) == ["acled:homs"]


@pytest.mark.parametrize(
    "flt, expected",
    [
        (EventFilter(since="2015-10-01"), ["acled:homs"]),
        (EventFilter(until="2015-09"), ["acled:rastan"]),
        (EventFilter(event_type="airstrike"), ["acled:rastan"]),
        (EventFilter(event_type="battles"), ["acled:homs"]),
        (EventFilter(actor="russia"), ["acled:rastan"]),
        (EventFilter(min_fatalities=3), ["acled:rastan"]),
        (EventFilter(limit=1), ["acled:rastan"]),
        (EventFilter(since=None, until="2015"), ["acled:rastan", "acled:homs"]),
    ],
)
def test_filters(strike_store, places, flt, expected):
    frame = near(places.point("Rastan"), radius_km=30, flt=flt, store=strike_store)
    assert list(frame["event_id"]) == expected


def test_totals_and_empty_result(strike_store, places):
    frame = near(places.point("Rastan"), radius_km=25, store=strike_store)
    assert totals(frame) == {"events": 2, "deaths_low": 35, "deaths_best": 35, "deaths_high": 47}
    empty = near((0.0, 0.0), radius_km=1, store=strike_store)
    assert len(empty) == 0 and "distance_km" in empty.columns
    assert totals(empty)["events"] == 0


@pytest.mark.parametrize("bad", [-1, 0, "abc", "nan", "inf", "", None])
def test_bad_radius(bad):
    with pytest.raises(InputError, match="Radius must be a positive number"):
        parse_radius(bad)


@pytest.mark.parametrize("good, value", [("25", 25.0), (" 2.5 ", 2.5), ("10km", 10.0), (7, 7.0)])
def test_good_radius(good, value):
    assert parse_radius(good) == value


@pytest.mark.gazetteer
def test_place_names_are_geocoded_through_the_cache(strike_store):
    center = resolve_center("Rastan")
    assert center.geonameid == 172946
    frame = near("Rastan", radius_km=25, store=strike_store)
    assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
    with pytest.raises(GeocodeError, match="Cannot place"):
        near("Qaryat Ghayr Mawjuda Xyzzy", store=strike_store)


# ---------------------------------------------------------------------------
# property: near() == brute-force geodesic filter, incl. antimeridian and poles

lat_any = st.floats(-90, 90, allow_nan=False)
lon_any = st.floats(-180, 180, allow_nan=False)
lat_edge = st.one_of(lat_any, st.floats(84, 90), st.floats(-90, -84))
lon_edge = st.one_of(lon_any, st.floats(175, 180), st.floats(-180, -175))
points = st.tuples(lat_edge, lon_edge)


def _jitter(center, spread):
    return st.tuples(st.floats(-spread, spread), st.floats(-spread * 4, spread * 4)).map(
        lambda d: (
            max(-90.0, min(90.0, center[0] + d[0])),
            ((center[1] + d[1] + 180.0) % 360.0) - 180.0,
        )
    )


@st.composite
def scenarios(draw):
    center = draw(points)
    radius = draw(st.sampled_from([1.0, 10.0, 50.0, 300.0, 1500.0, 6000.0]))
    spread = min(60.0, radius / 111.0 * 2 + 0.05)
    near_pts = draw(st.lists(_jitter(center, spread), max_size=25))
    far_pts = draw(st.lists(points, max_size=10))
    return center, radius, near_pts + far_pts


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scenarios())
def test_near_equals_brute_force(tmp_path_factory, make_event, scenario):
    center, radius, pts = scenario
    path = tmp_path_factory.mktemp("prop") / "p.sqlite"
    with EventStore.open(path) as s:
        # one curated dataset: rows never merge, so every point stays an event
        s.upsert_events(
            make_event(None, event_id=f"acled:{i}", latitude=lat, longitude=lon, geo_precision=1)
            for i, (lat, lon) in enumerate(pts)
        )
        got = list(near(center, radius_km=radius, store=s)["event_id"])
        dataset = path.with_name("ds")
        export_events(dataset, to="dataset", store=s)
    assert list(near(center, radius_km=radius, store=dataset)["event_id"]) == got
    if pts:
        lats = np.array([p[0] for p in pts])
        lons = np.array([p[1] for p in pts])
        _, _, m = GEOD.inv(np.full_like(lons, center[1]), np.full_like(lats, center[0]), lons, lats)
        d = np.asarray(m) / 1000
        order = sorted((d[i], f"acled:{i}") for i in range(len(pts)) if d[i] <= radius)
        expected = [e for _, e in order]
    else:
        expected = []
    assert got == expected


def test_near_through_a_workspace(strike_store, places):
    from geomap.errors import ConfigurationError
    from geomap.workspace import Workspace

    homs = places.point("Homs")
    with Workspace(store=strike_store) as ws:
        assert list(near(homs, radius_km=5, workspace=ws)["event_id"]) == ["acled:homs"]
        with pytest.raises(ConfigurationError, match="not both"):
            near(homs, radius_km=5, workspace=ws, store=strike_store)
    assert strike_store.count() == 3  # a store passed in is left open


@pytest.mark.gazetteer
def test_place_names_are_geocoded_by_the_workspace_geocoder(strike_store):
    from geomap.workspace import Workspace

    with Workspace(store=strike_store) as ws:
        center = resolve_center("Rastan", workspace=ws)
        assert center.geonameid == 172946 and center.provider
        assert ws.geocoder.cache.get("rastan") is not None  # cached through the workspace
        frame = near("Rastan", radius_km=25, workspace=ws)
    assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
    assert frame.attrs["center"]["geonameid"] == 172946


# ---------------------------------------------------------------------------
# export_events(): every format re-opens in geopandas with the same events


@pytest.fixture
def merged_store(geomap_env, make_event):
    """Two reports of the Rastan strike (one event, two sources), a Homs battle and a
    context figure."""
    with EventStore.open() as s:
        s.upsert_events([
            make_event(event_id="acled:1", location="Ar-Rastan", deaths_low=33, deaths_best=33,
                       deaths_high=45, fatalities=33, civilians=True, extra={"note": "ünïcode"}),
            make_event(event_id="text:2", event_type="airstrike", location="Ar Rastan",
                       deaths_low=30, deaths_best=30, origin="text"),
            make_event("Homs", event_id="acled:3", event_date="2015-10-03", event_type="Battles"),
            Event(event_id="text:ctx", deaths_low=250001, is_context=True, origin="text"),
        ])  # fmt: skip
        yield s


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg", "parquet"])
def test_export_reopens_in_geopandas(merged_store, tmp_path, places, fmt):
    path = tmp_path / f"events.{fmt}"
    report = export_events(path, format=fmt, store=merged_store)
    assert report.events == 2 and path.exists()  # the context figure is not an event
    if fmt == "csv":
        frame = pd.read_csv(path)
    elif fmt == "parquet":
        frame = gpd.read_parquet(path)
    else:
        frame = gpd.read_file(path)
    assert len(frame) == 2 and "text:ctx" not in set(frame["event_id"])
    merged = frame[frame["event_id"] == "acled:1"].iloc[0]
    assert int(merged["deaths_low"]) == 30 and int(merged["deaths_high"]) == 45
    assert int(merged["n_sources"]) == 2
    if fmt != "csv":
        assert frame.crs.to_epsg() == 4326
        assert merged.geometry.x == pytest.approx(places["Rastan"].longitude)
        assert frame.geometry.isna().sum() + frame.geometry.is_empty.sum() == 0
    assert not list(tmp_path.glob(".*partial*"))


def test_export_filters_and_format_from_suffix(merged_store, tmp_path):
    path = tmp_path / "strikes.geojson"
    report = export_events(path, flt=EventFilter(event_type="airstrike"), store=merged_store)
    assert report.format == "geojson" and report.events == 1


def test_export_bad_destination(merged_store, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        export_events(tmp_path / "missing" / "x.csv", store=merged_store)
    with pytest.raises(InputError, match="is a directory"):
        export_events(tmp_path, format="csv", store=merged_store)


def test_export_through_a_workspace_leaves_its_store_open(merged_store, tmp_path):
    from geomap.workspace import Workspace

    with Workspace(store=merged_store.path, read_only=True) as ws:
        report = export_events(tmp_path / "events.csv", workspace=ws)
        assert report.events == 2 and ws.store.count() == 2  # still open
    with Workspace(store=merged_store) as ws:
        with pytest.raises(ConfigurationError, match="not both"):
            export_events(tmp_path / "events.csv", workspace=ws, store=merged_store)


def _digest(path):
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_readers_open_the_store_read_only_and_need_it(merged_store, tmp_path):
    from geomap.errors import StoreError
    from geomap.store import EventStore

    path = merged_store.path
    merged_store.close()
    before = _digest(path)
    assert len(near("34.93,36.73", radius_km=30, store=path)) == 2
    export_events(tmp_path / "out.csv", store=path)
    assert _digest(path) == before
    missing = tmp_path / "typo" / "events.sqlite"
    with pytest.raises(StoreError, match="There is no event store"):
        near("34.93,36.73", store=missing)
    assert not missing.parent.exists()
    EventStore.open(path).close()


def test_a_context_figure_is_never_in_a_near_result_or_total(merged_store, make_event):
    since = make_event(event_id="text:since", is_context=True, deaths_low=371, deaths_best=371,
                       origin="text")  # "since September 30, strikes have killed more than 370"
    merged_store.upsert_events([since])
    frame = near("34.93,36.73", radius_km=30, store=merged_store)
    assert "text:since" not in set(frame["event_id"])
    assert len(frame) == 2 and totals(frame)["deaths_best"] == 30  # the merged strike only


# ---------------------------------------------------------------------------
# lean columns, datasets, and exports to a dataset or a new store


def test_near_gives_the_lean_columns_unless_asked(strike_store, places):
    rastan = places.point("Rastan")
    lean = near(rastan, radius_km=25, store=strike_store)
    assert list(lean.columns) == [*LEAN_COLUMNS, "distance_km", "geometry"]
    full = near(rastan, radius_km=25, columns="all", store=strike_store)
    assert list(full.columns) == [*ALL_COLUMNS, "distance_km", "geometry"]
    assert list(full["source_ids"]) == ['["acled:rastan"]', '["acled:homs"]']
    some = near(rastan, radius_km=25, columns="notes, deaths_high", store=strike_store)
    assert list(some.columns) == ["notes", "deaths_high", "distance_km", "geometry"]
    assert list(some["deaths_high"]) == [45, 2]
    for column in LEAN_COLUMNS:  # the lean frame holds the same values as the full one
        assert lean[column].equals(full[column]), column
    with pytest.raises(InputError, match="Unknown column.*wounded.*Fix"):
        near(rastan, columns=["event_id", "wounded"], store=strike_store)


def _random_store(path, make_event, n=1500, seed=3):
    """Events scattered over Syria and around it, three origins, two years, some unlocated."""
    rng = np.random.default_rng(seed)
    with EventStore.open(path) as s:
        s.upsert_events([
            make_event(None, event_id=f"acled:{i}", origin=("acled", "ucdp", "gdelt")[i % 3],
                       latitude=float(rng.uniform(32, 37.5)), longitude=float(rng.uniform(35, 42)),
                       event_date=f"201{5 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                       event_type=("Battles", "Riots")[i % 2], deaths_best=int(i % 7),
                       geo_precision=1)
            for i in range(n)
        ] + [make_event(None, event_id="acled:nowhere")])  # fmt: skip
    return rng


def test_dataset_near_equals_store_near_on_200_random_centres(tmp_path, make_event):
    path = tmp_path / "s.sqlite"
    rng = _random_store(path, make_event)
    export_events(tmp_path / "ds", to="dataset", store=path)
    flt = EventFilter(since="2016-03", event_type="battles", min_fatalities=2)
    with EventStore.open(path, read_only=True) as store, EventDataset.open(tmp_path / "ds") as ds:
        for k in range(200):
            center = (float(rng.uniform(31.5, 38)), float(rng.uniform(34.5, 42.5)))
            radius = float(rng.choice([5.0, 25.0, 80.0]))
            chosen = flt if k % 4 == 0 else None
            a = near(center, radius_km=radius, flt=chosen, columns="all", store=store)
            b = near(center, radius_km=radius, flt=chosen, columns="all", store=ds)
            pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
            assert a.geometry.equals(b.geometry)
        assert ds._joined  # the later queries were answered from the row groups joined


def test_export_to_a_dataset_and_back_to_a_store(merged_store, tmp_path):
    report = export_events(tmp_path / "ds", to="dataset", store=merged_store)
    assert (report.format, report.events) == ("dataset", 2)
    with pytest.raises(InputError, match="events only"):
        export_events(tmp_path / "ctx", to="dataset", context=True, store=merged_store)
    out = tmp_path / "slice.sqlite"
    back = export_events(out, to="sqlite", store=tmp_path / "ds", flt=EventFilter(until="2015-09"))
    assert (back.format, back.events, back.skipped) == ("sqlite", 1, 0)
    with EventStore.open(out, read_only=True) as s:
        (event,) = s.events()
    assert event.event_id == "acled:1" and event.deaths_low == 30 and event.deaths_high == 45
    assert event.extra["merged_source_ids"] == ["acled:1", "text:2"]
    with pytest.raises(InputError, match="exists already"):
        export_events(out, to="sqlite", store=merged_store)
    with pytest.raises(InputError, match="Unknown export target"):
        export_events(tmp_path / "x", to="duckdb", store=merged_store)


def test_exported_events_never_merge_again(tmp_path, make_event):
    # two events a store kept apart (one curated dataset) stay two in the new store
    with EventStore.open(tmp_path / "a.sqlite") as s:
        s.upsert_events([make_event(event_id="acled:1"), make_event(event_id="acled:2")])
    export_events(tmp_path / "b.sqlite", to="sqlite", store=tmp_path / "a.sqlite")
    with EventStore.open(tmp_path / "b.sqlite", read_only=True) as s:
        assert [e.event_id for e in s.events()] == ["acled:1", "acled:2"]
