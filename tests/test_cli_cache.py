"""``geomap cache``: stats, export/import, pin, refresh."""

from __future__ import annotations

import json

import pytest

from geomap.geocoding import GeocodeCache


def test_stats_on_an_empty_cache(cli):
    code, out, _ = cli("cache", "stats", "--format", "json")
    assert code == 0
    stats = json.loads(out)
    assert stats["entries"] == 0 and stats["path"].endswith("geocode-cache.sqlite")


@pytest.mark.gazetteer
@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_export_import_round_trip(cli, monkeypatch, tmp_path, suffix):
    assert cli("geocode", "Rastan", "Homs", "Qqzzx Nowhere")[0] == 1
    assert (
        cli("cache", "pin", "Talbiseh", "34.84", "36.73", "--country", "SY")[0]
        == 0
    )
    out_file = tmp_path / f"shared{suffix}"
    code, out, _ = cli("cache", "export", str(out_file))
    assert code == 0 and "Exported 4 entries" in out

    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path / "colleague.sqlite"))
    code, out, _ = cli("cache", "import", str(out_file))
    assert code == 0 and "4 added" in out and "0 conflicts" in out
    again = tmp_path / f"again{suffix}"
    cli("cache", "export", str(again))
    assert again.read_bytes() == out_file.read_bytes()
    code, out, _ = cli("cache", "stats")
    assert "4 (3 found, 1 not found, 1 pinned)" in out


def test_import_reports_pin_conflicts(cli, tmp_path):
    other = tmp_path / "other.sqlite"
    with GeocodeCache.open(other) as c:
        c.pin("Rastan", 10, 20)
        c.export(tmp_path / "theirs.json")
    cli("cache", "pin", "Rastan", "34.9", "36.7")
    code, out, _ = cli("cache", "import", str(tmp_path / "theirs.json"))
    assert code == 0 and "1 conflicts" in out and "kept the local pin" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ('{"format": "x"}', "not a geomap cache export")],
)
def test_corrupt_import_is_one_line_and_changes_nothing(
    cli, tmp_path, content, message
):
    cli("cache", "pin", "Rastan", "34.9", "36.7")
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = cli("cache", "import", str(bad))
    assert code == 1 and message in err and "bad.json" in err
    assert len(err.strip().splitlines()) == 1
    _, out, _ = cli("cache", "stats", "--format", "json")
    assert json.loads(out)["entries"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Rastan", "north", "36.7"], "latitude.*'north'"),
        (["Rastan", "34.9", "200"], "longitude.*'200'"),
        (["Rastan", "34.9", "36.7", "--country", "SYR"], "'SYR'"),
    ],
)
def test_bad_pin_is_one_line(cli, args, message):
    import re

    code, _, err = cli("cache", "pin", *args)
    assert code == 1 and re.search(message, err) and "Fix:" in err
    assert len(err.strip().splitlines()) == 1


def test_pin_accepts_negative_coordinates(cli):
    code, out, _ = cli("cache", "pin", "Lima", "-12.05", "-77.04")
    assert code == 0 and "(-12.05, -77.04)" in out


def test_unpin(cli):
    cli("cache", "pin", "Rastan", "1", "2")
    assert cli("cache", "unpin", "Rastan")[0] == 0
    code, _, err = cli("cache", "unpin", "Rastan")
    assert code == 1 and "no pin for 'Rastan'" in err


@pytest.mark.gazetteer
def test_refresh_offline_without_network(cli, no_network):
    cli("geocode", "Rastan", "Homs")
    cli("cache", "pin", "Homs", "1", "2")
    with GeocodeCache.open() as c:  # make one answer stale, as an old gazetteer would
        stale = c.get("rastan")
        stale.latitude = 0.5
        stale.updated = ""
        c.put(stale)
    code, out, _ = cli("cache", "refresh", "--offline")
    assert code == 0
    assert "changed 'Rastan' [rastan]" in out and "1 changed" in out
    code, out, _ = cli("geocode", "Homs", "--format", "json")
    assert json.loads(out)[0]["pinned"] is True


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["cache", "pin", "Rastan"], "LAT"),
        (["cache", "stats", "--format", "xml"], "--format"),
        (["cache", "export"], "FILE"),
        (["cache", "refresh", "--bogus"], "--bogus"),
    ],
)
def test_usage_errors(cli, args, option):
    code, _, err = cli(*args)
    assert code == 2 and option in err
