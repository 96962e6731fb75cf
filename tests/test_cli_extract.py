"""``geomap extract``: formats, output file, dates, bad inputs and exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from geomap.model import EVENT_COLUMNS

pytestmark = pytest.mark.gazetteer

STRIKE = (
    "Strike on Rastan\nRussian jets hit Rastan on Monday, killing 4 civilians, a doctor said.\n"
)


def test_seed_json(cli, seed_file):
    code, out, err = cli("extract", str(seed_file), "--date", "2015-09-30")
    assert code == 0, err
    data = json.loads(out)
    (doc,) = data["documents"]
    assert doc["date"] == "2015-09-30" and doc["date_basis"] == "argument"
    events = [e for e in doc["events"] if not e["is_context"]]
    (e,) = events
    assert (e["sub_event_type"], e["event_date"], e["geonameid"]) == (
        "Air/drone strike",
        "2015-09-30",
        172946,
    )
    assert e["actor1"] == "Military Forces of Russia" and e["deaths_low"] == 33
    assert "at least 33 civilians" in e["quote"] and "Reuters" in e["source"]
    assert any(m["role"] == "event" for m in doc["mentions"])
    assert "1 article(s), 1 event(s), 1 context figure(s), 0 file(s) failed" in err


def test_seed_geojson_to_file(cli, tmp_path, seed_file, places):
    out_file = tmp_path / "events.geojson"
    code, out, err = cli("extract", str(seed_file), "--date", "2015-09-30", "--format", "geojson",
                         "-o", str(out_file))  # fmt: skip
    assert code == 0 and out == ""
    fc = json.loads(out_file.read_text(encoding="utf-8"))
    located = [f for f in fc["features"] if f["geometry"]]
    assert len(located) == 1
    lon, lat = located[0]["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx(places.point("Rastan"), abs=0.01)
    assert f"wrote {out_file}" in err


def test_csv_and_file_name_date_note(cli, tmp_path):
    p = tmp_path / "rastan-2015-10-05.txt"
    p.write_text(STRIKE, encoding="utf-8")
    code, out, err = cli("extract", str(p), "--format", "csv", "--source", "CBC")
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert list(rows[0]) == list(EVENT_COLUMNS)
    assert (
        rows[0]["event_date"] == "2015-10-05" and rows[0]["fatalities"] == "4"
    )  # Monday 2015-10-05
    assert "taken from the file name" in err


def test_no_date_gives_unknown_dates(cli, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(STRIKE, encoding="utf-8")
    code, out, err = cli("extract", str(p))
    assert code == 0
    (e,) = json.loads(out)["documents"][0]["events"]
    assert e["event_date"] is None
    assert "no date" in err


def test_front_matter_date(cli, tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("---\ndate: 2015-10-07\nsource: Wire\n---\n" + STRIKE, encoding="utf-8")
    code, out, err = cli("extract", str(p))
    doc = json.loads(out)["documents"][0]
    assert (doc["date"], doc["source"], doc["events"][0]["event_date"]) == (
        "2015-10-07",
        "Wire",
        "2015-10-05",
    )


def test_bad_files_are_reported_and_good_events_still_written(cli, tmp_path):
    (tmp_path / "good.txt").write_text(STRIKE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff\x00\xfe")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in Rastan".encode("latin-1"))
    (tmp_path / "noplaces.txt").write_text("Budget\nThe council met.", encoding="utf-8")
    (tmp_path / "script.html").write_text(
        "<html><head><script>document.write('Rastan 999 killed')</script></head><body><article><p>"
        + STRIKE.replace("\n", " ")
        + " The raid destroyed a bakery and two homes nearby.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    with open(tmp_path / "huge.txt", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    code, out, err = cli("extract", str(tmp_path), "--date", "2015-10-06")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["documents"] == 3 and data["summary"]["failed"] == 4
    assert data["summary"]["events"] == 2
    skipped = [ln for ln in err.splitlines() if ln.startswith("skipped: ")]
    assert len(skipped) == 4
    for name in ("empty.txt", "binary.txt", "latin1.txt", "huge.txt"):
        assert sum(name in ln for ln in skipped) == 1
    assert all("Fix:" in ln for ln in skipped)


def test_every_input_failed_exits_1(cli, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = cli("extract", str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt"))
    assert code == 1
    assert json.loads(out)["summary"]["failed"] == 2
    assert "empty.txt: the file is empty" in err and "nope.txt: no such file" in err


def test_empty_folder_is_an_error(cli, tmp_path):
    code, out, err = cli("extract", str(tmp_path))
    assert code == 1 and "Error: no article files found" in err


@pytest.mark.parametrize(
    "args, option",
    [
        (["--date", "30/09/2015"], "--date"),
        (["--format", "xml"], "--format"),
        (["--max-size", "0"], "--max-size"),
        (["--max-size", "nan"], "--max-size"),
        (["--max-size", "inf"], "--max-size"),
        (["--max-size", "1e400"], "--max-size"),
    ],
)
def test_usage_errors_exit_2(cli, seed_file, args, option):
    code, out, err = cli("extract", str(seed_file), *args)
    assert code == 2 and option in err and "Traceback" not in err


def test_output_folder_missing(cli, tmp_path, seed_file):
    code, out, err = cli("extract", str(seed_file), "-o", str(tmp_path / "no" / "x.json"))
    assert code == 1 and "its folder does not exist" in err


def test_max_size_option(cli, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(STRIKE * 200, encoding="utf-8")  # ~15 kB
    code, out, err = cli("extract", str(p), "--max-size", "0.01")
    assert code == 1 and "over the" in err


def test_help_documents_exit_code(cli):
    code, out, err = cli("extract", "--help")
    assert code == 0 and "exit code is 1 only" in out and "--format" in out


def test_extract_imports_stay_light():
    code = (
        "import sys, geomap.cli.extract, geomap.text.extract, geomap.text.events, "
        "geomap.text.resolve; "
        "heavy = {'folium', 'geopandas', 'trafilatura'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
