"""Where one event happened: its candidate places, the most precise first.

Candidates are the places of the cluster's own sentences plus, next to a core
anchor, places after a locative preposition (inside the anchors' own admin-1
regions when they name any).  Places outside the event's country are dropped.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from geomap.model import Event, Mention
from geomap.text.events.clusters import Cluster, Typed, Unit
from geomap.text.events.places import admin1_of, candidate_places, country_of, mention_level
from geomap.text.events.sentences import Sentence


def event_places(
    text: str,
    sents: list[Sentence],
    by_sent: dict[int, list[Mention]],
    typed: dict[int, Typed],
    c: Cluster,
    core: list[Unit],
) -> list[Mention]:
    """The event's places, best first; every candidate gets ``role="event"``."""
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
    sub_country = [p for p in cands if mention_level(p) < 4]
    countries = Counter(country_of(p) for p in (sub_country or cands) if country_of(p))
    country = countries.most_common(1)[0][0] if countries else ""
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
        ev.location = place.name
    else:
        ev.location = p.text
