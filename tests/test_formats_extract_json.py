"""geomap.formats.extract_json: reading ``geomap extract`` output back into results."""

from __future__ import annotations

import json

import pytest

from geomap.errors import InputError
from geomap.formats.extract_json import read_extract_json, results_from_json
from geomap.ingestion import ingest_paths
from geomap.store import EventStore


def test_extract_json_and_idempotent_reingest(write_file, places):
    rastan = places["Rastan"]
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
                            "geonameid": rastan.geonameid,
                            "name": rastan.name,
                            "latitude": rastan.latitude,
                            "longitude": rastan.longitude,
                            "feature": "city",
                            "country_code": "SY",
                            "country": "Syria",
                            "admin1_code": "11",
                            "admin1": "Homs",
                        },
                        "latitude": rastan.latitude,
                        "longitude": rastan.longitude,
                        "cache_key": "rastan|cc=SY",
                    }
                ],
                "events": [
                    {
                        "event_id": "ev-1",
                        "event_date": "2015-09-30",
                        "event_type": "airstrike",
                        "location": rastan.name,
                        "latitude": rastan.latitude,
                        "longitude": rastan.longitude,
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
    path = write_file("out.json", json.dumps(doc))
    for _ in range(2):
        report = ingest_paths([path])
        assert report.errors == [] and report.documents == 1
    with EventStore.open() as st:
        (e,) = st.events()
        assert e.origin == "text" and e.geocode_key == "rastan|cc=SY" and e.extra["k"] == 1
        assert st.count_sources() == 1 and len(st.mentions("doc-1")) == 1


def test_bare_events_and_geojson_features_form_one_last_document():
    record = {"event_id": "e1", "event_date": "2015-09-30", "fatalities": None, "extra": {"k": 2}}
    feature = {"type": "Feature", "properties": {"event_id": "e2", "location": "Homs"}}
    result = {"article": {"title": "no id"}, "mentions": [{"doc_id": "d"}], "events": []}
    docs = results_from_json(
        [record, {"type": "FeatureCollection", "features": [feature]}, result], "x.json"
    )
    assert [(d.article, len(d.mentions), len(d.events)) for d in docs] == [
        (None, 0, 0),  # an article without doc_id is not stored; a mention without span dropped
        (None, 0, 2),
    ]
    first, second = docs[1].events
    assert (first.event_id, first.fatalities, first.extra) == ("e1", 0, {"k": 2})
    assert (second.event_id, second.location) == ("e2", "Homs")


def test_json_lines(write_file):
    lines = [{"event_id": "e1", "location": "Homs"}, {"event_id": "e2", "location": "Hama"}]
    path = write_file("x.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n\n")
    (doc,) = read_extract_json(path, path.read_text())
    assert [e.location for e in doc.events] == ["Homs", "Hama"]


@pytest.mark.parametrize(
    "text, match",
    [
        ("[1, 2]", "item 1 is int 1"),
        ('{"foo": 1}', r"keys: 'foo'\)"),
        ("{not json", "not valid JSON \\(line 1"),
        ("", "not valid JSON"),
        ('[{"doc_id": "d", "n": ' + "9" * 5000 + "}]", "holds a number too long to read "
         r"\(Exceeds the limit \(4300 digits\) for integer string conversion: value has "
         r"5000 digits\)\. Fix: "),
    ],
)
def test_bad_extract_json(write_file, text, match):
    path = write_file("x.json", text)
    with pytest.raises(InputError, match=match):
        read_extract_json(path, text)


def test_an_empty_extract_file_is_reported_by_ingest(write_file):
    report = ingest_paths([write_file("x.json", "")])
    assert any("is empty" in e for e in report.errors)


def test_a_mention_record_is_its_fields_with_the_place_nested_and_resolved():
    import dataclasses

    from geomap.formats.extract_json import mention_record
    from geomap.model import Mention, Place

    place = Place(163345, "Ar Rastan", 34.92, 36.73, "city", "SY", "Syria", "11", "Homs", 40000)
    found = Mention("d1", "Rastan", 10, 16, place, 34.92, 36.73, 1, 0.9, "event", "gazetteer", "k")
    alone = Mention("d1", "Nowhere", 20, 27, reason="not in the gazetteer")
    for m in (found, alone):
        record = mention_record(m)
        assert record == {**dataclasses.asdict(m), "resolved": m.resolved}
        assert list(record) == [*(f.name for f in dataclasses.fields(Mention)), "resolved"]
    assert mention_record(found)["place"]["admin1"] == "Homs"
    assert mention_record(alone)["place"] is None and not mention_record(alone)["resolved"]
