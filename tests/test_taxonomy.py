"""geomap.taxonomy: ACLED's taxonomy for free-text types, and the coarse classes shared by
filters and deduplication."""

from __future__ import annotations

import pytest

from geomap.taxonomy import (
    ACLED_TYPES,
    OTHER,
    acled_type,
    compatible_classes,
    type_class,
    types_compatible,
)


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


@pytest.mark.parametrize(
    "text, event_type, sub",
    [
        ("airstrike", "Explosions/Remote violence", "Air/drone strike"),
        ("air strike", "Explosions/Remote violence", "Air/drone strike"),
        ("barrel bomb", "Explosions/Remote violence", "Air/drone strike"),
        ("drone strike", "Explosions/Remote violence", "Air/drone strike"),
        ("bombing", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("IED", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("suicide bombing", "Explosions/Remote violence", "Suicide bomb"),
        ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("artillery", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("clashes", "Battles", "Armed clash"),
        ("fighting", "Battles", "Armed clash"),
        ("ambush", "Battles", "Armed clash"),
        ("massacre", "Violence against civilians", "Attack"),
        ("abduction", "Violence against civilians", "Abduction/forced disappearance"),
        ("protest", "Protests", "Peaceful protest"),
        ("riot", "Riots", "Violent demonstration"),
        ("Battles", "Battles", ""),
        ("battles", "Battles", ""),
        ("Air/drone strike", "Explosions/Remote violence", "Air/drone strike"),
        ("incident", "Other", ""),
        ("", "", ""),
    ],
)
def test_free_text_types_land_in_acled_taxonomy(text, event_type, sub):
    kind = acled_type(text)
    assert (kind.event_type, kind.sub_event_type) == (event_type, sub)
    assert kind.known is (event_type != OTHER)
    assert event_type in ACLED_TYPES or event_type in (OTHER, "")
    assert not sub or sub in ACLED_TYPES[event_type]


def test_an_acled_type_keeps_its_own_sub_type():
    kind = acled_type("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert kind.sub_event_type == "Shelling/artillery/missile attack"
    assert type_class("Other") == "" and type_class("barrel bomb") == "airstrike"
