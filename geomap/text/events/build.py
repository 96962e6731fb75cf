"""One :class:`~geomap.model.Event` record from a cluster of sentences."""

from __future__ import annotations

import hashlib

from geomap.model import Article, Event, Mention
from geomap.text.casualties import CasualtyFigure
from geomap.text.events.actors import ActorsSeen, event_actors
from geomap.text.events.attribution import event_sources
from geomap.text.events.clusters import Cluster, Typed, Unit
from geomap.text.events.dates import event_date
from geomap.text.events.locate import (
    Placing,
    chain_place,
    event_places,
    location_record,
    place_event,
    region_town,
    settle,
)
from geomap.text.events.places import mention_level
from geomap.text.events.sentences import Sentence
from geomap.text.events.tally import Tally, fatalities, tally


def event_id(doc_id: str, anchor: int, kind: str) -> str:
    """``"ev-"`` + 16 hex digits of SHA-1 over the document, anchor offset and kind."""
    return "ev-" + hashlib.sha1(f"{doc_id}|{anchor}|{kind}".encode()).hexdigest()[:16]


def set_figure(ev: Event, figure: CasualtyFigure) -> None:
    """Copy a killed or injured figure's low/best/high counts onto ``ev``."""
    count = figure.count
    if figure.kind == "killed":
        ev.deaths_low, ev.deaths_best, ev.deaths_high = count.low, count.best, count.high
    else:
        ev.injured_low, ev.injured_best, ev.injured_high = count.low, count.best, count.high


def build_event(
    article: Article,
    sents: list[Sentence],
    by_sent: dict[int, list[Mention]],
    typed: dict[int, Typed],
    c: Cluster,
    lead: tuple[str, str] | None = None,
    placing: Placing | None = None,
    seen: ActorsSeen | None = None,
) -> Event:
    """The event a cluster tells of: place, casualties, actors, date, source and quote.

    ``lead`` is the date the article's first sentence states (it holds when the
    cluster's own sentences give none); ``seen`` keeps the actors of the sentences the
    article's events have read.
    """
    text = article.text
    core = [u for u in c.units if u.kind == "core"] or c.units[:1]
    placing = placing or Placing()
    places, place_basis, precision = _places(article, sents, by_sent, typed, c, core, placing)
    counted = tally([(u.sent.text, u.figures) for u in c.units if u.kind in ("core", "country")])
    figs = counted.figures
    killed_count = counted.killed
    if c.sub == "Abduction/forced disappearance" and fatalities(killed_count):
        c.etype, c.sub = "Violence against civilians", "Attack"  # abducted and killed
    civilians = any(f.civilians for f in figs)
    actor1, actor2, armed_opponent = event_actors(
        [u.sent for u in c.units],
        [u.sent for u in c.supports],
        c.sub,
        civilians=civilians,
        country=places[0].place.country
        if places and places[0].place is not None
        else _country_name(placing.focus),
        nearby=_nearby(sents, c),
        seen=seen,
    )
    if c.sub == "Attack" and armed_opponent:
        c.etype, c.sub = "Battles", "Armed clash"  # armed men hit armed men: a battle
    country_units = [u for u in c.units if u.kind == "country"]
    dated = (*core, *country_units, *c.supports)
    date, date_basis = event_date(
        [u.sent for u in dated], article.date, lead, found=[u.date_found for u in dated]
    )
    spans = sorted({(u.sent.start, u.sent.end) for u in core})
    ev = Event(
        event_id=event_id(article.doc_id, spans[0][0], c.sub),
        event_date=date,
        event_type=c.etype,
        sub_event_type=c.sub,
        actor1=actor1,
        actor2=actor2,
        source="; ".join(event_sources([u.sent for u in core], sents)) or (article.source or ""),
        civilians=civilians,
        children=any(f.children for f in figs),
        origin="text",
        doc_id=article.doc_id,
        source_url=article.url or "",
        quote=_quote(text, spans),
        span_start=spans[0][0],
        span_end=spans[-1][1],
    )
    _set_casualties(ev, counted)
    place_basis = _place(ev, places, place_basis, precision, placing)
    ev.extra = {
        "place_basis": place_basis,
        "locations": [location_record(p) for p in places],
        "date_basis": date_basis,
        "type_cue": core[0].cue,
        "casualty_text": [f.count.text for f in figs],
        "casualty_basis": counted.basis,
        "children_count": next((f.children_count for f in figs if f.children_count), None),
        "quote_spans": [list(s) for s in spans],
        "support_sentences": [[u.sent.start, u.sent.end] for u in c.supports],
    }
    where = places[0] if places else None
    ev.confidence = _confidence(where, killed_count is not None, core[0].cue)
    ev.notes = _notes(ev, counted, places, date_basis)
    return ev


def _nearby(sents: list[Sentence], c: Cluster) -> list[Sentence]:
    """The sentences right before and after the cluster's own that it does not hold."""
    own = {u.sent.index for u in (*c.units, *c.supports)}
    near = sorted({i + d for i in own for d in (-1, 1)} - own)
    return [sents[i] for i in near if 0 <= i < len(sents)]


def _places(
    article: Article,
    sents: list[Sentence],
    by_sent: dict[int, list[Mention]],
    typed: dict[int, Typed],
    c: Cluster,
    core: list[Unit],
    placing: Placing,
) -> tuple[list[Mention], str, int | None]:
    """The event's places (best first), the reason for the first, and its precision when
    the place chain sets it."""
    places = event_places(article.text, sents, by_sent, typed, c, core, placing.focus)
    return settle(places, chain_place(article.text, sents, core, by_sent, placing), placing)


def _place(
    ev: Event, places: list[Mention], basis: str, precision: int | None, placing: Placing
) -> str:
    """Set the event's place from its first place; the reason, completed."""
    if not places:
        return basis
    place_event(ev, places[0])
    if precision is not None:
        ev.geo_precision = precision
    town = region_town(ev, places, placing)
    if town:
        basis = f"{basis}; {town}" if basis else town
    return basis


def _country_name(code: str) -> str:
    from geomap.countries import name

    return name(code) if code else ""


def _quote(text: str, spans: list[tuple[int, int]]) -> str:
    """The anchor sentences: one stretch of text, or the pieces joined by " [...] "."""
    contiguous = all(
        not text[a_end:b_start].strip()
        for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
    )
    if contiguous:
        return text[spans[0][0] : spans[-1][1]]
    return " [...] ".join(text[s:e] for s, e in spans)


def _set_casualties(ev: Event, counted: Tally) -> None:
    killed, injured = counted.killed, counted.injured
    if killed is not None:
        ev.deaths_low, ev.deaths_best, ev.deaths_high = killed.low, killed.best, killed.high
        ev.fatalities = fatalities(killed)
        dead = [f for f in counted.figures if f.kind == "killed"]
        if dead and all(f.civilians for f in dead):
            parts = [f.civilians_count for f in dead]
            if len(dead) == 1 or None not in parts:
                ev.deaths_civilians = (
                    killed.low if killed.low is not None else sum(p or 0 for p in parts)
                )
    if injured is not None:
        ev.injured_low, ev.injured_best, ev.injured_high = injured.low, injured.best, injured.high


def _confidence(place: Mention | None, has_figure: bool, cue: str) -> float:
    """0-1: the place's own confidence times how sure the event reading is."""
    reading = 0.9 if has_figure else 0.75
    if "…" in cue or cue in ("adjacent sentence", "article's dominant type", "casualties"):
        reading -= 0.15
    where = (
        place.confidence
        if place is not None and place.confidence
        else (0.3 if place is None else 0.5)
    )
    return round(reading * where, 3)


def _notes(ev: Event, counted: Tally, places: list[Mention], date_basis: str) -> str:
    """One readable sentence: what, by whom, where, how many, when and who reported it."""
    parts = [f"{ev.sub_event_type}"]
    if ev.actor1:
        parts[0] += f" by {ev.actor1}"
    if ev.location:
        parts[0] += f" in {ev.location}" + (
            f" ({ev.admin1})" if ev.admin1 and ev.admin1 != ev.location else ""
        )
    killed, injured = counted.killed, counted.injured
    if killed is not None:
        dead = [f for f in counted.figures if f.kind == "killed"]
        who = " civilians" if dead and all(f.civilians for f in dead) else ""
        kids = ", including children" if any(f.children for f in dead) else ""
        how = f" ({counted.basis})" if counted.basis and len(dead) > 1 else ""
        parts.append(f"{killed.text}{who} killed{kids}{how}")
    if injured is not None:
        parts.append(f"{injured.text} injured")
    place = ev.extra.get("place_basis")
    if place:
        parts.append(f"place: {place}")
    if len(places) > 1:
        parts.append(
            "also located: "
            + ", ".join(
                f"{p.place.name if p.place else p.text} (precision {min(mention_level(p), 3)})"
                for p in places[1:]
            )
        )
    parts.append(f"date: {date_basis}")
    if ev.source:
        parts.append(f"reported by {ev.source}")
    return "; ".join(parts) + "."
