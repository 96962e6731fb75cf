"""geomap.formats.results: writing extraction results as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from geomap.errors import InputError
from geomap.formats import results_to_json, write_results
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
