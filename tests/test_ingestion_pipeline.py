"""The ingest job: bad rows and bad files, the workspace, acceptance on all formats."""

from __future__ import annotations

import json
import re

import pytest
from geopy.distance import geodesic

from geomap.errors import ConfigurationError, InputError
from geomap.gazetteer import Gazetteer
from geomap.geocoding import GeocodeCache
from geomap.ingestion.pipeline import ingest_paths
from geomap.query import near
from geomap.store import EventStore
from geomap.workspace import Workspace

ACLED_HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,"
    "location,latitude,longitude,geo_precision,source,notes,fatalities"
)


def acled_line(
    ident, date="2015-09-30", lat="34.9267", lon="36.7324", fat="3", prec="1", country="Syria"
):
    return (
        f"{ident},{date},Explosions/Remote violence,Air/drone strike,Russia,,{country},Homs,"
        f"Ar-Rastan,{lat},{lon},{prec},Reuters,note,{fat}"
    )


def test_bad_rows_are_reported_and_skipped(write_file):
    text = (
        "\n".join(
            [
                ACLED_HEADER,
                acled_line("A1"),
                acled_line("A2", date="31 Septembre 2015"),
                acled_line("A3", fat="many"),
                acled_line("A4", lat="36.7324", lon="34.9267"),  # swapped
                acled_line("A5", lat="134.9"),
                acled_line("A6", date="2015-10-01"),
            ]
        )
        + "\n"
    )
    report = ingest_paths([write_file("a.csv", text)])
    assert report.rows_read == 6 and report.stored == 2
    got = {(r.line, r.reason.split(":")[0]) for r in report.rejected}
    assert got == {
        (3, "unparseable date in column 'event_date'"),
        (4, "unparseable number in column 'fatalities'"),
        (5, "latitude/longitude look swapped"),
        (6, "latitude/longitude out of range"),
    }
    assert (
        "rejected: 4" in report.summary()
        and "a.csv:5: latitude/longitude look swapped" in report.summary()
    )


@pytest.mark.parametrize(
    "name, content, encoding, fmt, match",
    [
        ("empty.csv", "", "utf-8", "auto", "is empty"),
        ("blank.csv", "\n\n  \n", "utf-8", "auto", "is empty"),
        ("latin.csv", "date,place\n2015-09-30,Homs caf\u00e9\n", "latin-1", "auto", "not UTF-8"),
        (
            "a.csv",
            "date,place\n2015-09-30,Homs\n",
            "utf-8",
            "acled",
            "has no column 'event_date'.*its columns are: date, place",
        ),
        ("u.csv", ACLED_HEADER + "\n", "utf-8", "ucdp", "has no column 'date_start'"),
        (
            "n.csv",
            "when,deaths\n2015-09-30,3\n",
            "utf-8",
            "csv",
            "no place-name column.*when, deaths",
        ),
        ("x.json", "[1, 2]", "utf-8", "auto", "does not look like geomap extract output"),
        ("y.json", "{not json", "utf-8", "auto", "not valid JSON"),
        ("z.csv", '{"events": []}', "utf-8", "acled", "not a CSV table"),
        ("w.bin", "abc", "utf-8", "auto", "Cannot tell the format"),
    ],
)
def test_bad_files_are_reported_and_nothing_stored_is_lost(
    write_file, name, content, encoding, fmt, match
):
    good = write_file("good.csv", ACLED_HEADER + "\n" + acled_line("OK1") + "\n")
    with EventStore.open() as st:
        ingest_paths([good], store=st)
        report = ingest_paths([write_file(name, content, encoding)], store=st, format=fmt)
        assert len(report.errors) == 1 and "\n" not in report.errors[0]
        assert re.search(match, report.errors[0]), report.errors[0]
        assert [e.event_id for e in st.events()] == ["acled:OK1"]


def test_a_bad_file_does_not_stop_the_batch(write_file):
    bad = write_file("bad.csv", "")
    good = write_file("good.csv", ACLED_HEADER + "\n" + acled_line("OK1") + "\n")
    report = ingest_paths([bad, good])
    assert len(report.errors) == 1 and report.stored == 1


def test_missing_file_and_bad_options(tmp_path):
    report = ingest_paths([tmp_path / "nope.csv"])
    assert "No such file" in report.errors[0]
    with pytest.raises(InputError, match="Unknown ingest format"):
        ingest_paths([], format="shapefile")
    with pytest.raises(InputError, match="--country must be an ISO"):
        ingest_paths([], country="Syria")


@pytest.mark.gazetteer
def test_acceptance_tables_names_and_seed_article(acceptance_inputs, places):
    rastan_point = places.point("Rastan")
    report = ingest_paths(acceptance_inputs, date="2015-09-30")
    assert report.errors == [] and report.rejected == []
    assert [u.name for u in report.unresolved] == ["Qaryat Ghayr Mawjuda"]
    with EventStore.open() as st:
        strikes = [
            e
            for e in st.events()
            if e.event_date == "2015-09-30"
            and e.latitude is not None
            and geodesic((e.latitude, e.longitude), rastan_point).km < 25
            and "strike" in (e.sub_event_type + e.event_type).lower()
        ]
        assert len(strikes) == 1, [e.event_id for e in strikes]
        (rastan,) = strikes
        origins = {s["origin"] for s in rastan.extra["sources"]}
        assert {"acled", "ucdp", "text"} <= origins
        assert rastan.deaths_low == 33 and rastan.admin1 == "Homs"
        assert len(st.sources(rastan.event_id)) == rastan.extra["n_sources"] >= 3
    frame = near("Rastan", radius_km=25)
    row = frame[frame["event_id"] == rastan.event_id].iloc[0]
    assert row["distance_km"] == pytest.approx(
        geodesic(rastan_point, (rastan.latitude, rastan.longitude)).km, abs=0.001
    )
    homs = near("Homs", radius_km=5)
    assert rastan.event_id not in set(homs["event_id"])


def test_xlsx_table(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ACLED_HEADER.split(","),
        acled_line("X1").split(","),
        acled_line("X2", date="bad").split(","),
    ]:
        sheet.append(row)
    path = tmp_path / "acled.xlsx"
    book.save(path)
    report = ingest_paths([path])
    assert report.formats[str(path)] == "acled" and report.stored == 1
    assert [(r.line, r.reason.split(":")[0]) for r in report.rejected] == [
        (3, "unparseable date in column 'event_date'")
    ]


def test_a_workspace_given_is_used_and_left_open(write_file, tmp_path):
    path = write_file("a.csv", ACLED_HEADER + "\n" + acled_line("W1") + "\n")
    with Workspace(store=tmp_path / "w.sqlite") as ws:
        report = ingest_paths([path], workspace=ws)
        assert report.stored == 1 and [e.event_id for e in ws.store.events()] == ["acled:W1"]
    with EventStore.open() as st:
        assert st.count() == 0  # the default store was not touched


def test_a_store_and_a_workspace_together_are_refused(tmp_path):
    with Workspace() as ws, pytest.raises(ConfigurationError, match="a store or a workspace"):
        ingest_paths([], store=tmp_path / "x.sqlite", workspace=ws)


def _refuse(what):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{what} was opened")

    return refuse


def test_located_rows_open_no_geocode_cache(write_file, monkeypatch):
    monkeypatch.setattr(GeocodeCache, "open", _refuse("the geocode cache"))
    acled = write_file("a.csv", ACLED_HEADER + "\n" + acled_line("A1") + "\n")
    names = write_file("n.csv", "date,place,lat,lon\n2015-09-30,Homs,34.73,36.72\n")
    report = ingest_paths([acled, names])
    assert report.errors == [] and report.stored == 2 and report.geocoded == 0


def test_extract_output_without_events_opens_no_gazetteer(write_file, monkeypatch):
    monkeypatch.setattr(Gazetteer, "open_or_build", _refuse("the gazetteer"))
    monkeypatch.setattr(GeocodeCache, "open", _refuse("the geocode cache"))
    doc = {"doc_id": "d1", "title": "t", "mentions": [], "events": []}
    report = ingest_paths([write_file("x.json", json.dumps({"documents": [doc]}))])
    assert report.errors == [] and report.documents == 1 and report.stored == 0


@pytest.mark.gazetteer
def test_the_seed_context_figure_is_never_an_event(seed_file, tmp_path):
    """"more than 250,000 ... since 2011" is stored apart: never read, near, totalled or
    exported as an event, and exported on its own."""
    import geomap

    report = ingest_paths([seed_file], date="2015-09-30")
    assert report.context == 1 and "context figures: 1 (kept apart from events)" in (
        report.summary()
    )
    events = geomap.read_events()
    assert 250001 not in set(events["deaths_low"].dropna()) and len(events) == 1
    nearby = geomap.near("Rastan", radius_km=50)
    assert geomap.totals(nearby)["deaths_low"] == 33
    assert geomap.export(tmp_path / "e.csv").events == 1
    context = geomap.read_events(context=True)
    assert list(context["deaths_low"]) == [250001]
    assert geomap.export(tmp_path / "c.geojson", context=True).events == 1


def test_free_text_types_are_put_onto_acleds_taxonomy(write_file):
    path = write_file("types.csv", "date,place,type,latitude,longitude,country\n"
                      "2015-09-30,Rastan,barrel bomb,34.93,36.73,Syria\n"
                      "2015-09-30,Talbiseh,clashes,34.84,36.73,Syria\n"
                      "2015-09-30,Homs,incident,34.73,36.72,Syria\n")  # fmt: skip
    report = ingest_paths([path])
    assert dict(report.unknown_types) == {"incident": 1}
    assert 'kept as "Other": \'incident\' (1)' in report.summary()
    with EventStore.open() as st:
        found = {e.location: (e.event_type, e.sub_event_type, e.extra.get("original_type"))
                 for e in st.events()}  # fmt: skip
    assert found == {
        "Rastan": ("Explosions/Remote violence", "Air/drone strike", "barrel bomb"),
        "Talbiseh": ("Battles", "Armed clash", "clashes"),
        "Homs": ("Other", "", "incident"),
    }


@pytest.mark.parametrize("batch", [1, 2, 100])
def test_an_id_repeated_in_a_later_batch_names_its_first_line(write_file, monkeypatch, batch):
    from geomap.ingestion import chunks, pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", batch)
    monkeypatch.setattr(chunks, "CHUNK_ROWS", batch)
    ids = ["B1", "B2", "B3", "B1", "B4", "B3", "B1"]
    text = "\n".join([ACLED_HEADER, *(acled_line(i, fat=str(n)) for n, i in enumerate(ids))])
    report = ingest_paths([write_file("b.csv", text + "\n")])
    assert report.stored == 4
    assert [(r.line, r.reason.split(";")[0]) for r in report.rejected] == [
        (5, "event_id 'acled:B1' is on line 2 too"),
        (7, "event_id 'acled:B3' is on line 4 too"),
        (8, "event_id 'acled:B1' is on line 2 too"),
    ]
    with EventStore.open() as st:
        assert {e.event_id: e.fatalities for e in st.events()} == {
            "acled:B1": 0, "acled:B2": 1, "acled:B3": 2, "acled:B4": 4}  # fmt: skip
