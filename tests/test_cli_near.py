"""``geomap near``: formats, totals, radius checks, acceptance."""

from __future__ import annotations

import json

import pytest
from geopy.distance import geodesic

from geomap.store import EventStore


@pytest.fixture(scope="module")
def rastan(places) -> str:
    """Rastan as a "LAT,LON" argument."""
    return "{},{}".format(*places.point("Rastan"))


def test_table_ends_with_totals(cli, strike_store, rastan):
    code, out, err = cli("near", rastan, "--radius", "25")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[-1] == "Total: 2 events; deaths low 35, best 35, high 47"
    assert lines[1].split()[5] == "deaths"
    assert lines[3].split()[0] == "0.0" and "acled:rastan" in lines[3]
    assert "33–45" in lines[3] and "  2  " in lines[4]  # a range; low = best = high
    assert lines[4].split()[0] == "22.5"
    assert "<NA>" not in out and "nan" not in out


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_machine_formats(cli, strike_store, rastan, places, fmt):
    code, out, err = cli("near", rastan, "--format", fmt, "--since", "2015-10-01")
    homs = places.point("Homs")
    assert code == 0, err
    if fmt == "json":
        data = json.loads(out)
        assert [e["event_id"] for e in data["events"]] == ["acled:homs"]
        assert data["events"][0]["distance_km"] == round(
            geodesic(places.point("Rastan"), homs).km, 1)  # to 0.1 km
    elif fmt == "geojson":
        data = json.loads(out)
        assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
        assert data["features"][0]["geometry"]["coordinates"] == pytest.approx([homs[1], homs[0]])
    else:
        assert out.splitlines()[0].startswith("event_id,") and len(out.splitlines()) == 2
        assert out.splitlines()[1].endswith(",22.5")  # distance_km, to 0.1 km


@pytest.mark.parametrize("radius", ["-5", "abc", "0", "nan"])
def test_bad_radius_is_one_line_error(cli, strike_store, radius):
    code, out, err = cli("near", "34.9,36.7", "--radius", radius)
    assert code == 1
    assert err.strip().splitlines() == [err.strip()]
    assert "Radius must be a positive number" in err and repr(radius) in err


def test_bad_filter_options(cli, strike_store):
    code, out, err = cli("near", "34.9,36.7", "--since", "yesterday")
    assert code == 1 and "since must be a date" in err
    code, out, err = cli("near", "34.9,36.7", "--min-fatalities", "-3")
    assert code == 2 and "--min-fatalities" in err
    code, out, err = cli("near", "95,36.7")
    assert code == 1 and "out of range" in err


@pytest.mark.gazetteer
def test_acceptance_near_rastan_and_homs(cli, acceptance_inputs):
    code, out, err = cli("ingest", *map(str, acceptance_inputs), "--date", "2015-09-30")
    assert code == 0, err
    code, out, err = cli("near", "Rastan", "--radius", "25", "--format", "json", "--columns", "all")
    assert code == 0, err
    data = json.loads(out)
    strikes = [
        e
        for e in data["events"]
        if e["event_date"] == "2015-09-30" and e["sub_event_type"] == "Air/drone strike"
    ]
    assert len(strikes) == 1
    (strike,) = strikes
    assert strike["n_sources"] >= 3
    assert {"acled", "text"} <= {s["origin"] for s in strike["extra"]["sources"]}
    expected = geodesic(
        (data["center"]["latitude"], data["center"]["longitude"]),
        (strike["latitude"], strike["longitude"]),
    ).km
    assert strike["distance_km"] == pytest.approx(expected, abs=0.05)  # rounded to 0.1 km
    assert data["center"]["geonameid"] == 172946
    code, out, err = cli("near", "Homs", "--radius", "5", "--format", "json")
    assert code == 0, err
    ids = {e["event_id"] for e in json.loads(out)["events"]}
    assert strike["event_id"] not in ids


def test_negative_latitude_is_a_place_not_an_option(cli, make_event):
    with EventStore.open() as s:  # Cape Town
        s.upsert_events([make_event(None, event_id="acled:cpt", latitude=-33.92, longitude=18.42,
                                    geo_precision=1)])  # fmt: skip
    code, out, err = cli("near", "-33.9,18.4", "--radius", "10")
    assert code == 0, err
    assert "acled:cpt" in out and out.strip().splitlines()[-1].startswith("Total: 1 event;")


def test_unknown_deaths_say_unknown(cli, make_event, places):
    with EventStore.open() as s:
        s.upsert_events([make_event("Hama", event_id="csv:u", event_date="2015-10-02",
                                    origin="csv")])  # fmt: skip
    code, out, err = cli("near", "{},{}".format(*places.point("Hama")), "--radius", "1")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[3].split()[-3] == "unknown" and "<NA>" not in out
    assert lines[-1] == "Total: 1 event; deaths low 0, best 0, high unknown"


@pytest.mark.parametrize(("low", "best", "high", "text"), [
    (33, 33, None, "≥ 33"),             # "at least 33": an open range
    (19, 19, 19, "19"),                 # low = best = high
    (43, 47, 52, "43–52 (best 47)"),
    (43, 43, 52, "43–52"),
    (None, None, None, "unknown"),
    (None, 7, None, "7"),               # only a best estimate
    (None, 7, 9, "7–9"),
    (0, 0, 0, "0"),
])
def test_figures_are_written_as_analysts_write_them(low, best, high, text):
    from geomap.cli.near import deaths_text

    assert deaths_text(low, best, high) == text


def test_totals_never_print_a_high_below_the_low(cli, make_event, places):
    """"at least 33" (no high) beside a known range: the total high is unknown, not 12."""
    with EventStore.open() as s:
        s.upsert_events([
            make_event(event_id="a", deaths_low=33, deaths_best=33, deaths_high=None),
            make_event("Talbiseh", event_id="b", deaths_low=2, deaths_best=3, deaths_high=12),
        ])  # fmt: skip
    code, out, err = cli("near", "{},{}".format(*places.point("Rastan")), "--radius", "20")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[-1] == "Total: 2 events; deaths low 35, best 36, high unknown"
    assert "≥ 33" in out and "2–12 (best 3)" in out


def test_columns_are_lean_unless_asked(cli, strike_store, rastan):
    from geomap.dataset import LEAN_COLUMNS

    code, out, err = cli("near", rastan, "--format", "json")
    assert code == 0, err
    assert list(json.loads(out)["events"][0]) == [*LEAN_COLUMNS, "distance_km"]
    code, out, err = cli("near", rastan, "--format", "csv", "--columns", "event_id,notes")
    assert code == 0, err
    assert out.splitlines()[0] == "event_id,notes,distance_km"
    code, out, err = cli("near", rastan, "--columns", "notes")  # the table keeps its columns
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith("Total: 2 events")
    code, out, err = cli("near", rastan, "--columns", "event_id,colour")
    assert code == 1 and err.startswith("Error: Unknown column") and "Fix:" in err


def test_a_dataset_answers_as_the_store_does(cli, strike_store, rastan, tmp_path):
    folder = tmp_path / "ds"
    code, out, err = cli("export", str(folder), "--to", "dataset",
                         "--store", str(strike_store.path))  # fmt: skip
    assert code == 0, err
    assert f"Wrote 3 events to {folder} (dataset)" in out
    for fmt in ("table", "json", "csv"):
        from_store = cli("near", rastan, "--format", fmt, "--store", str(strike_store.path))
        from_dataset = cli("near", rastan, "--format", fmt, "--store", str(folder))
        assert from_dataset == from_store and from_store.code == 0


def test_a_folder_that_is_no_dataset_is_one_line_error(cli, tmp_path, rastan):
    code, out, err = cli("near", rastan, "--store", str(tmp_path))
    assert code == 1 and "not a geomap dataset" in err and len(err.strip().splitlines()) == 1
