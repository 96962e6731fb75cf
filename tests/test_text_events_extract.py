"""Event extraction from an article plus hand-built place mentions, then on short reports.

The mentions of the first part are what a geoparser would hand over: each
names a real GeoNames place with its ACLED precision.  They are found by exact
surface form, so those tests exercise the event rules, not recognition.  The
last part reads short reports written here in the way conflict monitors write
them, end to end with the built gazetteer: which sentences are events, how the
dead are counted, types and actors, places down the stated hierarchy, dates.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.model import Article, Event, Mention, Place
from geomap.text import extract_article
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




# -- short reports, end to end with the gazetteer ------------------------------------------


@pytest.fixture
def report(gaz):
    """The events (context figures apart) of a one-paragraph report dated ``date``."""

    def read(text: str, date: str = "2021-03-06") -> list[Event]:
        article = Article(doc_id="r", title="", text=text, date=date)
        return [e for e in extract_article(article, gazetteer=gaz).events if not e.is_context]

    return read


@pytest.mark.parametrize(
    "text",
    [
        "On 2 March 2021, gunmen shot dead a shopkeeper in Garissa.",
        "On 1 March 2021, a roadside bomb exploded near Kandahar, killing two passengers.",
        "On 5 February 2021, gunmen abducted 14 students near Kaduna.",
        "A grenade thrown at a bar in Bujumbura injured 5 people on Tuesday.",
        "Police and bandits exchanged fire in Zamfara on Monday; one officer died.",
    ],
)
def test_a_violent_outcome_is_an_event_without_a_stock_phrase(report, text):
    assert len(report(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "The Security Council passed Resolution 2254. A unit of 300 soldiers arrived in Mogadishu.",
        "A bus accident killed 12 people near Nairobi on Tuesday.",
        "Thousands attended the funeral in Kabul of those killed last week.",
        "The group threatened to kill hostages in Gao if its demands were not met.",
        "Officials denied that anyone was killed in the shelling of Marib.",
        "The army plans to launch an offensive to retake Sirte next month.",
        "Residents marked the anniversary of a massacre that killed 40 people in Srebrenica.",
        "A court in Nairobi sentenced two men over an attack that killed 10 people in 2019.",
    ],
)
def test_non_events_stay_out(report, text):
    assert report(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Since September 30, Russian strikes have killed more than 370 people in Syria.",
        "The war has killed more than 250,000 people since 2011, the monitor said.",
        "So far this year, bandits have killed 900 people in Katsina.",
    ],
)
def test_a_cumulative_toll_is_context_never_an_event(gaz, text):
    article = Article(doc_id="r", title="", text=text, date="2021-03-06")
    events = extract_article(article, gazetteer=gaz).events
    assert events and all(e.is_context for e in events)


@pytest.mark.parametrize(
    "text, deaths",
    [
        # the sides of a battle are added, within a sentence and across sentences
        ("On 3 March 2021, 4 soldiers and 9 militants were killed in a clash in Marka.", 13),
        (
            "On 8 February 2021, three policemen were shot dead in Kismayo. Two other "
            "policemen were killed when they arrived to help.",
            5,
        ),
        ("On 12 February 2021, eleven militants were killed in Helmand.", 11),  # a number word
        # a date's day, an age, a unit number, a time and an address are no counts
        ("On 20 January 2021, in Mosul, a man was killed by an IED.", 1),
        ("A 34-year-old teacher was killed by unknown gunmen in Mombasa on 4 March.", 1),
        ("Soldiers from battalion 412 beat a farmer to death in Beni on Monday.", 1),
        ("A patrol of 300 soldiers was ambushed near Gao on Monday; 2 soldiers died.", 2),
        ("At 9:30 on Tuesday, a grenade thrown at a bar at 14 Main Street in Bujumbura "
         "injured 5 people.", 0),
    ],
)  # fmt: skip
def test_the_dead_are_counted_as_reporters_count_them(report, text, deaths):
    (e,) = report(text)
    assert e.fatalities == deaths


def test_a_range_keeps_both_ends_and_the_injured_are_apart(report):
    (e,) = report(
        "On 1 March 2021, a roadside bomb killed between 10 and 15 passengers near Kandahar."
    )
    assert (e.deaths_low, e.deaths_high) == (10, 15)
    (e,) = report(
        "On 3 February 2021, clashes between Al Shabaab and Somali troops near Afgooye left "
        "6 dead and 9 wounded."
    )
    assert (e.fatalities, e.injured_best) == (6, 9)


def test_types_and_actors_follow_acled(report):
    # forces that repel an attack fight a battle, whoever attacked
    (e,) = report(
        "On 12 February 2021, eleven Taliban militants were killed when Afghan military forces "
        "repelled their attack on a checkpoint in Kandahar province."
    )
    assert (e.event_type, e.actor1, e.actor2) == (
        "Battles", "Taliban", "Military Forces of Afghanistan")  # fmt: skip
    # the one who strikes is actor1, the target actor2
    (e,) = report(
        "On 12 February 2021, two Taliban fighters were killed by an Afghan military airstrike "
        "in Helmand."
    )
    assert (e.event_type, e.sub_event_type, e.actor1, e.actor2) == (
        "Explosions/Remote violence", "Air/drone strike", "Military Forces of Afghanistan",
        "Taliban")  # fmt: skip
    # unknown gunmen against a civilian
    (e,) = report("On 2 March 2021, unknown gunmen shot dead a shopkeeper in Garissa.")
    assert (e.event_type, e.actor1) == (
        "Violence against civilians", "Unidentified Armed Group (Kenya)")  # fmt: skip
    (e,) = report("On 5 February 2021, gunmen abducted 14 students near Kaduna.")
    assert e.sub_event_type == "Abduction/forced disappearance"


@pytest.mark.parametrize(
    "text, country, admin1, precision, location",
    [
        # a village missing from the gazetteer: the district (territory) the text names in the
        # province it names, not a namesake
        (
            "On 4 March 2021, unknown gunmen killed a trader in the village of Kahira, Masisi "
            "territory, North Kivu.",
            "Democratic Republic of the Congo", "Nord-Kivu", 2, "Masisi Territory",
        ),
        (
            "On 4 March 2021, a landmine killed 2 shepherds in Chora district, Uruzgan province, "
            "Afghanistan.",
            "Afghanistan", "Uruzgān", 3, "Uruzgān",
        ),
        # "X area of Y": near the town, precision 2
        (
            "On 3 February 2021, Al Shabaab and Somali troops clashed in the Afgooye area of "
            "Lower Shabelle; 6 were killed.",
            "Somalia", "Shabeellaha Hoose", 2, "Afgooye",
        ),
        # "Town (District, Province)"
        (
            "On 4 March 2021, Somali soldiers killed 3 Al Shabaab fighters in Marka (Marka, "
            "Lower Shabelle).",
            "Somalia", "Shabeellaha Hoose", 1, "Marka",
        ),
        # a state after a town: the town in that state
        ("On 4 March 2021, a shooting in Paris, Texas left 2 dead.", "United States", "Texas", 1,
         "Paris"),
    ],
)  # fmt: skip
def test_events_are_placed_down_the_stated_hierarchy(
    report, text, country, admin1, precision, location
):
    (e,) = report(text)
    assert (e.country, e.admin1, e.geo_precision, e.location) == (
        country, admin1, precision, location)  # fmt: skip
    assert "place:" in e.notes  # which place was used and why


def test_a_first_sentence_date_holds_and_weekdays_follow_the_article_date(report):
    (e,) = report(
        "On 20 January 2021, in Mosul, a man was killed by an IED. Police said another device "
        "was defused in the same street."
    )
    assert e.event_date == "2021-01-20"
    # the article is dated Saturday 6 March 2021
    (e,) = report("On Friday, an airstrike by the Syrian army killed seven civilians in Idlib.")
    assert e.event_date == "2021-03-05"


@pytest.mark.parametrize(
    "text, event_type, actor1, actor2",
    [
        # soldiers killing an armed group's man fight a battle ...
        ("On 4 March 2021, Nigerien soldiers killed a suspected JNIM commander near Ayorou.",
         "Battles", "Military Forces of Niger", "JNIM: Group for Support of Islam and Muslims"),
        # ... soldiers killing villagers commit violence against civilians
        ("On 4 March 2021, Nigerien soldiers killed three villagers near Ayorou.",
         "Violence against civilians", "Military Forces of Niger", "Civilians (Niger)"),
        # the doer named in the next sentence
        ("On 2 March 2021, a roadside bomb killed two soldiers near Baidoa. Al Shabaab claimed "
         "responsibility.", "Explosions/Remote violence", "Al Shabaab",
         "Military Forces of Somalia"),
    ],
)  # fmt: skip
def test_armed_victims_make_a_battle_and_a_claim_names_the_doer(
    report, text, event_type, actor1, actor2
):
    (e,) = report(text)
    assert (e.event_type, e.actor1, e.actor2) == (event_type, actor1, actor2)


@pytest.mark.parametrize(
    "text, sub_event_type",
    [
        # what happened comes before the toll
        ("On 3 March 2021, LNA forces shelled GNA positions south of the capital. Ten GNA "
         "soldiers were reportedly killed.", "Shelling/artillery/missile attack"),
        ("On 3 March 2021, militiamen of two clans clashed over a well. Four people were killed.",
         "Armed clash"),
        # a sentence after the toll tells the means, not a second kind of event
        ("On 3 March 2021, three shoppers were killed in an attack on a market. A bomb had "
         "exploded near its gate.", "Remote explosive/landmine/IED"),
        ("On 3 March 2021, four farmers were shot dead by raiders. Police blamed earlier clashes "
         "over grazing land.", "Attack"),
    ],
)  # fmt: skip
def test_the_sentence_beside_the_toll_types_the_event(report, text, sub_event_type):
    (e,) = report(text)
    assert e.sub_event_type == sub_event_type
