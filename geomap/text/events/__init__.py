"""Events from one article and its resolved place mentions.

``extract_events(article, mentions)`` reads the article sentence by sentence
and returns located :class:`~geomap.model.Event` values in ACLED's taxonomy.
It also sets ``Mention.role = "event"`` on the mentions that locate an event
(every other mention is left, or reset to, ``"mentioned"``).

The rules, in order:

1. **Sentences** are split with their character offsets into ``Article.text``
   (line breaks always end a sentence; "U.S.", "Dr." and the like do not).
2. **Event type**: each sentence is matched against :data:`TYPE_RULES`
   (suicide bomb > IED > air/drone strike > shelling > armed clash > attack on
   civilians > riot > protest > arrests/agreement).  Weak cues ("jets",
   "rockets") need a violence verb in the same sentence ("hit", "targeted",
   "raids", "killed").
3. **Anchors**: a typed sentence with a non-context casualty figure or a
   resolved place below country level is a *core* anchor; a typed sentence
   whose only place is a country after a locative preposition ("in Syria") is
   a *country* anchor; any other typed sentence ("Russian airstrikes hit
   parts of ...", "Russia launched airstrikes Wednesday") is *support*.  A
   casualty sentence without a type cue joins the cluster of an adjacent
   anchor, or else starts one typed by the article's dominant type.
4. **Merging**: anchors of the same sub-event type are one event unless their
   places lie in different countries or different admin-1 regions.  Support
   sentences of the same type only fill a missing actor or date.
5. **Location**: candidate places are the resolved mentions in the core
   anchors (a country needs a locative preposition before it, and nothing
   followed by "said"/"says" or a possessive counts), plus places after a
   locative preposition in the sentences right before or after a core anchor
   (only inside the anchors' own admin-1 regions when they name any).
   Places outside the event's country are dropped.  **The event's location is
   the most precise candidate** (ACLED precision 1 < 2 < 3 < country, then
   confidence, then first in text); every other candidate is kept in
   ``Event.extra["locations"]`` and named in ``notes``.  All of them get
   ``role="event"``.
6. **Date**: the first temporal expression in the anchors ("today",
   "yesterday", "Wednesday", "on Monday", "last night", "September 30"),
   then in the support sentences, resolved against ``Article.date``; a weekday
   means the latest such day on or before the article date.  With no
   expression the article date is used; with no article date the event date
   is ``None`` (unknown).  ``Event.extra["date_basis"]`` says which.
7. **Casualties**: the largest non-context killed and injured figures of the
   core anchors (see :mod:`geomap.text.casualties`); ``fatalities`` is the best
   estimate, 0 when unknown.  Civilians and children are flagged from the
   figures.  Context figures ("the war has killed more than 250,000 people
   since March 2011") become separate events with ``is_context=True``,
   ``fatalities=0``, no event type, no coordinates (only the article's event
   country), and never add to another event.
8. **Actors**: :data:`ACTORS` maps phrases to ACLED-like names.  A phrase
   right before an attack word ("Russian airstrikes", "Russia launched") or
   after "by" is strong; actor1 is the most frequent strong actor of the
   anchors, then of the support sentences, then any actor in the anchors.
   actor2 is ``Civilians (<country>)`` when civilians were hurt, else another
   actor the anchors name.
9. **Attribution** (``Event.source``): "according to ...", "X said/told",
   "said a doctor in ...", "told Reuters", "(AP)" in the anchors and in a
   following "he told ..." sentence; known agencies are named canonically
   ("a Reuters report" -> "Reuters").  Falls back to ``Article.source``.
10. **Quote**: the core anchor sentences; ``span_start``/``span_end`` run from
    the first to the last of them, and ``extra["quote_spans"]`` lists each one
    when they are not contiguous (the quote then joins them with " [...] ").
11. **event_id**: ``"ev-"`` + 16 hex digits of SHA-1 over doc_id, the first
    anchor's offset and the event kind, so re-extracting gives the same ids.

Modules: :mod:`~.sentences` (1), :mod:`~.classify` (2), :mod:`~.places` and
:mod:`~.clusters` (3, 4), :mod:`~.locate` (5), :mod:`~.dates` (6),
:mod:`~.build` (7, 10, 11), :mod:`~.context` (context figures),
:mod:`~.actors` (8), :mod:`~.attribution` (9), :mod:`~.extract` (the whole).
"""

from geomap.text.events.actors import ACTORS, ActorHit, find_actors
from geomap.text.events.attribution import find_attributions
from geomap.text.events.classify import EXPLOSIONS, TYPE_RULES, classify
from geomap.text.events.dates import resolve_date
from geomap.text.events.extract import extract_events
from geomap.text.events.places import mention_level
from geomap.text.events.sentences import Sentence, split_sentences

__all__ = [
    "ACTORS",
    "EXPLOSIONS",
    "TYPE_RULES",
    "ActorHit",
    "Sentence",
    "classify",
    "extract_events",
    "find_actors",
    "find_attributions",
    "mention_level",
    "resolve_date",
    "split_sentences",
]
