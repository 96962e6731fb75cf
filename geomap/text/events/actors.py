"""Who acted and who was hit: the actors of a sentence, in ACLED's naming.

Actors are found three ways, each with its place in the sentence:

* **named groups and forces** from ``lexicon/actors.txt`` ("LNA forces" ->
  "Military Forces of Libya (2014-) Haftar Faction", "JNIM" -> "JNIM: Group for
  Support of Islam and Muslims"); acronyms match in capitals only;
* **a state's forces** by their nationality or country: "Afghan military
  forces", "the Burkinabe army", "Pakistan military", "US forces", "military
  forces of Armenia" -> "Military Forces of <country>" (a state no country
  table knows keeps its name: "military forces of Artsakh"), "<nationality>
  police" -> "Police Forces of <country>", gendarmes -> the military forces,
  and "soldiers", "the army", "police" -> the event's country;
* **unknown gunmen** ("unidentified armed men", "gunmen", "unknown
  attackers") -> "Unidentified Armed Group (<country>)"; communal and ethnic
  militias ("communal militias from Zamwara", "Fulani militiamen") ->
  "Zamwara Communal Militia (<country>)", "Fulani Ethnic Militia (<country>)";
  groups named by their kind only ("unidentified tribesmen", "two families",
  "rival gang members") -> "Unidentified Tribal/Clan/Ethnic Militia", "Unidentified
  Gang".

Each hit gets a role from the words around it: *agent* when an attack verb
follows it ("LNA forces shelled"), *by* after "by" ("attacks by Taliban
militants", "planted by an unknown armed group", "X-planted"), *victim* before
"were killed" or after an attack verb.  actor1 is a "by" actor, else an agent,
of the event's sentences, then of the sentences around them ("Al Shabaab
claimed the attack."); else the other side of a defender (one who "repelled an
attack"), else the first actor that is no victim; with none, an
explosion or an attack is by an "Unidentified Armed Group" (an "Unidentified
Gang" for a drive-by shooting in the Americas).  actor2 is the civilians when
civilians were hurt, else the other actor; when that actor is the victim and
armed, the event is a battle (see :func:`event_actors`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import geomap.text.wordstart as wordstart
from geomap.text.events.acled_names import (
    DRIVE_BY_NAMES,
    DRIVE_BY_RE,
    GANG_COUNTRIES,
    named,
    the_country,
)
from geomap.text.events.sentences import Sentence
from geomap.text.lexicon import demonym_table, read_lexicon, trie_regex
from geomap.text.wordstart import WORD_START_RE, WordStartIndex, first_chars, starting_with

_WORD_START = r"(?<![\w-])"  # a word starts (not the second part of a hyphenated one)
_STATE_NOUNS = (
    r"military\s+forces|armed\s+forces|security\s+forces|government\s+forces|special\s+forces|"
    r"air\s+force|military\s+police|border\s+guards?|gendarmerie|gendarmes|military|army|forces|troops|"
    r"soldiers|navy|police|policemen|police\s+officers|drones?|jets|warplanes|air\s*strikes|"
    r"strikes|raids|planes|aircraft|helicopters|artillery|shelling"
).split("|")
_STATE_NOUN = f"(?:{'|'.join(_STATE_NOUNS)})"
_UNKNOWN_RE = (
    r"(?:unidentified|unknown)\s+(?:armed\s+)?(?:gunmen|men|man|group|individuals?|assailants?|"
    r"attackers?|people|persons?|raiders|militants|perpetrators?|forces|shooters?)|"
    r"(?:an?\s+|two\s+|three\s+|several\s+|\d+\s+)?armed\s+(?:men|man|individuals?|group)|"
    r"gunm[ae]n|assailants|attackers|raiders|bandits|kidnappers"
)
#: armed groups named by their kind only, and ACLED's name for each
_UNNAMED: tuple[tuple[str, str], ...] = (
    (r"(?:unidentified|unknown|armed)\s+tribesmen|tribal\s+(?:militias?|militiamen|fighters|gunmen)",
     "Unidentified Tribal Militia ({country})"),
    (r"(?:two|rival|feuding)\s+(?:families|clans)|clan\s+(?:militias?|militiamen|fighters|gunmen)",
     "Unidentified Clan Militia ({country})"),
    (r"(?:two|rival)\s+ethnic\s+(?:groups|communities|tribes)|ethnic\s+(?:militias?|militiamen)",
     "Unidentified Ethnic Militia ({country})"),
    (r"(?:rival\s+)?gang\s+members?|gangsters|(?:two|rival|a)\s+gangs?|gunmen\s+of\s+a\s+gang",
     "Unidentified Gang ({country})"),
    (r"pro-?\s?government\s+(?:militias?|militiamen|militia\s+(?:members|groups?|fighters))",
     "Militia (Pro-Government)"),
    (r"(?:islamist|islamic)\s+(?:militias?|militants)", "Islamist Militia ({country})"),
)  # fmt: skip
_UNNAMED_RE = "|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_UNNAMED))
_GENERIC_RE = (
    r"(?P<gpolice>military\s+police|police(?:men)?|police\s+officers|policem[ae]n|gendarmes|"
    r"(?:the\s+)?gendarmerie(?:\s+forces)?)|"
    r"(?P<gforces>(?:govt|government|security|state)\s+(?:forces|soldiers|troops)|govt\s+soldiers|"
    r"(?:military|armed|air)\s+forces|"
    r"soldiers|troops|the\s+(?:army|military)(?!\s+(?:forces|police)\b))"
)
_MILITIA_RE = (
    r"(?:communal\s+)?(?:militias?|militiamen|youths|men|members|vigilantes)\s+from\s+(?:the\s+)?"
    r"(?P<from>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?))(?:\s+(?P<fromkind>community|clan|tribe|"
    r"village|town))?|(?P<mil>(?-i:[A-Z][\w'-]+))(?:\s+and\s+(?-i:[A-Z][\w'-]+))?\s+"
    r"(?P<milkind>communal\s+militias?|ethnic\s+(?:militias?|individuals|members|youths|groups?)|"
    r"militias?|militiamen|clan\s+militias?|"
    r"tribal\s+militias?|herders|herdsmen|tribesmen|warriors|raiders|clans|clansmen)"
)
#: supporters of a party named by its acronym ("BJP workers", "UPND cadres"): the party
_PARTY_RE = (
    r"(?P<party>(?-i:(?!(?:UN|NGO|INGO|MSF|ICRC|WFP|UNHCR|IDP|IDPS|AU|EU|US|UK|TV)\s)"
    r"(?:(?i:zanu)[-\s]PF|[A-Z]{2,6}(?:[-\s]PF)?)))\s+(?:supporters|cadres|activists|workers|youths)"
)
_ATTACK_VERB = (
    r"(?:attacked|attack|attacks|killed|kil+ed|kill|shot|shoot|shelled|shell|fired|fire|opened\s+fire|"
    r"launched|ambushed|abducted|kidnapped|stormed|raided|raid|beat|stabbed|executed|beheaded|"
    r"clashed|targeted|hurled|threw|detonated|planted|carried\s+out|conducted|assaulted|torched|"
    r"burnt|burned|looted|intercepted|engaged|repelled|repulsed|repel|struck|bombed|hit|"
    r"assassinated|tortured|chased|captured|seized|overran|destroyed|injured|wounded|"
    r"encountered|encounter|launch|fought|exchanged|reportedly|allegedly|claimed|also|have|has|had)"
)
_AGENT_AFTER_RE = re.compile(
    rf"\A(?:\s+(?:[\w'-]+\s+){{0,3}}?|\s*,\s+[^,]{{0,60}},\s*)?(?:{_ATTACK_VERB})\b",
    re.I,
)
_PASSIVE_AFTER_RE = re.compile(
    r"\A(?:\s+[\w'-]+){0,4}?\s+(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+\s+)?"
    r"(?:kil+ed|wounded|injured|shot|abducted|kidnapped|attacked|ambushed|arrested|captured|"
    r"targeted|hit)\b",
    re.I,
)
_BY_BEFORE_RE = re.compile(
    # "Turkish forces and rebel factions operating under OPS shelled ...": the operation acts
    r"\b(?:operating|fighting|acting|forces|factions|rebels|troops)\s+under\s+(?:the\s+)?\Z|"
    r"(?:\bby|\battributed\s+to|\boperated\s+by|\bclaimed\s+by)\s+(?:the\s+)?"
    r"(?:(?:suspected|presumed|alleged|alleged(?:ly)?|armed|heavily\s+armed)\s+)?\Z",
    re.I,
)
_VICTIM_BEFORE_RE = re.compile(
    r"\b(?:on|against|at|targeting|targeted|attacked|killed|killing|shot|abducted|kidnapped|"
    r"ambushed|with|and)\s+(?:the\s+|a\s+|an\s+)?(?:positions\s+of\s+(?:the\s+)?)?\Z"
    # "killed a suspected ISGS commander", "killed 12 Taliban", "ambushed two police officers"
    r"|\b(?:targeting|targeted|attacked|killed|killing|shot|abducted|kidnapped|ambushed)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:suspected|alleged|senior|local|several|\d+|two|three|four|five|"
    r"six|seven|eight|nine|ten|dozens\s+of|scores\s+of)\s+\Z",
    re.I,
)
_MEANS_RE = re.compile(
    r"(?:air\s*strikes|strikes|raids|shelling|artillery|jets|warplanes|planes|aircraft|"
    r"helicopters|drones?)\Z",
    re.I,
)
_PLANTED_AFTER_RE = re.compile(r"\A-(?:planted|placed|laid|led|backed|fired)\b", re.I)
_REPEL_RE = re.compile(r"\A(?:\s+\w+){0,3}?\s+(?:repell?ed|repulsed|foiled|thwarted)\b", re.I)
#: two groups named as the one or the other ("JNIM or ISGS", "Boko Haram/ISWAP")
_EITHER_RE = re.compile(r"\s*(?:/|\bor\b|\band/or\b)\s*", re.I)
_AFFILIATED_BEFORE_RE = re.compile(
    r"\b(?:affiliated|linked|allied|loyal|close)\s+(?:with|to)\s+(?:the\s+)?\Z", re.I
)
_DEFENDER_BEFORE_RE = re.compile(r"\b(?:with|and)\s+(?:the\s+)?\Z", re.I)


@dataclass(slots=True)
class ActorHit:
    """One actor phrase: its ACLED name (``{country}`` to fill), where it is and its role."""

    name: str
    start: int
    end: int = 0
    role: str = ""  # "by", "agent", "victim", "defender" or ""
    text: str = ""

    @property
    def strong(self) -> bool:
        """Tied to the violence as its doer."""
        return self.role in ("by", "agent")


def _exact_acronyms(pattern: str) -> str:
    """The pattern with its all-capital alternatives matched in capitals only ("LNA", not
    "lna"; "IS militants", not "is")."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    out = []
    for alt in parts:
        m = re.fullmatch(r"([A-Z][A-Z0-9/?-]*[A-Z0-9?]|[A-Z]{2})((?:\(\?=.*\))?)", alt)
        out.append(f"(?-i:{m.group(1)}){m.group(2)}" if m else alt)
    return "|".join(out)


@lru_cache(maxsize=1)
def _table() -> tuple[WordStartIndex, tuple[str, ...]]:
    """One pattern for every named actor, a group each, and their ACLED names."""
    rows = read_lexicon("actors.txt")
    alts = [rf"(?P<a{i}>{_exact_acronyms(p)})" for i, (p, _) in enumerate(rows)]
    firsts = [first_chars(a, re.I) for a in alts]

    def pattern(kept: list[str], lead: str = _WORD_START) -> str:
        # the word boundaries stand outside the alternation: it is tried at word starts only
        return rf"{lead}(?:{'|'.join(kept) or '(?!)'})(?![\w])"

    def bucket(c: str) -> str:  # tried only at word starts: no look-behind needed
        return pattern([a for a, f in zip(alts, firsts, strict=True) if f is None or c in f], "")

    full = re.compile(pattern(alts), re.I)
    return WordStartIndex(full, bucket), tuple(name for _, name in rows)


def _words_trie(words: list[str]) -> str:
    """One regex for ``words`` nested by shared prefixes, a space standing for any run of
    white space: it matches what the alternation of the words, longest first, matches,
    but rejects a word start at its first letters instead of trying every word."""
    return trie_regex(words, space=r"\s+") if words else "(?!)"


def _state_pattern(demonyms: list[str], *, usa: bool = True, snoun: str = _STATE_NOUN,
                   lead: str = _WORD_START) -> list[str]:  # fmt: skip
    """The states' pattern's alternatives, in order; ``snoun``: nouns of "forces of Chad";
    ``lead``: what each starts with ("" in a pattern only tried at word starts)."""
    words = _words_trie(demonyms)
    if usa:  # "US forces", "U.S. troops"; "us" in lower case is a pronoun
        words = rf"(?-i:US|U\.S\.)|{words}"
    return [
        rf"{lead}(?:(?P<dem>{words})\s+(?:{_STATE_NOUN})"
        rf"|(?P<snoun>{snoun})\s+of\s+(?P<country>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{0,3}})))"
        r"(?![\w])",
        rf"(?P<unnamed>{lead}(?:{_UNNAMED_RE})(?![\w]))",
        rf"(?P<unknown>{lead}(?:{_UNKNOWN_RE})(?![\w]))",
        rf"(?P<militia>{lead}(?:{_MILITIA_RE})(?![\w]))",
        rf"{lead}{_PARTY_RE}(?![\w])",
        rf"(?P<generic>{lead}(?:{_GENERIC_RE})(?![\w]))",
    ]


@lru_cache(maxsize=1)
def _state_re() -> WordStartIndex:
    """States' forces, unknown gunmen, militias; at a word start only the demonyms and the
    other alternatives that can begin with its first letter are tried."""
    demonyms = sorted(
        {k for k in (*demonym_table(), *_country_words()) if k.isascii()}, key=len, reverse=True
    )

    def bucket(c: str) -> str:  # the first: this letter's demonyms and "forces of" nouns
        dems = [d for d in demonyms if d[:1].lower() == c]
        snoun = wordstart.narrowed(c, _STATE_NOUNS, re.I)
        first, *rest = _state_pattern(dems, usa=c == "u", snoun=snoun, lead="")  # word starts
        return f"{first}|{starting_with(c, rest, re.I)}"

    return WordStartIndex(re.compile("|".join(_state_pattern(demonyms)), re.I), bucket)


def _country_words() -> dict[str, str]:
    """Folded country name -> ISO code: a country's name stands for its people in "Pakistan
    military", "Kenya police"."""
    from geomap.countries import all_countries
    from geomap.gazetteer import normalize

    return {normalize(c.name): c.iso2 for c in all_countries()}


#: named actors kept for callers that list them (pattern, ACLED name)
ACTORS: tuple[tuple[str, str], ...] = tuple((row[0], row[1]) for row in read_lexicon("actors.txt"))


#: the actors of each sentence already read, for the events of one article (whose sentences
#: are read again and again: an event's own, its supports', those around it)
ActorsSeen = dict[str, list[ActorHit]]


def _hits(sentence: str, seen: ActorsSeen | None) -> list[ActorHit]:
    if seen is None:
        return find_actors(sentence)
    hits = seen.get(sentence)
    if hits is None:
        hits = seen[sentence] = find_actors(sentence)
    return hits


def find_actors(sentence: str) -> list[ActorHit]:
    """The actor phrases of a sentence with their roles (see the module docs), in order."""
    names = _table()[1]
    hits: list[ActorHit] = []
    taken: list[tuple[int, int]] = []
    named, states = _scan(sentence)
    for m in named:
        name = names[int(m.lastgroup[1:])]  # type: ignore[index]
        last = hits[-1] if hits else None
        if last is not None and _EITHER_RE.fullmatch(sentence, last.end, m.start()):
            # "presumed ISWAP or Boko Haram militants": ACLED's "A and/or B"
            if name != last.name:
                last.name = f"{last.name} and/or {name}"
            last.end, last.text = m.end(), sentence[last.start : m.end()]
            taken[-1] = (last.start, m.end())
            continue
        hits.append(ActorHit(name, m.start(), m.end(), text=m.group(0)))
        taken.append((m.start(), m.end()))
    for m in states:
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        name = _state_name(m)
        if name:
            hits.append(ActorHit(name, m.start(), m.end(), text=m.group(0)))
    hits.sort(key=lambda h: h.start)
    for h in hits:
        h.role = _role(sentence, h)
    return hits


def _scan(sentence: str) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """``(named, states)``: the matches of the named actors' index and of the states' index
    (each what its ``finditer`` gives), found in one pass over the word starts."""
    table, state = _table()[0], _state_re()
    named_by, named_full = table.by_char, table.full
    state_by, state_full = state.by_char, state.full
    named: list[re.Match[str]] = []
    states: list[re.Match[str]] = []
    named_end = state_end = 0
    for w in WORD_START_RE.finditer(sentence):
        p = w.start()
        c = sentence[p]
        if p >= named_end:
            m = named_by.get(c, named_full).match(sentence, p)
            if m is not None:
                named.append(m)
                named_end = m.end()
        if p >= state_end:
            m = state_by.get(c, state_full).match(sentence, p)
            if m is not None:
                states.append(m)
                state_end = m.end()
    return named, states


def _state_name(m: re.Match[str]) -> str:
    from geomap.countries import iso2, name

    if m.group("dem"):
        from geomap.gazetteer import normalize

        dem = m.group("dem")
        folded_dem = normalize(dem)
        cc = (
            "US"
            if dem in ("US", "U.S.")
            else demonym_table().get(folded_dem) or _country_words().get(folded_dem, "")
        )
        police = re.search(r"police", m.group(0), re.I) and not re.search(
            r"military\s+police", m.group(0), re.I
        )
        return (
            f"{'Police' if police else 'Military'} Forces of {the_country(name(cc))}" if cc else ""
        )
    if m.group("country"):
        cc = iso2(m.group("country"))
        if cc:
            return f"Military Forces of {the_country(name(cc))}"
        # "military forces of Artsakh": a state no country table knows keeps its own name
        if re.fullmatch(r"(?:military|armed)\s+forces", m.group("snoun"), re.I):
            return f"Military Forces of {m.group('country')}"
        return ""
    if m.group("unnamed"):
        i = next(i for i in range(len(_UNNAMED)) if m.group(f"u{i}"))
        return _UNNAMED[i][1]
    if m.group("unknown"):
        return "Unidentified Armed Group ({country})"
    if m.group("militia"):
        return _militia(m)
    if m.group("party"):
        return m.group("party")
    if m.group("gpolice"):
        military = re.match(r"military|gendarm|the\s+gendarm", m.group("gpolice"), re.I)
        return "Military Forces of {the_country}" if military else "Police Forces of {the_country}"
    return "Military Forces of {the_country}"


#: words that start a sentence before a militia's kind but name no group ("Cattle raiders")
_NO_GROUP = frozenset(
    "the a an armed unidentified unknown local cattle rival suspected two three both several "
    "some other many dozens hundreds these those their his".split()
)


def _militia(m: re.Match[str]) -> str:
    group = m.group("from") or m.group("mil") or ""
    kind = (m.group("fromkind") or m.group("milkind") or "").lower()
    if group.lower() in _NO_GROUP:
        return ""
    tribal = ("community", "clan", "tribe", "herders", "herdsmen", "tribesmen", "warriors",
              "raiders", "clans", "clansmen")  # fmt: skip
    ethnic = "ethnic" in kind or kind in tribal or bool(demonym_table().get(group.lower()))
    return f"{group} {'Ethnic' if ethnic else 'Communal'} Militia ({{country}})"


def _role(sentence: str, h: ActorHit) -> str:
    before = sentence[max(0, h.start - 40) : h.start]
    after = sentence[h.end : h.end + 80]
    if _BY_BEFORE_RE.search(before) or _PLANTED_AFTER_RE.match(after):
        return "by"
    if _REPEL_RE.match(after):
        return "defender"
    if _PASSIVE_AFTER_RE.match(after):
        return "victim"
    if _VICTIM_BEFORE_RE.search(before) and not _DEFENDER_BEFORE_RE.search(before):
        return "victim"
    if _AFFILIATED_BEFORE_RE.search(before):
        return ""  # "two clans affiliated with the MILF clashed": the clans act, not the MILF
    if _AGENT_AFTER_RE.match(after) or _MEANS_RE.search(h.text):
        return "agent"  # "LNA forces shelled", "Russian airstrikes": the doer
    return ""


_UNKNOWN = "Unidentified Armed Group ({country})"


class EventActors(NamedTuple):
    """Who acted, who was hit, and whether the one hit is an armed actor."""

    actor1: str
    actor2: str
    armed_opponent: bool  # actor2 is a force or an armed group the violence was aimed at


def event_actors(
    anchors: list[Sentence],
    supports: list[Sentence],
    sub_event_type: str,
    *,
    civilians: bool,
    country: str,
    nearby: list[Sentence] | None = None,
    seen: ActorsSeen | None = None,
) -> EventActors:
    """``(actor1, actor2, armed_opponent)`` of an event told by ``anchors`` (see the module
    docs).

    ``nearby`` are the sentences around the anchors ("Al Shabaab claimed the attack."):
    their doers count when the anchors and ``supports`` name none.  ``country`` (a
    country name, or "") fills the "{country}" of the names.  ``seen`` keeps the actors
    of the sentences read for one article's events (its hits are shared: never change
    them).
    """
    own = [h for s in anchors for h in _hits(s.text, seen)]
    # the supports and the sentences around are read only when needed: most events name
    # their doer in their own sentences
    more = [h for s in supports for h in _hits(s.text, seen)] if not _doer(own) or not own else []
    first = _doer(own) or _doer(more)
    if not first:
        first = _doer([h for s in nearby or () for h in _hits(s.text, seen)])
    first = first or _actor1(own, sub_event_type)
    told = [*anchors, *supports]
    if (
        first == _UNKNOWN
        and country in GANG_COUNTRIES
        and any(DRIVE_BY_RE.search(s.text) for s in told)
    ):
        # gang violence, as ACLED names it there (in Brazil, where police militias kill the
        # same way, "Unidentified Gang and/or Police Militia")
        first = DRIVE_BY_NAMES.get(country, "Unidentified Gang ({country})")
    hits = own or more
    armed = False
    if civilians and sub_event_type not in ("Armed clash",):
        second = "Civilians ({country})"
    else:
        others = [h for h in hits if h.name != first and h.role in ("victim", "defender", "")]
        others += [h for h in hits if h.name != first]
        second = others[0].name if others else ""
        armed = bool(others) and others[0].role == "victim" and _armed_name(second)
    return EventActors(named(first, country), named(second, country), armed)


def _armed_name(name: str) -> bool:
    """Does an actor name stand for a force or an armed group (not civilians, a party or a
    crowd)?"""
    return not re.match(r"(?:Civilians|Protesters|Rioters)\b", name) and not re.search(
        r"\bParty\b|\bCongress\b|\bUnion\b(?!.*\b(?:Forces|Army|Militia))", name
    )


def _doer(hits: list[ActorHit]) -> str:
    """The most frequent "by" actor of ``hits``, else the most frequent agent, else ""."""
    for role in ("by", "agent"):
        ranked = [h.name for h in hits if h.role == role]
        if ranked:
            return Counter(ranked).most_common(1)[0][0]
    return ""


def _actor1(own: list[ActorHit], sub_event_type: str) -> str:
    """actor1 when no sentence names a doer: the other side of a defender, a free actor of
    the event's own sentences, or an unidentified group."""
    defenders = {h.name for h in own if h.role == "defender"}
    if defenders:  # "Afghan forces repulsed their attack": the attackers are the other side
        others = [h.name for h in own if h.name not in defenders]
        if others:
            return others[0]
    free = [h.name for h in own if h.role == ""]
    if free:
        return free[0]
    if sub_event_type in ("Attack", "Armed clash", "Abduction/forced disappearance", "Grenade",
                          "Remote explosive/landmine/IED", "Suicide bomb"):  # fmt: skip
        return _UNKNOWN
    return ""
