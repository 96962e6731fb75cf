"""Which place mentions of a sentence can locate an event, and at what level."""

from __future__ import annotations

import re

from geomap.model import Mention
from geomap.text.events.sentences import Sentence

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
    return {"city": 1, "admin2": 2, "admin1": 3}.get(feature, 3)


def country_of(m: Mention) -> str:
    return m.place.country_code if m.place is not None else ""


def admin1_of(m: Mention) -> str:
    if m.place is None or m.place.feature == "country":
        return ""
    return f"{m.place.country_code}.{m.place.admin1_code}"


def _is_locative(text: str, sent: Sentence, m: Mention) -> bool:
    return bool(_LOCATIVE_RE.search(text[max(sent.start, m.span_start - 80) : m.span_start]))


def _is_speaker(text: str, m: Mention) -> bool:
    return bool(_SPEAKER_AFTER_RE.match(text[m.span_end : m.span_end + 20]))


def candidate_places(
    text: str, sent: Sentence, mentions: list[Mention], *, strict: bool
) -> list[Mention]:
    """The mentions of ``sent`` that can locate an event: resolved, not a speaker, and after
    a locative preposition or (unless ``strict``) the sentence's opening subject."""
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
