"""US counties, which the gazetteer does not hold, placed among the article's own towns.

"Walker County", "Douglas and Wyandotte counties": a county name alone says
little (thirty states have a Washington County), and GeoNames' cities table
has no counties.  A local paper's county is where its towns are, so a county
mention is placed in the state where the article's other resolved towns lie
(among the states that have a county of that name), at the middle of those
towns; with no town there, at the namesake town or the state resolution chose.
Such a mention has a point and no gazetteer place, like a world region, and
says so in its reason.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from geomap.model import Mention, Place


def place_counties(states_of: Sequence[tuple[str, ...]], mentions: list[Mention]) -> None:
    """Re-place the county mentions among ``mentions`` (``states_of[i]``: the US states with a
    county of mention ``i``'s name, empty for mentions that are no county)."""
    towns = [
        m.place
        for m, states in zip(mentions, states_of, strict=True)
        if not states and m.place is not None and m.place.feature == "city"
        and m.place.country_code == "US"
    ]  # fmt: skip
    if not towns:
        return
    for m, states in zip(mentions, states_of, strict=True):
        if not states or m.place is None:
            continue
        here = _towns_by_state(towns, states)
        chosen = m.place.admin1_code
        if not here:
            continue
        state = chosen if chosen in here else max(here, key=lambda st: (len(here[st]), st))
        among = here[state]
        m.latitude = round(statistics.fmean(p.latitude for p in among), 5)
        m.longitude = round(statistics.fmean(p.longitude for p in among), 5)
        names = ", ".join(sorted({p.name for p in among})[:3])
        m.reason = (
            f"US county (the gazetteer holds no counties): placed among the article's towns in "
            f"{among[0].admin1 or state} ({names}); precision 2; not in the gazetteer, so no "
            "geonameid"
        )
        m.place = None
        m.geo_precision = 2
        m.confidence = min(m.confidence or 0.6, 0.6)
        m.cache_key = ""


def _towns_by_state(towns: list[Place], states: tuple[str, ...]) -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for p in towns:
        if p.admin1_code in states:
            out.setdefault(p.admin1_code, []).append(p)
    return out


_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?"
#: the rest of a list of names that ends in "counties": ", Clay, Douglas and Wilkin counties"
_LISTED_RE = re.compile(
    rf"(?:\s*,\s*{_NAME})*\s*,?\s*(?:(?:and|&)\s+{_NAME}\s+)?(?:counties|parishes)\b"
)


def listed_county(text: str, start: int, end: int) -> bool:
    """Is the name ``text[start:end]`` one of a list of counties ("in Barrow, Jackson and
    Madison counties")?  A name alone before "counties" is a state's ("Indiana counties",
    "across Ohio counties"), not a county."""
    found = _LISTED_RE.match(text, end)
    if found is None:
        return False
    if found.group().strip() not in ("counties", "parishes"):
        return True  # more names follow: ", Jackson and Madison counties"
    return _LIST_BEFORE_RE.search(text, max(0, start - 6), start) is not None


#: the end of a list just before the last name: "Barrow, Jackson and " or "Clay & "
_LIST_BEFORE_RE = re.compile(r"(?:,|\band|&)\s+\Z")
