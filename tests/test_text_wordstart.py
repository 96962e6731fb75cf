"""Word-start alternations tried by first letter give the full pattern's matches."""

from __future__ import annotations

import re

import pytest

from geomap.text.events.actors import _state_re, _table
from geomap.text.wordstart import (
    WordStartIndex,
    first_chars,
    folded,
    guarded,
    narrowed,
    starting_with,
)


def test_first_chars_reads_literals_groups_and_options():
    assert first_chars(r"(?:pro-?)?Houthis?", re.I) == frozenset("ph")
    assert first_chars(r"(?-i:LNA)|Libyan\s+army", re.I) == frozenset("l")
    assert first_chars(r"(?=x)[Bb]andits|gunm[ae]n") == frozenset("bg")


def test_first_chars_skips_a_branch_that_never_matches():
    assert first_chars(r"(?:(?P<d>(?!))\s+x|foes?)\b", re.I) == frozenset("f")
    assert first_chars(r"(?!)abc") == frozenset()


def test_starting_with_drops_what_cannot_begin_there_and_keeps_its_groups():
    alts = [r"(?P<a>bandits?)", r"(?P<b>raid(?P<c>ers)?)", r"(?P<d>\w+)\s+gang"]
    bucket = starting_with("r", alts, re.I)
    assert "bandit" not in bucket and "raid" in bucket and r"\w+" in bucket
    whole, only_r = re.compile("|".join(alts), re.I), re.compile(bucket, re.I)
    for text in ("Raiders came", "raid", "rival gang", "RAIDERS", "rye"):
        got, want = only_r.match(text), whole.match(text)
        assert (got and got.groupdict()) == (want and want.groupdict())
    assert only_r.match("Raiders").group("a") is None  # a dropped alternative's group
    groups = re.compile(starting_with("x", alts, re.I), re.I).groupindex
    assert set(groups) == {"a", "b", "c", "d"}


@pytest.mark.parametrize(
    ("c", "expected"),
    [
        ("a", r"(?:army|air\s*strikes|\w+\s+men)"),
        ("t", r"(?:troops|\w+\s+men)"),
        ("9", r"(?:\w+\s+men)"),
    ],
)
def test_narrowed_keeps_the_alternatives_that_can_begin_there_in_order(c, expected):
    alts = [r"army", r"troops", r"air\s*strikes", r"\w+\s+men"]
    assert narrowed(c, alts, re.I) == expected
    whole, only_c = re.compile(f"(?:{'|'.join(alts)})", re.I), re.compile(expected, re.I)
    for text in ("Army men", "troops", "AIRSTRIKES", "tall men", "air strikes"):
        if text[0].lower() == c:
            assert only_c.match(text).span() == whole.match(text).span()
    assert narrowed("q", [r"army", r"troops"]) == "(?!)"


@pytest.mark.parametrize("pattern", [r"\w+", r"(?:x)?", r"[^,]+", r"(ab)?\1", r"\.", "é"])
def test_first_chars_cannot_tell(pattern):
    assert first_chars(pattern) is None


def _index(words: list[str]) -> WordStartIndex:
    def pattern(kept: list[str]) -> str:
        return rf"(?<![\w-])(?:{'|'.join(kept) or '(?!)'})(?![\w])"

    firsts = [first_chars(w, re.I) for w in words]
    return WordStartIndex(
        re.compile(pattern(words), re.I),
        lambda c: pattern([w for w, f in zip(words, firsts, strict=True) if f is None or c in f]),
    )


SENTENCES = [
    "Raiders and bandits looted the market; the raiders fled.",
    "Non-bandits, ex-raiders and RAIDERS met the KELVIN team near Kilo 9.",
    "A \u212aelvin-sign kilo and a \u0131n-word: \u212ailo, kilo.",
    "bandit bandits banditsx raid raiders-raid",
    "",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_index_matches_the_full_pattern(sentence):
    idx = _index(["raiders", "bandits?", r"kilo(?:\s+\d+)?", r"\w+-sign", "in"])
    full = [(m.start(), m.end(), m.group(0)) for m in idx.full.finditer(sentence)]
    assert [(m.start(), m.end(), m.group(0)) for m in idx.finditer(sentence)] == full


def _found(idx: WordStartIndex, sentence: str, full: bool) -> list:
    matches = idx.full.finditer(sentence) if full else idx.finditer(sentence)
    return [
        (m.start(), m.end(), sorted((k, v) for k, v in m.groupdict().items() if v))
        for m in matches
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Afghan military forces and Taliban militants clashed; ISIS gunmen fled.",
        "Unidentified armed men from Zamwara shot two Burkinabe soldiers and police.",
        "The army of Mali and LNA forces shelled GNA positions, al-Shabaab said.",
        "SUSPECTED BOKO HARAM FIGHTERS AND NIGERIAN TROOPS EXCHANGED FIRE.",
        "Soldiers of Chad, troops of South Sudan and the forces of Niger; drones of Turkey.",
    ],
)
def test_actor_indexes_match_their_full_patterns(sentence):
    found = 0
    for idx in (_table()[0], _state_re()):
        assert _found(idx, sentence, False) == _found(idx, sentence, True)
        found += len(_found(idx, sentence, True))
    assert found >= 2


def test_folded_keeps_every_word_an_ignorecase_pattern_finds():
    texts = ["The DEPUTY D\u0130ED", "the deputy d\u0131ed", "\u017fhot dead", "\u212aILLED"]
    hits = 0
    for text in texts:
        for word in ("died", "shot", "killed"):
            if re.search(word, text, re.I):
                assert word in folded(text)
                hits += 1
    assert hits == 4
    assert folded("Ab\u00c9") == "ab\u00e9"


@pytest.mark.parametrize(
    ("pattern", "guard"),
    [
        (r"\b(?:shelled|artillery\s+fire|mortars?)\b", r"\b(?=[ams])"),
        (r"\bsince\s+\d+", r"\b(?=[s])"),
        (r"\b(?:\w+\s+)?fired\b", ""),  # cannot tell: left as written
        (r"(?:air)?strikes?", ""),  # no leading \b: left as written
    ],
)
def test_guarded_finds_what_the_pattern_finds(pattern, guard):
    rx = guarded(pattern, re.I)
    assert rx.pattern.startswith(guard) and (guard or rx.pattern == pattern)
    plain = re.compile(pattern, re.I)
    texts = [
        "Mortars and ARTILLERY  fire; they SHELLED it.",
        "since 2011, so fired up",
        "Airstrikes \u017fince 5, mo\u017ftly \u212a-shelled",
        "airstrike, strikes",
    ]
    for text in texts:
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)]
