"""The smallest inputs the fuzz suite has found breaking geomap, kept as fixed cases.

Each is the minimal case of a failure found by the fuzz categories (before
the store validated its input, or since), checked exactly as a fuzz case is
(:mod:`tests.fuzz.harness`), so that it can never come back unnoticed.
"""

from __future__ import annotations

import pytest

from tests.fuzz.harness import Case, InputFile, assert_survives

pytestmark = pytest.mark.usefixtures("gazetteer_file", "no_network")

ACLED_HEADER = b"event_id_cnty,event_date,year,event_type,country,location,latitude,longitude,"

FOUND = {
    # a non-numeric count was stored as text; every later near/export crashed
    "json fatalities 'lots'": ("p.json", b'{"events":[{"event_id":"j2","event_date":"yesterday",'
                               b'"latitude":34.9,"longitude":36.7,"fatalities":"lots"}]}'),
    # 1e400 (infinity) stored; near/export: "cannot convert float infinity to integer"
    "json geo_precision 1e400": ("g.json", b'[{"event_id":"json:FZ1","event_date":"2015-10-26",'
                                 b'"latitude":36.2,"longitude":41.2,"fatalities":59,'
                                 b'"actor1":1e400,"geo_precision":1e400}]'),
    # a file holding only a byte-order mark: IndexError
    "csv of a UTF-8 BOM only": ("b.csv", b"\xef\xbb\xbf"),
    "txt of a UTF-16 BOM only": ("b.txt", b"\xff\xfe"),
    "txt of a UTF-8 BOM only": ("b.txt", b"\xef\xbb\xbf"),
    # wrong JSON types inside "events" / "features": TypeError, AttributeError
    "json lines event [1e400]": ("a.jsonl", b'{"events": [[1e400]]}'),
    "json event 28133086": ("a.json", b'{"events": [28133086]}'),
    "geojson features object": ("a.json", b'{"type":"FeatureCollection","features":{"a":1}}'),
    # a latitude that is not a number: ValueError
    "json latitude '34.9.1'": ("a.json", b'{"article": null, "events": [{"event_date": '
                               b'"2000-01-01", "latitude": "34.9.1"}]}'),
    # a row with the id of a stored row replaced it silently
    "json row with a stored acled id": ("a.json", b'{"events":[{"event_id":"acled:FZB0001",'
                                        b'"event_date":"2016-01-01","latitude":35.0,'
                                        b'"longitude":36.0,"fatalities":5}]}'),
    # a number of more digits than Python reads: "Unexpected error (ValueError ...)"
    "json count of 5,000 digits": ("d.json", b'[{"event_id":"json:FZ2","event_date":"2015-10-26",'
                                   b'"latitude":36.2,"longitude":41.2,"fatalities":'
                                   + b"9" * 5000 + b"}]"),
    "acled row with a stored id": ("a.csv", ACLED_HEADER + b"fatalities\nFZB0002,3 October 2015,"
                                   b"2015,Battles,Syria,Homs,34.7324,36.7137,7\n"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(FOUND))
def test_found_inputs_are_handled(name: str) -> None:
    file_name, data = FOUND[name]
    assert_survives(Case("found", (InputFile(file_name, data),), (("ingest", file_name),)))


ARTICLE = InputFile("article.txt", b"Strike on Rastan\nAn air strike on Rastan killed 3 people.\n")

COMMANDS = {
    # a 2,000-character --date was echoed back whole in the error line
    "extract --date of 2,000 characters": ("extract", "article.txt", "--date", "x" * 2000),
    # click's usage errors echoed a bad value whole: --format, an option, a command name
    "ingest --format of 2,000 characters": ("ingest", "article.txt", "--format", "f" * 2000),
    "an option of 2,000 characters": ("near", "Homs", "--" + "o" * 2000),
    "a command of 2,000 characters": ("c" * 2000,),
    # extract's JSON on stdout quotes a long --source: data, not a message
    "extract --source of 2,000 characters": ("extract", "article.txt", "--source", "s" * 2000),
    # one line of GeoJSON asked for is data, not a message: never flagged
    "near as one line of geojson": ("near", "Aleppo", "--radius", "35.1579", "--format", "geojson"),
    # a pin the command was asked to remove is gone, and nothing else changed
    "unpin the baseline pin": ("cache", "unpin", "Homs", "--country", "SY"),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_found_commands_are_handled(name: str) -> None:
    assert_survives(Case("found", (ARTICLE,), (COMMANDS[name],)))
