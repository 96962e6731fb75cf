"""Who reported an event: agencies, officials, witnesses ("according to ...", "X said")."""

from __future__ import annotations

import re

from geomap.text.events.sentences import Sentence

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


def event_sources(anchors: list[Sentence], sents: list[Sentence]) -> list[str]:
    """Who the anchor sentences, and a "he told ..." sentence after each, say reported it."""
    sources: list[str] = []
    for s in anchors:
        sources += [src for src in find_attributions(s.text) if src not in sources]
        nxt = s.index + 1
        if nxt < len(sents) and _FOLLOW_ON_RE.search(sents[nxt].text):
            sources += [src for src in find_attributions(sents[nxt].text) if src not in sources]
    return sources
