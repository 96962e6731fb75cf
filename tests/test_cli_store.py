"""``geomap store check``: integrity, indexes, bad rows; ``--repair`` quarantines them."""

from __future__ import annotations

import pytest

from geomap.store import EventStore
from tests.test_store_migrate import write_old_store


@pytest.fixture
def old_store(tmp_path, make_event):
    path = tmp_path / "old.sqlite"
    write_old_store(path, make_event)
    return path


def test_check_a_sound_store(cli, tmp_path, make_event):
    path = tmp_path / "e.sqlite"
    with EventStore.open(path) as s:
        s.upsert_events([make_event()])
    code, out, err = cli("store", "check", "--store", str(path))
    assert code == 0, err
    assert "integrity: ok" in out and "bad rows: 0" in out and "events: 1 from 1" in out


def test_check_then_repair_an_old_store_with_bad_rows(cli, old_store):
    code, out, err = cli("store", "check", "--store", str(old_store))
    assert code == 1
    assert "schema version 2" in out and "bad rows: 4" in out
    assert "event_sources j2: bad event_date: 'yesterday'" in out
    assert "integrity: ok" in out and "corrupt" not in out + err  # bad rows are no damage
    assert err.strip().splitlines() == [
        f"Error: The event store {str(old_store)!r} has problems (above). "
        "Fix: run `geomap store check --repair`."
    ]
    code, out, err = cli("store", "check", "--repair", "--store", str(old_store))
    assert code == 0, err
    assert "bad rows: 0" in out and "quarantine: 4 rows" in out and "context figures: 1" in out
    code, out, err = cli("near", "34.9,36.7", "--radius", "30", "--store", str(old_store))
    assert code == 0 and "Total: 2 events" in out, err


def test_check_never_creates_a_store(cli, tmp_path):
    missing = tmp_path / "missing.sqlite"
    for args in ([], ["--repair"]):
        code, out, err = cli("store", "check", *args, "--store", str(missing))
        assert code == 1 and "There is no event store" in err
    assert not missing.exists()
