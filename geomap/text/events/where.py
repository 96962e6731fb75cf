"""Where an event happened, read from the place phrases of its sentences, down the hierarchy
the text states.

Reporters give an event's place as a chain from the most specific to the
largest: "near Gaduud village (Diinsoor, Bay)", "in Chora district, Urozgan",
"in the Borgi village of Ahmadabad district, Paktia", "in Kafr Noran area in
Aleppo countryside".  :func:`place_chains` cuts a sentence's chains into
*slots* (a name, its kind: village, district, region), and :func:`locate`
resolves a chain from its largest slot inward: each slot is looked for inside
the place found for the one after it (its own name, an alternate name, then
other spellings of it), so a namesake abroad never wins over the province the
text names.  The most specific slot found is the event's place; when a village
is missing from the gazetteer, the district or province the text names is the
answer, with an honest precision (1 the town, 2 a district or near a town, 3 a
region) and the reason in ``Where.reason``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geomap.model import Mention, Place
from geomap.text.names import candidates
from geomap.text.spelling import variants

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

_PARTICLE = (
    r"(?:al|el|ar|as|ad|an|ash|at|az|ed|er|es|ez|de|du|des|la|le|les|bin|ibn|abu|bou|do|da|dos)"
)
_WORD = r"[A-Z][\w'’]*(?:[-‐](?:[A-Za-z][\w'’]*))*"
#: a capitalised name, particles inside ("Deir ez-Zor", "Mafraq ar Ruwayk", "Port-au-Prince")
#: a particle inside a name; one that is also an English word stands before the letter it
#: takes the sound of ("Jurf as Sakhr", "Ras an Naqb"), never before another ("Boko Haram at
#: Gudumbali" is two names)
_INNER_PARTICLE = (
    r"(?:(?:al|el|ash|de|du|des|la|le|les|bin|ibn|abu|bou|do|da|dos)\s+|"
    r"(?:at\s+(?=T)|[ae]s\s+(?=S)|an\s+(?=N)|[ae]r\s+(?=R)|[ae]d\s+(?=D)|[ae]z\s+(?=Z)))"
)
_NAME = rf"(?:{_PARTICLE}-)?{_WORD}(?:\s+{_INNER_PARTICLE}?{_WORD}){{0,3}}"
_KINDS: dict[str, str] = {
    **dict.fromkeys(
        "village town city neighbourhood neighborhood camp community settlement".split(), "town"
    ),
    **dict.fromkeys(
        "district subdistrict sub-district area locality commune lga township municipality "
        "division payam boma zone front valley countryside outskirts suburbs territory woreda "
        "tehsil upazila constituency sub-county subcounty".split(),
        "district",
    ),
    **dict.fromkeys(
        "province governorate state region department oblast prefecture county".split(),
        "region",
    ),
    **dict.fromkeys(
        "airbase airport base checkpoint hill hills mountain mountains forest road market mosque "
        "prison hospital school port bridge crossing junction complex compound farm field desert "
        "mine station police-station".split(),
        "site",
    ),
}
_KIND_RE = "|".join(sorted(_KINDS, key=len, reverse=True))
#: a district's word written as part of its capitalised name
_TAIL_KIND_RE = re.compile(
    r"\s+(?:Local\s+Government\s+Area|LGA|District|Sub-?[Dd]istrict|Division|Sub-?[Cc]ounty|"
    r"Constituency|Territory|Municipality|Commune|Township|Tehsil|Woreda|Upazila)\Z"
)
_SLOT_RE = re.compile(
    rf"(?<![\w'’-])(?:(?i:the\s+)?(?P<pre>{_KIND_RE})\s+(?i:of)\s+)?(?P<name>{_NAME})"
    rf"(?:\s+(?P<kind>(?i:{_KIND_RE}))\b)?"
)
_LEAD_RE = re.compile(
    r"\b(?:in|near|at|outside|around|inside|from|to|towards?|between|on|targeted|targeting|shelled|"
    r"attacked|struck|hit|raided|stormed|bombed|into|of|and)\s+(?:the\s+)?(?:neighbou?ring\s+)?"
    r"(?:(?:north|south|east|"
    r"west|central|rural|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?:(?:outskirts|suburbs?|countryside|vicinity|area|region|parts?)\s+of\s+(?:the\s+)?)?\Z",
    re.I,
)
_NEAR_RE = re.compile(
    r"\b(?:near|outside|around|close\s+to|vicinity\s+of|outskirts\s+of|between|north|south|east|"
    r"west|km|kilometers|kilometres|miles)\b[^,;()]{0,25}\Z",
    re.I,
)
_LINK_RE = re.compile(
    rf"\A(?:\s*,\s*|\s*\(\s*|\s*\)\s*(?:(?:{_KIND_RE})\b)?\s*,?\s*|"
    r"\s+in\s+the\s+(?:north|south|east|west|centre|center)(?:ern)?(?:\s+part)?\s+of\s+|"
    # "Tall Refaat and its vicinity in Aleppo"
    r"\s+and\s+its\s+(?:vicinity|surroundings|environs|outskirts|countryside)\s+(?:in|of)\s+|"
    r"\s*,?\s+(?:in|of|under)\s+(?:the\s+)?(?:(?:north|south|east|"
    r"west|central|rural|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?:(?:countryside|outskirts|province|city|district|town|village|area|governorate|region)"
    r"\s+of\s+(?:the\s+)?)?)\Z",
    re.I,
)
#: "forces of Armenia", "the army of Chad": who, not where
_ACTOR_OF_RE = re.compile(
    r"\b(?:forces|military|army|troops|police|government|ministry|minister|president|members|"
    r"militants|fighters|soldiers|people|citizens|embassy|leader|leaders|supporters)\s+of\s+"
    r"(?:the\s+)?\Z",
    re.I,
)
#: a possessive before a common noun
_OWNER_RE = re.compile(r"['’]s\s+[a-z]")
_NOT_NAMES = frozenset(
    "on in at the a an and of this that these those his her their its he she they it we "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)


@dataclass(frozen=True, slots=True)
class Slot:
    """One name of a place chain, with offsets into the article text."""

    name: str
    start: int
    end: int
    kind: str  # "town", "district", "region" or "" (from the word after or before the name)
    near: bool = False  # "near X", "north of X": somewhere around it
    bracket: bool = False  # written inside brackets after the place it contains


@dataclass(slots=True)
class Where:
    """An event's place: the place, its precision, the slot it stands for and why."""

    place: Place
    precision: int
    slot: Slot
    reason: str
    mention: Mention | None = None  # the recognised mention of the slot, when there is one
    inside: bool = False  # found inside a place the text names around it
    chain_spans: tuple[tuple[int, int], ...] = ()  # the spans of every slot of the chain


def place_chains(text: str, start: int, end: int) -> list[list[Slot]]:
    """The place chains of ``text[start:end]`` (a sentence), each from its most specific slot."""
    slots: list[tuple[Slot, bool]] = []  # (slot, has a lead word before it)
    for m in _SLOT_RE.finditer(text, start, end):
        name = m.group("name")
        if name.split()[0].lower() in _NOT_NAMES and len(name.split()) == 1:
            continue
        if _OWNER_RE.match(text, m.end("name") - 2):
            continue  # "Logar's provincial council": whose, not where
        kind = _KINDS.get((m.group("kind") or m.group("pre") or "").lower(), "")
        before = text[max(start, m.start() - 60) : m.start()]
        lead = (bool(_LEAD_RE.search(before)) and not _ACTOR_OF_RE.search(before)) or m.group(
            "pre"
        ) is not None
        near = bool(_NEAR_RE.search(before))
        bracket = before.rstrip().endswith("(") or (
            "(" in before[-30:] and ")" not in before[before.rfind("(") :]
        )
        tail = _TAIL_KIND_RE.search(name) if not kind else None
        if tail is not None:  # "Gwoza LGA", "Mafa Local Government Area", "Molo District"
            name, kind = name[: tail.start()], "district"
        n0 = m.start("name")
        slots.append((Slot(name, n0, n0 + len(name), kind, near, bracket), lead))
    chains: list[list[Slot]] = []
    for slot, lead in slots:
        prev = chains[-1][-1] if chains else None
        gap = text[prev.end : slot.start] if prev is not None else ""
        if prev is not None and _links(gap):
            chains[-1].append(slot)
        elif lead or slot.kind or slot.bracket:
            chains.append([slot])
    return chains


def _links(gap: str) -> bool:
    gap = _KIND_AT_START_RE.sub("", gap)  # the kind word of the slot before
    return bool(_LINK_RE.match(gap))


_KIND_AT_START_RE = re.compile(rf"\A\s*(?:[a-z]+\s+)?(?i:local\s+government\s+area|{_KIND_RE})\b")


def locate(
    chain: list[Slot],
    mentions: list[Mention],
    gazetteer: Gazetteer | None,
    focus: str = "",
) -> Where | None:
    """The most specific place of ``chain`` found inside the places found for the slots after
    it (see the module docs); ``None`` when no slot is found.  ``mentions`` are the
    recognised places of the article (each slot uses the one it overlaps), ``focus`` the
    country (ISO code) the article is about.

    The largest slot is read each way it can be ("Bolivar state": Venezuela's or
    Colombia's), and the reading under which most smaller slots are found wins
    ("Sucre municipality, Bolivar state"), then the article's country.
    """
    best: tuple[tuple[int, bool, bool, bool, tuple[int, int, int]], list[_Found]] | None = None
    for k in range(len(chain) - 1, -1, -1):
        outer = chain[k]
        mention = _mention_of(outer, mentions)
        wide = k == len(chain) - 1 and len(chain) > 1
        options = _candidates(outer, mention, gazetteer, None, wide)
        for place, how in _top(options, outer, focus, wide):
            found = [_Found(outer, place, mention, how)]
            found += _inward(chain[:k], place, mentions, gazetteer)
            key = (
                len(found),
                # "(Pobe-Mengao, Soum)": the last name in brackets is a region, not a namesake town
                outer.bracket and wide and outer.kind == "" and place.feature in _REGIONS,
                not focus or place.country_code == focus,
                _recognised(place, mention, outer, wide),
                _rank(place, outer, wide),
            )
            if best is None or key > best[0]:
                best = (key, found)
    return _where(chain, best[1]) if best is not None else None


def _recognised(place: Place, mention: Mention | None, slot: Slot, wide: bool) -> bool:
    """Is ``place`` what the recogniser made of the slot?  A region it chose stands for its
    town of the same name when the words do not ask for a region ("near Mandera")."""
    if mention is None or mention.place is None:
        return False
    chosen = mention.place
    if chosen.geonameid == place.geonameid:
        return True
    return (
        chosen.feature == "admin1"
        and place.feature == "city"
        and _region(place) == _region(chosen)
        and _rank(place, slot, wide)[0] >= 3
    )


@dataclass(slots=True)
class _Found:
    slot: Slot
    place: Place
    mention: Mention | None
    how: str


def _inward(
    inner: list[Slot], outer: Place, mentions: list[Mention], gazetteer: Gazetteer | None
) -> list[_Found]:
    """The slots of ``inner`` (most specific first) found inside ``outer``, then inside each
    other, from the largest inward."""
    found: list[_Found] = []
    region = _region(outer)
    for slot in reversed(inner):
        mention = _mention_of(slot, mentions)
        options = _candidates(slot, mention, gazetteer, region)
        if not options:
            continue
        place, how = max(options, key=lambda o: _rank(o[0], slot, False))
        found.append(_Found(slot, place, mention, f"{how} inside {_label(region)}"))
        region = _region(place)
    return found


def _where(chain: list[Slot], found: list[_Found]) -> Where:
    last = found[0]
    for f in found[1:]:
        # a region read again inside a place found in it ("Sanaa (Nihm, Sanaa)": the first
        # Sanaa as the governorate) says no more than that place
        if f.place.feature in ("country", "admin1") and last.place.feature in ("admin2", "city"):
            continue
        last = f
    seen = {id(f.slot) for f in found}
    missing = [s.name for s in chain[: chain.index(last.slot)] if id(s) not in seen]
    precision = _precision(last.slot, last.place, bool(missing))
    reason = f"{last.slot.name!r} {last.how}"
    if missing:
        reason += f"; {', '.join(repr(n) for n in missing)} not in the gazetteer there"
    spans = tuple((s.start, s.end) for s in chain)
    return Where(last.place, precision, last.slot, reason, last.mention, len(found) > 1, spans)


def _region(place: Place) -> tuple[str, str]:
    return (place.country_code, "" if place.feature == "country" else place.admin1_code)


def _label(region: tuple[str, str]) -> str:
    return region[0] + (f"/{region[1]}" if region[1] else "")


def _mention_of(slot: Slot, mentions: list[Mention]) -> Mention | None:
    """The recognised mention that stands for the whole slot (not a part of its name)."""
    for m in mentions:
        if m.span_start <= slot.start and slot.end <= m.span_end:
            return m
        if m.span_start < slot.end and slot.start < m.span_end and m.text == slot.name:
            return m
    return None


def _inside(place: Place, region: tuple[str, str] | None) -> bool:
    if region is None:
        return True
    cc, a1 = region
    return place.country_code == cc and (
        not a1 or place.admin1_code == a1 or place.feature == "country"
    )


def _candidates(
    slot: Slot,
    mention: Mention | None,
    gazetteer: Gazetteer | None,
    region: tuple[str, str] | None,
    wide: bool = False,
) -> list[tuple[Place, str]]:
    """The places a slot may name inside ``region``, each with how it was found.

    A name the recogniser set aside, with nothing around it saying it is a place
    (no kind word, no brackets, no place after it), counts only when all its
    namesakes lie in one country ("in Tyr"; not "at Black sea junction").
    """
    out: list[tuple[Place, str]] = []
    if mention is not None and mention.place is not None and _inside(mention.place, region):
        out.append((mention.place, "as recognised"))
    if gazetteer is None or (slot.name.isupper() and len(slot.name) <= 5):
        return out  # an acronym the recogniser did not take for a place ("GNA") is none
    bare_word = mention is None and region is None and not (slot.kind or slot.bracket or wide)
    names = [slot.name]
    bare = _SITE_RE.sub("", _ARTICLE_RE.sub("", slot.name))
    if bare != slot.name and bare:
        names.append(bare)
    if re.search(r"\w[-‐]\w", slot.name):  # "Mogadishu-Hodan": a town and its district
        names += [part for part in re.split(r"[-‐]", bare) if len(part) > 3]
    for name in names:
        out += [(p, "by name") for p, _ in candidates(gazetteer, name) if _inside(p, region)]
        if len(out) > 1 or (out and out[0][1] != "as recognised"):
            break
    if bare_word:
        return out if len({p.country_code for p, _ in out}) == 1 else []
    out += _districts(slot, names, gazetteer, region, wide)
    if len(out) <= (1 if mention is not None and mention.place is not None else 0):
        # another spelling: inside a region the text names, or a region itself
        for v in dict.fromkeys(v for name in names[:2] for v in variants(name)):
            out += [
                (p, "by another spelling")
                for p in gazetteer.lookup(v)
                if _inside(p, region) and (region is not None or p.feature == "admin1")
            ]
    return out


def _districts(
    slot: Slot,
    names: list[str],
    gazetteer: Gazetteer,
    region: tuple[str, str] | None,
    wide: bool,
) -> list[tuple[Place, str]]:
    """The admin-2 districts a slot may name: when its words say district ("Chora
    district"), or inside a region the text names, or in brackets ("(Diinsoor, Bay)");
    never for a bare name in running text, where a town is meant."""
    if slot.kind not in ("district", "") or not (
        slot.kind == "district" or region is not None or slot.bracket or wide
    ):
        return []
    country, admin1 = (region[0], region[1] or None) if region is not None else (None, None)
    out: list[tuple[Place, str]] = []
    for name in names[:2]:
        out += [
            (p, "as a district") for p in gazetteer.districts(name, country=country, admin1=admin1)
        ]
        if out:
            return out
    if region is None or not (slot.kind or slot.bracket):
        return out
    # another spelling ("Chora" for "Chorah"), only inside the region the text names
    for v in dict.fromkeys(v for name in names[:2] for v in variants(name)):
        out += [
            (p, "as a district, by another spelling")
            for p in gazetteer.districts(v, country=country, admin1=admin1)
        ]
    return out


def _top(
    options: list[tuple[Place, str]], slot: Slot, focus: str, wide: bool
) -> list[tuple[Place, str]]:
    """The best reading of the largest slot in each country or region, at most five."""
    best: dict[tuple[str, str], tuple[Place, str]] = {}
    for place, how in sorted(options, key=lambda o: _rank(o[0], slot, wide), reverse=True):
        best.setdefault(_region(place), (place, how))
    ranked = sorted(
        best.values(),
        key=lambda o: (
            o[1] == "as recognised",
            o[0].country_code == focus,
            _rank(o[0], slot, wide),
        ),
        reverse=True,
    )
    return ranked[:5]


_REGIONS = ("admin1", "admin2")
_ARTICLE_RE = re.compile(r"\A(?i:al|el|ar|as|ad|an|ash|at|az|ed|er|es|ez)[-\s]")
#: a site's word at the end of its name: "Donetsk Airport" is near Donetsk
_SITE_RE = re.compile(
    r"\s+(?:Airport|Air\s+Base|Airbase|Base|Camp|Refugee\s+Camp|Island|Hill|Hills|Mountains?|"
    r"Forest|Valley|Dam|Port|Bridge|Junction|Market|Prison|Mine|Junction|Crossing)\Z"
)


def _rank(p: Place, slot: Slot, wide: bool) -> tuple[int, int, int]:
    """Prefer the kind of place the slot's words ask for (``wide``: the last of a chain, a
    region unless its words say otherwise), then the larger, then the older id."""
    want_region = slot.kind == "region" or ((slot.bracket or wide) and slot.kind == "")
    # the levels compare across slots too: a town stays a 4 whatever the slot's kind
    if want_region:
        levels = {"admin1": 4, "admin2": 3, "city": 2}
    elif slot.kind == "district":
        levels = {"admin2": 5, "city": 4, "admin1": 2}
    else:
        levels = {"city": 4, "admin2": 3, "admin1": 2}
    return levels.get(p.feature, 0), p.population, -p.geonameid


def _precision(slot: Slot, place: Place, inner_missing: bool) -> int:
    """ACLED's precision: 1 the town, 2 near a town or a district or part of a region, 3 the
    region."""
    if place.feature in ("admin1", "country"):
        return 3
    if place.feature == "admin2" or slot.near or slot.kind == "district" or inner_missing:
        return 2
    return 1


#: missions that work in one country only: a report of theirs is about that country
#: ("the OSCE SMM observed 25 explosions near ...": Ukraine)
_MISSIONS = {
    "OSCE": "UA", "SMM": "UA", "AMISOM": "SO", "UNAMID": "SD", "MONUSCO": "CD",
    "MINUSMA": "ML", "MINUSCA": "CF", "UNMISS": "SS", "UNAMA": "AF", "UNSMIL": "LY",
    "UNIFIL": "LB",
}  # fmt: skip
#: what a mission's name stands for in a text, where it is more than the name
_MISSION_PHRASES = {"OSCE": r"OSCE\s+(?:SMM|Special\s+Monitoring\s+Mission)"}
#: each name's first capital, then the look-behind for a word character before it (``\b``
#: before the name): a pattern that opens with a choice of capitals lets the regex engine
#: skip to them, instead of trying every place of the text
_MISSION_RE = re.compile(
    "(?:"
    + "|".join(rf"{p[0]}(?<!\w.){p[1:]}" for p in (_MISSION_PHRASES.get(n, n) for n in _MISSIONS))
    + r")\b"
)
_HYPHENS = ("-", "‐")  # a name that goes on after a hyphen ("Qala-i-Barqi")
#: "near the Somalia border", "on the Kenya-Somali border": a country's edge, not the country
BORDER_AFTER_RE = re.compile(r"(?:[-‐/][A-Z][\w'’]*)?\s+(?i:border|frontier)\b")
_ACTOR_AFTER_RE = re.compile(
    r"[\s-]+(?:military|army|armed|forces|troops|soldiers|police|security|air\s+force|drones?|"
    r"jets|warplanes|government|officials?|backed|led|embassy|border\s+guards)\b",
    re.I,
)


def focus_country(text: str, mentions: list[Mention]) -> str:
    """The country an article is about: its countries, regions and sure towns, and its
    demonyms ("Afghan forces"), counted; ``""`` when it names none."""
    from geomap.text.lexicon import demonyms_in

    weights: dict[str, float] = {}
    hints: dict[str, int] = {}  # how many names speak for each country: a tie's breaker
    lowered = text.lower()
    borders = "border" in lowered or "frontier" in lowered  # most texts name none
    for m in mentions:
        p = m.place
        if p is None or not p.country_code:
            continue
        w = 2.0 if p.feature in ("country", "admin1") else (1.0 if m.confidence >= 0.8 else 0.3)
        if _ACTOR_AFTER_RE.match(text, m.span_end):
            w = 0.3  # "US military forces", "Turkey backed factions": who, not where
        elif text[m.span_end : m.span_end + 1] in _HYPHENS or (
            borders and BORDER_AFTER_RE.match(text, m.span_end)
        ):
            w = 0.3  # "Qala" of "Qala-i-Barqi", "near the Somalia border": not where it is
        weights[p.country_code] = weights.get(p.country_code, 0.0) + w
        hints[p.country_code] = hints.get(p.country_code, 0) + 1
    for match in _MISSION_RE.finditer(text):
        mission = _MISSIONS[match.group().split()[0]]
        weights[mission] = weights.get(mission, 0.0) + 2.0  # as much as the country's own name
    for _, code in demonyms_in(text):
        weights[code] = weights.get(code, 0.0) + 0.5
        hints[code] = hints.get(code, 0) + 1
    return max(weights, key=lambda cc: (weights[cc], hints.get(cc, 0), cc)) if weights else ""
