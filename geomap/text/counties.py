"""US counties: the gazetteer's admin-2 districts, chosen by the state the text points at.

"Walker County", "Douglas and Wyandotte counties": a county name alone says
little (thirty states have a Washington County).  Such a mention's candidates
are the US counties of that name (:func:`county_candidates`), and resolution
picks among them by the states the document names, the containers written
after it ("Walker County, Texas") and nearness to the article's other towns;
the county's point is that of its most populous place.

A gazetteer built without counties has none to offer: a county mention then
falls back to a namesake town in a state with such a county, or that state,
and :func:`place_counties` moves it among the article's own towns there (a
local paper's county is where its towns are): a point with no gazetteer place,
like a world region, that says so in its reason.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from geomap.geo import equirectangular_km
from geomap.model import Mention, Place
from geomap.text.lexicon import us_county_states
from geomap.text.ranking import Item

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

Candidates = list[tuple[Place, bool]]
#: A town this close to a county's point (its most populous place) may lie in the county.
COUNTY_KM = 40.0


def county_candidates(
    gazetteer: Gazetteer, name: str, found: Candidates, kind: str = ""
) -> tuple[Candidates, tuple[str, ...]]:
    """The candidates of a mention that names a US county ``name`` ("Walker" of "Walker
    County"), and the states that have a county of that name.

    The candidates are the gazetteer's US counties of that name (feature ``admin2``, each
    as its own name), of the ``kind`` written ("county": not Madison Parish, Louisiana,
    for "Madison County"; "parish") when there are such; a gazetteer without them gives
    the towns of ``found`` (the name's ordinary candidates) in a state with such a
    county, and those states.  A name no US county bears keeps ``found`` and no states.
    """
    from geomap.gazetteer import normalize

    counties = [p for p in gazetteer.districts(name, country="US") if p.feature == "admin2"]
    if kind and any(normalize(p.name).endswith(kind) for p in counties):
        counties = [p for p in counties if normalize(p.name).endswith(kind)]
    if counties:
        return [(p, True) for p in counties], tuple(sorted({p.admin1_code for p in counties}))
    states = us_county_states().get(normalize(name), ())
    if not states:
        return found, ()
    towns = [(p, own) for p, own in found if p.country_code == "US" and own
             and p.admin1_code in states and p.feature == "city"]  # fmt: skip
    regions = (gazetteer.admin1("US", st) for st in states)
    return towns + [(a, False) for a in regions if a], states


def county_pairs(items: Sequence[Item], km: float = COUNTY_KM) -> dict[str, set[int]]:
    """Counties and towns that the text names together and that go together: name (folded)
    -> the geonameids of its candidates that pair up.

    A local paper names a county and its towns ("Huntsville ... Walker County"): of the
    counties of a name, the one with the most of the article's other names among the
    towns near it (within ``km`` of its point) is the county meant, when no other county
    of that name has as many, and those towns are the ones meant.  Where the text names
    a state with a county of that name, only the counties of the state it names most
    often compete.
    """
    if not any(item.county_states for item in items):
        return {}  # no county named: nothing to pair (most texts)
    towns: dict[str, list[Place]] = {}
    for item in items:
        if not item.county_states and not item.demonym_country:
            own = [c.place for c in item.candidates if c.own_name and c.place.feature == "city"]
            if own:
                towns.setdefault(item.query.casefold(), own)
    named = _named_states(items)
    out: dict[str, set[int]] = {}
    done: set[str] = set()
    for item in items:
        name = item.query.casefold()
        counties = [c.place for c in item.candidates if c.place.feature == "admin2"]
        if not item.county_states or not counties or name in done:
            continue
        done.add(name)
        # a state the text names holds the county, when one of that name is there
        top = max((named[c.admin1_code] for c in counties), default=0)
        counties = [c for c in counties if named[c.admin1_code] == top]
        near = [(c, _towns_near(c, towns, km)) for c in counties]
        best = max(len(around) for _, around in near)
        winners = [(c, around) for c, around in near if len(around) == best]
        if best == 0 or len(winners) > 1:
            continue
        county, around = winners[0]
        out.setdefault(name, set()).add(county.geonameid)
        for town, places in around.items():
            out.setdefault(town, set()).update(p.geonameid for p in places)
    return out


def _named_states(items: Sequence[Item]) -> Counter[str]:
    """How often the text names each US state (a name with one US state among its
    candidates, such as "Indiana"; a county's name is no state's)."""
    named: Counter[str] = Counter()
    for item in items:
        if item.county_states or item.demonym_country:
            continue
        states = {c.place.admin1_code for c in item.candidates if c.own_name
                  and c.place.feature == "admin1" and c.place.country_code == "US"}  # fmt: skip
        if len(states) == 1:
            named[states.pop()] += 1
    return named


def _towns_near(county: Place, towns: dict[str, list[Place]], km: float) -> dict[str, list[Place]]:
    """The names in ``towns`` with a place within ``km`` of ``county`` (a town of the county's
    own name too: "DeKalb" in DeKalb County)."""
    out: dict[str, list[Place]] = {}
    for name, places in towns.items():
        here = [p for p in places if p.country_code == county.country_code and equirectangular_km(
            p.latitude, p.longitude, county.latitude, county.longitude) <= km]
        if here:
            out[name] = here
    return out


def county_note(place: Place) -> str:
    """What the reason of a county mention resolved to ``place`` says of it."""
    if place.feature == "admin2":
        return f"US county {place.name}, {place.admin1 or place.admin1_code}; precision 2"
    where = "its namesake town" if place.feature == "city" else "the state"
    return f"US county (the gazetteer holds no counties): placed at {where}; precision 2"


def place_counties(states_of: Sequence[tuple[str, ...]], mentions: list[Mention]) -> None:
    """Re-place the county mentions among ``mentions`` that no gazetteer county resolved
    (``states_of[i]``: the US states with a county of mention ``i``'s name, empty for
    mentions that are no county) among the article's towns."""
    towns = [
        m.place
        for m, states in zip(mentions, states_of, strict=True)
        if not states and m.place is not None and m.place.feature == "city"
        and m.place.country_code == "US"
    ]  # fmt: skip
    if not towns:
        return
    for m, states in zip(mentions, states_of, strict=True):
        if not states or m.place is None or m.place.feature == "admin2":
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


def listed_county(text: str, start: int, end: int) -> str:
    """Is the name ``text[start:end]`` one of a list of counties ("in Barrow, Jackson and
    Madison counties")?  Its kind ("county" or "parish") if so, else "".  A name alone
    before "counties" is a state's ("Indiana counties", "across Ohio counties"), not a
    county."""
    found = _LISTED_RE.match(text, end)
    if found is None:
        return ""
    kind = "parish" if found.group().endswith("parishes") else "county"
    if found.group().strip() not in ("counties", "parishes"):
        return kind  # more names follow: ", Jackson and Madison counties"
    return kind if _LIST_BEFORE_RE.search(text, max(0, start - 6), start) else ""


#: the end of a list just before the last name: "Barrow, Jackson and " or "Clay & "
_LIST_BEFORE_RE = re.compile(r"(?:,|\band|&)\s+\Z")


_WORD = r"[A-Z][\w'’.-]*"
#: "Hall County", "Otter Tail County", "Rapides Parish" (the name: one or two words).  Not
#: ``\b{_WORD}`` but the capital first, then the look-behind for a word character before
#: it (the same test): a pattern that opens with a character set lets the regex engine skip
#: to the capitals instead of trying the pattern everywhere
_COUNTY_RE = re.compile(
    r"([A-Z](?<!\w.)[\w'’.-]*" rf"(?:\s+{_WORD})?)\s+(County|Parish|COUNTY|PARISH)\b"
)
#: "Barrow, Clarke and Oconee counties": the names of a list before "counties"
_LIST_RE = re.compile(
    rf"\b((?:{_WORD}(?:\s+{_WORD})?\s*,\s*)*{_WORD}(?:\s+{_WORD})?\s*,?\s+(?:and|&)\s+"
    rf"{_WORD}(?:\s+{_WORD})?)\s+(?:counties|parishes)\b"
)
_LIST_NAME_RE = re.compile(rf"{_WORD}(?:\s+{_WORD})?")


def county_mentions(
    text: str, gazetteer: Gazetteer, mentions: Sequence[Mention], doc_id: str = ""
) -> list[Mention]:
    """The US counties ``text`` names that ``mentions`` (the recogniser's) leave out: "Hall
    County", "Rapides Parish", and each name of "Barrow, Clarke and Oconee counties", when
    the gazetteer holds a US county (parish) of that name.  Town names are what the
    recogniser knows, so a county named after no town is found here."""
    taken = [(m.span_start, m.span_end) for m in mentions]
    found: list[Mention] = []

    def add(start: int, end: int) -> None:
        if not any(a < end and start < b for a, b in taken):
            taken.append((start, end))
            found.append(Mention(doc_id, text[start:end], start, end))

    # each pattern ends in a literal word: a text without one is not scanned (most are not
    # American, and the scans cost more than the rest of the recogniser's regexes together)
    county = "County" in text or "Parish" in text or "COUNTY" in text or "PARISH" in text
    for match in _COUNTY_RE.finditer(text) if county else ():
        kind = match.group(2).lower()
        span = _county_name(gazetteer, text, match.start(1), match.end(1), kind)
        if span is not None:
            add(span[0], match.end(2))
    listed = "counties" in text or "parishes" in text
    for match in _LIST_RE.finditer(text) if listed else ():
        kind = "parish" if match.group().lower().endswith("parishes") else "county"
        for name in _LIST_NAME_RE.finditer(text, match.start(1), match.end(1)):
            span = _county_name(gazetteer, text, name.start(), name.end(), kind)
            if span is not None:
                add(*span)
    return found


def _county_name(
    gazetteer: Gazetteer, text: str, start: int, end: int, kind: str
) -> tuple[int, int] | None:
    """The span of the county name in ``text[start:end]`` (two words, else the last one:
    "The Hall"), when the gazetteer has a US county (``kind``: "county" or "parish") so
    called."""
    from geomap.gazetteer import normalize

    words = list(re.finditer(r"\S+", text[start:end]))
    for first in range(len(words)):
        name = f"{text[start + words[first].start() : end]} {kind}"
        if any(p.feature == "admin2" and normalize(p.name) == normalize(name)
               for p in gazetteer.districts(name, country="US")):  # fmt: skip
            return start + words[first].start(), end
    return None
