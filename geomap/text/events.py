"""Events from one article and its resolved place mentions.

``extract_events(article, mentions)`` reads the article sentence by sentence
and returns located :class:`~geomap.models.Event` values in ACLED's taxonomy.
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
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from geomap.model import Event, Mention
from geomap.text.casualties import CasualtyFigure, cue_stem_spans, parse_casualties

# --------------------------------------------------------------------------- sentences

_ABBREV = frozenset(
    "mr mrs ms dr st gen lt col sgt capt maj cpl pvt rev prof sen rep gov pres jr sr inc ltd co "
    "corp "
    "no vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx dept est govt".split()
)
_INITIALS_RE = re.compile(r"(?:[a-z]\.)*[a-z]")
# one branch starting with a character set, so the regex engine can skip ahead quickly
_BOUNDARY_RE = re.compile(r"[.!?…\n](?:(?<=\n)\n*|[.!?…]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]))")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into ``text`` (whitespace trimmed)."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        first = text[m.start()]
        if first == ".":
            head = text[max(start, m.start() - 24) : m.start()]
            cut = max(head.rfind(" "), head.rfind("\n"))
            bare = head[cut + 1 :].lstrip("\"'“‘(").lower()
            # "U.S.", "U.N.", "Dr.", single initials: not a sentence end
            if bare in _ABBREV or _INITIALS_RE.fullmatch(bare):
                continue
        _add_sentence(out, text, start, m.start() if first == "\n" else m.end())
        start = m.end()
    _add_sentence(out, text, start, len(text))
    return out


def _add_sentence(out: list[Sentence], text: str, s: int, e: int) -> None:
    seg = text[s:e]
    stripped = seg.strip()
    if stripped:
        s += len(seg) - len(seg.lstrip())
        out.append(Sentence(len(out), s, s + len(stripped), stripped))


# --------------------------------------------------------------------------- event types

EXPLOSIONS = "Explosions/Remote violence"
_VIOLENCE_VERB = (
    r"\b(?:hit|hits|struck|strikes?|targeted|targeting|bombed|bombing|bombard\w*|raids?|pounded|"
    r"shelled|attacked|killed|killing|wounded|destroyed|fired|launched|dropped)\b"
)
#: (event_type, sub_event_type, strong cue, weak cue needing a violence verb)
TYPE_RULES: tuple[tuple[str, str, str, str], ...] = (
    (
        EXPLOSIONS,
        "Suicide bomb",
        r"\bsuicide\s+(?:car\s+)?(?:bomb\w*|attack\w*|vest)|\bblew\s+(?:himself|herself|themselves)\s+up",
        "",
    ),
    (
        EXPLOSIONS,
        "Remote explosive/landmine/IED",
        r"\b(?:IEDs?|improvised\s+explosive|roadside\s+bombs?|land\s*mines?|car\s+bombs?|"
        r"booby[- ]trap\w*|"
        r"explosive\s+device|bomb\s+(?:exploded|went\s+off|blast)|bombs?\s+(?:blast|explosion)s?)\b",
        r"\b(?:bombs?|bombings?|blasts?|explosions?)\b",
    ),
    (
        EXPLOSIONS,
        "Air/drone strike",
        r"\b(?:air\s*strikes?|air\s*raids?|aerial\s+(?:bombardment|bombing|attacks?|strikes?)|"
        r"drone\s+(?:strikes?|attacks?)|barrel\s+bombs?|bombing\s+raids?|air\s+attacks?)\b",
        r"\b(?:jets|warplanes|war\s+planes|planes|aircraft|helicopters?|gunships|drones|bombers)\b",
    ),
    (
        EXPLOSIONS,
        "Shelling/artillery/missile attack",
        r"\b(?:shelling|shelled|artillery\s+(?:fire|strikes?|attacks?)|mortar\s+(?:fire|rounds?|attacks?|shells?)|"
        r"rocket\s+(?:fire|attacks?)|missile\s+(?:strikes?|attacks?)|shells?\s+(?:hit|landed|fell))\b",
        r"\b(?:artillery|mortars?|rockets?|missiles?|shells)\b",
    ),
    (
        "Battles",
        "Armed clash",
        r"\b(?:clash(?:es|ed)?|gun\s*battles?|firefights?|exchange\s+of\s+fire|skirmish(?:es)?|"
        r"fighting\s+between|fought\s+(?:with|against)|ambush(?:ed)?)\b",
        "",
    ),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        r"\b(?:abducted|kidnapped|abduction|kidnapping)\b",
        "",
    ),
    (
        "Violence against civilians",
        "Attack",
        r"\b(?:shot\s+dead|shot\s+and\s+killed|opened\s+fire\s+on|stabbed|executed|massacred?|beheaded|"
        r"lynched|gunmen\s+(?:killed|attacked|stormed))\b",
        r"\b(?:shootings?|gunfire|gunshots?|attacks?|assaults?|stormed)\b",
    ),
    (
        "Riots",
        "Violent demonstration",
        r"\b(?:riots?(?!\s+(?:police|gear|squads?|control|shields?|units?|officers))|rioters|rioting|"
        r"(?:protesters|demonstrators)\s+(?:threw|torched|set\s+fire|clashed))\b",
        "",
    ),
    (
        "Protests",
        "Peaceful protest",
        r"\b(?:protests?|protesters|protested|demonstrations?|demonstrators|rallies|rallied|sit-ins?)\b",
        "",
    ),
    ("Strategic developments", "Arrests", r"\b(?:arrested|detained|rounded\s+up)\b", ""),
    (
        "Strategic developments",
        "Agreement",
        r"\b(?:ceasefire|cease-fire|truce|peace\s+(?:deal|agreement)|signed\s+an?\s+agreement)\b",
        "",
    ),
)
#: words that can start each rule's cues (a rule's regexes run only when one is present)
_TRIGGERS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(strong.split()), frozenset(weak.split()))
    for strong, weak in (
        ("suicide blew", ""),
        (
            "ied ieds improvised roadside landmine landmines land car booby explosive bomb bombs",
            "bomb bombs bombing bombings blast blasts explosion explosions",
        ),
        (
            "air airstrike airstrikes airraid airraids aerial drone barrel bombing",
            "jets warplanes war planes aircraft helicopter helicopters gunships drones bombers",
        ),
        (
            "shelling shelled artillery mortar rocket missile shells shell",
            "artillery mortar mortars rocket rockets missile missiles shells",
        ),
        (
            "clash clashes clashed gun gunbattle gunbattles firefight firefights exchange skirmish "
            "skirmishes "
            "fighting fought ambush ambushed",
            "",
        ),
        ("abducted kidnapped abduction kidnapping", ""),
        (
            "shot opened stabbed executed massacre massacred beheaded lynched gunmen",
            "shooting shootings gunfire gunshot gunshots attack attacks assault assaults stormed",
        ),
        ("riot riots rioters rioting protesters demonstrators", ""),
        (
            "protest protests protesters protested demonstration demonstrations demonstrators "
            "rallies rallied "
            "sit",
            "",
        ),
        ("arrested detained rounded", ""),
        ("ceasefire cease truce peace signed", ""),
    )
)
assert len(_TRIGGERS) == len(TYPE_RULES)


def _trigger_rules() -> dict[str, int]:
    """Trigger word -> bit ``i`` set when rule ``i`` has it, so that a sentence needs one
    set intersection instead of two ``isdisjoint`` tests per rule."""
    out: dict[str, int] = {}
    for i, (strong, weak) in enumerate(_TRIGGERS):
        for word in strong | weak:
            out[word] = out.get(word, 0) | 1 << i
    return out


_TRIGGER_RULES = _trigger_rules()
_TRIGGER_WORDS = frozenset(_TRIGGER_RULES)
_STRONG_RES = tuple(re.compile(r[2], re.I) for r in TYPE_RULES)
_WEAK_RES = tuple(re.compile(r[3], re.I) if r[3] else None for r in TYPE_RULES)
_VIOLENCE_RE = re.compile(_VIOLENCE_VERB, re.I)
_WORDS_RE = re.compile(r"[a-z]+")


def classify(sentence: str) -> tuple[str, str, str] | None:
    """``(event_type, sub_event_type, cue)`` of a sentence, or ``None``.

    Strong cues first, in :data:`TYPE_RULES` order; then weak cues, which count
    only with a violence verb in the same sentence (and a bare "bombing" or
    "blast" is an IED only when nothing in the sentence says aircraft).
    """
    found = _WORDS_RE.findall(sentence.lower())
    rules = 0
    for w in _TRIGGER_WORDS.intersection(found):
        rules |= _TRIGGER_RULES[w]
    if not rules:
        return None  # most sentences: no cue word of any rule
    words = set(found)
    hit = [i for i in range(len(_TRIGGERS)) if rules >> i & 1]
    for i in hit:
        m = _STRONG_RES[i].search(sentence)
        if m:
            return TYPE_RULES[i][0], TYPE_RULES[i][1], m.group(0)
    violent = _VIOLENCE_RE.search(sentence)
    if violent is None:
        return None
    for i in hit:
        weak = _WEAK_RES[i]
        if weak is None or words.isdisjoint(_TRIGGERS[i][1]):
            continue
        if TYPE_RULES[i][1] == "Remote explosive/landmine/IED" and (
            not words.isdisjoint(_AIR_WORDS) or not words.isdisjoint(_ACCIDENT_WORDS)
        ):
            continue
        w = weak.search(sentence)
        if w:
            return TYPE_RULES[i][0], TYPE_RULES[i][1], f"{w.group(0)} … {violent.group(0)}"
    return None


_AIR_WORDS = _TRIGGERS[2][0] | _TRIGGERS[2][1]
#: a blast that is an accident, not an attack
_ACCIDENT_WORDS = frozenset(
    "gas leak cylinder boiler pipeline factory mine fireworks accidental".split()
)
_VIOLENT_TYPES = frozenset({EXPLOSIONS, "Battles", "Violence against civilians", "Riots"})


# --------------------------------------------------------------------------- actors

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


# --------------------------------------------------------------------------- attribution

_AGENCIES: tuple[tuple[str, str], ...] = (
    (r"Reuters", "Reuters"),
    (r"(?:the\s+)?Associated\s+Press|\bAP\b", "Associated Press"),
    (r"AFP|Agence\s+France-Presse", "AFP"),
    (
        r"(?:the\s+)?Syrian\s+Observatory(?:\s+for\s+Human\s+Rights)?|SOHR",
        "Syrian Observatory for Human Rights",
    ),
    (r"SANA", "SANA (state media)"),
    (r"state\s+(?:media|television|TV|news\s+agency)", "state media"),
)
_AGENCY_RES = tuple((re.compile(p), n) for p, n in _AGENCIES)
_SPEAKER = (
    r"(?:activists|residents|witnesses|medics|rescuers|officials|monitors|doctors|"
    r"(?:a|an|the)\s+(?:local\s+|senior\s+|military\s+|security\s+|hospital\s+|health\s+)?"
    r"(?:doctor|medic|official|resident|activist|witness|spokesman|spokeswoman|spokesperson|source|"
    r"commander|monitor|monitoring\s+group|rescuer|nurse|ministry|governor|police\s+chief)\b[^,.;\"“”]{0,60}?)"
)
_AGENCY_ALT = "|".join(p for p, _ in _AGENCIES)
_ATTRIB_RES = (
    re.compile(
        rf"(?P<src>{_AGENCY_ALT})\s+(?:said|says|reported|reports|told|added|confirmed|quoted)\b"
    ),
    re.compile(r"\baccording\s+to\s+(?P<src>[^,.;\"“”]{2,80}?)(?=\s*(?:[,.;\"“”]|$))", re.I),
    re.compile(
        rf"(?P<src>{_SPEAKER})\s+(?:said|says|reported|told|added|confirmed|reports)\b", re.I
    ),
    re.compile(
        rf"\b(?:said|says|reported|told\s+\w+|added)\s+(?P<src>{_SPEAKER})(?=\s*(?:[,.;\"“”]|$))",
        re.I,
    ),
    re.compile(
        r"\b(?:told|reported\s+by|quoted\s+by|cited\s+by)\s+(?P<src>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})"
    ),
    re.compile(r"\((?P<src>Reuters|AP|AFP)\)"),
)
_AGENCY_WORDS = ("Reuters", "Associated", "AP", "AFP", "Agence", "Syrian", "SOHR", "SANA", "state")
_SPEAKER_WORDS = (
    "activist", "resident", "witness", "medic", "rescuer", "official", "monitor", "doctor",
    "spokes", "source", "commander", "nurse", "ministry", "governor", "police",
)  # fmt: skip
#: per pattern of _ATTRIB_RES: groups of words, each of which must have one word in the
#: sentence for the pattern to match, and whether the pattern ignores case (then the test
#: is made on the lowercased sentence, for ASCII sentences only: re.I also folds a few
#: non-ASCII letters such as the long s)
_ATTRIB_NEEDS: tuple[tuple[tuple[tuple[str, ...], ...], bool], ...] = (
    (
        (
            ("said", "says", "reported", "reports", "told", "added", "confirmed", "quoted"),
            _AGENCY_WORDS,
        ),
        False,
    ),
    ((("according",),), True),
    (
        (("said", "says", "reported", "told", "added", "confirmed", "reports"), _SPEAKER_WORDS),
        True,
    ),
    ((("said", "says", "reported", "told", "added"), _SPEAKER_WORDS), True),
    ((("told", "reported", "quoted", "cited"),), False),
    ((("(",),), False),
)
assert len(_ATTRIB_NEEDS) == len(_ATTRIB_RES)
_FOLLOW_ON_RE = re.compile(r"\b(?:he|she|they)\s+(?:told|said|added)\b", re.I)


def find_attributions(sentence: str) -> list[str]:
    """Who a sentence says reported it, canonical agencies first-class."""
    found: list[str] = []
    low = sentence.lower() if sentence.isascii() else None
    for rx, (needs, nocase) in zip(_ATTRIB_RES, _ATTRIB_NEEDS, strict=True):
        # a cheap substring test first: most sentences lack the words a pattern needs
        where = low if nocase else sentence
        if where is not None and not all(any(w in where for w in ws) for ws in needs):
            continue
        for m in rx.finditer(sentence):
            src = re.sub(r"\s+", " ", m.group("src")).strip(" '\"")
            agency = next((n for arx, n in _AGENCY_RES if arx.search(src)), None)
            if agency:
                src = agency
            elif re.fullmatch(r"(?:he|she|they|it|we|i|you|him|her|them|reporters)", src, re.I):
                continue
            if src and src not in found:
                found.append(src)
    return found


# --------------------------------------------------------------------------- dates

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_DATE_RE = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    rf"|\b(?P<md_m>{_MONTH_RE})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{{4}}))?"
    rf"|\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm_m>{_MONTH_RE})(?:,?\s+(?P<dm_y>\d{{4}}))?"
    r"|(?P<next>\b(?:next|coming|following)\s+)?\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?P<today>today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b"
    r"|\b(?P<yday>yesterday|last\s+night)\b"
    r"|\b(?P<ago>\w+)\s+days?\s+ago\b",
    re.I,
)


_DATE_STEMS = (
    "day",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "tonight",
    "this ",
    "last night",
    "ago",
)
_ISO_HINT_RE = re.compile(r"\d{4}-\d\d-\d\d")


def resolve_date(sentence: str, article_date: str | None) -> tuple[str | None, str] | None:
    """The first date expression in ``sentence`` as ``(iso_or_None, expression)``, or ``None``."""
    low = sentence.lower()
    if not any(stem in low for stem in _DATE_STEMS) and not _ISO_HINT_RE.search(sentence):
        return None  # no weekday, month, "today", "ago", ... : skip the big pattern
    base = dt.date.fromisoformat(article_date) if article_date else None
    for m in _DATE_RE.finditer(sentence):
        expr = m.group(0)
        if m.group("iso"):
            try:
                return dt.date.fromisoformat(m.group("iso")).isoformat(), expr
            except ValueError:
                continue
        if m.group("md_m") or m.group("dm_m"):
            mon = (m.group("md_m") or m.group("dm_m")).lower().rstrip(".")[:3]
            month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(mon))
            day = int(m.group("md_d") or m.group("dm_d"))
            year_s = m.group("md_y") or m.group("dm_y")
            if year_s:
                year = int(year_s)
            elif base:
                year = base.year if (month, day) <= (base.month, base.day) else base.year - 1
            else:
                return None, expr
            try:
                return dt.date(year, month, day).isoformat(), expr
            except ValueError:
                continue
        if m.group("wd"):
            if m.group("next"):
                continue  # a future day is not when something happened
            if base is None:
                return None, expr
            back = (base.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
            return (base - dt.timedelta(days=back)).isoformat(), expr
        if m.group("today"):
            return (base.isoformat() if base else None), expr
        if m.group("yday"):
            return ((base - dt.timedelta(days=1)).isoformat() if base else None), expr
        if m.group("ago"):
            from geomap.text.casualties import words_to_int

            n = words_to_int(m.group("ago"))
            if n is None:
                continue
            return ((base - dt.timedelta(days=n)).isoformat() if base else None), expr
    return None


# --------------------------------------------------------------------------- locations

_LOCATIVE_RE = re.compile(
    r"\b(?:in|near|at|on|outside|around|across|into|of|over|inside|towards?|throughout|hit|struck|"
    r"bombed|targeted|targeting|pounded|shelled)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|province|region|district|area|countryside|suburbs?|outskirts|governorate|"
    r"neighbou?rhood|parts?|areas|capital|countryside)\s+of\s+(?:the\s+)?)?"
    r"(?:(?:north|south|east|west|central|rural|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?$",
    re.I,
)
#: a place opening its sentence as the thing hit ("Rastan was hit ...") or as a dateline
#: ("ALEPPO, Syria (AP)")
_SUBJECT_AFTER_RE = re.compile(
    r"(?:'s\s+\w+\s+|’s\s+\w+\s+)?\s*(?:(?:was|were|has\s+been|have\s+been|came\s+under|is|are)\s+"
    r"(?:\w+\s+)?(?:hit|struck|bombed|shelled|attacked|targeted|pounded|rocked|raided|shaken|stormed|besieged)"
    r"|,\s+[A-Z][\w ]+\s+\((?:AP|Reuters|AFP)\))",
)
_SPEAKER_AFTER_RE = re.compile(
    r"\A(?:'s|’s|\s+(?:said|says|claimed|claims|told|announced|denied|warned))\b", re.I
)


def mention_level(m: Mention) -> int:
    """1 town, 2 part of a region / near, 3 region, 4 country (lower is more precise)."""
    feature = m.place.feature if m.place is not None else ""
    if feature == "country":
        return 4
    if m.geo_precision in (1, 2, 3):
        return int(m.geo_precision)
    return {"city": 1, "admin1": 3}.get(feature, 3)


def _country_of(m: Mention) -> str:
    return m.place.country_code if m.place is not None else ""


def _admin1_of(m: Mention) -> str:
    if m.place is None or m.place.feature == "country":
        return ""
    return f"{m.place.country_code}.{m.place.admin1_code}"


def _is_locative(text: str, sent: Sentence, m: Mention) -> bool:
    return bool(_LOCATIVE_RE.search(text[max(sent.start, m.span_start - 80) : m.span_start]))


def _is_speaker(text: str, m: Mention) -> bool:
    return bool(_SPEAKER_AFTER_RE.match(text[m.span_end : m.span_end + 20]))


# --------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class _Unit:
    """One typed sentence and what it carries."""

    sent: Sentence
    etype: str
    sub: str
    cue: str
    figures: list[CasualtyFigure]
    places: list[Mention]  # candidate event places in this sentence
    kind: str  # "core", "country", "support"
    date: str | None = None  # a date the sentence itself gives ("on Dec. 10")


@dataclass(slots=True)
class _Cluster:
    etype: str
    sub: str
    units: list[_Unit] = field(default_factory=list)
    supports: list[_Unit] = field(default_factory=list)

    @property
    def country(self) -> str:
        c = Counter(_country_of(p) for u in self.units for p in u.places if _country_of(p))
        return c.most_common(1)[0][0] if c else ""

    @property
    def date(self) -> str | None:
        return next((u.date for u in self.units if u.date), None)

    @property
    def located(self) -> bool:
        return any(u.places for u in self.units)

    def accepts(self, u: _Unit) -> bool:
        """Could ``u`` be about this cluster's event (same country/region, no other date)?"""
        uc = {_country_of(p) for p in u.places if _country_of(p)}
        if uc and self.country and self.country not in uc:
            return False
        ua = {_admin1_of(p) for p in u.places if _admin1_of(p)}
        if ua and self.admin1s and not (ua & self.admin1s):
            return False
        return not (u.date and self.date and u.date != self.date)

    @property
    def admin1s(self) -> set[str]:
        return {_admin1_of(p) for u in self.units for p in u.places if _admin1_of(p)}


def _candidate_places(
    text: str, sent: Sentence, mentions: list[Mention], *, strict: bool
) -> list[Mention]:
    out = []
    for m in mentions:
        if not m.resolved or m.place is None and m.latitude is None:
            continue
        if _is_speaker(text, m):
            continue
        level = mention_level(m)
        if not _is_locative(text, sent, m):
            # a town or region may also be the sentence's subject ("Rastan was hit ..."), a country
            # never ("Russia launched ...", "U.S. says"); a place named in passing is no event place
            if (
                level == 4
                or strict
                or m.span_start - sent.start > 2
                or not _SUBJECT_AFTER_RE.match(text, m.span_end, min(sent.end, m.span_end + 60))
            ):
                continue
        out.append(m)
    return out


def _has_span(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Does a span of ``spans`` (sorted; ``starts`` their starts) lie inside ``[start, end)``?"""
    i = bisect.bisect_left(starts, start)
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] <= end:
            return True
        i += 1
    return False


def extract_events(article: Any, mentions: list[Mention]) -> list[Event]:
    """Located events of ``article`` (see the module docs); sets ``Mention.role``."""
    text: str = article.text
    sents = split_sentences(text)
    starts = [s.start for s in sents]
    by_sent: dict[int, list[Mention]] = {}
    for m in sorted(mentions, key=lambda x: x.span_start):
        m.role = "mentioned"
        i = bisect.bisect_right(starts, m.span_start) - 1
        if i >= 0:
            by_sent.setdefault(i, []).append(m)

    typed: dict[int, tuple[str, str, str]] = {}
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
        if f:
            figures[s.index] = f
    dominant = Counter((t[0], t[1]) for t in typed.values() if t[0] in _VIOLENT_TYPES).most_common(
        1
    )

    units: list[_Unit] = []
    for s in sents:
        own = by_sent.get(s.index, [])
        figs = [f for f in figures.get(s.index, []) if not f.is_context]
        t = typed.get(s.index)
        if t is None and figs:
            # deaths with no cue of their own: typed by a violent neighbour, else by the article's
            # dominant violent type; an article with no violence at all (an obituary, an overdose
            # report) gives no event
            near = [
                typed[j]
                for j in (s.index - 1, s.index + 1)
                if j in typed and typed[j][0] in _VIOLENT_TYPES
            ]
            if near:
                t = (near[0][0], near[0][1], "adjacent sentence")
            elif dominant:
                t = (dominant[0][0][0], dominant[0][0][1], "article's dominant type")
        if t is None:
            continue
        places = _candidate_places(text, s, own, strict=False)
        sub_country = [p for p in places if mention_level(p) < 4]
        kind = "core" if (figs or sub_country) else ("country" if places else "support")
        when = resolve_date(s.text, article.date)
        units.append(_Unit(s, t[0], t[1], t[2], figs, places, kind, when[0] if when else None))

    clusters: list[_Cluster] = []
    for u in units:
        if u.kind == "support":
            continue
        target = None
        for c in clusters:
            if (c.etype, c.sub) == (u.etype, u.sub) and c.accepts(u):
                target = c
                break
        if target is None:
            target = _Cluster(u.etype, u.sub)
            clusters.append(target)
        target.units.append(u)
    # an unlocated cluster (often the headline: "13 soldiers killed by car bomb") joins a located
    # cluster of the same event type when nothing contradicts it
    for c in [c for c in clusters if not c.located]:
        host = next(
            (
                h
                for h in clusters
                if h is not c
                and h.located
                and h.etype == c.etype
                and all(h.accepts(u) for u in c.units)
            ),
            None,
        )
        if host is not None:
            host.units.extend(c.units)
            host.units.sort(key=lambda u: u.sent.index)
            clusters.remove(c)
    # a cluster placed only at country level ("a suicide car bomb in central Turkey") joins a
    # cluster of
    # the same event type placed inside that country ("the blast ... in Kayseri"); the more specific
    # sub-event type (earlier in TYPE_RULES) wins
    rank = {rule[1]: i for i, rule in enumerate(TYPE_RULES)}
    for c in [c for c in clusters if c.located and not c.admin1s]:
        host = next(
            (
                h
                for h in clusters
                if h is not c
                and h.admin1s
                and h.etype == c.etype
                and h.country == c.country
                and all(h.accepts(u) for u in c.units)
            ),
            None,
        )
        if host is not None:
            host.units.extend(c.units)
            host.units.sort(key=lambda u: u.sent.index)
            if rank.get(c.sub, 99) < rank.get(host.sub, 99):
                host.sub = c.sub
            clusters.remove(c)
    for u in units:
        if u.kind != "support":
            continue
        for c in clusters:
            if (c.etype, c.sub) == (u.etype, u.sub):
                c.supports.append(u)

    events = [_build_event(article, text, sents, by_sent, typed, c) for c in clusters]
    located = Counter(e.country for e in events if e.country)
    events.extend(
        _context_events(article, sents, figures, located.most_common(1)[0][0] if located else "")
    )
    return events


def _pick_figure(figs: list[CasualtyFigure], kind: str) -> CasualtyFigure | None:
    cands = [f for f in figs if f.kind == kind and not f.is_context]
    if not cands:
        return None
    return max(cands, key=lambda f: f.count.low or f.count.best or f.count.high or 0)


def _event_id(doc_id: str, anchor: int, kind: str) -> str:
    return "ev-" + hashlib.sha1(f"{doc_id}|{anchor}|{kind}".encode()).hexdigest()[:16]


def _build_event(
    article: Any,
    text: str,
    sents: list[Sentence],
    by_sent: dict[int, list[Mention]],
    typed: dict[int, tuple[str, str, str]],
    c: _Cluster,
) -> Event:
    core = [u for u in c.units if u.kind == "core"] or c.units[:1]
    country_units = [u for u in c.units if u.kind == "country"]

    # ---- places
    cands: list[Mention] = [p for u in c.units for p in u.places]
    own_admin1 = {_admin1_of(p) for p in cands if mention_level(p) < 4}
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
                for p in _candidate_places(text, sents[j], by_sent.get(j, []), strict=True)
                if mention_level(p) < 4 and (not own_admin1 or _admin1_of(p) in own_admin1)
            )
    sub_country = [p for p in cands if mention_level(p) < 4]
    countries = Counter(_country_of(p) for p in (sub_country or cands) if _country_of(p))
    country = countries.most_common(1)[0][0] if countries else ""
    if country:
        cands = [p for p in cands if _country_of(p) in ("", country)]
    if sub_country:
        cands = [p for p in cands if mention_level(p) < 4]
    seen: set[Any] = set()
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

    # ---- casualties
    figs = [f for u in core for f in u.figures]
    killed = _pick_figure(figs, "killed")
    injured = _pick_figure(figs, "injured")
    civilians = any(f.civilians for f in figs)
    children = any(f.children for f in figs)

    # ---- actors
    primary_country_name = places[0].place.country if places and places[0].place is not None else ""
    fill = primary_country_name

    def named(template: str) -> str:
        if fill:
            return template.format(country=fill)
        return template.replace(" of {country}", "").replace(" ({country})", "")

    found: dict[int, list[ActorHit]] = {}

    def actors_in(us: list[_Unit], strong: bool) -> list[str]:
        names: list[str] = []
        for u in us:
            if u.sent.index not in found:
                found[u.sent.index] = find_actors(u.sent.text)
            names += [
                h.name
                for h in found[u.sent.index]
                if h.strong
                or (not strong and h.usable_weak and (c.sub == "Arrests" or "Police" not in h.name))
            ]
        return names

    ranked = actors_in(c.units, True) or actors_in(c.supports, True) or actors_in(c.units, False)
    actor1_t = Counter(ranked).most_common(1)[0][0] if ranked else ""
    actor1 = named(actor1_t)
    if civilians:
        actor2 = named("Civilians ({country})")
    else:
        others = [n for n in actors_in(c.units, False) if n != actor1_t]
        actor2 = named(others[0]) if others else ""

    # ---- date
    event_date: str | None = article.date
    date_basis = "article date" if article.date else "unknown"
    for u in [*core, *country_units, *c.supports]:
        r = resolve_date(u.sent.text, article.date)
        if r is not None:
            if r[0] is not None:
                event_date, date_basis = r[0], f"text: {r[1]!r}"
            break

    # ---- attribution
    sources: list[str] = []
    for u in core:
        sources += [s for s in find_attributions(u.sent.text) if s not in sources]
        nxt = u.sent.index + 1
        if nxt < len(sents) and _FOLLOW_ON_RE.search(sents[nxt].text):
            sources += [s for s in find_attributions(sents[nxt].text) if s not in sources]
    source = "; ".join(sources) or (article.source or "")

    # ---- quote
    spans = sorted({(u.sent.start, u.sent.end) for u in core})
    contiguous = all(
        not text[a_end:b_start].strip()
        for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)
    )
    quote = (
        text[spans[0][0] : spans[-1][1]]
        if contiguous
        else " [...] ".join(text[s:e] for s, e in spans)
    )

    ev = Event(
        event_id=_event_id(article.doc_id, spans[0][0], c.sub),
        event_date=event_date,
        event_type=c.etype,
        sub_event_type=c.sub,
        actor1=actor1,
        actor2=actor2,
        source=source,
        civilians=civilians,
        children=children,
        origin="text",
        doc_id=article.doc_id,
        source_url=article.url or "",
        quote=quote,
        span_start=spans[0][0],
        span_end=spans[-1][1],
    )
    if killed is not None:
        ev.deaths_low, ev.deaths_best, ev.deaths_high = (
            killed.count.low,
            killed.count.best,
            killed.count.high,
        )
        ev.fatalities = killed.count.best or killed.count.low or killed.count.high or 0
        if killed.civilians_count is not None:
            ev.deaths_civilians = (
                killed.count.low if killed.count.low is not None else killed.civilians_count
            )
    if injured is not None:
        ev.injured_low, ev.injured_best, ev.injured_high = (
            injured.count.low,
            injured.count.best,
            injured.count.high,
        )

    locations = [_location_record(p) for p in places]
    if places:
        _place_event(ev, places[0])
    ev.extra = {
        "locations": locations,
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


def _location_record(p: Mention) -> dict[str, Any]:
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


def _place_event(ev: Event, p: Mention) -> None:
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


def _context_events(
    article: Any, sents: list[Sentence], figures: dict[int, list[CasualtyFigure]], country: str
) -> list[Event]:
    """Cumulative figures: labelled, unlocated (a total is not a point), never an event's deaths."""
    out: list[Event] = []
    for i, figs in sorted(figures.items()):
        for f in figs:
            if not f.is_context:
                continue
            s = sents[i]
            ev = Event(
                event_id=_event_id(article.doc_id, s.start + f.start, "context"),
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
            if f.kind == "killed":
                ev.deaths_low, ev.deaths_best, ev.deaths_high = (
                    f.count.low,
                    f.count.best,
                    f.count.high,
                )
            else:
                ev.injured_low, ev.injured_best, ev.injured_high = (
                    f.count.low,
                    f.count.best,
                    f.count.high,
                )
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
