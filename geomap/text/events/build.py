"""One :class:`~geomap.model.Event` record from a cluster of sentences."""

from __future__ import annotations

import hashlib

from geomap.model import Article, Event, Mention
from geomap.text.casualties import CasualtyFigure
from geomap.text.events.actors import event_actors
from geomap.text.events.attribution import event_sources
from geomap.text.events.clusters import Cluster, Typed
from geomap.text.events.dates import event_date
from geomap.text.events.locate import event_places, location_record, place_event
from geomap.text.events.places import mention_level
from geomap.text.events.sentences import Sentence


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
) -> Event:
    """The event a cluster tells of: place, casualties, actors, date, source and quote."""
    text = article.text
    core = [u for u in c.units if u.kind == "core"] or c.units[:1]
    places = event_places(text, sents, by_sent, typed, c, core)
    figs = [f for u in core for f in u.figures]
    killed = _pick_figure(figs, "killed")
    injured = _pick_figure(figs, "injured")
    civilians = any(f.civilians for f in figs)
    actor1, actor2 = event_actors(
        [u.sent for u in c.units],
        [u.sent for u in c.supports],
        c.sub,
        civilians=civilians,
        country=places[0].place.country if places and places[0].place is not None else "",
    )
    country_units = [u for u in c.units if u.kind == "country"]
    date, date_basis = event_date(
        [u.sent for u in (*core, *country_units, *c.supports)], article.date
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
    _set_casualties(ev, killed, injured)
    if places:
        place_event(ev, places[0])
    ev.extra = {
        "locations": [location_record(p) for p in places],
        "date_basis": date_basis,
        "type_cue": core[0].cue,
        "casualty_text": [f.count.text for f in (killed, injured) if f is not None],
        "children_count": killed.children_count if killed is not None else None,
        "quote_spans": [list(s) for s in spans],
        "support_sentences": [[u.sent.start, u.sent.end] for u in c.supports],
    }
    ev.confidence = _confidence(places[0] if places else None, killed is not None, core[0].cue)
    ev.notes = _notes(ev, killed, injured, places, date_basis)
    return ev


def _pick_figure(figs: list[CasualtyFigure], kind: str) -> CasualtyFigure | None:
    cands = [f for f in figs if f.kind == kind and not f.is_context]
    if not cands:
        return None
    return max(cands, key=lambda f: f.count.low or f.count.best or f.count.high or 0)


def _quote(text: str, spans: list[tuple[int, int]]) -> str:
    """The anchor sentences: one stretch of text, or the pieces joined by " [...] "."""
    contiguous = all(
        not text[a_end:b_start].strip()
        for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
    )
    if contiguous:
        return text[spans[0][0] : spans[-1][1]]
    return " [...] ".join(text[s:e] for s, e in spans)


def _set_casualties(
    ev: Event, killed: CasualtyFigure | None, injured: CasualtyFigure | None
) -> None:
    if killed is not None:
        set_figure(ev, killed)
        ev.fatalities = killed.count.best or killed.count.low or killed.count.high or 0
        if killed.civilians_count is not None:
            ev.deaths_civilians = (
                killed.count.low if killed.count.low is not None else killed.civilians_count
            )
    if injured is not None:
        set_figure(ev, injured)


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


def _notes(
    ev: Event,
    killed: CasualtyFigure | None,
    injured: CasualtyFigure | None,
    places: list[Mention],
    date_basis: str,
) -> str:
    """One readable sentence: what, by whom, where, how many, when and who reported it."""
    parts = [f"{ev.sub_event_type}"]
    if ev.actor1:
        parts[0] += f" by {ev.actor1}"
    if ev.location:
        parts[0] += f" in {ev.location}" + (
            f" ({ev.admin1})" if ev.admin1 and ev.admin1 != ev.location else ""
        )
    if killed is not None:
        who = " civilians" if killed.civilians else ""
        kids = ", including children" if killed.children else ""
        parts.append(f"{killed.count.text}{who} killed{kids}")
    if injured is not None:
        parts.append(f"{injured.count.text} injured")
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
