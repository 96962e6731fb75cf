"""Who reported it: agencies, officials, witnesses."""

from __future__ import annotations

import pytest

from geomap.text.events import find_attributions


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
