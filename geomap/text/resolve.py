"""Toponym resolution: pick the gazetteer place each mention refers to.

Each candidate place of a mention is scored from

* its prior importance: countries, continents and admin-1 regions first, then
  cities by population, and whether the name is the place's own name or only
  one of its many alternate names;
* the document's *focus*: the share of the document's country-level evidence
  that points at the candidate's country (countries named, demonyms, and the
  countries of unambiguous cities), so "Damascus" in an article about Syria is
  the Syrian capital and "Georgia" in a Kentucky paper is the US state;
* containment: a candidate inside an admin-1 region the document names
  ("Rastan ... in Homs province"), or inside the region or country written
  right after it ("Alexandria, Louisiana");
* the mention's own words: "Homs province" wants the admin-1 region.

The best candidate wins when it is clearly ahead and plausible; otherwise the
mention abstains (``place`` stays ``None``) with the reason in ``reason``.

ACLED geo precision: 1 for a town, 2 for "near X", "outskirts of X",
"northern X countryside" (a point inside a region; a direction moves the point
25 km that way and ``reason`` says so), 3 for a region, placed at the admin-1
(and for countries and continents).

When a :class:`~geomap.geocoding.Geocoder` is given, every chosen place also
goes through its cache (``Geocoder.resolve`` with the country and admin-1 as
hints), so it can be seen, pinned and refreshed offline; a person's pin wins
over the gazetteer.  ``Mention.cache_key`` names that cache entry.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from geomap.geo import destination, equirectangular_km
from geomap.model import Mention, Place
from geomap.text.containers import containers as find_containers
from geomap.text.containers import fit, regions_of
from geomap.text.counties import (
    county_candidates,
    county_mentions,
    county_note,
    county_pairs,
    listed_county,
    place_counties,
)
from geomap.text.focus import Context, document_focus
from geomap.text.lexicon import (
    alias_table,
    comma_aliases,
    demonym_table,
    place_heads,
    region_table,
)
from geomap.text.names import candidates
from geomap.text.ranking import Item, Nearest, Scored, prior
from geomap.text.tokens import Phrase, parse_phrase
from geomap.text.toponyms import find_toponyms

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import GeocodeResult


class PlaceResolver(Protocol):
    """What resolution asks of a geocoder (:class:`geomap.geocoding.Geocoder` is one)."""

    def resolve(
        self, query: str, *, country: str | None = None, admin1: str | None = None
    ) -> GeocodeResult: ...


#: How far a direction word ("northern X") moves the point, in km.
SHIFT_KM = 25.0
#: How much the document's evidence for a candidate's country and admin-1 region counts.
COUNTRY_WEIGHT = 0.45
ADMIN1_WEIGHT = 0.6
#: How much being near the document's other places counts, and over what distance (km).
NEAR_WEIGHT = 0.4
NEAR_KM = 150.0
#: A town below this population loses to a country or region of its name, by this factor.
SMALL_TOWN = 100_000
SMALL_TOWN_FACTOR = 0.6
BIG_REGION = 1_000_000
#: The prior of a US county named as one ("Walker County"), nearly the same for all its
#: namesakes (a fifth of a town's prior on top, by the population of its places).
COUNTY_PRIOR = 0.4
#: What a county and a town of it, named in the same text, gain (each).
PAIR_WEIGHT = 0.5
#: Below this score a mention abstains rather than guess.
MIN_SCORE = 0.22
_BEARINGS = {
    "north": 0, "northern": 0, "northeast": 45, "northeastern": 45, "north-east": 45,
    "north-eastern": 45, "east": 90, "eastern": 90, "southeast": 135, "southeastern": 135,
    "south-east": 135, "south-eastern": 135, "south": 180, "southern": 180,
    "southwest": 225, "southwestern": 225, "south-west": 225, "south-western": 225,
    "west": 270, "western": 270, "northwest": 315, "northwestern": 315, "north-west": 315,
    "north-western": 315,
}


# --------------------------------------------------------------------------
# resolution
# --------------------------------------------------------------------------


def resolve_mentions(
    mentions: Sequence[Mention],
    text: str,
    *,
    gazetteer: Gazetteer,
    geocoder: PlaceResolver | None = None,
    doc_id: str = "",
) -> list[Mention]:
    """Resolved copies of ``mentions`` (found in ``text``), in the same order.

    Fills ``place``, ``latitude``, ``longitude``, ``geo_precision``,
    ``confidence``, ``reason`` and, with a ``geocoder``, ``cache_key``.  A
    mention it cannot place keeps ``place=None`` and says why in ``reason``.
    """
    items = _items(mentions, text, gazetteer)
    ctx = document_focus(items, text)
    paired = county_pairs(items)
    order = sorted(range(len(items)), key=lambda i: items[i].mention.span_start)
    spans = [(items[i].mention.span_start, items[i].mention.span_end) for i in order]
    containers: list[list[Item]] = [[] for _ in items]
    for k, chain in enumerate(find_containers(text, spans)):
        containers[order[k]] = [
            items[order[j]] for j in chain if not items[order[j]].demonym_country
        ]
    # a US county name reads differently from the same name alone ("Indiana counties")
    memo_keys = [
        (item.query, item.wanted, item.demonym_country, tuple(c.query for c in outer),
         item.county_states)
        for item, outer in zip(items, containers, strict=True)
    ]
    # a first pass picks each name's place; the second prefers places near the others
    picks: dict[str, Place] = {}
    nations: dict[str, Place] = {}  # countries named: their neighbours' towns are near them
    first: dict[tuple, list[Scored]] = {}  # a name repeated in the same setting scores the same
    bases: dict[tuple, _Base] = {}  # what the second pass adds nearness to
    for item, container, mkey in zip(items, containers, memo_keys, strict=True):
        if item.candidates and item.region is None and mkey not in first:
            bases[mkey] = _base(item, ctx, container, paired.get(item.query.casefold(), set()))
            first[mkey] = _rank(item, bases[mkey], None)
            best = first[mkey][0]
            if best.score >= MIN_SCORE and best.place.feature in ("city", "admin1"):
                picks.setdefault(item.query.casefold(), best.place)
            elif best.score >= MIN_SCORE and best.place.feature == "country":
                nations.setdefault(item.query.casefold(), best.place)
    second: dict[tuple, list[Scored]] = {}
    near = Nearest(list(picks.values()), list(picks)) if picks else None
    for item, mkey in zip(items, memo_keys, strict=True):
        if mkey in first and mkey not in second:
            towns = any(c.place.feature in ("city", "admin2") for c in item.candidates)
            # the other names' picks: each mention leaves out its own name's
            # ("PORTLAND" in a dateline is the same name as "Portland")
            name = item.query.casefold()
            others = len(picks) > 1 or (bool(picks) and name not in picks)
            if towns and (others or nations):
                abroad = [p for q, p in nations.items() if q != name]
                second[mkey] = _rank(item, bases[mkey], near if others else None, abroad)
            else:
                second[mkey] = first[mkey]  # no town among the candidates: nearness cannot matter
    _one_sense(second)
    out = [
        _resolve_one(item, second.get(mkey), geocoder, doc_id)
        for item, mkey in zip(items, memo_keys, strict=True)
    ]
    place_counties([item.county_states for item in items], out)
    return out


def _one_sense(scored: dict[tuple, list[Scored]]) -> None:
    """One place per name in a document: where the text locates one occurrence of a name
    ("Springfield, Ohio"), its other occurrences ("the Springfield Bus Co.") are that place.

    ``scored`` maps a mention's setting (name, wanted feature, demonym, containers) to its
    ranked candidates; the ranking of a setting without containers is changed in place.
    """
    located: dict[tuple, Place] = {}
    for key, ranked in scored.items():
        if key[3] and ranked and ranked[0].score >= MIN_SCORE:
            located.setdefault(key[:3], ranked[0].place)
    for key, ranked in scored.items():
        place = located.get(key[:3])
        if key[3] or place is None or not ranked or ranked[0].place.geonameid == place.geonameid:
            continue
        chosen = next((c for c in ranked if c.place.geonameid == place.geonameid), None)
        if chosen is not None:
            top = max(ranked[0].score, chosen.score)
            rest = [c for c in ranked if c is not chosen]
            scored[key] = [Scored(chosen.place, top, chosen.own_name), *rest]


def _items(mentions: Sequence[Mention], text: str, gazetteer: Gazetteer) -> list[Item]:
    """How each mention reads (phrase, name looked up, wanted feature) and its candidates."""
    from geomap.gazetteer import normalize

    demonyms = demonym_table()
    aliases = alias_table()
    by_comma = comma_aliases()
    regions = region_table()
    heads = place_heads()
    lists = "counties" in text or "parishes" in text  # no list of counties without the word
    items: list[Item] = []
    for m in mentions:
        phrase = parse_phrase(text, m.span_start, m.span_end)
        key = normalize(phrase.name)
        demonym_cc = demonyms.get(key, "") if phrase.name[:1].isupper() else ""
        query = aliases.get(phrase.name, phrase.name)
        wanted = heads[phrase.head][1] if phrase.head else "any"
        if phrase.name in by_comma:
            wanted = "admin1"
        states: tuple[str, ...] = ()
        if demonym_cc:
            country = gazetteer.country(demonym_cc)
            cands = [Scored(country, 1.0, True)] if country else []
        else:
            if phrase.head and phrase.label_end > phrase.name_end:
                # "Kansas City", "Laurel County": try the whole proper name first
                label = text[phrase.label_start : phrase.label_end]
                whole = candidates(gazetteer, label)
                if any(own for _, own in whole):
                    query, wanted = label, "any"
                    phrase = dataclasses.replace(phrase, name=label, name_end=phrase.label_end,
                                                 head="")
            found = candidates(gazetteer, query)
            if any(own and p.feature in ("country", "admin1") for p, own in found):
                found = [(p, own) for p, own in found if own or p.feature != "city"]
            county = phrase.head in ("county", "parish") and phrase.label_end > phrase.name_end
            listed = listed_county(text, m.span_start, m.span_end) if lists and not county else ""
            if kind := phrase.head if county else listed:
                found, states = county_candidates(gazetteer, phrase.name, found, kind)
                wanted = "any" if states else wanted
            cands = [Scored(p, 0.0, own) for p, own in found]
        region = regions.get(key)
        if region and any(
            c.own_name and c.place.feature in ("country", "admin1", "continent") for c in cands
        ):
            region = None  # the gazetteer knows it as a country or region
        items.append(Item(m, phrase, query, demonym_cc, wanted, cands, region, states))
    return items


@dataclasses.dataclass(slots=True)
class _Base:
    """A mention's candidates scored before nearness, the same in both passes:
    (place, score so far, own name, final: wants no nearness or fit) each."""

    rows: list[tuple[Place, float, bool, bool]]
    regions: tuple[set[str], set[tuple[str, str]], set[str]]
    strict: bool
    small_towns_lose: bool


def _base(item: Item, ctx: Context, outer: list[Item], paired: set[int]) -> _Base:
    """Prior, the document's focus and the feature the words want, for each candidate
    (``paired``: the candidates a county named with a town of it, or a town with its
    county, gains :data:`PAIR_WEIGHT`; see :func:`~geomap.text.counties.county_pairs`)."""
    # a list of regions ("Kansas, Kentucky, Louisiana") is no region inside another
    region_name = any(
        c.own_name and c.place.feature in ("country", "admin1") for c in item.candidates
    )
    placed = bool(outer)
    if region_name:
        outer = []
    regions = regions_of([[c.place for c in o.candidates] for o in outer])
    # a region or a country contains it: a namesake abroad is no candidate
    strict = any(
        c.own_name and c.place.feature in ("country", "admin1") for o in outer for c in o.candidates
    )
    rows: list[tuple[Place, float, bool, bool]] = []
    # countries with a sizeable town of this very name: there the bare name is the town
    # ("Homs", "Moscow"), not the region around it ("Homs Governorate", "Moscow Oblast"),
    # and a region smaller than such a town elsewhere is not what the name means
    cities_here = {
        c.place.country_code
        for c in item.candidates
        if c.place.feature == "city" and c.own_name and c.place.population >= 100_000
    }
    max_city = max((c.place.population for c in item.candidates
                    if c.place.feature == "city" and c.own_name), default=0)
    # a bare country's or big region's name is that country or region, not a small
    # namesake town ("Mexico's team", "central Ontario", "California"), unless the text
    # places the town ("Mexico, N.Y.") or the region is named after a sizeable town
    small_towns_lose = not placed and any(
        c.own_name and c.place.feature in ("country", "admin1")
        and c.place.population >= BIG_REGION and c.place.country_code not in cities_here
        for c in item.candidates
    )
    # many candidates share a country or a region: their shares of the evidence, once each
    country_share: dict[str, float] = {}
    admin1_share: dict[tuple[str, str], float] = {}
    country_share_of = ctx.countries.share_of(item.query)
    admin1_share_of = ctx.admin1s.share_of(item.query)
    for cand in item.candidates:
        place = cand.place
        # a county: nearly the prior of its namesakes whatever its population (the text decides)
        s = (COUNTY_PRIOR + 0.2 * prior(place, True) if place.feature == "admin2"
             else prior(place, cand.own_name, item.wanted))  # fmt: skip
        if item.wanted == "city" and place.feature != "city":
            s *= 0.5
        elif place.feature == "admin1" and (
            place.country_code in cities_here or (cities_here and max_city > place.population)
        ):
            # bare "Homs": the city, not its governorate; "Gaza": the city of 410,000, not a
            # smaller province abroad
            s *= 0.75
        cs = country_share.get(place.country_code)
        if cs is None:
            cs = country_share[place.country_code] = country_share_of(place.country_code)
        s += COUNTRY_WEIGHT * cs
        if item.wanted == "admin1" and place.feature != "admin1":
            rows.append((place, s, cand.own_name, True))
            continue  # "Homs province" is the region, however close its namesake town is
        if place.feature == "city" or item.county_states:
            region = (place.country_code, place.admin1_code)
            rs = admin1_share.get(region)
            if rs is None:
                rs = admin1_share[region] = admin1_share_of(region)
            s += ADMIN1_WEIGHT * rs
        if item.county_states and place.feature == "admin1":
            s -= 0.3  # a namesake town in the state is likelier to be near the county
        if place.geonameid in paired:
            s += PAIR_WEIGHT
        rows.append((place, s, cand.own_name, False))
    return _Base(rows, regions, strict, small_towns_lose)


def _rank(
    item: Item, base: _Base, near: Nearest | None, abroad: list[Place] | None = None
) -> list[Scored]:
    """The candidates of ``base`` with nearness and containment added, best first."""
    scored = []
    regions, strict, small_towns_lose = base.regions, base.strict, base.small_towns_lose
    name = item.query.casefold()
    for place, s, own_name, final in base.rows:
        if final:
            scored.append(Scored(place, s, own_name))
            continue
        if (near is not None or abroad) and place.feature in ("city", "admin2"):
            nearest = near.km(place, name) if near is not None else math.inf
            # a town next to a country the text names, from abroad ("Gaza" beside Israel)
            for nation in abroad or ():
                if nation.country_code != place.country_code:
                    km = equirectangular_km(place.latitude, place.longitude, nation.latitude,
                                            nation.longitude)  # fmt: skip
                    nearest = min(nearest, km)
            s += NEAR_WEIGHT * math.exp(-nearest / NEAR_KM)
        s += fit(place, regions, strict)
        if small_towns_lose and place.feature == "city" and place.population < SMALL_TOWN:
            s *= SMALL_TOWN_FACTOR
        scored.append(Scored(place, s, own_name))
    scored.sort(key=lambda c: (-c.score, -c.place.population, c.place.geonameid))
    return scored


def _resolve_one(
    item: Item, scored: list[Scored] | None, geocoder: PlaceResolver | None, doc_id: str
) -> Mention:
    """The resolved copy of one mention (``scored``: its candidates, best first)."""
    src = item.mention
    m = Mention(doc_id or src.doc_id, src.text, src.span_start, src.span_end, role=src.role)
    if item.region is not None:
        name, lat, lon, cc = item.region
        m.latitude, m.longitude = lat, lon
        m.geo_precision = 3
        m.confidence = 0.6
        m.reason = (
            f"world region {name!r} ({cc or 'several countries'}) from geomap's region list;"
            " not in the gazetteer, so no geonameid"
        )
        return m
    if not item.candidates:
        m.reason = f"no gazetteer entry for {item.query!r}"
        return m
    assert scored is not None  # every item with candidates and no region was scored
    best = scored[0]
    runner = scored[1].score if len(scored) > 1 else 0.0
    margin = best.score - runner
    if best.score < MIN_SCORE:
        m.reason = (
            f"abstained: best candidate {best.place.name} ({best.place.country_code},"
            f" {best.place.geonameid}) scores {best.score:.2f} < {MIN_SCORE}"
        )
        return m
    if runner:
        confidence = min(1.0, best.score / (best.score + runner))
    else:
        confidence = min(1.0, 0.5 + best.score)
    confidence = round(confidence * (1.0 if best.own_name else 0.8), 3)
    place = best.place
    m.place = place
    m.latitude, m.longitude = place.latitude, place.longitude
    m.confidence = confidence
    notes = [f"{place.name} ({place.feature}, {place.country_code or '-'}, {place.geonameid})"]
    if len(scored) > 1:
        notes.append(f"over {len(scored) - 1} other candidate(s), margin {margin:.2f}")
    precision, how = _precision(item.phrase, place)
    if item.county_states:
        precision, how = 2, county_note(place)
    m.geo_precision = precision
    if how:
        notes.append(how)
    if item.phrase.direction and place.feature == "city" and item.phrase.direction in _BEARINGS:
        bearing = _BEARINGS[item.phrase.direction]
        lat, lon = destination(place.latitude, place.longitude, bearing, SHIFT_KM)
        m.latitude, m.longitude = round(lat, 5), round(lon, 5)
        way = item.phrase.direction.rstrip("ern")  # "northern" -> "north"
        notes.append(f"point shifted {SHIFT_KM:.0f} km {way} of {place.name}")
    if item.demonym_country:
        notes.append("demonym")
    if geocoder is not None and not item.demonym_country:
        _through_cache(m, item, place, geocoder, notes)
    m.reason = "; ".join(notes)
    return m


def _precision(phrase: Phrase, place: Place) -> tuple[int, str]:
    """ACLED geo precision for the chosen place and the words around it."""
    if place.feature in ("country", "continent"):
        return 3, "country-level" if place.feature == "country" else "continent-level"
    if place.feature == "admin1":
        if phrase.direction or phrase.near:
            return 2, f"part of the region ({phrase.direction or phrase.near})"
        return 3, "region, placed at the admin-1"
    # a city (or town)
    if phrase.head and place_heads().get(phrase.head, (0, ""))[0] == 2:
        return 2, f"{phrase.head} of the town: precision 2"
    if phrase.direction:
        return 2, f"{phrase.direction} part: precision 2"
    if phrase.near:
        return 2, f"'{phrase.near}' the town: point at the town, flagged precision 2"
    return 1, ""


def heads_word(head: str) -> bool:
    """Is ``head`` a word that names an admin-1 region ("province", "governorate")?"""
    return place_heads().get(head, (0, ""))[1] == "admin1"


def _through_cache(
    m: Mention, item: Item, place: Place, geocoder: PlaceResolver, notes: list[str]
) -> None:
    """Record the choice in the geocode cache; a person's pin overrides it."""
    if place.feature == "city":
        query = item.query  # the name as written, so a person's pin on it applies
    elif place.feature == "admin1" and item.phrase.head and heads_word(item.phrase.head):
        query = f"{item.query} {item.phrase.head}"  # "Homs province"
    elif place.feature == "admin1":
        # a type word keeps the gazetteer on the region ("Que." -> "Quebec region", not
        # the city of Québec)
        query = f"{place.admin1 or place.name} region"
    else:
        query = place.name  # "United States" for "U.S.", "Homs Governorate"
    admin1 = place.admin1_code if place.feature == "city" and place.admin1_code else None
    try:
        result = geocoder.resolve(query, country=place.country_code or None, admin1=admin1)
    except Exception as exc:  # noqa: BLE001 - a cache failure must not lose the mention
        notes.append(f"geocode cache not used: {exc}")
        return
    m.cache_key = result.key or ""
    if result.pinned and result.latitude is not None:
        m.latitude, m.longitude = result.latitude, result.longitude
        if result.place is not None:
            m.place = result.place
        m.confidence = 1.0
        notes.append("pinned in the geocode cache")
    elif result.place is not None and result.place.geonameid != place.geonameid:
        notes.append(
            f"geocode cache answered {result.place.name} ({result.place.geonameid}); kept the"
            " document-context choice"
        )


def geoparse(
    text: str,
    *,
    gazetteer: Gazetteer,
    geocoder: PlaceResolver | None = None,
    doc_id: str = "",
    demonyms: bool = False,
) -> list[Mention]:
    """Recognise and resolve the toponyms of ``text`` in ``gazetteer`` (see module docs).

    ``geocoder`` (optional) routes every chosen place through the geocode
    cache.  Demonyms are left out unless ``demonyms=True`` (they still count
    toward the focus country).
    """
    mentions = find_toponyms(text, gazetteer=gazetteer, demonyms=demonyms, doc_id=doc_id)
    counties = county_mentions(text, gazetteer, mentions, doc_id)  # names of no town
    mentions = sorted([*mentions, *counties], key=lambda m: (m.span_start, m.span_end))
    if not mentions:
        return []
    return resolve_mentions(mentions, text, gazetteer=gazetteer, geocoder=geocoder, doc_id=doc_id)

