"""``extract_events``: an article and its resolved place mentions -> located events."""

from __future__ import annotations

import bisect
from collections import Counter
from typing import TYPE_CHECKING

from geomap.model import Article, Event, Mention
from geomap.text.casualties import CasualtyFigure, cue_stem_spans, parse_casualties
from geomap.text.events.actors import ActorsSeen
from geomap.text.events.build import build_event
from geomap.text.events.classify import Typed, classify, non_event
from geomap.text.events.clusters import group_units, sentence_units
from geomap.text.events.context import context_events
from geomap.text.events.dates import lead_date
from geomap.text.events.locate import Placing
from geomap.text.events.sentences import Sentence, split_sentences
from geomap.text.events.where import focus_country

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer


def extract_events(
    article: Article, mentions: list[Mention], *, gazetteer: Gazetteer | None = None
) -> list[Event]:
    """Located events of ``article`` (see :mod:`geomap.text.events`); sets ``Mention.role``.

    With a ``gazetteer``, the names of an event's place chain that the mentions leave
    unresolved are looked up there (inside the region the text names); a place found so
    is added to ``mentions``.
    """
    text: str = article.text
    sents = split_sentences(text)
    by_sent = _mentions_by_sentence(mentions, sents)
    typed, figures = _read_sentences(text, sents)
    units = sentence_units(text, sents, by_sent, typed, figures, article.date)
    lead = lead_date(sents, article.date, article.title)
    placing = Placing(gazetteer, focus_country(text, mentions), mentions, article.title)
    seen: ActorsSeen = {}
    events = [
        build_event(article, sents, by_sent, typed, c, lead, placing, seen)
        for c in group_units(units)
    ]
    located = Counter(e.country for e in events if e.country)
    if not located:  # no event placed: the country the article's places name most
        located = Counter(m.place.country for m in mentions if m.place and m.place.country)
    events.extend(
        context_events(article, sents, figures, located.most_common(1)[0][0] if located else "")
    )
    return events


def _mentions_by_sentence(
    mentions: list[Mention], sents: list[Sentence]
) -> dict[int, list[Mention]]:
    """Sentence index -> its mentions in text order; every mention's role is reset."""
    starts = [s.start for s in sents]
    by_sent: dict[int, list[Mention]] = {}
    for m in sorted(mentions, key=lambda x: x.span_start):
        m.role = "mentioned"
        i = bisect.bisect_right(starts, m.span_start) - 1
        if i >= 0:
            by_sent.setdefault(i, []).append(m)
    return by_sent


def _read_sentences(
    text: str, sents: list[Sentence]
) -> tuple[dict[int, Typed], dict[int, list[CasualtyFigure]]]:
    """The event type and the casualty figures of each sentence that has them."""
    typed: dict[int, Typed] = {}
    figures: dict[int, list[CasualtyFigure]] = {}
    cues = cue_stem_spans(text)
    cue_starts = [a for a, _ in cues] if cues is not None else []
    for s in sents:
        t = classify(s.text)
        if t:
            typed[s.index] = t
        if cues is not None and not _has_span(cues, cue_starts, s.start, s.end):
            continue  # no casualty word in the sentence: parse_casualties would find nothing
        f = parse_casualties(s.text)
        if f and not t and non_event(s.text):
            continue  # deaths at a funeral, in an accident, in court: no event's deaths
        if f:
            figures[s.index] = f
    return typed, figures


def _has_span(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Does a span of ``spans`` (sorted; ``starts`` their starts) lie inside ``[start, end)``?"""
    i = bisect.bisect_left(starts, start)
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] <= end:
            return True
        i += 1
    return False
