"""Victims named without a number, each pattern with and without its needed word."""

from __future__ import annotations

import pytest

from geomap.text.victims import armed_share, implicit_victims


@pytest.mark.parametrize(
    ("sentence", "count", "nouns"),
    [
        ("Raiders killed a shepherd near the well.", 1, ("shepherd",)),
        ("Guards beat a prisoner to death at the camp.", 1, ("prisoner",)),
        ("A retired teacher and his son were shot dead at home.", 2, ("teacher", "son")),
        ("The wounded driver later died in hospital.", 1, ("driver",)),
        ("The blast went off, leaving a trader dead.", 1, ("trader",)),
        ("He was found at the gate and they shot dead him there.", 1, ("him",)),
        ("Both brothers were killed on the road.", 2, ("both",)),
        ("Gunmen killed a family of four in the night.", 4, ("family",)),
        # the head of a compound: one officer, not "an army"
        ("Gunmen shot and killed an army officer at his desk.", 1, ("officer",)),
        ("Raiders killed a local militia commander near the road.", 1, ("commander",)),
        # "was shot and died", "was attacked and beaten to death"
        ("A trader was shot and died on the way to hospital.", 1, ("trader",)),
        ("A teacher was attacked and beaten to death by a mob.", 1, ("teacher",)),
        # one of a plural group
        ("One of the attackers was killed in the exchange.", 1, ("attackers",)),
        # case-insensitive matching takes a dotless i for an i
        ("After the deadly raid the wounded driver later d\u0131ed.", 1, ("driver",)),
    ],
)
def test_implicit_victims(sentence, count, nouns):
    (v,) = implicit_victims(sentence)
    assert (v.count, v.nouns) == (count, nouns)


@pytest.mark.parametrize(
    "sentence",
    [
        "A farmer was arrested at dawn.",
        "The driver later left.",
        "The soldiers were killed.",
        "A man was shot and wounded.",
        "Some of the attackers were killed.",
    ],
)
def test_no_implicit_victims(sentence):
    assert implicit_victims(sentence) == []


@pytest.mark.parametrize(
    "text, share",
    [
        ("two soldiers and a farmer", (1, 1)),  # nouns, not heads
        ("a former soldier", (0, 1)),
        ("an off-duty policeman", (0, 1)),
        ("a retired army officer", (0, 1)),
        ("a militia member", (1, 0)),
        ("three police officers", (1, 0)),
        ("a check point", (1, 0)),
    ],
)
def test_armed_share_reads_qualified_nouns(text, share):
    assert armed_share(text) == share
