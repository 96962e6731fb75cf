"""geomap.formats.results: writing extraction results as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from geomap.errors import InputError
from geomap.formats import results_to_json, write_results
from geomap.formats.results import dumps_indented
from geomap.model import EVENT_COLUMNS, ExtractResult, Mention
from geomap.text import article_from_text, extract_events


@pytest.fixture
def results(places):
    rastan = places["Rastan"]
    article = article_from_text(
        "Strike\nJets hit Rastan on Monday, killing 4 people. The war has killed 300 people "
        "since 2011.",
        date="2015-09-30",
    )
    start = article.text.index("Rastan")
    mention = Mention(
        article.doc_id, "Rastan", start, start + 6, rastan, rastan.latitude, rastan.longitude, 1,
        0.9, reason="test",
    )  # fmt: skip
    events = extract_events(article, [mention])
    assert len(events) == 2
    return [ExtractResult(article, [mention], events)]


def test_json_output(results):
    buf = io.StringIO()
    write_results(results, [InputError("x.txt: the file is empty")], "json", buf)
    data = json.loads(buf.getvalue())
    (doc,) = data["documents"]
    assert doc["date"] == "2015-09-30" and doc["mentions"][0]["role"] == "event"
    assert list(doc["events"][0])[: len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)
    assert data["summary"] == {
        "documents": 1,
        "failed": 1,
        "events": 1,
        "context_figures": 1,
        "mentions": 1,
    }
    assert data["errors"][0]["message"].startswith("x.txt")
    assert data == results_to_json(results, [InputError("x.txt: the file is empty")])


def test_csv_output(results):
    buf = io.StringIO()
    write_results(results, [], "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == list(EVENT_COLUMNS)
    assert rows[0]["location"] == "Ar Rastan" and rows[0]["fatalities"] == "4"
    assert rows[1]["is_context"] == "True" and rows[1]["fatalities"] == "0"


def test_unknown_format(results):
    with pytest.raises(InputError, match="unknown output format.*'xml'"):
        write_results(results, [], "xml", io.StringIO())


class _Key(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        {}, [], (), {"a": []}, [{}], {"k": {"j": {"i": [[[]]]}}}, [1, [2, [3]]],
        {"x": (1, 2.5, None, True, False)}, 3, True, None, "s", 2**80, -0.0,
        [float("nan"), float("inf"), -float("inf"), 1e300, 5e-324, 0.1 + 0.2],
        "é \u2028 \" \\ \n \x00 \U0001f600", {"é": "ü", _Key("k"): _Key("v")},
        # not plain JSON: left to json.dumps, which converts or refuses them alike
        {1: 2}, {None: 1, True: 2, 1.5: 3}, {"a": object()},
    ],
)
def test_dumps_indented_writes_what_json_dumps_writes(value):
    try:
        expected = json.dumps(value, ensure_ascii=False, indent=2)
    except TypeError:
        with pytest.raises(TypeError):
            dumps_indented(value)
        return
    assert dumps_indented(value) == expected
