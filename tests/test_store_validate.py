"""geomap.store.validate: one check for every value entering the store, in Python and in SQL."""

from __future__ import annotations

import math
import sqlite3

import pytest

from geomap.model import Article, Event, Mention, Place
from geomap.store.db import EventStore
from geomap.store.validate import (
    MAX_COUNT,
    MAX_LONG_TEXT_CHARS,
    MAX_TEXT_CHARS,
    InvalidValue,
    clean_article,
    clean_event,
    clean_mention,
    clean_text,
)


def event(**fields) -> Event:
    return Event(**{"event_id": "e1", "event_date": "2015-09-30", "latitude": 34.9,
                    "longitude": 36.7, **fields})  # fmt: skip


#: Two reports of one strike: the store keeps both rows and their merged event (``events``
#: row 1; a row alone in its group has no copy there).
_MERGING = [event(location="Rastan", origin="acled", event_type="Battles", geo_precision=1),
            event(event_id="e2", location="Rastan", origin="text", event_type="Battles",
                  geo_precision=1)]  # fmt: skip


@pytest.mark.parametrize(
    "fields, match",
    [
        ({"event_date": "yesterday"}, "event_date must be a date"),
        ({"event_date": "2015-02-30"}, "event_date must be a date"),
        ({"event_date": 20150930}, "event_date must be a date"),
        ({"fatalities": "lots"}, "fatalities must be a whole number from 0 to 10,000,000"),
        ({"fatalities": math.inf}, "fatalities must be a whole number"),
        ({"fatalities": 1e30}, "fatalities must be a whole number"),
        ({"fatalities": 9223372036854775808}, "fatalities must be a whole number"),
        ({"deaths_best": -1}, "deaths_best must be a whole number"),
        ({"deaths_best": 2.5}, "deaths_best must be a whole number"),
        ({"deaths_low": True}, "deaths_low must be a whole number"),
        ({"deaths_high": MAX_COUNT + 1}, "deaths_high must be a whole number"),
        ({"deaths_low": 9, "deaths_high": 3}, "deaths_low 9 is above deaths_high 3"),
        ({"latitude": math.nan}, "latitude must be a finite decimal number"),
        ({"latitude": "north"}, "latitude must be a finite decimal number"),
        ({"latitude": 91.0}, "latitude/longitude out of range"),
        ({"longitude": None}, "latitude and longitude must be given together"),
        ({"geo_precision": 4}, "geo_precision must be 1, 2 or 3"),
        ({"civilians": "maybe"}, "civilians must be true or false"),
        ({"confidence": 1.5}, "confidence must be a number from 0 to 1"),
        ({"geonameid": -3}, "geonameid must be a whole number >= 0"),
        ({"actor1": ["a", "b"]}, "actor1 must be text"),
        ({"extra": [1, 2]}, "extra must be an object"),
        # whole numbers too long for Python to write out (or beyond any float)
        ({"fatalities": 10**5000}, "fatalities must be a whole number .*5,001 digits"),
        ({"geonameid": 10**5000}, "geonameid must be a whole number >= 0, instead got: <a"),
        ({"deaths_best": "9" * 5000}, "deaths_best must be a whole number"),
        ({"actor1": 10**5000}, "actor1 must be text, instead got: <a whole number"),
        ({"latitude": 10**400, "longitude": 1.0}, "latitude must be a finite decimal number"),
        ({"confidence": 10**400}, "confidence must be a number from 0 to 1"),
        ({"extra": {"n": 10**5000}}, r"extra\['n'\] must be a value JSON can hold"),
        ({"extra": {"a": 1, "l": [[[[]]]] * 2, "big": "x" * 100_001, "n": 10**5000}},
         r"extra\['n'\] must be a value JSON can hold"),
    ],
)
def test_bad_values_are_refused_with_the_column_and_the_value(fields, match):
    with pytest.raises(InvalidValue, match=match):
        clean_event(event(**fields))


def test_values_are_normalised():
    e = clean_event(event(
        event_date="30 September 2015", fatalities="12", deaths_best=3.0, civilians=1,
        children="true", geonameid="172946", actor1=5, location=" Ar\u0000 Rastan\n",
        notes="line one\r\nline two\ttab\x07", extra={"k": "v"},
    ))  # fmt: skip
    assert (e.event_date, e.fatalities, e.deaths_best) == ("2015-09-30", 12, 3)
    assert (e.civilians, e.children, e.geonameid, e.actor1) == (True, True, 172946, "5")
    assert e.location == "Ar Rastan"  # controls gone, whitespace controls a space, stripped
    assert e.notes == "line one\nline two\ttab"  # long text keeps its lines and tabs
    assert clean_event(event(fatalities=None)).fatalities == 0


def test_text_is_capped_and_lone_surrogates_dropped():
    assert len(clean_text("x" * 5000, "location")) == MAX_TEXT_CHARS
    assert clean_text("x" * 5000, "location").endswith("\u2026")
    long = clean_text("y" * (MAX_LONG_TEXT_CHARS + 10), "notes", cap=MAX_LONG_TEXT_CHARS)
    assert len(long) == MAX_LONG_TEXT_CHARS
    assert clean_text("Homs\ud800", "location") == "Homs"


def test_extra_is_capped_not_refused():
    e = clean_event(event(extra={"a": "x" * 60_000, "b": "y" * 60_000, "c": 1}))
    assert set(e.extra) == {"a", "c", "extra_truncated"} and e.extra["extra_truncated"] == 1


def test_mentions_and_documents_are_checked():
    m = Mention("d1", "Rastan\x00", 0, 6, latitude=34.9, longitude=36.7, confidence=0.5)
    assert clean_mention(m).text == "Rastan"
    with pytest.raises(InvalidValue, match="latitude must be a finite"):
        clean_mention(Mention("d1", "x", 0, 1, latitude=math.inf, longitude=1.0))
    with pytest.raises(InvalidValue, match="span_start"):
        clean_mention(Mention("d1", "x", "zero", 1))  # type: ignore[arg-type]
    bad_place = Place(1, "X", "north", 2.0, "city", "SY", "Syria", "11", "Homs")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="place latitude"):
        clean_mention(Mention("d1", "x", 0, 1, place=bad_place))
    article = clean_article(Article("d1", "T\x07itle", "a\x00b\ud800c", date="30 September 2015"))
    assert (article.title, article.date) == ("Title", "2015-09-30")
    assert article.text == "a\ufffdb\ufffdc"  # replaced, never removed: mention offsets hold
    with pytest.raises(InvalidValue, match="date must be a date"):
        clean_article(Article("d1", "", "", date="someday"))


@pytest.mark.parametrize(
    "column, value",
    [
        ("fatalities", "lots"),
        ("fatalities", float("inf")),
        ("deaths_best", -4),
        ("event_date", "yesterday"),
        ("event_date", "2015-02-31"),
        ("latitude", 91.5),
        ("latitude", "north"),
        ("geo_precision", 7),
        ("is_context", 2),
        ("extra", "{not json"),
        ("location", "x" * (MAX_TEXT_CHARS + 1)),
    ],
)
def test_the_store_itself_refuses_what_the_validator_refuses(tmp_path, column, value):
    """The typed columns (CHECK) hold even for a write that skips the validator."""
    with EventStore.open(tmp_path / "e.sqlite") as s:
        s.upsert_events(_MERGING)
        for table, key in (("event_sources", "sid"), ("events", "rowid")):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                s.connection.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = 1", (value,))


def test_the_store_refuses_a_context_figure_among_events(tmp_path):
    with EventStore.open(tmp_path / "e.sqlite") as s:
        s.upsert_events(_MERGING)
        assert s.connection.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            s.connection.execute("UPDATE events SET is_context = 1")


@pytest.mark.parametrize(
    "extra",
    [
        {"a": "x" * 49_990, "b": "y" * 49_990},  # just fits, key by key
        {"a": "x" * 49_995, "b": "y" * 49_995},  # one key too many
        {" k\x07 ": 1, "k": 2, "n": [1, {"z": None}], "d": object()},  # keys cleaned, merged
        {1: "one", 2.5: "two"},
        {"astral": "\U0001f600" * 8_400, "n": 10**25, "f": 1e308, "b": True, "z": None},
        {"k" * 3: "\u00e9" * 16_600, "big": -(10**19)},  # escaped text near the cap
        {"a": "x" * 8_400, "b": "y", "c": ""},  # text only, beyond the quick bound
        {"a": "x", "t": (1, 2)},  # a value the quick bound cannot size
    ],
)
def test_extra_whole_and_key_by_key_agree(extra):
    # the quick whole-object size check keeps exactly what the key-by-key count keeps
    from geomap.store import validate

    assert validate.clean_extra(extra) == validate.extra_key_by_key(extra)


@pytest.mark.parametrize(
    "fields",
    [
        {},  # empty texts and missing numbers everywhere
        {"notes": "a\r\nb", "actor1": " X\x07 ", "geo_precision": "2", "deaths_low": "",
         "deaths_high": None, "geonameid": "", "confidence": None, "event_date": None},
        {"location": "", "admin1": None, "span_start": "", "fatalities": None, "latitude": "",
         "longitude": ""},
        # text kept as it is only when printable, stripped and within its cap
        {"actor1": "Forces\u00a0", "actor2": "\u3000Rebels", "location": "A" * 1_000,
         "admin1": "B" * 1_001, "notes": "tab\there", "source": "x" * 100_001,
         "admin2": "\U0001f600 ok", "country": "Syria\u2028", "quote": " q "},
    ],
)  # fmt: skip
def test_clean_event_gives_what_every_column_check_gives(fields):
    # the columns skipped as already clean come out as their own checks leave them
    from geomap.store import validate

    checked = clean_event(event(**fields))
    for column, check in validate._CHECKS:
        raw = getattr(event(**fields), column)
        assert getattr(checked, column) == check(raw, column), column
