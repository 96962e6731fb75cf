"""export_events(): every format re-opens in geopandas with the same events."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geomap.errors import ConfigurationError, InputError
from geomap.model import Event, EventFilter
from geomap.query import export_events
from geomap.store.db import EventStore


@pytest.fixture
def store(geomap_env, make_event):
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
def test_export_reopens_in_geopandas(store, tmp_path, places, fmt):
    path = tmp_path / f"events.{fmt}"
    report = export_events(path, format=fmt, store=store)
    assert report.events == 3 and path.exists()
    if fmt == "csv":
        frame = pd.read_csv(path)
    elif fmt == "parquet":
        frame = gpd.read_parquet(path)
    else:
        frame = gpd.read_file(path)
    assert len(frame) == 3
    merged = frame[frame["event_id"] == "acled:1"].iloc[0]
    assert int(merged["deaths_low"]) == 30 and int(merged["deaths_high"]) == 45
    assert int(merged["n_sources"]) == 2
    if fmt != "csv":
        assert frame.crs.to_epsg() == 4326
        assert merged.geometry.x == pytest.approx(places["Rastan"].longitude)
        assert frame.geometry.isna().sum() + frame.geometry.is_empty.sum() == 1  # context figure
    assert not list(tmp_path.glob(".*partial*"))


def test_export_filters_and_format_from_suffix(store, tmp_path):
    path = tmp_path / "strikes.geojson"
    report = export_events(path, flt=EventFilter(event_type="airstrike"), store=store)
    assert report.format == "geojson" and report.events == 1


def test_export_bad_destination(store, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        export_events(tmp_path / "missing" / "x.csv", store=store)
    with pytest.raises(InputError, match="is a directory"):
        export_events(tmp_path, format="csv", store=store)


def test_export_through_a_workspace_leaves_its_store_open(store, tmp_path):
    from geomap.workspace import Workspace

    with Workspace(store=store.path, read_only=True) as ws:
        report = export_events(tmp_path / "events.csv", workspace=ws)
        assert report.events == 3 and ws.store.count() == 3  # still open
    with Workspace(store=store) as ws, pytest.raises(ConfigurationError, match="not both"):
        export_events(tmp_path / "events.csv", workspace=ws, store=store)
