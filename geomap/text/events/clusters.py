"""Typed sentences ("units") and their grouping into one cluster per event.

A typed sentence with a non-context casualty figure or a place below country
level is a *core* anchor, one whose only place is a country a *country*
anchor, any other a *support*.  An anchor joins the event told just before
it, whatever its type ("Clashes broke out ... A man was killed"), unless
their places or dates disagree; otherwise it joins an earlier event of its
own type that agrees, or starts a new one.  Supports only fill gaps, unless
the article has no anchor at all (then they are its one event).  An event
takes the most specific type of its anchors and of a violent support right
before one of them ("LNA forces shelled ... Ten soldiers were killed."), or
right after an attack on civilians when it names remote means ("... A bomb
had exploded near its gate.").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from geomap.model import Mention
from geomap.text.casualties import CasualtyFigure
from geomap.text.events.classify import TYPE_RULES, VIOLENT_TYPES, Typed
from geomap.text.events.cues import EXPLOSIONS, VAC
from geomap.text.events.dates import resolve_date
from geomap.text.events.places import admin1_of, candidate_places, country_of, mention_level
from geomap.text.events.sentences import Sentence

#: a more specific sub-event type comes earlier in TYPE_RULES
_SUB_RANK = {rule[1]: i for i, rule in enumerate(TYPE_RULES)}
#: cues of units typed by their neighbours, not by their own words
WEAK_CUES = frozenset({"adjacent sentence", "article's dominant type", "casualties"})
#: how many sentences may lie between a unit and the event it joins whatever its type
_NEAR = 2


@dataclass(slots=True)
class Unit:
    """One typed sentence and what it carries."""

    sent: Sentence
    etype: str
    sub: str
    cue: str
    figures: list[CasualtyFigure]
    places: list[Mention]  # candidate event places in this sentence
    kind: str  # "core", "country", "support"
    date: str | None = None  # a date the sentence itself gives ("on Dec. 10")
    # what :func:`~geomap.text.events.dates.resolve_date` made of the sentence, for the
    # event's date (read once)
    date_found: tuple[str | None, str] | None = None


@dataclass(slots=True)
class Cluster:
    """The units that tell of one event, and the supports of the same type."""

    etype: str
    sub: str
    units: list[Unit] = field(default_factory=list)
    supports: list[Unit] = field(default_factory=list)

    @property
    def country(self) -> str:
        c = Counter(country_of(p) for u in self.units for p in u.places if country_of(p))
        return c.most_common(1)[0][0] if c else ""

    @property
    def date(self) -> str | None:
        return next((u.date for u in self.units if u.date), None)

    @property
    def located(self) -> bool:
        return any(u.places for u in self.units)

    def accepts(self, u: Unit) -> bool:
        """Could ``u`` be about this cluster's event (same country/region, no other date)?"""
        uc = {country_of(p) for p in u.places if country_of(p)}
        if uc and self.country and self.country not in uc:
            return False
        ua = {admin1_of(p) for p in u.places if admin1_of(p)}
        if ua and self.admin1s and not (ua & self.admin1s):
            return False
        return not (u.date and self.date and u.date != self.date)

    @property
    def admin1s(self) -> set[str]:
        return {admin1_of(p) for u in self.units for p in u.places if admin1_of(p)}


def sentence_units(
    text: str,
    sents: list[Sentence],
    by_sent: dict[int, list[Mention]],
    typed: dict[int, Typed],
    figures: dict[int, list[CasualtyFigure]],
    article_date: str | None,
) -> list[Unit]:
    """One unit per typed sentence, and per untyped sentence that reports deaths."""
    dominant = Counter((t[0], t[1]) for t in typed.values() if t[0] in VIOLENT_TYPES).most_common(1)
    units: list[Unit] = []
    for s in sents:
        own = by_sent.get(s.index, [])
        raw = figures.get(s.index, [])
        figs = [f for f in raw if not f.is_context]
        if raw and not figs:
            continue  # a cumulative or background toll: context, never an event
        t = typed.get(s.index)
        if t is None and figs:
            # deaths with no cue of their own: typed by a violent neighbour, else by the article's
            # dominant violent type; an article with no violence at all (an obituary, an overdose
            # report) gives no event
            near = [
                typed[j]
                for j in (s.index - 1, s.index + 1)
                if j in typed and typed[j][0] in VIOLENT_TYPES
            ]
            if near:
                t = (near[0][0], near[0][1], "adjacent sentence")
            elif dominant:
                t = (dominant[0][0][0], dominant[0][0][1], "article's dominant type")
        if t is None:
            continue
        places = candidate_places(text, s, own, strict=False)
        sub_country = [p for p in places if mention_level(p) < 4]
        kind = "core" if (figs or sub_country) else ("country" if places else "support")
        when = resolve_date(s.text, article_date)
        units.append(
            Unit(s, t[0], t[1], t[2], figs, places, kind, when[0] if when else None, when)
        )
    return units


def group_units(units: list[Unit]) -> list[Cluster]:
    """Clusters of anchors, merged where nothing contradicts, with their supports."""
    clusters: list[Cluster] = []
    for u in units:
        if u.kind == "support":
            continue
        target = None
        last = clusters[-1] if clusters else None
        if (
            last is not None
            and u.sent.index - last.units[-1].sent.index <= _NEAR
            and last.accepts(u)
            and (u.etype in VIOLENT_TYPES) == (last.etype in VIOLENT_TYPES)
        ):
            target = last
        for c in clusters if target is None else ():
            if (c.etype, c.sub) == (u.etype, u.sub) and c.accepts(u):
                target = c
                break
        if target is None:
            target = Cluster(u.etype, u.sub)
            clusters.append(target)
        target.units.append(u)
    # an unlocated cluster (often the headline: "13 soldiers killed by car bomb") joins a located
    # cluster of the same event type when nothing contradicts it
    for c in [c for c in clusters if not c.located]:
        _join_host(clusters, c, inside=False)
    # a cluster placed only at country level ("a suicide car bomb in central Turkey") joins a
    # cluster of the same event type placed inside that country ("the blast ... in Kayseri")
    for c in [c for c in clusters if c.located and not c.admin1s]:
        _join_host(clusters, c, inside=True)
    supports = [u for u in units if u.kind == "support"]
    if not clusters and supports:
        # no anchor at all: the violence the article reports, placed nowhere in particular
        clusters.append(Cluster(supports[0].etype, supports[0].sub, list(supports)))
        supports = []
    for c in clusters:
        _set_type(c, [u for u in supports if _lends_type(c, u)])
    for u in supports:
        for c in clusters:
            if (c.etype, c.sub) == (u.etype, u.sub) or _next_to(c, u):
                c.supports.append(u)
    return clusters


def _next_to(c: Cluster, u: Unit) -> bool:
    """Is the violent support ``u`` right before or after a sentence of the violent cluster
    ``c`` ("LNA forces shelled GNA positions. Ten soldiers were killed.")?"""
    return (
        u.etype in VIOLENT_TYPES
        and c.etype in VIOLENT_TYPES
        and any(abs(v.sent.index - u.sent.index) == 1 for v in c.units)
    )


def _lends_type(c: Cluster, u: Unit) -> bool:
    """May the support ``u`` beside ``c`` give it its type?  The sentence before an event's
    toll tells what happened ("LNA forces shelled GNA positions. Ten soldiers were
    killed."); a sentence after it only its means ("... One blast occurred at a hotel.")."""
    if not _next_to(c, u):
        return False
    if any(v.sent.index - u.sent.index == 1 for v in c.units):
        return True
    return u.etype == EXPLOSIONS and c.etype == VAC


def _set_type(c: Cluster, beside: list[Unit]) -> None:
    """The cluster's type: the most specific type its anchors, or the violent sentences right
    beside them, were given by their own words."""
    own = [u for u in (*c.units, *beside) if u.cue not in WEAK_CUES] or c.units
    best = min(own, key=lambda u: (_SUB_RANK.get(u.sub, 99), u.sent.index))
    c.etype, c.sub = best.etype, best.sub


def _join_host(clusters: list[Cluster], c: Cluster, *, inside: bool) -> Cluster | None:
    """Move ``c``'s units into the first other cluster of its event type that accepts them
    all and is located (``inside``: placed at admin-1 level inside ``c``'s country); the
    host, or None when there is none."""
    host = next(
        (
            h
            for h in clusters
            if h is not c
            and ((bool(h.admin1s) and h.country == c.country) if inside else h.located)
            and (h.etype in VIOLENT_TYPES) == (c.etype in VIOLENT_TYPES)
            and all(h.accepts(u) for u in c.units)
        ),
        None,
    )
    if host is not None:
        host.units.extend(c.units)
        host.units.sort(key=lambda u: u.sent.index)
        clusters.remove(c)
    return host
