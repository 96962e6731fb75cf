"""Event extraction from an article plus hand-built place mentions (no gazetteer needed).

The mentions here are what a geoparser would hand over: each names a real
GeoNames place with its ACLED precision.  They are found by exact surface
form, so the tests exercise the event rules, not recognition.
"""

from __future__ import annotations

import re

import pytest
from conftest import SEED
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.model import Mention, Place
from geomap.text.articles import article_from_text, read_article
from geomap.text.events import (
    classify,
    extract_events,
    find_actors,
    find_attributions,
    resolve_date,
    split_sentences,
)

RASTAN = Place(172946, "Ar Rastan", 34.92667, 36.73241, "city", "SY", "Syria", "11", "Homs", 53152)
HOMS_GOV = Place(169575, "Homs Governorate", 34.5, 37.6, "admin1", "SY", "Syria", "11", "Homs")
HOMS = Place(169577, "Homs", 34.72682, 36.72339, "city", "SY", "Syria", "11", "Homs", 775404)
SYRIA = Place(163843, "Syria", 35.0, 38.0, "country", "SY", "Syria", "", "")
ALEPPO = Place(170063, "Aleppo", 36.20124, 37.16117, "city", "SY", "Syria", "09", "Aleppo", 1602264)
MOSCOW = Place(
    524901, "Moscow", 55.75222, 37.61556, "city", "RU", "Russia", "48", "Moscow", 10381222
)
DAMASCUS = Place(
    170654, "Damascus", 33.5102, 36.29128, "city", "SY", "Syria", "13", "Dimashq", 1569394
)
RUSSIA = Place(2017370, "Russia", 60.0, 100.0, "country", "RU", "Russia", "", "")
USA = Place(6252001, "United States", 39.76, -98.5, "country", "US", "United States", "", "")
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
#: surface form -> (place, precision)
SEED_PLACES = {
    "northern Homs countryside": (HOMS_GOV, 2),
    "Homs province": (HOMS_GOV, 3),
    "Rastan": (RASTAN, 1),
    "Syria": (SYRIA, 3),
    "Moscow": (MOSCOW, 1),
    "Damascus": (DAMASCUS, 1),
    "Russia": (RUSSIA, 3),
    "United States": (USA, 3),
    "U.S.": (USA, 3),
    **{k: (v, 3) for k, v in COUNTRIES.items()},
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


# --------------------------------------------------------------------------- pieces


def test_split_sentences_keeps_abbreviations_and_offsets():
    text = "U.S. Secretary of State John Kerry spoke. Dr. Smith said no.\nA new line! Then 3 more."
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "U.S. Secretary of State John Kerry spoke.",
        "Dr. Smith said no.",
        "A new line!",
        "Then 3 more.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)


@pytest.mark.parametrize(
    "sentence, sub",
    [
        ("Russian airstrikes hit parts of Syria.", "Air/drone strike"),
        ("Jets pounded the town overnight.", "Air/drone strike"),
        ("A drone strike killed two men.", "Air/drone strike"),
        ("Government forces shelled the district.", "Shelling/artillery/missile attack"),
        ("Rockets hit the market.", "Shelling/artillery/missile attack"),
        ("A roadside bomb exploded near the convoy.", "Remote explosive/landmine/IED"),
        ("A suicide bomber blew himself up at a checkpoint.", "Suicide bomb"),
        ("Rebels clashed with the army near the airport.", "Armed clash"),
        ("Gunmen killed four villagers.", "Attack"),
        ("Thousands of protesters marched in the capital.", "Peaceful protest"),
        ("Rioters torched cars.", "Violent demonstration"),
        ("Bombings in Istanbul killed 44 people.", "Remote explosive/landmine/IED"),
        ("Bombing raids by warplanes killed 4.", "Air/drone strike"),
        ("Three people were wounded in the attack.", "Attack"),
        ("Police arrested 20 activists.", "Arrests"),
        ("The ceasefire held for a second day.", "Agreement"),
    ],
)
def test_classify(sentence, sub):
    assert classify(sentence)[1] == sub


@pytest.mark.parametrize(
    "sentence",
    [
        "Lavrov spoke at the Security Council.",
        "Planes were seen in the sky.",
        "We would welcome talks.",
        "He was a member of Ankara's riot police squad.",
        "A gas explosion at a noodle shop has killed two.",
    ],
)
def test_classify_nothing(sentence):
    assert classify(sentence) is None


@pytest.mark.parametrize(
    "sentence, article_date, iso",
    [
        (
            "Russia launched airstrikes Wednesday in Syria.",
            "2015-09-30",
            "2015-09-30",
        ),  # a Wednesday
        ("Jets struck on Monday.", "2015-09-30", "2015-09-28"),
        ("what happened today was violent", "2015-09-30", "2015-09-30"),
        ("The town was hit yesterday.", "2015-09-30", "2015-09-29"),
        ("Shelling last night killed two.", "2015-09-30", "2015-09-29"),
        ("The raid on September 27 killed two.", "2015-09-30", "2015-09-27"),
        ("The raid on 3 December killed two.", "2015-09-30", "2014-12-03"),
        ("Three days ago jets hit the town.", "2015-09-30", "2015-09-27"),
        ("Jets struck on Monday.", None, None),
    ],
)
def test_resolve_date(sentence, article_date, iso):
    assert resolve_date(sentence, article_date)[0] == iso


def test_resolve_date_skips_future_days_and_plain_text():
    assert resolve_date("Talks may start next Thursday.", "2015-09-30") is None
    assert resolve_date("No time words here.", "2015-09-30") is None


@pytest.mark.parametrize(
    "sentence, sources",
    [
        ("Raids killed 33 civilians, according to a Reuters report.", ["Reuters"]),
        (
            '"It was violent," said a doctor in the town of Rastan, speaking by phone.',
            ["a doctor in the town of Rastan"],
        ),
        ("He told Reuters the planes came at dawn.", ["Reuters"]),
        (
            "The Syrian Observatory for Human Rights said 12 were killed.",
            ["Syrian Observatory for Human Rights"],
        ),
        ("Activists said the market was hit.", ["activists"]),
        ("Five died, state media reported.", ["state media"]),
        ("BEIRUT (AP) — Jets struck the town.", ["Associated Press"]),
        ("Jets struck the town.", []),
    ],
)
def test_find_attributions(sentence, sources):
    assert [s.lower() for s in find_attributions(sentence)] == [s.lower() for s in sources]


def test_find_actors_strong_and_weak():
    hits = find_actors(
        "Jets flying higher than the Syrian air force emitted no noise, unlike Russian airstrikes."
    )
    by_name = {h.name: h.strong for h in hits}
    assert by_name["Military Forces of Syria"] is False
    assert by_name["Military Forces of Russia"] is True
    (h,) = find_actors("Some rebel groups said they were hit by Russian airstrikes.")[1:]
    assert h.strong


# --------------------------------------------------------------------------- whole articles


@pytest.fixture
def seed():
    article = read_article(SEED, date="2015-09-30")
    mentions = mentions_for(article.text, SEED_PLACES, article.doc_id)
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


def test_ids_are_stable_across_runs(seed):
    article, mentions, events = seed
    again = extract_events(article, mentions_for(article.text, SEED_PLACES, article.doc_id))
    assert [e.event_id for e in again] == [e.event_id for e in events]
    assert len({e.event_id for e in events}) == len(events)


def test_no_article_date_means_unknown_event_date():
    article = read_article(SEED)  # file-name fallback gives a date...
    undated = article_from_text(article.text)  # ...a bare string has none
    events = extract_events(undated, mentions_for(undated.text, SEED_PLACES))
    assert events and all(e.event_date is None for e in events)


def test_two_places_in_two_regions_are_two_events():
    text = (
        "Jets kill civilians in two cities\n"
        "Airstrikes on Aleppo killed 12 people on Monday, activists said.\n"
        "Separately, artillery shelling of Damascus killed 4 people, state media said.\n"
        "In Homs, an air raid killed 3 civilians."
    )
    article = article_from_text(text, date="2016-02-10")
    places = {"Aleppo": (ALEPPO, 1), "Damascus": (DAMASCUS, 1), "Homs": (HOMS, 1)}
    events = extract_events(article, mentions_for(text, places))
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


def test_speaker_country_is_not_an_event_location():
    text = "Title\nRussian airstrikes hit Rastan on Wednesday, killing 5 people, the U.S. said."
    article = article_from_text(text, date="2015-09-30")
    ms = mentions_for(text, {"Rastan": (RASTAN, 1), "U.S.": (USA, 3)})
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


def test_place_named_in_passing_is_not_the_event_place():
    text = "Title\nA policeman shot dead two guards, shouting 'Don't forget Aleppo!'"
    article = article_from_text(text, date="2016-12-19")
    ms = mentions_for(text, {"Aleppo": (ALEPPO, 1)})
    (e,) = extract_events(article, ms)
    assert e.location == "" and e.fatalities == 2 and ms[0].role == "mentioned"


def test_headline_and_country_level_sentence_merge_into_the_located_event():
    text = (
        "Bus attack: 13 soldiers killed by car bomb\n"
        "A suicide car bomb in central Syria has killed 13 soldiers aboard a bus "
        "and wounded 56 more.\n"
        "The blast destroyed the bus near a university in Homs, officials said.\n"
        "It comes a week after 44 people were killed in a bomb attack in Aleppo on Dec. 10."
    )
    article = article_from_text(text, date="2016-12-17")
    places = {"Syria": (SYRIA, 3), "Homs": (HOMS, 1), "Aleppo": (ALEPPO, 1)}
    events = sorted(extract_events(article, mentions_for(text, places)), key=lambda e: e.span_start)
    assert [
        (e.sub_event_type, e.location, e.fatalities, e.injured_best, e.event_date) for e in events
    ] == [
        ("Suicide bomb", "Homs", 13, 56, "2016-12-17"),
        ("Remote explosive/landmine/IED", "Aleppo", 44, None, "2016-12-10"),
    ]


def test_bare_nationality_is_not_an_actor():
    text = "Title\nGunmen killed the Russian ambassador in Rastan on Monday."
    article = article_from_text(text, date="2016-12-19")
    (e,) = extract_events(article, mentions_for(text, {"Rastan": (RASTAN, 1)}))
    assert e.actor1 == "Unidentified Armed Group (Syria)"
    assert "Russia" not in e.actor2


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_extract_events_never_raises_on_any_text(text):
    article = article_from_text("T\n" + text, date="2016-01-01")
    for e in extract_events(article, []):
        assert e.event_id.startswith("ev-")
        assert 0 <= e.span_start <= e.span_end <= len(article.text)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Activists SAID the town was hit.", ["Activists"]),
        ("Activists ſaid the town was hit.", ["Activists"]),  # re.I folds the long s
        ("The town was hit (Reuters).", ["Reuters"]),
        (
            "The town was hit, ACCORDING TO the Syrian Observatory.",
            ["Syrian Observatory for Human Rights"],
        ),
        ("The town was hit on Monday.", []),
    ],
)
def test_find_attributions_word_prefilter_keeps_every_match(sentence, expected):
    from geomap.text.events import find_attributions

    assert find_attributions(sentence) == expected
