"""Ingest: formats, one precision scale, bad rows and bad files, names geocoding, acceptance."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from conftest import SEED, TEST_DATA
from geopy.distance import geodesic

from geomap.errors import InputError
from geomap.ingest.pipeline import ingest_paths
from geomap.model import Place
from geomap.query import near
from geomap.store.db import EventStore

ACLED = TEST_DATA / "acled-sample.csv"
UCDP = TEST_DATA / "ucdp-sample.csv"
NAMES = TEST_DATA / "names-sample.csv"
RASTAN = (34.92667, 36.73241)

ACLED_HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,"
    "location,latitude,longitude,geo_precision,source,notes,fatalities"
)


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def acled_line(
    ident, date="2015-09-30", lat="34.9267", lon="36.7324", fat="3", prec="1", country="Syria"
):
    return (
        f"{ident},{date},Explosions/Remote violence,Air/drone strike,Russia,,{country},Homs,"
        f"Ar-Rastan,{lat},{lon},{prec},Reuters,note,{fat}"
    )


def test_bad_rows_are_reported_and_skipped(tmp_path):
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
    report = ingest_paths([write(tmp_path, "a.csv", text)])
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
    tmp_path, name, content, encoding, fmt, match
):
    good = write(tmp_path, "good.csv", ACLED_HEADER + "\n" + acled_line("OK1") + "\n")
    with EventStore.open() as st:
        ingest_paths([good], store=st)
        report = ingest_paths([write(tmp_path, name, content, encoding)], store=st, format=fmt)
        assert len(report.errors) == 1 and "\n" not in report.errors[0]
        assert re.search(match, report.errors[0]), report.errors[0]
        assert [e.event_id for e in st.events()] == ["acled:OK1"]


def test_a_bad_file_does_not_stop_the_batch(tmp_path):
    bad = write(tmp_path, "bad.csv", "")
    good = write(tmp_path, "good.csv", ACLED_HEADER + "\n" + acled_line("OK1") + "\n")
    report = ingest_paths([bad, good])
    assert len(report.errors) == 1 and report.stored == 1


def test_missing_file_and_bad_options(tmp_path):
    report = ingest_paths([tmp_path / "nope.csv"])
    assert "No such file" in report.errors[0]
    with pytest.raises(InputError, match="Unknown ingest format"):
        ingest_paths([], format="shapefile")
    with pytest.raises(InputError, match="--country must be an ISO"):
        ingest_paths([], country="Syria")


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


def test_extract_json_and_idempotent_reingest(tmp_path):
    doc = {
        "documents": [
            {
                "doc_id": "doc-1",
                "title": "t",
                "path": "a.txt",
                "date": "2015-09-30",
                "mentions": [
                    {
                        "doc_id": "doc-1",
                        "text": "Rastan",
                        "span_start": 5,
                        "span_end": 11,
                        "place": {
                            "geonameid": 172946,
                            "name": "Ar Rastan",
                            "latitude": 34.92667,
                            "longitude": 36.73241,
                            "feature": "city",
                            "country_code": "SY",
                            "country": "Syria",
                            "admin1_code": "11",
                            "admin1": "Homs",
                        },
                        "latitude": 34.92667,
                        "longitude": 36.73241,
                        "cache_key": "rastan|cc=SY",
                    }
                ],
                "events": [
                    {
                        "event_id": "ev-1",
                        "event_date": "2015-09-30",
                        "event_type": "airstrike",
                        "location": "Ar Rastan",
                        "latitude": 34.92667,
                        "longitude": 36.73241,
                        "geo_precision": 1,
                        "span_start": 5,
                        "span_end": 11,
                        "deaths_low": 33,
                        "deaths_best": 33,
                        "country": "Syria",
                        "extra": {"k": 1},
                    }
                ],
            }
        ]
    }
    path = write(tmp_path, "out.json", json.dumps(doc))
    for _ in range(2):
        report = ingest_paths([path])
        assert report.errors == [] and report.documents == 1
    with EventStore.open() as st:
        (e,) = st.events()
        assert e.origin == "text" and e.geocode_key == "rastan|cc=SY" and e.extra["k"] == 1
        assert st.count_sources() == 1 and len(st.mentions("doc-1")) == 1


@dataclass
class FakeResult:
    query: str
    key: str
    place: Place | None
    latitude: float | None
    longitude: float | None
    from_cache: bool = False
    provider: str = "gazetteer"
    confidence: float | None = 0.9


class FakeGeocoder:
    """Stands in for geomap.geocode.Geocoder.resolve_many: records the batch it gets."""

    def __init__(self):
        self.calls = []

    def resolve_many(self, queries, *, country=None):
        self.calls.append((list(queries), country))
        out = []
        for q in self.calls[-1][0]:
            if q == "Ar Rastan":
                p = Place(172946, "Ar Rastan", *RASTAN, "city", "SY", "Syria", "11", "Homs")
                out.append(FakeResult(q, "rastan|cc=SY", p, *RASTAN, from_cache=True))
            else:
                out.append(FakeResult(q, q.lower(), None, None, None))
        return out


def test_names_csv_geocodes_in_one_batch(tmp_path):
    text = (
        "date,place,deaths\n2015-09-30,Ar Rastan,33\n2015-09-30,Ar Rastan,33\n"
        "2015-10-01,Nowhere,1\n2015-10-02,,1\n"
    )
    geocoder = FakeGeocoder()
    report = ingest_paths([write(tmp_path, "n.csv", text)], geocoder=geocoder, country="SY")
    assert geocoder.calls == [(["Ar Rastan", "Nowhere"], "SY")]  # unique names, one batch
    assert report.geocoded == 2 and report.from_cache == 2  # rows placed (two rows, one name)
    assert [u.name for u in report.unresolved] == ["Nowhere"]
    assert [(r.line, r.reason) for r in report.rejected] == [(5, "empty 'place'")]
    with EventStore.open() as st:
        located = [e for e in st.events() if e.latitude is not None]
        assert [e.geocode_key for e in located] == ["rastan|cc=SY"]
        assert located[0].coords_from_source is False and located[0].geo_precision == 1
        # the unresolved name is kept (no coordinates) so a later pin can place it
        assert any(e.location == "Nowhere" and e.latitude is None for e in st.events())


@pytest.mark.gazetteer
def test_names_csv_with_real_geocoder_and_location_column(tmp_path):
    text = "when,town,killed\n2015-09-30,Rastan,4\n2015-10-01,Jisr ash Shughur,2\n"
    report = ingest_paths([write(tmp_path, "n.csv", text)], location_column="town", country="SY")
    assert report.geocoded == 2 and report.unresolved == []
    again = ingest_paths(
        [write(tmp_path, "n2.csv", text.replace("4", "5"))], location_column="town", country="SY"
    )
    assert again.from_cache == 2  # the second run comes from the geocode cache
    with EventStore.open() as st:
        assert {e.location for e in st.events()} == {"Rastan", "Jisr ash Shughur"}


@pytest.mark.gazetteer
def test_acceptance_tables_names_and_seed_article(gazetteer_file):
    report = ingest_paths([ACLED, UCDP, NAMES, SEED], date="2015-09-30")
    assert report.errors == [] and report.rejected == []
    assert [u.name for u in report.unresolved] == ["Qaryat Ghayr Mawjuda"]
    with EventStore.open() as st:
        strikes = [
            e
            for e in st.events()
            if e.event_date == "2015-09-30"
            and e.latitude is not None
            and geodesic((e.latitude, e.longitude), RASTAN).km < 25
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
        geodesic(RASTAN, (rastan.latitude, rastan.longitude)).km, abs=0.001
    )
    homs = near("Homs", radius_km=5)
    assert rastan.event_id not in set(homs["event_id"])


def test_reingesting_an_edited_names_sheet_updates_rows(tmp_path):
    geocoder = FakeGeocoder()
    path = tmp_path / "n.csv"
    path.write_text("date,place,deaths\n2015-09-30,Ar Rastan,33\n2015-09-30,Ar Rastan,2\n")
    ingest_paths([path], geocoder=geocoder)
    path.write_text("date,place,deaths\n2015-09-30,Ar Rastan,35\n2015-09-30,Ar Rastan,2\n")
    ingest_paths([path], geocoder=geocoder)
    with EventStore.open() as st:
        assert sorted(e.deaths_best for e in st.sources()) == [2, 35]  # updated, not added
        (event,) = st.events()  # the two rows are one event with two sources
        assert event.extra["n_sources"] == 2
