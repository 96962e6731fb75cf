"""geomap.store.opening: folders made only where allowed; read-only opens, read-only folders."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from geomap.errors import StoreError
from geomap.query import export_events, near
from geomap.store import EventStore, check_store
from geomap.store.opening import PAGE_SIZE


@pytest.fixture
def read_only_folder(tmp_path):
    """``folder(path)``: makes ``path`` a folder no one may write to (chmod for a user, a
    read-only bind mount for root, who ignores permissions); skipped where neither works."""
    mounts: list[Path] = []
    chmods: list[Path] = []

    def make(path: Path) -> Path:
        if os.geteuid() != 0:
            path.chmod(0o555)
            chmods.append(path)
            return path
        for args in (["mount", "--bind", str(path), str(path)],
                     ["mount", "-o", "remount,ro,bind", str(path)]):  # fmt: skip
            done = shutil.which("mount") and subprocess.run(args, capture_output=True).returncode
            if done != 0:
                if mounts:
                    subprocess.run(["umount", "-l", str(path)], capture_output=True)
                pytest.skip("cannot make a read-only folder here (no bind mount for root)")
            if not mounts or mounts[-1] != path:
                mounts.append(path)
        return path

    yield make
    for path in mounts:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)
    for path in chmods:
        path.chmod(0o755)


@pytest.fixture
def sealed_store(tmp_path, make_event, read_only_folder) -> Path:
    folder = tmp_path / "sealed"
    folder.mkdir()
    path = folder / "events.sqlite"
    with EventStore.open(path) as s:
        s.upsert_events([make_event(), make_event("Homs", event_date="2015-10-03")])
    assert not path.with_name("events.sqlite-wal").exists()  # checkpointed at close
    read_only_folder(folder)
    return path


def test_reading_commands_work_in_a_read_only_folder(sealed_store, tmp_path):
    with EventStore.open(sealed_store, read_only=True) as s:
        assert s.count() == 2 and s.integrity_check() == "ok"
    frame = near("34.93,36.73", radius_km=30, store=sealed_store)
    assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
    assert export_events(tmp_path / "out.csv", store=sealed_store).events == 2
    with EventStore.open(sealed_store, read_only=True) as s:
        assert check_store(s).ok
    assert sorted(p.name for p in sealed_store.parent.iterdir()) == ["events.sqlite"]


def test_writing_to_a_read_only_folder_says_so_and_never_corrupt(sealed_store, make_event):
    with pytest.raises(StoreError) as info:
        with EventStore.open(sealed_store) as s:
            s.upsert_events([make_event(event_id="acled:new")])
    message = str(info.value)
    assert "read-only" in message and "corrupt" not in message and "move" not in message


def test_missing_folders_are_made_only_inside_the_data_directory(geomap_env, tmp_path):
    inside = geomap_env / "stores" / "a" / "events.sqlite"
    EventStore.open(inside).close()
    assert inside.is_file()
    outside = tmp_path / "elsewhere" / "events.sqlite"
    with pytest.raises(StoreError, match="does not exist. Fix: .*pass --create"):
        EventStore.open(outside)
    assert not outside.parent.exists()
    EventStore.open(outside, make_dirs=True).close()
    assert outside.is_file()


def test_a_read_only_open_needs_the_file(tmp_path):
    with pytest.raises(StoreError, match="no event store at .*only ingest creates a store"):
        EventStore.open(tmp_path / "nope.sqlite", read_only=True)
    assert not (tmp_path / "nope.sqlite").exists()


def _page_size(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("PRAGMA page_size").fetchone()[0])
    finally:
        con.close()


def test_a_new_store_gets_large_pages_and_an_old_one_keeps_its_own(tmp_path, make_event):
    new = tmp_path / "new.sqlite"
    with EventStore.open(new) as s:
        s.upsert_events([make_event()])
    assert _page_size(new) == PAGE_SIZE
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)  # a store made by SQLite's default pages, in WAL mode
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    with EventStore.open(old) as s:
        s.upsert_events([make_event(), make_event("Homs", event_date="2015-10-03")])
    with EventStore.open(old) as s:
        assert s.count() == 2 and s.integrity_check() == "ok"
    assert _page_size(old) == 4096
