"""Event type of a sentence: ACLED type and sub-type from cue words (:data:`TYPE_RULES`)."""

from __future__ import annotations

import re

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
        cue = weak.search(sentence)
        if cue:
            return TYPE_RULES[i][0], TYPE_RULES[i][1], f"{cue.group(0)} … {violent.group(0)}"
    return None


_AIR_WORDS = _TRIGGERS[2][0] | _TRIGGERS[2][1]
#: a blast that is an accident, not an attack
_ACCIDENT_WORDS = frozenset(
    "gas leak cylinder boiler pipeline factory mine fireworks accidental".split()
)
VIOLENT_TYPES = frozenset({EXPLOSIONS, "Battles", "Violence against civilians", "Riots"})
