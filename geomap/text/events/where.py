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
_NAME = rf"(?:{_PARTICLE}-)?{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,3}}"
_KINDS: dict[str, str] = {
    **dict.fromkeys(
        "village town city neighbourhood neighborhood camp community settlement".split(), "town"
    ),
    **dict.fromkeys(
        "district subdistrict sub-district area locality commune lga township municipality "
        "county division payam boma zone front valley countryside outskirts suburbs".split(),
        "district",
    ),
    **dict.fromkeys(
        "province governorate state region department oblast prefecture".split(), "region"
    ),
}
_KIND_RE = "|".join(sorted(_KINDS, key=len, reverse=True))
_SLOT_RE = re.compile(
    rf"(?<![\w'’-])(?:(?i:the\s+)?(?P<pre>{_KIND_RE})\s+(?i:of)\s+)?(?P<name>{_NAME})"
    rf"(?:\s+(?P<kind>(?i:{_KIND_RE}))\b)?"
)
_LEAD_RE = re.compile(
    r"\b(?:in|near|at|outside|around|inside|from|to|towards?|between|on|targeted|targeting|shelled|"
    r"attacked|struck|hit|raided|stormed|bombed|into|of|and)\s+(?:the\s+)?(?:(?:north|south|east|"
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
    r"\A(?:\s*,\s*|\s*\(\s*|\s*\)\s*,?\s*|\s*,?\s+(?:in|of)\s+(?:the\s+)?(?:(?:north|south|east|"
    r"west|central|rural|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?:(?:countryside|outskirts|province|city|district|town|village|area|governorate|region)"
    r"\s+of\s+(?:the\s+)?)?)\Z",
    re.I,
)
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


def place_chains(text: str, start: int, end: int) -> list[list[Slot]]:
    """The place chains of ``text[start:end]`` (a sentence), each from its most specific slot."""
    slots: list[tuple[Slot, bool]] = []  # (slot, has a lead word before it)
    for m in _SLOT_RE.finditer(text, start, end):
        name = m.group("name")
        if name.split()[0].lower() in _NOT_NAMES and len(name.split()) == 1:
            continue
        kind = _KINDS.get((m.group("kind") or m.group("pre") or "").lower(), "")
        before = text[max(start, m.start() - 60) : m.start()]
        lead = bool(_LEAD_RE.search(before)) or m.group("pre") is not None
        near = bool(_NEAR_RE.search(before))
        bracket = before.rstrip().endswith("(") or (
            "(" in before[-30:] and ")" not in before[before.rfind("(") :]
        )
        n0 = m.start("name")
        slots.append((Slot(name, n0, n0 + len(name), kind, near, bracket), lead))
    chains: list[list[Slot]] = []
    for slot, lead in slots:
        prev = chains[-1][-1] if chains else None
        gap = text[prev.end : slot.start] if prev is not None else ""
        if prev is not None and _links(gap):
            chains[-1].append(slot)
        elif lead or slot.kind:
            chains.append([slot])
    return chains


def _links(gap: str) -> bool:
    gap = re.sub(r"\A\s*(?i:" + _KIND_RE + r")\b", "", gap)  # the kind word of the slot before
    return bool(_LINK_RE.match(gap))


def locate(
    chain: list[Slot],
    mentions: list[Mention],
    gazetteer: Gazetteer | None,
    focus: str = "",
) -> Where | None:
    """The most specific place of ``chain`` found inside the places found for the slots after
    it (see the module docs); ``None`` when no slot is found.  ``mentions`` are the
    recognised places of the article (each slot uses the one it overlaps), ``focus`` the
    country (ISO code) the article is about, preferred for the largest slot."""
    found: list[tuple[Slot, Place, Mention | None, str]] = []
    inside: tuple[str, str] | None = None  # (country, admin-1 code or "") of the slot after
    for slot in reversed(chain):
        mention = _mention_of(slot, mentions)
        place, how = _find(slot, mention, gazetteer, inside, focus if inside is None else "")
        if place is None:
            continue
        found.append((slot, place, mention, how))
        if place.feature == "country":
            inside = (place.country_code, "")
        elif place.country_code:
            inside = (place.country_code, place.admin1_code)
    if not found:
        return None
    slot, place, mention, how = found[-1]
    missing = [s.name for s in chain[: chain.index(slot)]]
    precision = _precision(slot, place, bool(missing))
    reason = f"{slot.name!r} {how}"
    if missing:
        reason += f"; {', '.join(repr(n) for n in missing)} not in the gazetteer there"
    return Where(place, precision, slot, reason, mention, inside=len(found) > 1)


def _mention_of(slot: Slot, mentions: list[Mention]) -> Mention | None:
    for m in mentions:
        if m.span_start < slot.end and slot.start < m.span_end:
            return m
    return None


def _inside(place: Place, region: tuple[str, str] | None) -> bool:
    if region is None:
        return True
    cc, a1 = region
    return place.country_code == cc and (
        not a1 or place.admin1_code == a1 or place.feature == "country"
    )


def _find(
    slot: Slot,
    mention: Mention | None,
    gazetteer: Gazetteer | None,
    region: tuple[str, str] | None,
    focus: str,
) -> tuple[Place | None, str]:
    """The place a slot names inside ``region``, and how it was found."""
    if mention is not None and mention.place is not None and _inside(mention.place, region):
        if region is not None or not focus or mention.place.country_code in (focus, ""):
            return mention.place, "as recognised"
    if gazetteer is None or (slot.name.isupper() and len(slot.name) <= 5):
        return None, ""  # an acronym the recogniser did not take for a place ("GNA") is none
    found = [p for p, _ in candidates(gazetteer, slot.name) if _inside(p, region)]
    if not found and re.search(r"\w[-‐]\w", slot.name):
        # "Mogadishu-Hodan": a town and its district
        for part in re.split(r"[-‐]", slot.name):
            if len(part) > 3:
                found += [p for p, _ in candidates(gazetteer, part) if _inside(p, region)]
    how = "by name"
    if not found:
        # another spelling: inside a region the text names, or a region itself
        for v in variants(slot.name):
            found += [
                p
                for p in gazetteer.lookup(v)
                if _inside(p, region) and (region is not None or p.feature == "admin1")
            ]
        how = "by another spelling"
    if not found and focus:
        return None, ""
    if focus:
        found = [p for p in found if p.country_code == focus] or ([] if region is None else found)
    if not found:
        return None, ""
    want_region = slot.kind == "region" or (slot.bracket and slot.kind == "")
    return max(found, key=lambda p: _rank(p, want_region)), how + (
        f" inside {region[0]}" + (f"/{region[1]}" if region[1] else "") if region else ""
    )


def _rank(p: Place, want_region: bool) -> tuple[int, int, int]:
    level = {"admin1": 2 if want_region else 1, "city": 1 if want_region else 2}.get(p.feature, 0)
    return level, p.population, -p.geonameid


def _precision(slot: Slot, place: Place, inner_missing: bool) -> int:
    """ACLED's precision: 1 the town, 2 near a town or a district or part of a region, 3 the
    region."""
    if place.feature in ("admin1", "country"):
        return 3
    if slot.near or slot.kind == "district" or inner_missing:
        return 2
    return 1


def focus_country(text: str, mentions: list[Mention]) -> str:
    """The country an article is about: its countries, regions and sure towns, and its
    demonyms ("Afghan forces"), counted; ``""`` when it names none."""
    from geomap.gazetteer import normalize
    from geomap.text.lexicon import demonym_regex, demonym_table

    weights: dict[str, float] = {}
    for m in mentions:
        p = m.place
        if p is None or not p.country_code:
            continue
        w = 2.0 if p.feature in ("country", "admin1") else (1.0 if m.confidence >= 0.8 else 0.3)
        weights[p.country_code] = weights.get(p.country_code, 0.0) + w
    table = demonym_table()
    for match in demonym_regex().finditer(text):
        code = table.get(normalize(match.group()))
        if code:
            weights[code] = weights.get(code, 0.0) + 0.5
    return max(weights, key=lambda cc: (weights[cc], cc)) if weights else ""
