"""Casualty figures: quantities, qualifiers, kinds, groups and context figures."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.text.casualties import parse_casualties

# sentence -> (kind, low, best, high, qualifier) of the single figure
ONE_FIGURE = [
    ("Raids killed at least 33 civilians.", ("killed", 33, 33, None, "at least")),
    (
        "The earthquake killed more than 250,000 people.",
        ("killed", 250_001, 250_001, None, "more than"),
    ),
    ("Dozens of people were killed.", ("killed", 24, 36, None, "vague")),
    ("Scores were wounded in the blast.", ("injured", 40, 60, None, "vague")),
    ("Hundreds died in the floods.", ("killed", 200, 300, None, "vague")),
    ("A dozen soldiers were killed.", ("killed", None, 12, None, "about")),
    ("Three people were killed.", ("killed", 3, 3, 3, "exact")),
    ("Twenty-five people were injured.", ("injured", 25, 25, 25, "exact")),
    ("Two hundred people died.", ("killed", 200, 200, 200, "exact")),
    ("Up to 10 people were killed.", ("killed", None, 10, 10, "up to")),
    ("About 20 people were killed.", ("killed", None, 20, None, "about")),
    ("Nearly 20 people were killed.", ("killed", None, 20, 20, "nearly")),
    ("Almost 20 were dead.", ("killed", None, 20, 20, "nearly")),
    ("Some 20 people were killed.", ("killed", None, 20, None, "about")),
    ("10 to 15 people were killed.", ("killed", 10, 12, 15, "range")),
    ("Between 10 and 15 people were killed.", ("killed", 10, 12, 15, "range")),
    ("The death toll rose to 40.", ("killed", 40, 40, 40, "exact")),
    ("The attack left five dead.", ("killed", 5, 5, 5, "exact")),
    ("There were 7 deaths.", ("killed", 7, 7, 7, "exact")),
    ("The bombing hurt 12 people.", ("injured", 12, 12, 12, "exact")),
    ("Fewer than 10 people were hurt.", ("injured", None, 9, 9, "fewer than")),
    ("Nine die in Vancouver.", ("killed", 9, 9, 9, "exact")),
    ("A policeman shot dead two guards.", ("killed", 2, 2, 2, "exact")),
    ("Some 2000 people were killed.", ("killed", None, 2000, None, "about")),
]


@pytest.mark.parametrize("sentence, expected", ONE_FIGURE)
def test_one_figure(sentence, expected):
    figures = parse_casualties(sentence)
    assert len(figures) == 1, figures
    f = figures[0]
    assert (f.kind, f.count.low, f.count.best, f.count.high, f.count.qualifier) == expected
    assert not f.is_context


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia launched airstrikes Wednesday in Syria.",
        "No one was killed.",
        "He was killed in 2011.",  # a year
        "Five years ago the town was quiet.",
        "The jets flew 3 sorties and hit 4 villages.",
        "speaking from one of the areas targeted by the jets",
        "Driver distraction was one of the factors behind the rise of traffic fatalities.",
        "His keynote at the 1984 Democratic convention -- died on Thursday.",
        "",
    ],
)
def test_no_figure(sentence):
    assert parse_casualties(sentence) == []


def test_an_age_is_not_a_count_but_the_man_is_one():
    (f,) = parse_casualties("A 62-year-old man was killed.")
    assert (f.kind, f.count.best, f.nouns) == ("killed", 1, ("man",))


def test_killed_and_injured_in_one_sentence():
    figs = parse_casualties("The strike killed 12 people and wounded 30 others.")
    assert [(f.kind, f.count.best) for f in figs] == [("killed", 12), ("injured", 30)]
    figs = parse_casualties("Three people were killed and twenty-five injured.")
    assert [(f.kind, f.count.best) for f in figs] == [("killed", 3), ("injured", 25)]
    figs = parse_casualties("killing 12 and wounding 30")
    assert [(f.kind, f.count.best) for f in figs] == [("killed", 12), ("injured", 30)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The blast killed 33 people, including 5 children.",
        "33 people, including 5 children, were killed.",
    ],
)
def test_including_part_is_folded_in(sentence):
    figs = parse_casualties(sentence)
    assert len(figs) == 1
    f = figs[0]
    assert (f.kind, f.count.low, f.count.best) == ("killed", 33, 33)
    assert f.children and f.civilians and f.children_count == 5


def test_seed_sentence_flags_civilians_and_children():
    s = (
        "Meanwhile, jets flying at higher altitudes than the Syrian air force emitted no noise "
        "to alert the people below in Homs province to raids reported to have killed "
        "at least 33 civilians, including children, according to a Reuters report."
    )
    (f,) = parse_casualties(s)
    assert (f.kind, f.count.low, f.count.best, f.count.high) == ("killed", 33, 33, None)
    assert f.civilians and f.children and f.civilians_count == 33
    assert s[f.start : f.end] == "at least 33"


def test_soldiers_are_not_civilians():
    (f,) = parse_casualties("Ten soldiers were killed.")
    assert not f.civilians and not f.children


@pytest.mark.parametrize(
    "sentence, cue",
    [
        (
            "The Syrian civil war, which grew out of an uprising against Assad, has killed "
            "more than 250,000 people since March 2011.",
            "since a past date",
        ),
        (
            "More than 1,000 people have been killed since the conflict began.",
            "since the conflict began",
        ),
        ("The fighting has killed 5,000 people so far this year.", "so far"),
        ("In total, 400 people have died in the fighting.", "in total"),
        ("The conflict has killed at least 10,000 civilians.", "the conflict as a whole"),
        ("Drug abuse claimed the lives of 2,000 people in 2015.", "a whole year"),
        ("It killed more than 800 people over four decades of violence.", "over a past period"),
    ],
)
def test_context_figures(sentence, cue):
    (f,) = parse_casualties(sentence)
    assert f.is_context and f.context_cue == cue


def test_event_figure_next_to_a_running_total():
    figs = parse_casualties(
        "The strike killed 12 people, bringing the death toll since the war began to 250,000."
    )
    assert figs[0].count.best == 12 and not figs[0].is_context
    assert all(f.is_context for f in figs[1:])


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789 ,.-killedwoundatlsmorehnbwy\n")), max_size=80)
)
def test_never_raises_and_ranges_are_ordered(text):
    for f in parse_casualties(text):
        c = f.count
        assert f.kind in ("killed", "injured")
        if c.low is not None and c.high is not None:
            assert c.low <= c.high
        if c.best is not None and c.high is not None:
            assert c.best <= c.high
        assert 0 <= f.start < f.end <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Two soldiers died. The talks went on.\nFive people were wounded in Homs.",
        "Nothing happened here. Really nothing.",
        "KILLED in action. İstanbul was calm.",  # lowercasing changes the length: None
        "",
    ],
)
def test_cue_stem_spans_agree_with_the_per_sentence_test(text):
    from geomap.text.casualties import _CUE_STEMS, cue_stem_spans

    spans = cue_stem_spans(text)
    if spans is None:
        assert len(text.lower()) != len(text)
        return
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            inside = any(a <= s and e <= b for s, e in spans)
            assert inside == any(stem in text[a:b].lower() for stem in _CUE_STEMS)
