"""Context figures: cumulative or background totals, kept apart from the events."""

from __future__ import annotations

from geomap.model import Article, Event
from geomap.text.casualties import CasualtyFigure
from geomap.text.events.attribution import find_attributions
from geomap.text.events.build import event_id, set_figure
from geomap.text.events.sentences import Sentence


def context_events(
    article: Article,
    sents: list[Sentence],
    figures: dict[int, list[CasualtyFigure]],
    country: str,
) -> list[Event]:
    """Cumulative figures: labelled, unlocated (a total is not a point), never an event's deaths.

    ``country`` is the article's event country, the only place they get.
    """
    out: list[Event] = []
    for i, figs in sorted(figures.items()):
        for f in figs:
            if not f.is_context:
                continue
            s = sents[i]
            ev = Event(
                event_id=event_id(article.doc_id, s.start + f.start, "context"),
                event_date=None,
                is_context=True,
                fatalities=0,
                civilians=f.civilians,
                children=f.children,
                origin="text",
                doc_id=article.doc_id,
                source_url=article.url or "",
                source="; ".join(find_attributions(s.text)) or (article.source or ""),
                quote=s.text,
                span_start=s.start,
                span_end=s.end,
            )
            set_figure(ev, f)
            ev.country = country
            ev.notes = (
                f"Context figure, not an event ({f.context_cue}): {f.count.text} {f.kind}; "
                "cumulative or background total, never added to an event's deaths."
            )
            ev.extra = {
                "context_cue": f.context_cue,
                "casualty_text": [f.count.text],
                "figure_span": [s.start + f.start, s.start + f.end],
            }
            out.append(ev)
    return out
