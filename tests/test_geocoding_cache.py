"""The persistent geocode cache (geomap.geocoding.cache): storing, pins, sharing, concurrency."""

from __future__ import annotations

import sqlite3
import textwrap

import pytest

from geomap import config
from geomap.errors import CacheError, ConfigurationError, CoordinateError, InputError
from geomap.gazetteer import normalize
from geomap.geocoding.cache import CacheEntry, GeocodeCache, cache_key
from tests.places import PLACES


def entry(query="Rastan", *, place="Rastan", lat=None, lon=None, gid=None, updated="", **kw):
    """A gazetteer answer for ``query``: the point and id of ``place`` (None: not found)
    unless ``lat``, ``lon`` or ``gid`` are given."""
    at = PLACES[place] if place else None
    lat = lat if lat is not None or at is None else at.latitude
    lon = lon if lon is not None or at is None else at.longitude
    gid = gid if gid is not None or at is None else at.geonameid
    return CacheEntry(
        key=kw.pop("key", cache_key(query, country=kw.get("hints", {}).get("country"))),
        query=query,
        name_key=normalize(query),
        latitude=lat,
        longitude=lon,
        geonameid=gid,
        found=lat is not None,
        confidence=0.5,
        updated=updated,
        raw={"name": query, "feature": "city"},
        **kw,
    )


def test_open_uses_config_path_and_wal():
    with GeocodeCache.open() as c:
        assert c.path == config.cache_path()
        mode = c._con.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert c._con.execute("PRAGMA busy_timeout").fetchone()[0] >= 10000


def test_corrupt_cache_file_is_reported(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00garbage" * 500)
    with pytest.raises(CacheError, match="bad.sqlite.*Fix"):
        GeocodeCache.open(bad)


def test_put_get_and_stats(cache):
    cache.put(entry())
    cache.put(entry("Nowhere", place=None))
    got = cache.get("rastan")
    assert got.geonameid == 172946 and got.found and got.created and got.updated
    assert cache.get("nowhere").found is False
    stats = cache.stats()
    assert (stats["entries"], stats["found"], stats["not_found"], stats["pinned"]) == (2, 1, 1, 0)
    assert stats["providers"] == {"gazetteer": 2}
    assert cache.get("missing") is None


def test_put_never_replaces_a_pin(cache):
    cache.pin("Rastan", 1, 2)
    cache.put(entry())
    kept = cache.get("rastan")
    assert kept.pinned and (kept.latitude, kept.longitude) == (1.0, 2.0)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("Rastan", "x", "36"), CoordinateError, "'x'"),
        (("  ", "34", "36"), InputError, "place name"),
        (("Rastan", "34", "36", "Syria"), ConfigurationError, "'Syria'"),
    ],
)
def test_bad_pins(cache, args, error, message):
    name, lat, lon, *country = args
    with pytest.raises(error, match=message):
        cache.pin(name, lat, lon, country=country[0] if country else None)
    assert len(cache) == 0


# -- export / import -------------------------------------------------------


def fill(c: GeocodeCache) -> None:
    c.put(entry())
    c.put(entry("Homs", place="Homs", hints={"country": "SY"}))
    c.put(entry("Nowhere, Qqq", place=None))
    c.put(entry('Ünïcode "quoted", town', place=None, lat=-0.1, lon=1e-7, gid=1))
    c.pin("Al-Rastan", 34.9, 36.7, country="SY")


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_export_import_round_trips_exactly(tmp_path, cache, suffix):
    fill(cache)
    first = tmp_path / f"first{suffix}"
    assert cache.export(first) == 5
    with GeocodeCache.open(tmp_path / "other.sqlite") as other:
        report = other.import_(first, accept_pins=True)
        assert (report.added, report.updated, report.conflicts, report.pins) == (5, 0, [], [])
        assert [e.to_record() for e in other.entries()] == [e.to_record() for e in cache.entries()]
        second = tmp_path / f"second{suffix}"
        other.export(second)
    assert second.read_bytes() == first.read_bytes()
    # importing into the cache it came from changes nothing
    again = cache.import_(first)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)


def test_import_newer_answer_replaces_older(tmp_path, cache):
    cache.put(entry(updated="2020-01-01T00:00:00.000000Z"))
    with GeocodeCache.open(tmp_path / "o.sqlite") as other:
        other.put(entry(lat=35.0, updated="2024-01-01T00:00:00.000000Z"))
        other.export(tmp_path / "o.json")
    report = cache.import_(tmp_path / "o.json")
    assert report.updated == 1
    assert cache.get("rastan").latitude == 35.0


def test_import_never_overwrites_a_local_pin(tmp_path, cache):
    cache.pin("Rastan", 1, 2)
    with GeocodeCache.open(tmp_path / "o.sqlite") as other:
        other.put(entry())  # an automatic answer
        other.export(tmp_path / "o.csv")
    with GeocodeCache.open(tmp_path / "p.sqlite") as other:
        other.pin("Rastan", 5, 6)  # someone else's pin
        other.export(tmp_path / "p.csv")
    for name in ("o.csv", "p.csv"):
        report = cache.import_(tmp_path / name)
        assert len(report.conflicts) == 1 and "kept the local pin" in report.conflicts[0]
        kept = cache.get("rastan")
        assert kept.pinned and (kept.latitude, kept.longitude) == (1.0, 2.0)


def test_imported_pins_need_accept_pins(tmp_path, cache):
    with GeocodeCache.open(tmp_path / "o.sqlite") as other:
        other.pin("Rastan", 34.95, 36.74, country="SY")
        other.put(entry("Homs", place="Homs"))
        other.export(tmp_path / "o.json")
    report = cache.import_(tmp_path / "o.json")
    assert (report.added, len(report.pins)) == (1, 1)
    assert "rastan|cc=SY" in report.pins[0] and "34.95" in report.pins[0]
    assert cache.pins("Rastan") == []
    report = cache.import_(tmp_path / "o.json", accept_pins=True)
    assert (report.added, report.unchanged, report.pins) == (1, 1, [])
    assert [p.latitude for p in cache.pins("Rastan")] == [34.95]


BAD_JSON_ROWS = [
    ("not json at all", "not valid JSON"),
    ('{"entries": []}', "not a geomap cache export"),
    ("[]", "not a geomap cache export"),
]


@pytest.mark.parametrize(("content", "message"), BAD_JSON_ROWS)
def test_corrupt_json_import_leaves_cache_untouched(tmp_path, cache, content, message):
    fill(cache)
    before = [e.to_record() for e in cache.entries()]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(InputError, match=message):
        cache.import_(bad)
    assert [e.to_record() for e in cache.entries()] == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "north", "Row 3"),
        ("latitude", "95", "Row 3.*between -90 and 90"),
        ("found", "maybe", "found must be true/false"),
        ("hints", "{broken", "Row 3"),
        ("query", "", "query must be a non-empty string"),
    ],
)
def test_one_bad_csv_row_imports_nothing(tmp_path, cache, field, value, message):
    with GeocodeCache.open(tmp_path / "src.sqlite") as src:
        fill(src)
        src.export(tmp_path / "good.csv")
    lines = (tmp_path / "good.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    rows[2][field] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    bad = tmp_path / "bad.csv"
    bad.write_text(out.getvalue(), encoding="utf-8")
    cache.put(entry("Keep me"))
    with pytest.raises(InputError, match=message):
        cache.import_(bad)
    assert [e.query for e in cache.entries()] == ["Keep me"]


# -- two processes at once -------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from geomap.geocoding.cache import CacheEntry, GeocodeCache
    path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    c = GeocodeCache.open(path)
    for i in range(n):
        key = f"{tag}-{i}"
        c.put(CacheEntry(key=key, query=key, name_key=key, latitude=1.0, longitude=2.0,
                         found=True))
        if i % 10 == 0:
            c.pin(f"pin {tag} {i}", 3, 4)
    print(len(c))
    """
)


def test_two_processes_writing_at_once(tmp_path, run_at_once):
    path = tmp_path / "shared.sqlite"
    n = 150
    run_at_once(*([WRITER, str(path), tag, str(n)] for tag in ("a", "b")))
    with GeocodeCache.open(path) as c:
        keys = {e.key for e in c.entries()}
        assert len(keys) == 2 * n + 2 * len(range(0, n, 10))
        assert c.stats()["pinned"] == 2 * len(range(0, n, 10))
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


# -- a full disk, a read-only place, a lock: never called corrupt ---------------------


def _fill_up(c: GeocodeCache) -> None:
    """Let the file grow no further: the next write meets a full disk (SQLITE_FULL)."""
    pages = c._con.execute("PRAGMA page_count").fetchone()[0]
    c._con.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_refuses_a_pin_and_loses_nothing(cache):
    cache.put(entry())
    _fill_up(cache)
    with pytest.raises(CacheError, match="the disk is full") as info:
        for i in range(100):  # the last free bytes of the file's pages go first
            cache.pin(f"Place {i} " + "x" * 900, 34.93, 36.73)
    assert "corrupt" not in str(info.value) and "move it aside" not in str(info.value)
    assert cache.get("rastan").geonameid == 172946 and len(cache) == i + 1
    assert cache._con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_answers_still_work_when_they_cannot_be_stored(cache, gaz, caplog):
    from geomap.geocoding import Geocoder

    _fill_up(cache)
    geocoder = Geocoder(cache=cache, gazetteer=gaz)
    with caplog.at_level("WARNING", logger="geomap"):
        names = ["Rastan", "Homs", "Talbiseh"] + [f"Damascus {'x' * 600} {i}" for i in range(9)]
        results = geocoder.resolve_many(names)
    assert [r.found for r in results[:3]] == [True, True, True]
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and "New answers are not stored" in notes[0]
    assert "the disk is full" in notes[0]
    assert cache.read_only


def test_a_corrupt_cache_is_called_corrupt(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00garbage" * 500)
    with pytest.raises(CacheError, match="is corrupt: SQLite's integrity check fails"):
        GeocodeCache.open(bad)


def test_a_read_only_cache_answers_and_refuses_writes(tmp_path, cache):
    cache.put(entry())
    cache.close()
    path = config.cache_path()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # as a read-only folder gives it
    ro = GeocodeCache(con, path, unwritable="The geocode cache is read-only. Fix: x.")
    assert ro.get("rastan").geonameid == 172946 and ro.read_only
    assert ro.remember(entry("Homs", place="Homs")) is False
    with pytest.raises(CacheError, match="read-only"):
        ro.pin("Homs", 34.7, 36.7)
    with pytest.raises(CacheError, match="read-only"):
        ro.unpin("Rastan")
    ro.close()


# -- held writes ----------------------------------------------------------------


def _rows_on_disk(cache) -> int:
    """Entries another connection sees (what is written, not what is held)."""
    con = sqlite3.connect(cache.path)
    try:
        return con.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        con.close()


def test_held_answers_are_written_together_by_settle(cache):
    assert cache.remember(entry(), hold=True) is True
    assert cache.remember(entry("Homs", place="Homs"), hold=True) is True
    assert _rows_on_disk(cache) == 0
    assert cache.generation == 2  # each held answer counts as a write for memos
    cache.settle()
    assert _rows_on_disk(cache) == 2
    assert cache.get("homs").geonameid == PLACES["Homs"].geonameid
    assert cache.generation == 2  # writing the held answers is no new change
    cache.remember(entry("Talbiseh", place="Talbiseh"), hold=True)
    cache.close()  # closing writes what is held
    with GeocodeCache.open(cache.path) as again:
        assert again.get("talbiseh") is not None


@pytest.mark.parametrize(
    "read",
    [
        lambda c: c.get("rastan").geonameid,
        lambda c: len(c),
        lambda c: [e.key for e in c.entries()],
        lambda c: c.stats()["entries"],
    ],
)
def test_reads_see_the_held_answers(cache, read):
    cache.remember(entry(), hold=True)
    assert read(cache)
    assert _rows_on_disk(cache) == 1


def test_held_answers_never_replace_a_pin_and_come_before_later_writes(cache):
    cache.remember(entry(), hold=True)
    cache.pin("Rastan", 1, 2)  # written after the held answer, so it wins
    kept = cache.get("rastan")
    assert kept.pinned and (kept.latitude, kept.longitude) == (1, 2)


def test_held_answers_that_cannot_be_written_make_the_cache_read_only(cache, caplog):
    with caplog.at_level("WARNING", logger="geomap"):
        assert cache.remember(entry("Homs", place="Homs"), hold=True) is True
        cache._con.execute("PRAGMA query_only = 1")  # the file turns unwritable meanwhile
        cache.settle()
    assert cache.read_only and cache.get("homs") is None
    assert [r.getMessage() for r in caplog.records if "not stored" in r.getMessage()]


def test_geocoder_holds_a_documents_answers(cache, gaz):
    from geomap.geocoding import Geocoder

    geocoder = Geocoder(cache=cache, gazetteer=gaz)
    with geocoder.deferring_writes():
        with geocoder.deferring_writes():  # nested: the outermost block writes
            first = geocoder.resolve("Rastan")
        assert _rows_on_disk(cache) == 0
        assert geocoder.resolve("Rastan") is first  # the memo still answers
    assert _rows_on_disk(cache) == 1
    geocoder.resolve("Homs")  # outside a block: written at once
    assert _rows_on_disk(cache) == 2


def test_geocoder_block_opens_no_cache(gaz):
    from geomap.errors import CacheError
    from geomap.geocoding import Geocoder

    opened = []

    def unopenable():
        opened.append(1)
        raise CacheError("The geocode cache cannot be opened. Fix: x.")

    geocoder = Geocoder(cache=unopenable, gazetteer=gaz)
    with geocoder.deferring_writes():
        pass
    assert opened == []
    with geocoder.deferring_writes(), pytest.raises(CacheError, match="cannot be opened"):
        geocoder.resolve("Rastan")  # the first lookup opens it, as outside a block
