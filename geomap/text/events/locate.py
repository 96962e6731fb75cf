"""Where one event happened: its candidate places, the most precise first.

Candidates are the places of the cluster's own sentences plus, next to a core
anchor, places after a locative preposition (inside the anchors' own admin-1
regions when they name any).  Places outside the event's country are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from geomap.model import Event, Mention
from geomap.text.events.classify import Typed
from geomap.text.events.clusters import Cluster, Unit
from geomap.text.events.places import admin1_of, candidate_places, country_of, mention_level
from geomap.text.events.sentences import Sentence
from geomap.text.events.where import BORDER_AFTER_RE, Slot, Where, locate, place_chains
from geomap.text.names import candidates

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer


#: at most this many sentences: a short report, about one event
SHORT_REPORT = 5


@dataclass(slots=True)
class Placing:
    """What the event placing reads besides the sentences: the gazetteer (to look up
    names the recogniser did not resolve), the article's country and every mention (the
    places found here are added to it)."""

    gazetteer: Gazetteer | None = None
    focus: str = ""
    mentions: list[Mention] = field(default_factory=list)
    title: str = ""  # the article's title line, which is no first sentence
    # the place chains of each sentence read, by (text, start, end): an article's events
    # read the same sentences (its first one, those around them) again and again
    chains: dict[tuple[str, int, int], list[list[Slot]]] = field(default_factory=dict)

    def place_chains(self, text: str, start: int, end: int) -> list[list[Slot]]:
        """:func:`~geomap.text.events.where.place_chains`, each sentence read once (the
        chains it gives are shared: never change them)."""
        key = (text, start, end)
        found = self.chains.get(key)
        if found is None:
            found = self.chains[key] = place_chains(text, start, end)
        return found


def event_places(
    text: str,
    sents: list[Sentence],
    by_sent: dict[int, list[Mention]],
    typed: dict[int, Typed],
    c: Cluster,
    core: list[Unit],
    focus: str = "",
) -> list[Mention]:
    """The event's places, best first; every candidate gets ``role="event"``.  ``focus`` is
    the country (ISO code) the article is about: its places win over namesakes abroad."""
    cands: list[Mention] = [p for u in c.units for p in u.places]
    own_admin1 = {admin1_of(p) for p in cands if mention_level(p) < 4}
    has_own = bool(cands)
    for u in core:
        for j in (u.sent.index - 1, u.sent.index + 1):
            if not 0 <= j < len(sents) or any(x.sent.index == j for x in c.units):
                continue
            if not has_own and (typed.get(j) or ("",))[0] != c.etype:
                # with no place of its own, an event borrows only from a sentence of the same kind
                continue
            # a neighbour sentence may add detail inside the same region, never move the event
            cands.extend(
                p
                for p in candidate_places(text, sents[j], by_sent.get(j, []), strict=True)
                if mention_level(p) < 4 and (not own_admin1 or admin1_of(p) in own_admin1)
            )
    return _ranked(cands, focus)


def _ranked(cands: list[Mention], focus: str = "") -> list[Mention]:
    """The candidates in the event's country (the one most of them lie in, the article's
    country on a tie), the most precise first, each place once."""
    sub_country = [p for p in cands if mention_level(p) < 4]
    countries = Counter(country_of(p) for p in (sub_country or cands) if country_of(p))
    country = max(countries, key=lambda cc: (countries[cc], cc == focus)) if countries else ""
    if country:
        cands = [p for p in cands if country_of(p) in ("", country)]
    if sub_country:
        cands = [p for p in cands if mention_level(p) < 4]
    seen: set[tuple[object, int]] = set()
    places: list[Mention] = []
    for p in sorted(cands, key=lambda p: (mention_level(p), -p.confidence, p.span_start)):
        key = (
            p.place.geonameid if p.place is not None else (p.latitude, p.longitude),
            mention_level(p),
        )
        if key in seen:
            continue
        seen.add(key)
        places.append(p)
    for p in cands:
        p.role = "event"
    return places


def location_record(p: Mention) -> dict[str, Any]:
    """One entry of ``Event.extra["locations"]``."""
    return {
        "name": p.place.name if p.place is not None else p.text,
        "mention": p.text,
        "geonameid": p.place.geonameid if p.place is not None else None,
        "latitude": p.latitude
        if p.latitude is not None
        else (p.place.latitude if p.place else None),
        "longitude": p.longitude
        if p.longitude is not None
        else (p.place.longitude if p.place else None),
        "geo_precision": min(mention_level(p), 3),
        "feature": p.place.feature if p.place is not None else "",
        "span_start": p.span_start,
        "span_end": p.span_end,
    }


def place_event(ev: Event, p: Mention) -> None:
    """Set the event's location fields from its chosen place mention."""
    place = p.place
    ev.latitude = p.latitude if p.latitude is not None else (place.latitude if place else None)
    ev.longitude = p.longitude if p.longitude is not None else (place.longitude if place else None)
    ev.geo_precision = min(mention_level(p), 3)
    ev.geocode_key = p.cache_key
    ev.precision_source = f"text:{p.text}"
    if place is not None:
        ev.geonameid = place.geonameid
        ev.country = place.country
        ev.admin1 = place.admin1 if place.feature != "country" else ""
        if place.feature == "admin2":
            ev.admin2 = place.name
        ev.location = place.name
    else:
        ev.location = p.text


def chain_place(
    text: str,
    sents: list[Sentence],
    core: list[Unit],
    by_sent: dict[int, list[Mention]],
    placing: Placing,
) -> Where | None:
    """The place the place chains of the event's sentences name (see
    :mod:`~geomap.text.events.where`): those of its own sentences, else of the sentence
    before them and of the article's first sentence, which places what a short report
    tells next ("On 5 May, in Teresina, Piaui, ... A man was shot and died."), else, in a
    report of at most ``SHORT_REPORT`` sentences, of any other sentence, the nearest first,
    when it lies in the article's country (a place named in passing abroad is no answer)."""
    own = sorted({u.sent.index for u in core})
    first = own[0] if own else 0
    lead = next((s.index for s in sents if s.text.strip() != placing.title.strip()), 0)
    near = [i for i in (first - 1, lead) if 0 <= i < len(sents) and i not in own]
    # a short report tells of one event: its place may come in any sentence ("... LOCATION:
    # Kalaha, Saboti Constituency, Trans Nzoia District"), the nearest first
    rest = sorted(
        (i for i in range(len(sents)) if i not in own and i not in near),
        key=lambda i: abs(i - first),
    )
    for group in (own, near, rest if len(sents) <= SHORT_REPORT and placing.focus else []):
        found: list[Where] = []
        moved: list[Where] = []  # the country people came from: only when nothing else
        for i in group:
            sent = sents[i]
            for chain in placing.place_chains(text, sent.start, sent.end):
                w = locate(chain, by_sent.get(i, []), placing.gazetteer, placing.focus)
                if w is not None and w.place.feature == "country":
                    if BORDER_AFTER_RE.match(text, chain[-1].end):
                        continue  # "near the Somalia border": no place in Somalia
                if w is None or (group is rest and not _borrowable(text, chain, w, placing)):
                    continue
                before = text[max(0, chain[0].start - 30) : chain[0].start]
                foreign = w.place.feature == "country" and _FROM_RE.search(before)
                (moved if foreign else found).append(w)
        if found or moved:
            return _best(found or moved, placing.focus)
    return None


#: "rustlers from Ethiopia": the country the people came from
_FROM_RE = re.compile(r"\bfrom\s+(?:the\s+)?(?:neighbou?ring\s+)?\Z", re.I)
#: "came from X", "fled to X": where people came from or went, not where it happened
_MOVED_RE = re.compile(r"\b(?:from|to|towards?)\s+(?:the\s+)?(?:\w+\s+)?\Z", re.I)


def _borrowable(text: str, chain: list[Slot], w: Where, placing: Placing) -> bool:
    """May an event with no place take this one from another sentence of a short report?
    Only in the article's country, and not a place people came from or went to."""
    before = text[max(0, chain[0].start - 30) : chain[0].start]
    return w.place.country_code == placing.focus and not _MOVED_RE.search(before)


def _best(found: list[Where], focus: str) -> Where:
    """The chain place to trust: in the article's country, inside the regions the text names,
    the most precise, found inside a place the text names around it, the first."""
    regions = {
        (w.place.country_code, w.place.admin1_code)
        for w in found
        if w.place.feature == "admin1" or w.inside
    }

    def key(w: Where) -> tuple[bool, bool, int, bool, int, int]:
        here = (w.place.country_code, w.place.admin1_code)
        return (
            not focus or w.place.country_code == focus,
            not regions or here in regions or w.place.feature == "country",
            -w.precision,
            w.inside,
            {"city": 3, "admin2": 2, "admin1": 1}.get(w.place.feature, 0),
            -w.slot.start,
        )

    return max(found, key=key)


def settle(
    places: list[Mention], where: Where | None, placing: Placing
) -> tuple[list[Mention], str, int | None]:
    """The event's places once the place chain has its say: the chain's place comes first
    when the mentions offer nothing as precise inside it; ``(places, reason, precision)``
    (the precision the chain gives the first place, or ``None``)."""
    if where is None:
        return places, "", None
    best = places[0] if places and places[0].place is not None else None
    if best is not None and best.place is not None:
        if best.place.geonameid == where.place.geonameid:
            return places, where.reason, where.precision
        # a mention that is itself a name of the chain (its province, say) yields to it
        in_chain = any(best.span_start < e and s < best.span_end for s, e in where.chain_spans)
        if not in_chain and _within(best, where) and mention_level(best) <= where.precision:
            return places, "", None
    mention = where.mention
    if mention is None or mention.place is None or mention.place.geonameid != where.place.geonameid:
        mention = _placed(where, mention, placing)
    return [mention, *(p for p in places if p is not mention)], where.reason, where.precision


def _within(m: Mention, where: Where) -> bool:
    """Does the mention lie inside the chain's place (its country; its region for a region)?"""
    p, w = m.place, where.place
    if p is None or p.country_code != w.country_code:
        return False
    return w.feature not in ("admin1", "admin2") or p.admin1_code == w.admin1_code


def _placed(where: Where, mention: Mention | None, placing: Placing) -> Mention:
    """The mention of the chain's slot, (re)resolved to the chain's place; a new one, added to
    the article's mentions, when the recogniser had none."""
    slot, place = where.slot, where.place
    if mention is None:
        doc_id = placing.mentions[0].doc_id if placing.mentions else ""
        mention = Mention(doc_id, slot.name, slot.start, slot.end)
        placing.mentions.append(mention)
        placing.mentions.sort(key=lambda m: m.span_start)
    mention.place = place
    mention.latitude, mention.longitude = place.latitude, place.longitude
    mention.geo_precision = where.precision
    mention.confidence = max(mention.confidence, 0.6)
    mention.cache_key = ""  # the place chain chose it, not the geocode cache
    mention.reason = (
        f"{place.name} ({place.feature}, {place.country_code}, {place.geonameid}); "
        + (f"event place chain: {where.reason}")
    )
    return mention


def region_town(ev: Event, places: list[Mention], placing: Placing) -> str:
    """Put an event placed at a whole region (precision 3) at the town the region is named after
    ("Herat province" -> Herat, "Mandera County" -> Mandera), as ACLED places a region-level
    event at the region's main town; the reason, or ``""`` when there is no such town."""
    first = places[0] if places else None
    region = first.place if first is not None else None
    if region is None or region.feature != "admin1" or placing.gazetteer is None:
        return ""
    towns = [
        p
        for name in dict.fromkeys((region.admin1, region.name))
        if name
        for p, own in candidates(placing.gazetteer, name)
        if own
        and p.feature == "city"
        and p.country_code == region.country_code
        and p.admin1_code == region.admin1_code
    ]
    if not towns:
        return ""
    town = max(towns, key=lambda p: (p.population, -p.geonameid))
    ev.latitude, ev.longitude = town.latitude, town.longitude
    ev.location, ev.geonameid = town.name, town.geonameid
    ev.geo_precision = 3
    ev.geocode_key = ""  # a point derived from the region's answer, not a cached one
    return f"the region {region.name}, placed at its namesake town {town.name} (precision 3)"
