"""Event extraction from an article plus hand-built place mentions (no gazetteer needed).

The mentions here are what a geoparser would hand over: each names a real
GeoNames place with its ACLED precision.  They are found by exact surface
form, so the tests exercise the event rules, not recognition.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.model import Mention, Place
from geomap.text.articles import article_from_text, read_article
from geomap.text.events import (
    extract_events,
)

COUNTRIES = {
    "Iran": Place(130758, "Iran", 32.0, 53.0, "country", "IR", "Iran", "", ""),
    "Saudi Arabia": Place(
        102358, "Saudi Arabia", 25.0, 45.0, "country", "SA", "Saudi Arabia", "", ""
    ),
    "Turkey": Place(298795, "Turkey", 39.0, 35.0, "country", "TR", "Turkey", "", ""),
    "Egypt": Place(357994, "Egypt", 27.0, 30.0, "country", "EG", "Egypt", "", ""),
    "Jordan": Place(248816, "Jordan", 31.0, 36.0, "country", "JO", "Jordan", "", ""),
    "Qatar": Place(289688, "Qatar", 25.5, 51.25, "country", "QA", "Qatar", "", ""),
    "China": Place(1814991, "China", 35.0, 105.0, "country", "CN", "China", "", ""),
}


def mentions_for(
    text: str, places: dict[str, tuple[Place, int]], doc_id: str = "d"
) -> list[Mention]:
    """Every occurrence of each surface form, longest first, as a resolved mention."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(places, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            place, precision = places[name]
            out.append(
                Mention(
                    doc_id,
                    m.group(0),
                    m.start(),
                    m.end(),
                    place,
                    place.latitude,
                    place.longitude,
                    precision,
                    0.9,
                    reason="test",
                )
            )
    return sorted(out, key=lambda m: m.span_start)


@pytest.fixture(scope="module")
def seed_places(places) -> dict[str, tuple[Place, int]]:
    """What a geoparser finds in the seed article: surface form -> (place, precision)."""
    gov, usa = places["Homs Governorate"], places["United States"]
    return {
        "northern Homs countryside": (gov, 2),
        "Homs province": (gov, 3),
        "Rastan": (places["Rastan"], 1),
        "Syria": (places["Syria"], 3),
        "Moscow": (places["Moscow"], 1),
        "Damascus": (places["Damascus"], 1),
        "Russia": (places["Russia"], 3),
        "United States": (usa, 3),
        "U.S.": (usa, 3),
        **{k: (v, 3) for k, v in COUNTRIES.items()},
    }


@pytest.fixture
def seed(seed_file, seed_places):
    article = read_article(seed_file, date="2015-09-30")
    mentions = mentions_for(article.text, seed_places, article.doc_id)
    return article, mentions, extract_events(article, mentions)


def test_seed_one_air_strike_event(seed):
    article, mentions, events = seed
    real = [e for e in events if not e.is_context]
    assert len(real) == 1
    (e,) = real
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert e.event_date == "2015-09-30"
    assert e.actor1 == "Military Forces of Russia" and e.actor2 == "Civilians (Syria)"
    assert (e.geonameid, e.geo_precision, e.location, e.country, e.admin1) == (
        172946,
        1,
        "Ar Rastan",
        "Syria",
        "Homs",
    )
    assert e.deaths_low == 33 and e.fatalities == 33 and e.deaths_high is None
    assert e.civilians and e.children and e.deaths_civilians == 33
    assert "Reuters" in e.source and "a doctor in the town of Rastan" in e.source
    assert "at least 33 civilians" in e.quote
    assert article.text[e.span_start : e.span_end] == e.quote
    extra = {(loc["geonameid"], loc["geo_precision"]) for loc in e.extra["locations"]}
    assert {(172946, 1), (169575, 3), (169575, 2)} <= extra
    assert e.event_id.startswith("ev-") and e.doc_id == article.doc_id and e.origin == "text"


def test_seed_context_figure_is_labelled_and_not_counted(seed):
    article, mentions, events = seed
    ctx = [e for e in events if e.is_context]
    assert len(ctx) == 1
    (c,) = ctx
    assert c.deaths_low == 250_001 and c.fatalities == 0 and c.event_type == ""
    assert "more than 250,000" in c.quote and c.latitude is None
    real = [e for e in events if not e.is_context]
    assert all((e.deaths_best or 0) < 250_000 for e in real)


def test_seed_roles(seed):
    article, mentions, events = seed
    event_places = {m.place.geonameid for m in mentions if m.role == "event"}
    assert event_places <= {172946, 169575}
    assert 172946 in event_places
    mentioned_only = {524901, 170654, 6252001, 2017370} | {p.geonameid for p in COUNTRIES.values()}
    assert not event_places & mentioned_only
    for m in mentions:
        if m.place.geonameid in mentioned_only:
            assert m.role == "mentioned"


def test_ids_are_stable_across_runs(seed, seed_places):
    article, mentions, events = seed
    again = extract_events(article, mentions_for(article.text, seed_places, article.doc_id))
    assert [e.event_id for e in again] == [e.event_id for e in events]
    assert len({e.event_id for e in events}) == len(events)


def test_no_article_date_means_unknown_event_date(seed_file, seed_places):
    article = read_article(seed_file)  # file-name fallback gives a date...
    undated = article_from_text(article.text)  # ...a bare string has none
    events = extract_events(undated, mentions_for(undated.text, seed_places))
    assert events and all(e.event_date is None for e in events)


def test_two_places_in_two_regions_are_two_events(places):
    text = (
        "Jets kill civilians in two cities\n"
        "Airstrikes on Aleppo killed 12 people on Monday, activists said.\n"
        "Separately, artillery shelling of Damascus killed 4 people, state media said.\n"
        "In Homs, an air raid killed 3 civilians."
    )
    article = article_from_text(text, date="2016-02-10")
    found = {name: (places[name], 1) for name in ("Aleppo", "Damascus", "Homs")}
    events = extract_events(article, mentions_for(text, found))
    got = sorted((e.location, e.sub_event_type, e.fatalities, e.event_date) for e in events)
    assert got == [
        ("Aleppo", "Air/drone strike", 12, "2016-02-08"),
        ("Damascus", "Shelling/artillery/missile attack", 4, "2016-02-10"),
        ("Homs", "Air/drone strike", 3, "2016-02-10"),
    ]
    by_loc = {e.location: e for e in events}
    assert by_loc["Aleppo"].source == "activists"
    assert by_loc["Damascus"].source == "state media"
    assert by_loc["Homs"].civilians and by_loc["Homs"].actor2 == "Civilians (Syria)"


def test_text_without_places_or_violence_gives_nothing():
    article = article_from_text(
        "A quiet day\nThe council met and talked about the budget.", date="2016-01-01"
    )
    assert extract_events(article, []) == []


def test_unlocated_event_is_still_reported():
    article = article_from_text(
        "Blast\nA roadside bomb killed five soldiers, officials said.", date="2016-01-01"
    )
    (e,) = extract_events(article, [])
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.fatalities == 5
    assert e.latitude is None and e.location == "" and e.event_date == "2016-01-01"


def test_speaker_country_is_not_an_event_location(places):
    text = "Title\nRussian airstrikes hit Rastan on Wednesday, killing 5 people, the U.S. said."
    article = article_from_text(text, date="2015-09-30")
    ms = mentions_for(text, {"Rastan": (places["Rastan"], 1), "U.S.": (places["United States"], 3)})
    (e,) = extract_events(article, ms)
    assert e.geonameid == 172946
    assert [m.role for m in ms] == ["event", "mentioned"]


def test_no_event_from_an_article_without_violence():
    text = (
        "Former governor dies at 82\nThe former governor died on Thursday, aged 82.\n"
        "Nine people have died in Vancouver in the past day from overdoses."
    )
    article = article_from_text(text, date="2015-01-02")
    assert [e for e in extract_events(article, []) if not e.is_context] == []


def test_place_named_in_passing_is_not_the_event_place(places):
    text = "Title\nA policeman shot dead two guards, shouting 'Don't forget Aleppo!'"
    article = article_from_text(text, date="2016-12-19")
    ms = mentions_for(text, {"Aleppo": (places["Aleppo"], 1)})
    (e,) = extract_events(article, ms)
    assert e.location == "" and e.fatalities == 2 and ms[0].role == "mentioned"


def test_headline_and_country_level_sentence_merge_into_the_located_event(places):
    text = (
        "Bus attack: 13 soldiers killed by car bomb\n"
        "A suicide car bomb in central Syria has killed 13 soldiers aboard a bus "
        "and wounded 56 more.\n"
        "The blast destroyed the bus near a university in Homs, officials said.\n"
        "It comes a week after 44 people were killed in a bomb attack in Aleppo on Dec. 10."
    )
    article = article_from_text(text, date="2016-12-17")
    found = {"Syria": (places["Syria"], 3), "Homs": (places["Homs"], 1),
             "Aleppo": (places["Aleppo"], 1)}  # fmt: skip
    events = sorted(extract_events(article, mentions_for(text, found)), key=lambda e: e.span_start)
    assert [
        (e.sub_event_type, e.location, e.fatalities, e.injured_best, e.event_date) for e in events
    ] == [
        ("Suicide bomb", "Homs", 13, 56, "2016-12-17"),
        ("Remote explosive/landmine/IED", "Aleppo", 44, None, "2016-12-10"),
    ]


def test_bare_nationality_is_not_an_actor(places):
    text = "Title\nGunmen killed the Russian ambassador in Rastan on Monday."
    article = article_from_text(text, date="2016-12-19")
    (e,) = extract_events(article, mentions_for(text, {"Rastan": (places["Rastan"], 1)}))
    assert e.actor1 == "Unidentified Armed Group (Syria)"
    assert "Russia" not in e.actor2


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_extract_events_never_raises_on_any_text(text):
    article = article_from_text("T\n" + text, date="2016-01-01")
    for e in extract_events(article, []):
        assert e.event_id.startswith("ev-")
        assert 0 <= e.span_start <= e.span_end <= len(article.text)


