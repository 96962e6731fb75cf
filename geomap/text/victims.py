"""Who was hit: the people nouns of a sentence, armed or not, and victims named without a number.

``implicit_victims("Gunmen shot dead a farmer and his son.")`` gives one
:class:`Victims` (killed, 2, nouns ``("farmer", "son")``): reporters often
write "killed a villager" or "the officer died" instead of a figure.  Which
nouns are armed (soldiers, police, militants, a checkpoint, a patrol) decides
between a battle and violence against civilians (:func:`armed_share`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.text.lexicon import trie_regex
from geomap.text.wordstart import folded, guarded

#: people (and groups of people) a report can say were killed or hurt; armed ones below
CIVILIAN_NOUNS = frozenset(
    """man men woman women boy boys girl girls child children kid kids baby babies infant infants
    adolescent adolescents teenager teenagers youth youths person persons people civilian civilians
    villager villagers farmer farmers herder herders herdsman herdsmen pastoralist pastoralists
    shepherd shepherds driver drivers passenger passengers worker workers trader traders
    shopkeeper shopkeepers merchant merchants vendor vendors doctor doctors nurse nurses medic
    cleric clerics imam imams priest priests pastor pastors sheikh sheikhs scholar scholars
    teacher teachers student students pupil pupils journalist journalists reporter reporters
    resident residents inhabitant inhabitants refugee refugees migrant migrants pilgrim pilgrims
    worshipper worshippers worshiper worshipers father mother son sons daughter daughters brother
    brothers sister sisters husband wife wives uncle nephew cousin relative relatives family
    families elder elders chief chiefs ruler leader leaders official officials politician
    politicians councilor councillor councilors councillors candidate candidates activist
    activists lawyer lawyers judge judges engineer engineers contractor contractors employee
    employees staffer staff volunteer volunteers hostage hostages prisoner prisoners detainee
    detainees inmate inmates suspect suspects trafficker traffickers smuggler smugglers
    victim victims bystander bystanders pedestrian pedestrians motorist motorists cyclist
    motorcyclist fishermen fisherman owner owners guest guests customer customers patient
    patients delegate delegates member members businessman businessmen chairman mayor governor
    tribesman tribesmen individual individuals couple head""".split()
)
ARMED_NOUNS = frozenset(
    """soldier soldiers troops trooper troopers serviceman servicemen conscript conscripts recruit
    recruits policeman policemen policewoman police gendarme gendarmes ranger rangers guard guards
    bodyguard bodyguards militant militants fighter fighters rebel rebels insurgent insurgents
    jihadist jihadists militiaman militiamen militia militias combatant combatants gunman gunmen
    commander commanders lieutenant colonel captain sergeant general officer officers personnel
    operative operatives cadre cadres attacker attackers assailant assailants bandit bandits
    raider raiders separatist separatists army military forces checkpoint checkpoints patrol
    patrols convoy convoys position positions base bases outpost barracks
    sniper snipers bomber bombers marine marines agent agents""".split()
)
PERSON_NOUNS = CIVILIAN_NOUNS | ARMED_NOUNS
#: armed nouns that name a place or unit, not a person who can die
_UNIT_NOUNS = frozenset("checkpoint checkpoints patrol patrols convoy convoys position positions "
                        "base bases outpost barracks army military forces".split())  # fmt: skip

_KILL_VERB = (
    r"(?:killed|killing|kills|kil+ed|shot\s+dead|shot\s+and\s+killed|gunned\s+down|beheaded|"
    r"beheading|assassinated|assassinating|executed|executing|murdered|murdering|lynched|"
    r"massacred|slaughtered|slain)"
)
_TO_DEATH = r"(?:tortured|beaten|beat|stabbed|shot|hacked|burned|burnt|stoned|clubbed|lynched)"
_DET = r"(?:a|an|the|one|his|her|their|its)"
# one noun, nested by shared prefixes: where several match, the longest is tried first, as in
# the alternation of the nouns longest first (and quicker to compile and to reject)
_NOUN = "(?:" + trie_regex(PERSON_NOUNS) + ")"
# the head noun is the last of a compound: "an army officer", "a militia commander"
_NP = rf"{_DET}\s+(?:[\w'’.-]+\s+){{0,4}}?(?P<n1>{_NOUN})\b(?!\s+{_NOUN}\b)"
_MORE = rf"(?:\s*,?\s+and\s+{_DET}\s+(?:[\w'’-]+\s+){{0,3}}?(?P<n2>{_NOUN})\b)?"
_PASSIVE = (
    # "was killed", "was shot and killed", "was attacked and beaten to death", "was shot and died"
    r"\s+(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+(?:\w+\s+(?:and\s+)?)?"
    rf"(?:killed|kil+ed|shot\s+dead|found\s+dead|(?:{_TO_DEATH})\s+to\s+death|beheaded|executed|"
    r"murdered|assassinated|lynched|slain|(?<=and\s)died)\b"
)
_IMPLICIT_RES = (
    # "killed a villager", "shot dead the driver and his son"
    guarded(rf"\b{_KILL_VERB}\s+{_NP}\b{_MORE}", re.I),
    # "tortured a villager to death"
    guarded(rf"\b{_TO_DEATH}\s+{_NP}\b{_MORE}\s+to\s+death\b", re.I),
    # "a man was killed", "a former councillor and his wife were shot dead"
    re.compile(rf"(?<![\w-])(?P<np>{_NP}){_MORE}{_PASSIVE}", re.I),
    # "the officer died", "the victim later died of his wounds"
    re.compile(rf"(?<![\w-]){_NP}{_MORE}\s+(?:later\s+|also\s+|instantly\s+)?died\b", re.I),
    # "leaving the driver dead"
    guarded(rf"\bleaving\s+{_NP}\b{_MORE}\s+dead\b", re.I),
    # "killing him"
    guarded(r"\b(?:killing|killed|shot\s+dead|executing|beheading)\s+(?P<pron>him|her)\b", re.I),
)
_PASSIVE_RE = re.compile(_PASSIVE, re.I)
#: words each of :data:`_IMPLICIT_RES` needs (every match contains one): a substring test
#: on the folded sentence skips the pattern when none is there
_IMPLICIT_NEEDS: tuple[tuple[str, ...], ...] = (
    ("kil", "shot", "gunned", "behead", "assassin", "execut", "murder", "lynch", "massacr",
     "slaughter", "slain"),
    ("death",), (), ("died",), ("leaving",), ("him", "her"),
)  # fmt: skip
_BOTH_RE = guarded(
    r"\bboth\s+(?:victims|men|women|boys|girls|brothers|sisters|of\s+them)\s+"
    r"(?:(?:were|later|also|instantly)\s+)*(?:died|killed|kil+ed|shot\s+dead)\b",
    re.I,
)
_FAMILY_RE = guarded(
    rf"\b{_KILL_VERB}\s+a\s+family\s+of\s+(?P<num>two|three|four|five|six|seven|eight|nine|ten|\d+)\b",
    re.I,
)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}  # fmt: skip
_STEMS = ("kil", "dead", "death", "died", "gunned", "behead", "assassin", "execut", "murder",
          "lynch", "massacr", "slaughter", "slain", "him", "her", "both")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Victims:
    """People killed without a figure: how many and the nouns naming them."""

    count: int
    start: int  # offsets into the sentence
    end: int
    nouns: tuple[str, ...]


def implicit_victims(sentence: str) -> list[Victims]:
    """People a sentence says were killed without giving a number ("killed a villager")."""
    low = sentence.lower()
    if not any(stem in low for stem in _STEMS):
        return []
    found: list[Victims] = []
    fold = folded(sentence)
    for m in _FAMILY_RE.finditer(sentence) if "family" in fold else ():
        raw = m.group("num").lower()
        found.append(Victims(_SMALL.get(raw) or int(raw), m.start(), m.end(), ("family",)))
    for m in _BOTH_RE.finditer(sentence) if "both" in fold else ():
        found.append(Victims(2, m.start(), m.end(), ("both",)))
    passive = _PASSIVE_RE.search(sentence) is not None
    for i, rx in enumerate(_IMPLICIT_RES):
        needs = _IMPLICIT_NEEDS[i]
        if (needs and not any(w in fold for w in needs)) or (i == 2 and not passive):
            continue  # a word every match holds is missing
        for m in rx.finditer(sentence):
            victims = _from_match(m)
            if victims is not None and not any(_overlap(victims, v) for v in found):
                found.append(victims)
    return sorted(found, key=lambda v: v.start)


def _from_match(m: re.Match[str]) -> Victims | None:
    groups = m.groupdict()
    if groups.get("pron"):
        return Victims(1, m.start(), m.end(), (m.group("pron").lower(),))
    nouns = [n.lower() for n in (groups.get("n1"), groups.get("n2")) if n]
    if not nouns or not all(n in PERSON_NOUNS and n not in _UNIT_NOUNS for n in nouns):
        return None
    if _plural(nouns[0]):
        if _ONE_OF_RE.match(m.group(0)) and len(nouns) == 1:
            return Victims(1, m.start(), m.end(), tuple(nouns))  # "one of the assailants"
        return None  # "killed the soldiers": how many is not said
    return Victims(len(nouns), m.start(), m.end(), tuple(nouns))


_ONE_OF_RE = re.compile(r"(?:\w+\s+)*?one\s+of\s+(?:the|their|its|his|her)\s", re.I)


def _plural(noun: str) -> bool:
    return noun in ("people", "men", "women", "children", "police", "militia", "personnel",
                    "staff", "troops", "families", "herdsmen", "tribesmen", "fishermen") or (
        noun.endswith("s") and noun[:-1] in PERSON_NOUNS
    )  # fmt: skip


def _overlap(a: Victims, b: Victims) -> bool:
    return a.start < b.end and b.start < a.end


_WORD_RE = re.compile(r"[a-z]+")


#: words that make an armed noun a civilian one ("a former soldier", "an off-duty policeman")
_UNARMED = frozenset("former ex retired duty demobilised demobilized".split())


def armed_share(text: str) -> tuple[int, int]:
    """``(armed, civilian)``: how many person nouns of ``text`` name armed people or posts.

    "A former soldier" or "an off-duty policeman" is a civilian; "a militia member" or "a
    check point" is armed (the noun after an armed word takes its side)."""
    words = _WORD_RE.findall(text.lower())
    armed = civilian = 0
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        if w == "point" and prev == "check":
            armed += 1
        elif prev in ARMED_NOUNS and (w in ARMED_NOUNS or w in CIVILIAN_NOUNS):
            continue  # "police officer", "militia member": one armed person, counted
        elif w in ARMED_NOUNS:
            if prev in _UNARMED:
                civilian += 1
            else:
                armed += 1
        elif w in CIVILIAN_NOUNS:
            civilian += 1
    return armed, civilian
