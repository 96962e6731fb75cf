"""Cache export files (geomap.geocoding.transfer): formats, and refusing bad files."""

from __future__ import annotations

import json

import pytest

from geomap.errors import InputError
from geomap.geocoding.entry import CacheEntry
from geomap.geocoding.transfer import read_export, write_export
from tests.places import PLACES

RASTAN = PLACES["Rastan"]
ENTRIES = [
    CacheEntry(
        key="rastan|cc=SY",
        query="Rastan",
        name_key="rastan",
        hints={"country": "SY"},
        latitude=RASTAN.latitude,
        longitude=RASTAN.longitude,
        geonameid=RASTAN.geonameid,
        found=True,
        confidence=0.5,
        created="2024-01-01T00:00:00.000000Z",
        updated="2024-01-02T00:00:00.000000Z",
        raw={"name": "Ar Rastan", "feature": "city"},
    ),
    CacheEntry(
        key="qqq quoted",
        query='Qqq, "quoted"',
        name_key="qqq quoted",
        created="2024-01-01T00:00:00.000000Z",
        updated="2024-01-01T00:00:00.000000Z",
    ),
]


@pytest.mark.parametrize("suffix", [".csv", ".json", ".JSON"])
def test_write_then_read_gives_the_entries_back(tmp_path, suffix):
    path = tmp_path / f"x{suffix}"
    assert write_export(path, ENTRIES) == 2
    assert read_export(path) == ENTRIES


def test_csv_missing_columns(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nRastan,34,36\n")
    with pytest.raises(InputError, match="lacks the columns"):
        read_export(bad)


@pytest.mark.parametrize("name", ["cache.txt", "cache"])
def test_export_needs_a_known_suffix(tmp_path, name):
    with pytest.raises(InputError, match="must end in .csv or .json"):
        write_export(tmp_path / name, ENTRIES)
    with pytest.raises(InputError, match="must end in .csv or .json"):
        read_export(tmp_path / name)
    assert not (tmp_path / name).exists()


def test_import_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.json"):
        read_export(tmp_path / "nope.json")


def test_json_export_is_documented_shape(tmp_path):
    write_export(tmp_path / "x.json", ENTRIES)
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert data["format"] == "geomap-geocode-cache"
    assert {"key", "query", "name_key", "hints", "provider", "pinned", "found"} <= set(
        data["entries"][0]
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("not an object", "expected an object"),
        ({"key": "x"}, "missing fields"),
        ({"latitude": float("nan")}, "latitude must be finite"),
        ({"geonameid": True}, "geonameid must be a number"),
        ({"found": True, "latitude": None}, "found entry needs latitude"),
        ({"raw": []}, "raw must be an object"),
    ],
)
def test_a_bad_json_row_is_named(tmp_path, record, message):
    good = ENTRIES[0].to_record()
    row = record if not isinstance(record, dict) or "key" in record else {**good, **record}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "geomap-geocode-cache", "entries": [good, row]}))
    with pytest.raises(InputError, match=f"Row 2 .*{message}"):
        read_export(path)


def test_a_repeated_key_is_refused(tmp_path):
    write_export(tmp_path / "x.csv", [ENTRIES[0], ENTRIES[0]])
    with pytest.raises(InputError, match="Row 2 .*repeats the key 'rastan\\|cc=SY'"):
        read_export(tmp_path / "x.csv")
