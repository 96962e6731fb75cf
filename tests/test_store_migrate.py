"""geomap.store.migrate and geomap.store.quarantine: an older store with rows stored badly.

Before schema version 3 an extract JSON event with ``"fatalities": "lots"``
and ``"event_date": "yesterday"`` (or ``"fatalities": 1e400``) was stored as
it came, and context figures became events; afterwards every reader that
met those rows crashed.  Such a store is read around them, and upgraded with
them moved to quarantine.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from geomap.errors import StoreError
from geomap.ingestion import ingest_paths
from geomap.model import EventFilter
from geomap.query import export_events, near
from geomap.store import EventStore, check_store
from geomap.store.groups import stored_hash
from geomap.store.schema import SCHEMA_VERSION
from tests.old_stores import to_version_3_layout

_POISON = [
    # event_id, event_date, fatalities, is_context
    ("j2", "yesterday", "lots", 0),
    ("j3", "2015-09-30", float("inf"), 0),
    ("text:ctx", None, 0, 1),
]


def write_old_store(path: Path, make_event) -> None:
    """A version-2 store as older geomap left it: two sound events, two poisoned rows and a
    context figure among the events (written past the checks, as it had none)."""
    with EventStore.open(path) as s:
        s.upsert_events([make_event(deaths_best=33, fatalities=33),
                         make_event("Homs", event_date="2015-10-03")])  # fmt: skip
    con = sqlite3.connect(path)
    to_version_3_layout(con, version=2)
    con.execute("PRAGMA ignore_check_constraints = ON")
    for ident, date, fatalities, context in _POISON:
        located = None if context else (34.9, 36.7)
        for table in ("event_sources", "events"):
            cols = "event_id, event_date, fatalities, is_context, latitude, longitude"
            group = ", group_id" if table == "event_sources" else ", n_sources, source_ids"
            extra = (ident,) if table == "event_sources" else (1, json.dumps([ident]))
            marks = ", ".join("?" * (6 + len(extra)))
            con.execute(
                f"INSERT INTO {table} ({cols}{group}) VALUES ({marks})",
                (ident, date, fatalities, context, *(located or (None, None)), *extra),
            )
        if located:
            rowid = con.execute("SELECT rowid FROM events WHERE event_id = ?", (ident,)).fetchone()
            con.execute("INSERT INTO events_rtree VALUES (?, 36.7, 36.7, 34.9, 34.9)", rowid)
    con.commit()
    con.close()


@pytest.fixture
def old_store(tmp_path, make_event) -> Path:
    path = tmp_path / "old.sqlite"
    write_old_store(path, make_event)
    return path


def _digest(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_an_old_store_read_only_is_read_around_its_bad_rows(old_store):
    before = _digest(old_store)
    with EventStore.open(old_store, read_only=True) as s:
        assert [e.event_id for e in s.events()] == ["acled:rastan", "acled:homs"]
        assert s.count() == 2 and s.event("j2") is None
        frame = near("34.9,36.7", radius_km=30, store=s)  # crashed before: int("lots")
        assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
        check = check_store(s)
        assert not check.ok and check.schema_version == 2 and check.integrity == "ok"
        assert {(b.table, b.ident) for b in check.bad_rows} == {
            ("event_sources", "j2"), ("event_sources", "j3"), ("events", "j2"), ("events", "j3")
        }
    assert _digest(old_store) == before  # nothing written


def test_upgrade_quarantines_bad_rows_and_takes_context_out_of_events(old_store):
    with EventStore.open(old_store) as s:  # the first writable open upgrades
        assert s.schema_version() == SCHEMA_VERSION
        assert [e.event_id for e in s.events()] == ["acled:rastan", "acled:homs"]
        assert [e.event_id for e in s.context_figures()] == ["text:ctx"]
        assert s.check_indexes() == [] and s.integrity_check() == "ok"
        assert s.bad_rows() == [] and s.quarantined() == 4
        rows = s.connection.execute(
            "SELECT source_table, event_id, reason, row FROM quarantine ORDER BY id"
        ).fetchall()
        reasons = {(t, i): r for t, i, r, _row in rows}
        assert reasons[("event_sources", "j2")].startswith("bad event_date: 'yesterday'")
        assert reasons[("event_sources", "j3")].startswith("bad fatalities: Inf")
        assert json.loads(rows[0][3])["fatalities"] == "lots"  # the row is kept whole
        frame = near("34.9,36.7", radius_km=30, store=s)
        assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
        provenance = s.connection.execute(
            "SELECT input_format, place_key, typeof(content_hash) FROM event_sources "
            "WHERE event_id = 'acled:rastan'"
        ).fetchone()
        assert provenance == ("acled", "rstn", "integer")
    check = check_store(EventStore.open(old_store, read_only=True))
    assert check.ok and check.quarantined == 4 and check.context_figures == 1


def test_a_bad_upgrade_leaves_the_store_as_it_was(old_store, monkeypatch):
    from geomap.store import migrate

    def boom(conn):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(migrate, "_fill_provenance", boom)
    with pytest.raises(StoreError, match="disk holding it is full"):
        EventStore.open(old_store)
    with EventStore.open(old_store, read_only=True) as s:
        assert s.schema_version() == 2 and s.quarantined() == 0
        assert s.count() == 2 and s.integrity_check() == "ok"
        assert len(s.bad_rows()) == 4  # all still there, as before the attempt


def test_repair_moves_rows_that_bypassed_the_checks(tmp_path, make_event):
    path = tmp_path / "e.sqlite"
    with EventStore.open(path) as s:
        s.upsert_events([make_event(), make_event("Talbiseh", event_id="acled:t")])
        s.connection.execute("PRAGMA ignore_check_constraints = ON")
        s.connection.execute("UPDATE event_sources SET fatalities = 'lots' "
                             "WHERE event_id = 'acled:t'")  # fmt: skip
        assert [b.ident for b in s.bad_rows()] == ["acled:t"]
        s.connection.execute("PRAGMA ignore_check_constraints = OFF")
        assert [b.ident for b in s.repair()] == ["acled:t"]
        assert s.bad_rows() == [] and [e.event_id for e in s.events()] == ["acled:rastan"]
        assert s.check_indexes() == [] and s.quarantined() == 1


# ---------------------------------------------------------------------------
# version 3 -> 4: each input row stored once, nothing a reader sees changes

V3_STORE = Path(__file__).parent / "data" / "store-v3.sqlite"
_FILTERS = [EventFilter(since="2015-10-01"), EventFilter(until="2015-10-02", limit=3),
            EventFilter(event_type="battles"), EventFilter(actor="rebels"),
            EventFilter(min_fatalities=3), EventFilter(limit=1)]  # fmt: skip
_CENTRES = [("34.9,36.7", 30), ("35.37,36.60", 5), ("35.81,36.32", 2), ("34.57,37.28", 80)]


def _near(s: EventStore, centre: str, radius: float, flt: EventFilter | None) -> str:
    frame = near(centre, radius_km=radius, columns="all", store=s, flt=flt)
    return frame.to_wkt().to_json(orient="records")  # NaN as null: comparable


def _everything(s: EventStore, tmp: Path) -> dict[str, object]:
    """Every answer a reader of the store gets: events, sources, near, export."""
    events = s.events()
    exports: list[object] = []
    for name in ("all.csv", "all.geojson"):
        export_events(tmp / name, store=s)
        exports.append((tmp / name).read_text(encoding="utf-8"))
    export_events(tmp / "all.parquet", store=s)  # GeoParquet: compared as read back
    exports.append(pq.read_table(tmp / "all.parquet").to_pylist())
    return {
        "events": events,
        "one by one": [s.event(e.event_id) for e in events] + [s.event("text:ctx")],
        "counts": (s.count(), s.count_sources(), s.count_context()),
        "context": s.context_figures(),
        "sources": s.sources(),
        "members": [s.sources(e.event_id) for e in events],
        "filtered": [s.events(f) for f in _FILTERS],
        "near": [_near(s, c, r, f) for c, r in _CENTRES for f in (None, _FILTERS[0])],
        "placements": (s.geocode_keys(), s.source_placements()),
        "exports": exports,
    }


def test_a_version_3_store_upgrades_in_place_and_reads_the_same(tmp_path):
    path = tmp_path / "v3.sqlite"
    shutil.copyfile(V3_STORE, path)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    with EventStore.open(path, read_only=True) as s:  # read as version 3 keeps it
        assert s.schema_version() == 3 and s.check_indexes() == []
        before = _everything(s, tmp_path / "a")
    assert before["counts"] == (9, 17, 1)
    merged = {e.event_id: e.extra["n_sources"] for e in before["events"]}
    assert merged["acled:GMX0001"] == 4 and merged["acled:jisr"] == 3
    assert {"csv:undated", "csv:nowhere"} <= merged.keys()  # undated, unlocated
    assert json.loads(before["near"][2])[0]["event_id"] == "csv:undated"  # found by near
    with EventStore.open(path) as s:  # the first writable open upgrades
        assert s.schema_version() == SCHEMA_VERSION == 5
        after = _everything(s, tmp_path / "b")
        con = s.connection
        kept = con.execute("SELECT event_id, n_sources FROM events ORDER BY 1").fetchall()
        alone = con.execute("SELECT count(*) FROM event_sources WHERE group_id IS NULL "
                            "AND is_context = 0").fetchone()[0]  # fmt: skip
        rtrees = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("events_rtree", "sources_rtree")]  # fmt: skip
        keyed = con.execute("SELECT count(*), sum(extra LIKE '[%') FROM event_sources "
                            "WHERE extra IS NOT NULL").fetchone()  # fmt: skip
        indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'"
                                             " AND sql IS NOT NULL")}  # fmt: skip
    for key, value in before.items():
        assert after[key] == value, key
    # only groups of two or more keep a merged row; every other row is its own event
    assert kept == [(i, n) for i, n in sorted(merged.items()) if n > 1]
    assert alone == sum(n == 1 for n in merged.values()) == 5
    assert rtrees == [4, 15]  # merged; located non-context rows
    assert not indexes & {"events_date", "events_geocode_key", "sources_group",
                          "sources_geocode_key"}
    assert keyed[0] > 0 and keyed[1] == keyed[0]  # every extra stored without its key names
    check = check_store(EventStore.open(path, read_only=True))
    assert check.ok and (check.events, check.sources, check.context_figures) == (9, 17, 1)


def test_an_upgrade_regroups_rows_whose_merged_event_was_lost(tmp_path):
    path = tmp_path / "v3.sqlite"
    shutil.copyfile(V3_STORE, path)
    with EventStore.open(path, read_only=True) as s:
        want = s.events()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM events_rtree WHERE id = "
                "(SELECT rowid FROM events WHERE event_id = 'acled:jisr')")  # fmt: skip
    con.execute("DELETE FROM events WHERE event_id = 'acled:jisr'")
    con.commit()
    con.close()
    with EventStore.open(path) as s:
        assert s.events() == want and s.check_indexes() == []


# ---------------------------------------------------------------------------
# version 4 -> 5: files by id, integer hashes and stamps, one R*Tree of source rows

V4_STORE = Path(__file__).parent / "data" / "store-v4.sqlite"


def test_a_version_4_store_upgrades_in_place_and_reads_the_same(tmp_path):
    path = tmp_path / "v4.sqlite"
    shutil.copyfile(V4_STORE, path)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    old = sqlite3.connect(path)
    hashes = dict(old.execute("SELECT event_id, content_hash FROM event_sources"))
    files = dict(old.execute("SELECT event_id, input_file FROM event_sources"))
    stamps = dict(old.execute("SELECT event_id, updated_at FROM event_sources"))
    old.close()
    with EventStore.open(path, read_only=True) as s:  # read as version 4 keeps it
        assert s.schema_version() == 4 and s.check_indexes() == []
        before = _everything(s, tmp_path / "a")
    assert before["counts"] == (9, 17, 1)
    assert json.loads(before["near"][2])[0]["event_id"] == "csv:undated"  # found by near
    with EventStore.open(path) as s:  # the first writable open upgrades
        assert s.schema_version() == SCHEMA_VERSION == 5
        after = _everything(s, tmp_path / "b")
        con = s.connection
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        rows = con.execute(
            "SELECT s.event_id, s.content_hash, f.path, s.updated_at FROM event_sources s "
            "LEFT JOIN input_files f ON f.id = s.file_id"
        ).fetchall()
        located = con.execute("SELECT count(*) FROM event_sources WHERE is_context = 0 "
                              "AND latitude IS NOT NULL").fetchone()[0]  # fmt: skip
        in_rtree = con.execute("SELECT count(*) FROM sources_rtree").fetchone()[0]
    for key, value in before.items():
        assert after[key] == value, key
    assert "points_rtree" not in tables
    assert {"input_files", "admin1_keys", "extra_values"} <= tables
    assert in_rtree == located == 15  # the undated row with a point too
    for event_id, digest, file, stamp in rows:
        assert digest == stored_hash(hashes[event_id]) and (file or "") == files[event_id]
        assert dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ") == stamps[event_id]  # fmt: skip
    check = check_store(EventStore.open(path, read_only=True))
    assert check.ok and (check.events, check.sources, check.context_figures) == (9, 17, 1)


def test_rows_stored_before_version_5_are_unchanged_when_they_come_again(tmp_path):
    path = tmp_path / "v4.sqlite"
    shutil.copyfile(V4_STORE, path)
    data = Path(__file__).parent / "data"
    for name, n in (("acled-sample.csv", 4), ("ucdp-sample.csv", 3)):
        report = ingest_paths([data / name], store=path)
        assert (report.stored, report.unchanged, report.not_replaced) == (0, n, [])
    with EventStore.open(path, read_only=True) as s:
        assert s.schema_version() == 5 and s.count() == 9 and s.check_indexes() == []


def test_an_older_store_with_many_rows_of_repeated_extra_values_upgrades(tmp_path, make_event):
    path = tmp_path / "old.sqlite"
    extra = {"year": "2015", "region": "Middle East", "scale": "National-International"}
    with EventStore.open(path) as s:
        s.upsert_events([make_event(event_id=f"acled:{i}", latitude=30 + i / 10,
                                    extra={**extra, "acled_id": f"SYR{i}"})
                         for i in range(64)])  # fmt: skip
    con = sqlite3.connect(path)
    to_version_3_layout(con)
    con.commit()
    con.close()
    with EventStore.open(path, read_only=True) as s:
        want = s.events()
    with EventStore.open(path) as s:
        assert s.schema_version() == 5 and s.events() == want and len(want) == 64
        values = s.connection.execute("SELECT count(*) FROM extra_values").fetchone()[0]
    assert values == 3  # stored once each, whichever upgrade step coded them
