"""Name matches inside runs of capitalised words, and how far a match may reach."""

from __future__ import annotations

import pytest

from geomap.text.matches import Lexicons, Match, longest_matches
from geomap.text.names import NameIndex, name_index
from geomap.text.tokens import Token, chunks, tokenize


def _every_size(text: str, tokens: list[Token], chunk: list[int], index: NameIndex,
                lex: Lexicons) -> list[Match]:
    """The matches when every size up to the index bound (and at least 3) is tried."""
    wide = NameIndex(index.population, index.max_words, index.reach)
    wide.reach = {}
    wide.spans = {}
    saved = dict(lex.first_words)
    try:
        lex.first_words.clear()
        # no bound from the word counts: each token tries max(max_words, 3) sizes
        for key in {t.key for t in tokens}:
            first = key.split(" ", 1)[0]
            wide.spans[key] = max(index.max_words.get(first, 0), 3)
        return longest_matches(text, tokens, chunk, wide, lex)
    finally:
        lex.first_words.update(saved)


@pytest.mark.parametrize(
    "text",
    [
        "South Korean troops left Homs for the Middle East on Monday.",
        "The Horn of Africa and the Persian Gulf States Forum met in New York City.",
        "Officials in Gainesville, Ga. and Charleston, W.Va. said U.S. Army units moved.",
        "Deir ez-Zor, Ar Rastan and Cote d'Ivoire Republic Day parade in Moscow Oblast",
        "NEW YORK Syrian Arab Republic envoys met Russian Federation Council members",
    ],
)
def test_the_reach_bound_never_loses_a_match(fake_gazetteer, text):
    index = name_index(fake_gazetteer)
    lex = Lexicons.get()
    tokens = tokenize(text, keep=lex.lowercase_keep, pattern=lex.scan)
    for chunk in chunks(text, tokens):
        want = _every_size(text, tokens, chunk, index, lex)
        assert longest_matches(text, tokens, chunk, index, lex) == want


def test_two_word_demonyms_and_regions_still_match(fake_gazetteer):
    index = name_index(fake_gazetteer)
    lex = Lexicons.get()
    text = "South Korean envoys toured the Middle East"
    tokens = tokenize(text, keep=lex.lowercase_keep, pattern=lex.scan)
    found = [
        (" ".join(t.text for t in tokens[a:b]), kind)
        for chunk in chunks(text, tokens)
        for a, b, kind in longest_matches(text, tokens, chunk, index, lex)
    ]
    assert ("South Korean", "demonym") in found
    assert ("Middle East", "place") in found


def test_reach_counts_keys_longer_than_the_word_bound():
    index = NameIndex.from_keys(
        [("la paz", 1), ("a b c d e f g h", 2), ("a b", 3), ("rome", 4), ("Οι", 5)]
    )
    assert index.max_words == {"la": 2, "a": 2}
    assert index.reach == {"la": 2, "a": 8}
    assert "rome" not in index.reach  # one word: nothing longer starts with it
