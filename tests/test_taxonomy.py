"""geomap.taxonomy: coarse event-type classes shared by filters and deduplication."""

from __future__ import annotations

import pytest

from geomap.taxonomy import compatible_classes, type_class, types_compatible


@pytest.mark.parametrize(
    "event_type, sub, expected",
    [
        ("Explosions/Remote violence", "Air/drone strike", "airstrike"),
        ("airstrike", "", "airstrike"),
        ("air strike", "", "airstrike"),
        ("Air raid", "", "airstrike"),
        ("Assault", "Employ aerial weapons (air strike)", "airstrike"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", "explosion"),
        ("Battles", "Armed clash", "battle"),
        ("State-based conflict", "", "violence"),
        ("One-sided violence", "", "violence"),
        ("Protests", "Peaceful protest", "protest"),
        ("", "", ""),
    ],
)
def test_type_class(event_type, sub, expected):
    assert type_class(event_type, sub) == expected


@pytest.mark.parametrize(
    "a, b, ok",
    [
        ("airstrike", "airstrike", True),
        ("airstrike", "", True),
        ("airstrike", "violence", True),
        ("battle", "violence", True),
        ("protest", "violence", False),
        ("airstrike", "battle", False),
        ("airstrike", "explosion", True),
        ("protest", "riot", False),
    ],
)
def test_types_compatible(a, b, ok):
    assert types_compatible(a, b) is ok and types_compatible(b, a) is ok


def test_compatible_classes_agrees_with_types_compatible():
    classes = ["", "airstrike", "shelling", "explosion", "battle", "violence", "attack",
               "massacre", "protest", "riot", "strategic", "looting"]  # fmt: skip
    for a in classes:
        allowed = compatible_classes(a)
        for b in classes:
            assert (allowed is None or b in allowed) == types_compatible(a, b), (a, b)
