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
    code, out, _ = cli("cache", "import", str(out_file), "--accept-pins")
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
    [("{not json", "not valid JSON"), ('{"format": "x"}', "not a geomap cache export"),
     ('{"format": ' + "9" * 5000 + "}", "holds a number too long to read")],
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


# -- an import is checked as ingest checks a table ----------------------------------

HEADER = "key,query,name_key,hints,latitude,longitude,geonameid,found,provider,confidence," \
         "created,updated,pinned,raw\n"  # fmt: skip


@pytest.mark.gazetteer
def test_an_import_cannot_relocate_homs_to_paris(cli, tmp_path):
    """The row of the report: `homs|cc=SY` answered by Paris, dated 9999, was "1 updated"."""
    assert cli("geocode", "Homs", "--country", "SY")[0] == 0
    bad = tmp_path / "poisoned.csv"
    bad.write_text(
        HEADER + 'homs|cc=SY,Paris,paris,"{""country"": ""SY""}",48.85,2.35,,1,gazetteer,1.0,'
        "2020-01-01T00:00:00Z,9999-12-31T00:00:00Z,0,{}\n",
        encoding="utf-8",
    )
    code, out, err = cli("cache", "import", str(bad))
    assert code == 1 and out == ""
    assert err.startswith("Error: Row 1 of ") and "does not match its query 'Paris'" in err
    assert "Nothing was imported" in err and len(err.strip().splitlines()) == 1
    code, out, _ = cli("geocode", "Homs", "--country", "SY", "--format", "json")
    assert code == 0 and json.loads(out)[0]["geonameid"] == 169577  # still Homs


@pytest.mark.parametrize(
    ("row", "message"),
    [
        # the key matches its query, but the point is Paris: outside the key's country
        ('homs|cc=SY,Homs,homs,"{""country"": ""SY""}",48.85,2.35,,1,gazetteer,1.0,'
         "2020-01-01T00:00:00Z,2020-01-01T00:00:00Z,0,{}", "outside SY"),
        # a time in the future would win over every later answer
        ('homs|cc=SY,Homs,homs,"{""country"": ""SY""}",34.72,36.72,,1,gazetteer,1.0,'
         "2020-01-01T00:00:00Z,9999-12-31T00:00:00Z,0,{}", "updated is in the future"),
        ("homs,Homs,homs,{},34.72,36.72," + "1" + "0" * 30 + ",1,gazetteer,1.0,"
         "2020-01-01T00:00:00Z,2020-01-01T00:00:00Z,0,{}", "geonameid must be a GeoNames id"),
    ],
)  # fmt: skip
def test_a_bad_row_imports_nothing(cli, tmp_path, row, message):
    cli("cache", "pin", "Keep", "1", "2")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + row + "\n", encoding="utf-8")
    code, _, err = cli("cache", "import", str(bad))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    _, out, _ = cli("cache", "stats", "--format", "json")
    assert json.loads(out)["entries"] == 1


def _json_export(path, **changes):
    entry = {"key": "homs", "query": "Homs", "name_key": "homs", "hints": {},
             "latitude": 34.72, "longitude": 36.72, "geonameid": 169577, "found": True,
             "provider": "gazetteer", "confidence": 1.0, "created": "2020-01-01T00:00:00Z",
             "updated": "2020-01-01T00:00:00Z", "pinned": False, "raw": {}, **changes}  # fmt: skip
    path.write_text(json.dumps({"format": "geomap-geocode-cache", "version": 1,
                                "entries": [entry]}), encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("[" * 200_000 + "]" * 200_000) and p, "nested too deeply"),
        (lambda p: _json_export(p, geonameid=10**30), "geonameid must be a GeoNames id"),
        (lambda p: _json_export(p, query="x" * (1 << 20)), "1,048,576 characters long"),
        (lambda p: _json_export(p, raw={"a": "x" * (1 << 20)}), "characters of JSON"),
    ],
    ids=["depth-200k", "geonameid-1e30", "field-1MB", "raw-1MB"],
)
def test_hostile_json_imports_are_one_line(cli, tmp_path, make, message):
    """Each of these used to end in a traceback (RecursionError, OverflowError) or import."""
    path = make(tmp_path / "hostile.json")
    code, out, err = cli("cache", "import", str(path))
    assert code == 1 and out == "" and message in err
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1 and len(err) < 1100


def test_a_csv_field_of_a_megabyte_is_one_line(cli, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text(HEADER + "homs," + "x" * (1 << 20) + ",homs,{},34,36,,1,gazetteer,,"
                   "2020,2020,0,{}\n", encoding="utf-8")  # fmt: skip
    code, _, err = cli("cache", "import", str(big))
    assert code == 1 and "Line 2 of the CSV file" in err and "field larger than field limit" in err
    assert len(err.strip().splitlines()) == 1 and len(err) < 1100


def test_a_csv_row_with_a_number_too_long_to_read_is_one_line(cli, tmp_path):
    big = tmp_path / "digits.csv"
    big.write_text(HEADER + 'homs,Homs,homs,"{""n"": ' + "9" * 5000 + '}",34,36,,1,gazetteer,,'
                   "2020,2020,0,{}\n", encoding="utf-8")  # fmt: skip
    code, _, err = cli("cache", "import", str(big))
    assert code == 1 and "hints holds a number too long to read" in err
    assert len(err.strip().splitlines()) == 1 and len(err) < 1100


def test_pins_in_an_import_need_accept_pins(cli, tmp_path):
    with GeocodeCache.open(tmp_path / "theirs.sqlite") as c:
        c.pin("Rastan", 34.95, 36.74, country="SY")
        c.export(tmp_path / "theirs.csv")
    code, out, _ = cli("cache", "import", str(tmp_path / "theirs.csv"))
    assert code == 0 and "0 added" in out and "1 pins left out" in out
    assert "pin left out: 'Rastan' [rastan|cc=SY]: pinned at (34.95, 36.74)" in out
    assert "--accept-pins" in out
    assert json.loads(cli("cache", "stats", "--format", "json")[1])["pinned"] == 0
    code, out, _ = cli("cache", "import", str(tmp_path / "theirs.csv"), "--accept-pins")
    assert code == 0 and "1 added" in out and "left out" not in out
    assert json.loads(cli("cache", "stats", "--format", "json")[1])["pinned"] == 1


# -- pins are checked as ingest checks a row ------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # the report's swapped pin: it would have moved two events 258 km into Turkey
        (["Rastan", "36.732", "34.927", "--country", "SY"], "look swapped.*34.927,36.732"),
        (["Rastan", "48.85", "2.35", "--country", "SY"], "outside SY"),
        (["Rastan", "95", "36.7", "--country", "SY"], "between -90 and 90"),
        (["Rastan", "36.7", "-190"], "between -180 and 180"),
    ],
)
def test_a_suspicious_pin_is_refused(cli, args, message):
    import re

    code, out, err = cli("cache", "pin", *args)
    assert code == 1 and out == "" and re.search(message, err) and "Fix:" in err
    assert len(err.strip().splitlines()) == 1
    assert json.loads(cli("cache", "stats", "--format", "json")[1])["entries"] == 0


def test_force_pins_outside_the_country_but_never_out_of_range(cli):
    code, out, _ = cli("cache", "pin", "Rastan", "48.85", "2.35", "--country", "SY", "--force")
    assert code == 0 and "Pinned 'Rastan' in SY at (48.85, 2.35)" in out
    code, _, err = cli("cache", "pin", "Rastan", "95", "2.35", "--country", "SY", "--force")
    assert code == 1 and "between -90 and 90" in err


def test_a_pin_inside_its_country_is_taken(cli):
    code, out, _ = cli("cache", "pin", "Rastan", "34.927", "36.732", "--country", "SY")
    assert code == 0 and "(34.927, 36.732)" in out


# -- a full disk or a read-only folder: said as it is, never "corrupt" --------------


@pytest.mark.parametrize(
    ("mode", "says"),
    [("full", "the disk is full"), ("read-only", "the file or its folder is read-only")],
)
def test_a_pin_that_cannot_be_written_says_why(cli, geomap_env, mode, says):
    import os

    from tests.confined import run_geomap

    assert cli("cache", "pin", "Homs", "34.72", "36.72")[0] == 0
    result = run_geomap(geomap_env, ["cache", "pin", "Rastan", "34.93", "36.73"], mode=mode,
                        env=dict(os.environ))  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: The geocode cache ") and says in line and "Fix:" in line
    assert "corrupt" not in line and "move it aside" not in line
    stats = run_geomap(geomap_env, ["cache", "stats", "--format", "json"], mode=mode,
                       env=dict(os.environ))  # fmt: skip
    assert stats.returncode == 0 and json.loads(stats.stdout)["pinned"] == 1
