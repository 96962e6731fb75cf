"""Event types of sentences: strong cues, weak cues with a violence verb, no type."""

from __future__ import annotations

import pytest

from geomap.text.events import classify


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
