"""geomap.workspace: each part opened once, on first use; only what it opened is closed."""

from __future__ import annotations

import sqlite3

import pytest

from geomap.geocoding import GeocodeCache
from geomap.store import EventStore
from geomap.workspace import Workspace


@pytest.mark.gazetteer
def test_parts_open_once_and_close_together(geomap_env):
    ws = Workspace()
    assert ws.gazetteer is ws.gazetteer
    assert ws.cache is ws.cache and ws.cache.path == geomap_env / "geocode-cache.sqlite"
    assert ws.geocoder.cache is ws.cache and ws.geocoder.gazetteer is ws.gazetteer
    assert ws.store is ws.store and ws.store_path == geomap_env / "events.sqlite"
    assert ws.geocoder.resolve("Rastan", country="SY").geonameid == 172946
    store = ws.store
    ws.close()
    with pytest.raises(sqlite3.ProgrammingError):
        store.count()


def test_given_objects_stay_open(tmp_path):
    cache = GeocodeCache.open(tmp_path / "c.sqlite")
    store = EventStore.open(tmp_path / "e.sqlite")
    with Workspace(cache=cache, store=store) as ws:
        assert ws.cache is cache and ws.store is store
        assert ws.store_path == tmp_path / "e.sqlite"
    assert len(cache) == 0 and store.count() == 0  # still usable
    cache.close()
    store.close()


def test_paths_are_opened_lazily(tmp_path):
    with Workspace(cache=tmp_path / "c.sqlite", store=tmp_path / "e.sqlite") as ws:
        assert not (tmp_path / "e.sqlite").exists()
        assert ws.store.count() == 0
        assert (tmp_path / "e.sqlite").exists() and not (tmp_path / "c.sqlite").exists()


def test_a_store_outside_the_data_directory_gets_its_folders_only_when_asked(tmp_path):
    from geomap.errors import StoreError

    path = tmp_path / "new" / "events.sqlite"
    with Workspace(store=path) as ws, pytest.raises(StoreError, match="pass --create"):
        _ = ws.store
    with Workspace(store=path, create_dirs=True) as ws:
        assert ws.store.count() == 0
    with Workspace(store=tmp_path / "none.sqlite", read_only=True) as ws:
        with pytest.raises(StoreError, match="There is no event store"):
            _ = ws.store
