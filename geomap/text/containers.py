"""The places a text says contain a place: "Alexandria, Louisiana", "Gaduud (Diinsoor, Bay)",
"Mansura in Ar-Raqqa", "the Borgi village of Ahmadabad district, Paktia".

Reporters locate a small place by the larger ones around it: after a comma,
in brackets, or after "in" / "of".  :func:`containers` lists, for a mention,
the mentions written that way after it (nearest first); resolution then
prefers candidates inside them (:func:`fit`) and gives up a namesake in another
country when the container is a country or a region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geomap.model import Place

_PARTICLE = r"(?i:al|el|ar|as|ad|an|ash|at|az|ed|er|es|ez|de|du|la|le|bin|ibn|abu|bou)"
#: the rest of a name the recogniser matched only in part ("Mafraq| ar Ruwayk")
_TAIL = rf"(?:[\s-]+(?:{_PARTICLE}\b|[A-Z][\w'’.-]*)){{0,3}}"
_HEAD = (
    r"(?:\s+(?i:area|district|village|town|city|region|province|governorate|county|state|"
    r"LGA|commune|municipality|locality|township|sub-?district|department|division|zone|"
    r"camp|neighbou?rhood|countryside|outskirts|suburbs?|valley|front|payam|boma))?"
)
_DIRECTION = (
    r"(?i:(?:north|south|east|west|central|rural|north-?east|north-?west|south-?east|"
    r"south-?west)(?:ern)?\s+)?"
)
_SEP = (
    r"(?:\s*,\s*|\s*\(\s*|\s*\)\s*,?\s*|\s+(?i:in|of)\s+(?i:the\s+)?"
    rf"{_DIRECTION}(?i:(?:countryside|outskirts|province|city|district|town|village|area)\s+"
    r"of\s+(?:the\s+)?)?)"
)
#: a name the recogniser did not match, standing between a place and its container
_SKIPPED = rf"(?:[A-Z][\w'’.-]*{_TAIL}{_HEAD}{_SEP})"
#: what may stand between a place and its container: ", ", " (", "), ", " in ", " of the ",
#: the rest of the place's name and its kind ("ar Ruwayk area ("), an unknown name between
#: ("(Masisi, " in "Kahira (Masisi, Nord-Kivu)") and an article ("Ar-" of "Ar-Raqqa")
_LINK_RE = re.compile(rf"\A{_TAIL}{_HEAD}{_SEP}{_SKIPPED}?(?:{_PARTICLE}[\s-])?\Z")
_MAX_LINK = 60
_MAX_DEPTH = 3


def containers(text: str, spans: Sequence[tuple[int, int]]) -> list[list[int]]:
    """For each span (sorted by start), the indexes of the spans that the text says contain it.

    A container follows its place through a link (a comma, a bracket, " in ",
    " of ", " district of "...); a chain goes on through further links
    ("X (Y, Z)", "X, Y, Z"), at most three deep.
    """
    out: list[list[int]] = []
    for i in range(len(spans)):
        chain: list[int] = []
        j = i
        while len(chain) < _MAX_DEPTH and j + 1 < len(spans):
            gap = text[spans[j][1] : spans[j + 1][0]]
            if len(gap) > _MAX_LINK or not _LINK_RE.match(gap):
                break
            j += 1
            chain.append(j)
        out.append(chain)
    return out


def regions_of(
    groups: Sequence[Sequence[Place]],
) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """What the containers (each given by its candidate places) say of a place inside them:
    ``(countries, admin1s, required)``.

    A container that is a country or a region by its own candidates gives its countries
    and regions, and its countries are *required* (a place abroad is no candidate); a
    container that is only a town ("Al Hishah (Misrata)") gives its towns' regions.
    """
    countries: set[str] = set()
    admin1s: set[tuple[str, str]] = set()
    required: set[str] = set()
    for places in groups:
        regions = [p for p in places if p.feature in ("country", "admin1")]
        for p in regions or places:
            if not p.country_code:
                continue
            if regions:
                countries.add(p.country_code)
            if p.feature != "country" and p.admin1_code:
                admin1s.add((p.country_code, p.admin1_code))
        if regions:
            # "UK": the place is in Britain; "Georgia": in the country or the US state
            required |= {p.country_code for p in regions if p.country_code}
    return countries, admin1s, required


def fit(
    place: Place,
    regions: tuple[set[str], set[tuple[str, str]], set[str]],
    strict: bool,
) -> float:
    """How well a candidate fits inside its containers (:func:`regions_of`): 0.8 in one of the
    admin-1 regions, 0.4 in one of the countries, -0.5 outside a country a container names or,
    when ``strict`` (a container is a country or a region), outside all of them."""
    countries, admin1s, required = regions
    if place.feature in ("country", "continent"):
        return 0.0
    if required and place.country_code not in required:
        return -0.5
    if (place.country_code, place.admin1_code) in admin1s:
        return 0.8
    if place.country_code in countries:
        return 0.4
    return -0.5 if strict and (countries or admin1s) else 0.0
