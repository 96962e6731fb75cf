"""Actors a sentence names, mapped to ACLED-like names (:data:`ACTORS`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from geomap.text.events.sentences import Sentence

#: phrase -> ACLED-like actor name; "{country}" is the event's country.
ACTORS: tuple[tuple[str, str], ...] = (
    (r"Islamic\s+State|ISIS|ISIL|Daesh|IS\s+(?:militants|fighters)", "Islamic State"),
    (r"(?:Jabhat\s+)?al-?\s?Nusra(?:\s+Front)?", "Jabhat al Nusra"),
    (r"al-?\s?Qaeda|al-?\s?Qaida", "Al Qaeda"),
    (r"Hezbollah|Hizbollah", "Hezbollah"),
    (r"Taliban", "Taliban"),
    (r"Boko\s+Haram", "Boko Haram"),
    (r"al-?\s?Shabaab", "Al Shabaab"),
    (r"Houthis?|Ansar\s+Allah", "Ansar Allah (Houthis)"),
    (r"PKK|Kurdistan\s+Workers'?\s+Party|Kurdish\s+militants", "PKK: Kurdistan Workers Party"),
    (r"(?:Syrian\s+)?Democratic\s+Forces|SDF|YPG", "SDF: Syrian Democratic Forces"),
    (
        r"Free\s+Syrian\s+Army|FSA|(?:[\w.-]+-backed\s+)?rebel(?:s|\s+groups?|\s+fighters|\s+forces)?|"
        r"opposition\s+(?:fighters|forces|groups)|insurgents",
        "Rebel Groups ({country})",
    ),
    (
        r"Syrian\s+(?:government|army|regime|air\s+force|military|troops|forces|warplanes|jets|helicopters)|"
        r"(?:Syrian\s+)?government\s+forces|pro-government\s+forces|Assad(?:'s)?\s+(?:forces|regime|troops)|"
        r"Syrian\s+Arab\s+Army",
        "Military Forces of Syria",
    ),
    (r"Russia(?:n|ns|'s|’s)?", "Military Forces of Russia"),
    (
        r"U\.S\.(?:-led)?|US|United\s+States|American|Pentagon|(?:US|U\.S\.)-led\s+coalition",
        "Military Forces of the United States",
    ),
    (r"Israel(?:i|is|'s)?|IDF", "Military Forces of Israel"),
    (r"Turk(?:ey|ish|ey's)", "Military Forces of Turkey"),
    (r"Iraq(?:i|'s)?", "Military Forces of Iraq"),
    (r"Iran(?:ian|'s)?", "Military Forces of Iran"),
    (r"Saudi(?:-led)?(?:\s+Arabia)?", "Military Forces of Saudi Arabia"),
    (r"Ukrain(?:e|ian|e's)", "Military Forces of Ukraine"),
    (r"French|France", "Military Forces of France"),
    (r"British|Britain|UK", "Military Forces of the United Kingdom"),
    (r"police(?:men)?|police\s+officers", "Police Forces of {country}"),
    (
        r"gunmen|unidentified\s+(?:armed\s+)?(?:men|attackers|assailants)",
        "Unidentified Armed Group ({country})",
    ),
    (r"protesters|demonstrators", "Protesters ({country})"),
    (r"rioters", "Rioters ({country})"),
)
_ACTOR_RE = re.compile(
    "|".join(rf"(?P<a{i}>(?<![\w-])(?:{p})(?![\w]))" for i, (p, _) in enumerate(ACTORS)), re.I
)
#: every word an actor phrase can start with (a cheap first pass)
_ACTOR_WORDS = frozenset(
    "islamic isis isil daesh is jabhat al alnusra nusra qaeda qaida hezbollah hizbollah "
    "taliban boko shabaab houthi houthis ansar pkk kurdistan kurdish syrian democratic sdf "
    "ypg free fsa rebel rebels opposition insurgents government pro assad russia russian "
    "russians u us united american pentagon israel israeli israelis idf turkey turkish iraq "
    "iraqi iran iranian saudi ukraine ukrainian french france british britain uk police "
    "policemen gunmen unidentified protesters demonstrators rioters backed".split()
)
_ATTACK_AFTER_RE = re.compile(
    r"\A(?:[\s,]+\w+){0,2}?[\s,]+(?:air\s*strikes?|strikes|raids|jets|warplanes|planes|aircraft|drones|"
    r"helicopters|forces|troops|army|military|artillery|launched|carried\s+out|conducted|hit|struck|bombed|"
    r"shelled|attacked|killed|opened\s+fire|fired|pounded|targeted|stormed|ambushed)\b",
    re.I,
)
_MILITARY_RE = re.compile(
    r"army|forces|military|air\s+force|troops|regime|government|coalition|IDF|Pentagon|warplanes|jets",
    re.I,
)
_BY_BEFORE_RE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_WORDS_RE = re.compile(r"[a-z]+")


@dataclass(slots=True)
class ActorHit:
    name: str  # template, may contain {country}
    start: int
    strong: bool
    text: str = ""

    @property
    def usable_weak(self) -> bool:
        """A bare nationality ("Russian ambassador") is no actor; "Syrian army" is."""
        return not self.name.startswith("Military Forces of") or bool(
            _MILITARY_RE.search(self.text)
        )


def find_actors(sentence: str) -> list[ActorHit]:
    """Actor phrases of a sentence, strong when tied to an attack word (see module docs)."""
    hits: list[ActorHit] = []
    low = sentence.lower()
    after = 0
    for w in _WORDS_RE.finditer(low):
        # try the (slow, many-branch) actor pattern only where an actor word starts
        if w.start() < after or w.group(0) not in _ACTOR_WORDS:
            continue
        m = _ACTOR_RE.match(sentence, w.start())
        if m is None:
            continue
        after = m.end()
        name = ACTORS[int(m.lastgroup[1:])][1]  # type: ignore[index]
        strong = bool(_ATTACK_AFTER_RE.match(sentence[m.end() : m.end() + 60])) or bool(
            _BY_BEFORE_RE.search(sentence[max(0, m.start() - 8) : m.start()])
        )
        hits.append(ActorHit(name, m.start(), strong, m.group(0)))
    return hits


def event_actors(
    anchors: list[Sentence],
    supports: list[Sentence],
    sub_event_type: str,
    *,
    civilians: bool,
    country: str,
) -> tuple[str, str]:
    """``(actor1, actor2)`` of an event told by ``anchors`` (see the package docs).

    actor1 is the most frequent strong actor of the anchors, then of the
    supports, then any actor of the anchors; actor2 is the civilians when they
    were hurt, else another actor the anchors name.  ``country`` (a country
    name, or "") fills the "{country}" of the names.
    """
    found: dict[int, list[ActorHit]] = {}

    def names_in(sents: list[Sentence], strong: bool) -> list[str]:
        names: list[str] = []
        for s in sents:
            if s.index not in found:
                found[s.index] = find_actors(s.text)
            names += [
                h.name
                for h in found[s.index]
                if h.strong
                or (
                    not strong
                    and h.usable_weak
                    and (sub_event_type == "Arrests" or "Police" not in h.name)
                )
            ]
        return names

    ranked = names_in(anchors, True) or names_in(supports, True) or names_in(anchors, False)
    actor1 = Counter(ranked).most_common(1)[0][0] if ranked else ""
    if civilians:
        actor2 = "Civilians ({country})"
    else:
        others = [n for n in names_in(anchors, False) if n != actor1]
        actor2 = others[0] if others else ""
    return _named(actor1, country), _named(actor2, country)


def _named(template: str, country: str) -> str:
    """An actor name with its "{country}" filled, or dropped when the country is unknown."""
    if country:
        return template.format(country=country)
    return template.replace(" of {country}", "").replace(" ({country})", "")
