"""The extract pipeline: the seed against its gold file, batches with bad files, output formats."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.model import ExtractResult, Mention
from geomap.text import article_from_text
from geomap.text.extract import extract_article, extract_paths
from tests.places import PLACES

RASTAN = PLACES["Rastan"]


def fake_geoparser(text, *, gazetteer=None, geocoder=None, doc_id=""):
    """Finds only "Rastan" (honest: a real geoparser also returns resolved mentions)."""
    out = []
    start = text.find("Rastan")
    while start >= 0:
        out.append(
            Mention(
                doc_id,
                "Rastan",
                start,
                start + 6,
                RASTAN,
                RASTAN.latitude,
                RASTAN.longitude,
                1,
                0.9,
                reason="fake",
            )
        )
        start = text.find("Rastan", start + 1)
    return out


# --------------------------------------------------------------------------- the seed, for real


@pytest.fixture(scope="module")
def seed_result(gazetteer_file, tmp_path_factory, seed_file, seed_gold):
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import GeocodeCache, Geocoder

    cache = GeocodeCache.open(tmp_path_factory.mktemp("cache") / "c.sqlite")
    gaz = Gazetteer.open(gazetteer_file)
    geocoder = Geocoder(cache=cache, gazetteer=gaz)
    try:
        date = seed_gold["events"]["date"]
        (result,) = list(extract_paths([seed_file], date=date, gazetteer=gaz, geocoder=geocoder))
    finally:
        cache.close()
        gaz.close()
    return result


@pytest.mark.gazetteer
def test_seed_matches_gold_events(seed_result, seed_gold):
    gold_events = seed_gold["events"]
    assert isinstance(seed_result, ExtractResult), seed_result
    events = [e for e in seed_result.events if not e.is_context]
    assert len(events) == len(gold_events["expected"]) == 1
    (e,), (gold,) = events, gold_events["expected"]
    for key in (
        "event_type",
        "sub_event_type",
        "event_date",
        "actor1",
        "actor2",
        "country",
        "civilians",
        "children",
    ):
        assert getattr(e, key) == gold[key], key
    allowed = {(loc["geonameid"], loc["geo_precision"]) for loc in gold["locations"]}
    assert (e.geonameid, e.geo_precision) in allowed
    assert e.geonameid == gold["primary_geonameid"]
    extra = {(loc["geonameid"], loc["geo_precision"]) for loc in e.extra["locations"]}
    assert allowed <= extra  # Homs Governorate (3) kept as an extra location
    assert (
        e.deaths_low >= gold["deaths_low_at_least"] and e.fatalities >= gold["deaths_low_at_least"]
    )
    for part in gold["source_contains"]:
        assert part in e.source
    assert gold["quote_contains"] in e.quote
    assert seed_result.article.text[e.span_start : e.span_end] == e.quote
    assert e.geocode_key, "the event place went through the geocode cache"


@pytest.mark.gazetteer
def test_seed_context_figure_only_as_context(seed_result, seed_gold):
    ctx = [e for e in seed_result.events if e.is_context]
    assert [(c.extra["casualty_text"][0], c.deaths_low) for c in ctx] == [
        (g["figure"], g["deaths_low"]) for g in seed_gold["events"]["context"]
    ]
    for e in seed_result.events:
        if not e.is_context:
            assert "more than 250,000" not in e.extra["casualty_text"]
            assert e.deaths_best != 250_001


@pytest.mark.gazetteer
def test_seed_mentioned_only_places_are_never_event_locations(seed_result, seed_gold):
    never = {p["geonameid"] for p in seed_gold["events"]["never_event_locations"]}
    by_id = {m.place.geonameid: m for m in seed_result.mentions if m.place is not None}
    for gid in never:
        assert gid in by_id, f"{gid} not found by geoparse"  # resolved to the right place
    for m in seed_result.mentions:
        if m.place is not None and m.place.geonameid in never:
            assert m.role == "mentioned", m.text
    for e in seed_result.events:
        assert e.geonameid not in never
        assert not {loc["geonameid"] for loc in e.extra.get("locations", [])} & never
    assert any(m.role == "event" and m.place.geonameid == 172946 for m in seed_result.mentions)


# --------------------------------------------------------------------------- batches with bad files


def test_batch_never_dies_on_bad_files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(
        "Strike\nJets hit Rastan on Monday, killing 4 people, a doctor said.", encoding="utf-8"
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage\xff")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (tmp_path / "noplaces.txt").write_text(
        "Budget\nThe council met to discuss the budget.", encoding="utf-8"
    )
    (tmp_path / "script.html").write_text(
        "<html><head><script>var a='Jets hit Rastan killing 99';</script></head><body><article>"
        "<p>Jets hit Rastan on Monday, killing 4 people, a doctor said, in a raid at dawn that "
        "destroyed a bakery.</p></article></body></html>",
        encoding="utf-8",
    )
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    items = list(extract_paths([tmp_path], date="2015-09-30", geoparser=fake_geoparser))
    ok = {r.article.path.rsplit("/", 1)[-1]: r for r in items if isinstance(r, ExtractResult)}
    bad = [str(e) for e in items if isinstance(e, InputError)]
    assert sorted(ok) == ["good.txt", "noplaces.txt", "script.html"]
    assert len(bad) == 4
    for name, words in [
        ("empty", "empty"),
        ("binary", "binary"),
        ("latin1", "not UTF-8"),
        ("huge", "limit"),
    ]:
        assert any(name in b and words in b for b in bad), (name, bad)
    assert ok["noplaces.txt"].events == [] and ok["noplaces.txt"].mentions == []
    for name in ("good.txt", "script.html"):
        (e,) = ok[name].events
        assert (e.location, e.fatalities, e.event_date) == ("Ar Rastan", 4, "2015-09-28")
    assert "99" not in ok["script.html"].article.text


def test_a_crashing_article_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text("A\nJets hit Rastan, killing 4.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B\nJets hit Rastan, killing 5.", encoding="utf-8")

    def flaky(text, **kw):
        if "killing 4" in text:
            raise RuntimeError("boom")
        return fake_geoparser(text, **kw)

    items = list(extract_paths([tmp_path], geoparser=flaky))
    assert isinstance(items[0], InputError) and "a.txt" in str(items[0]) and "boom" in str(items[0])
    assert isinstance(items[1], ExtractResult) and items[1].events[0].fatalities == 5


def test_geoparse_error_is_recorded_and_events_kept():
    from geomap.errors import GeocodeError

    def failing(text, **kw):
        raise GeocodeError("cache locked")

    article = article_from_text("T\nA roadside bomb killed 3 soldiers.", date="2016-01-01")
    r = extract_article(article, geoparser=failing)
    assert r.errors and "cache locked" in r.errors[0]
    assert r.events[0].fatalities == 3


def test_default_geoparser_takes_the_contract_keywords():
    # the default geoparser is geomap.text.resolve.geoparse with the contract's keywords
    import inspect

    from geomap.text.resolve import geoparse

    params = inspect.signature(geoparse).parameters
    assert {"gazetteer", "geocoder", "doc_id"} <= set(params)


