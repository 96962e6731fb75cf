"""The parts of a place phrase, and word tokens."""

from __future__ import annotations

import pytest

from geomap.text.tokens import _NEAR_RE, near_word, parse_phrase, tokenize


@pytest.mark.parametrize(
    "text, start, end, name, direction, head, near, label",
    [
        ("in the northern Homs countryside.", 7, 32, "Homs", "northern", "countryside", "", "Homs"),
        ("people in Homs province", 10, 23, "Homs", "", "province", "", "Homs"),
        ("a town near Rastan today", 12, 18, "Rastan", "", "", "near", "Rastan"),
        ("on the outskirts of Aleppo", 20, 26, "Aleppo", "", "", "outskirts of", "Aleppo"),
        ("in Laurel County jail", 3, 16, "Laurel", "", "county", "", "Laurel County"),
    ],
)
def test_parse_phrase(text, start, end, name, direction, head, near, label):
    phrase = parse_phrase(text, start, end)
    got = (phrase.name, phrase.direction, phrase.head, phrase.near)
    assert got == (name, direction, head, near)
    assert text[phrase.name_start : phrase.name_end] == name
    assert text[phrase.label_start : phrase.label_end] == label


def test_tokenize_keeps_initialisms_and_splits_possessives():
    toks = tokenize("The U.S.-led strikes on Russia's ally")
    assert [t.text for t in toks] == ["The", "U.S.", "led", "strikes", "on", "Russia", "s", "ally"]
    assert toks[0].initial and not toks[1].initial


@pytest.mark.parametrize(
    "text, runs",
    [
        ("Flights from St. Petersburg and Ft. Worth",
         [["Flights"], ["St", "Petersburg"], ["Ft", "Worth"]]),
        ("the Bay of Pigs invasion", [["Bay", "of", "Pigs"]]),
        ("in Homs of old", [["Homs"]]),  # a particle never ends a run
        ("New\nYork and New  York", [["New"], ["York"], ["New", "York"]]),
        ("Tyrise M. Bell and W.Va. and D.C", [["Tyrise", "M", "Bell"], ["W", "Va"], ["D", "C"]]),
        ("Fargo-Moorhead, Rostov-on-Don", [["Fargo", "Moorhead"], ["Rostov", "on", "Don"]]),
        # gaps longer than one space: blanks join, anything else (a word, a line) splits
        ("Syria has warned Russia", [["Syria"], ["Russia"]]),
        ("Abu  Dhabi, Abu \t \tDhabi", [["Abu", "Dhabi"], ["Abu", "Dhabi"]]),
        ("Abu \nDhabi, Abu \tx Dhabi, Abu\t.Dhabi", [["Abu"], ["Dhabi"], ["Abu"], ["Dhabi"],
                                                   ["Abu"], ["Dhabi"]]),
        ("Abu,Dhabi and Abu. Dhabi", [["Abu"], ["Dhabi"], ["Abu"], ["Dhabi"]]),
    ],
)
def test_chunks_join_names_across_spaces_hyphens_and_abbreviations(text, runs):
    from geomap.text.tokens import chunks

    toks = tokenize(text)
    assert [[toks[i].text for i in chunk] for chunk in chunks(text, toks)] == runs


def test_initial_words_after_sentence_ends_quotes_and_lines():
    text = 'He left. "Homs fell," she said:\n(Aleppo) too; — Idlib and Hama'
    toks = {t.text: t.initial for t in tokenize(text) if t.cap}
    assert toks == {"He": True, "Homs": True, "Aleppo": True, "Idlib": True, "Hama": False}


@pytest.mark.parametrize(
    "before, near",
    [
        ("a town near ", "near"),
        ("a town NEAR THE ", "near"),
        ("on the outskirts of\n", "outskirts of"),
        ("10 km from the  ", "km from"),
        ("a village north of the\t", "north of"),
        ("a village north of", ""),  # no white space before the name
        ("people in ", ""),
        ("a breathe ", ""),
        ("the ", ""),
        ("", ""),
    ],
)
def test_near_word(before, near):
    assert near_word(before + "Homs", len(before)) == near


def test_near_word_answers_as_the_pattern_everywhere():
    """The cheap test before the search never drops a match of the pattern itself."""
    text = (
        "Fighting near the town, outside of Homs and around\nthe city, close to THE border, "
        "5 kilometers from Idlib, north of\u00a0the river; the suburbs of Aleppo, to the "
        "vicinity of the dam, near\n"
    )
    for start in range(len(text) + 1):
        found = _NEAR_RE.search(text[max(0, start - 40) : start].lower())
        assert near_word(text, start) == (found.group(1) if found else ""), start


def test_capitalised_keys_are_folded_once_and_the_memo_stays_bounded(monkeypatch):
    from geomap.gazetteer import normalize
    from geomap.text import tokens as tk

    text = "São Paulo and SÃO PAULO, Deir ez-Zor and Zürich; then São Paulo again."
    first = [(t.text, t.key) for t in tokenize(text) if t.cap]
    assert first == [(t.text, normalize(t.text)) for t in tokenize(text) if t.cap]
    assert tk._KEYS["São"] == normalize("São")
    monkeypatch.setattr(tk, "_KEYS", {f"W{i}": "stale" for i in range(100_001)})
    assert [(t.text, t.key) for t in tokenize(text) if t.cap] == first
    assert len(tk._KEYS) < 100


@pytest.mark.parametrize(
    "text, start, end, name, head",
    [
        ("people in Homs today", 10, 14, "Homs", ""),  # one word: no split needed
        ("people in Homs\u00a0province", 10, 23, "Homs", "province"),  # any white space splits
        ("people in Homs\tprovince", 10, 23, "Homs", "province"),
        ("in Deir-ez-Zor's east", 3, 14, "Deir-ez-Zor", ""),
    ],
)
def test_parse_phrase_words_split_on_any_white_space(text, start, end, name, head):
    phrase = parse_phrase(text, start, end)
    assert (phrase.name, phrase.head) == (name, head)
    assert text[phrase.name_start : phrase.name_end] == name
