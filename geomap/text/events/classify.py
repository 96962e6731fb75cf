"""Event type of a sentence in ACLED's taxonomy, and the sentences that report no event.

ACLED's rules: remote means (air or drone strike, shelling, artillery or a
missile, an IED or landmine, a suicide bomb, a grenade) make *Explosions/Remote
violence*; a clash between armed groups is a *Battle* whoever attacked; an
attack on civilians is *Violence against civilians*.  So an attack ("gunmen
shot dead a lieutenant") is typed by who was hit: armed people or posts make
it a battle.  The cue words are :data:`~geomap.text.events.cues.TYPE_RULES`.

:func:`non_event` names what a sentence reports instead of an event: a
funeral, an anniversary, a court case, an accident, a threat, a denial or a
plan.
"""

from __future__ import annotations

import re

from geomap.text.events.cues import (
    EXPLOSIONS,
    STRONG_RES,
    TRIGGERS,
    TYPE_RULES,
    VAC,
    VIOLENCE_RE,
    WEAK_RES,
)
from geomap.text.victims import armed_share
from geomap.text.wordstart import folded, guarded

__all__ = ["EXPLOSIONS", "TYPE_RULES", "VIOLENT_TYPES", "classify", "non_event"]

#: ``(event_type, sub_event_type, cue)`` of a sentence
Typed = tuple[str, str, str]


def _trigger_rules() -> dict[str, int]:
    """Trigger word -> bit ``i`` set when rule ``i`` has it, so that a sentence needs one
    set intersection instead of two ``isdisjoint`` tests per rule."""
    out: dict[str, int] = {}
    for i, (strong, weak) in enumerate(TRIGGERS):
        for word in strong | weak:
            out[word] = out.get(word, 0) | 1 << i
    return out


_TRIGGER_RULES = _trigger_rules()
_TRIGGER_WORDS = frozenset(_TRIGGER_RULES)
_WORDS_RE = re.compile(r"[a-z]+")
_RULE = {rule[1]: i for i, rule in enumerate(TYPE_RULES)}
_ATTACK = _RULE["Attack"]
_SUICIDE = _RULE["Suicide bomb"]
#: a would-be suicide bomber stopped before the blast ("troops killed two suicide bombers")
_STOPPED_RE = re.compile(
    r"\b(?:killed|killing|shot|arrested|arresting|captured|capturing|intercepted|neutrali[sz]ed|"
    r"detained|foiled)\s+(?:an?\s+|the\s+|\d+\s+|two\s+|three\s+|four\s+|several\s+)?"
    r"(?:[\w-]+\s+){0,2}?\Z",
    re.I,
)
#: rules whose strong cues come before the weak cues of remote means
_FIRST = tuple(i for i in range(len(TYPE_RULES)) if i < _ATTACK)
_REMOTE = tuple(i for i, rule in enumerate(TYPE_RULES) if rule[0] == EXPLOSIONS)
_LAST = tuple(i for i in range(len(TYPE_RULES)) if i > _ATTACK)
_AIR_WORDS = TRIGGERS[_RULE["Air/drone strike"]][0] | TRIGGERS[_RULE["Air/drone strike"]][1]
#: a blast that is an accident, not an attack
_ACCIDENT_WORDS = frozenset(
    "gas leak cylinder boiler pipeline factory fireworks accidental accidentally".split()
)
#: counted bursts of fire ("observed 25 projectiles/explosions involving unknown weapons")
_OBSERVED_RE = guarded(
    r"\b(?:projectiles?|explosions?|shots|bursts\s+of\s+fire)(?:\s*/\s*[\w ]+?)*\s+involving\b",
    re.I,
)
#: shots that hit no one
_IN_THE_AIR_RE = re.compile(r"\bwarning\s+shots\b|\b(?:into|in)\s+the\s+air\b", re.I)
_SMALL_ARMS_RE = guarded(r"\bsmall[- ]arms?\b|\bassault\s+rifles?\b", re.I)
VIOLENT_TYPES = frozenset({EXPLOSIONS, "Battles", VAC, "Riots"})


def classify(sentence: str) -> Typed | None:
    """``(event_type, sub_event_type, cue)`` of a sentence, or ``None``.

    Strong cues first (:data:`TYPE_RULES` order), then the weak cues of remote
    means (which count only with a violence verb in the same sentence), then
    attacks, then riots, protests, arrests and agreements.  An attack on armed
    people or posts is a battle.  A sentence :func:`non_event` names gets no type.
    """
    found = _WORDS_RE.findall(sentence.lower())
    rules = 0
    for w in _TRIGGER_WORDS.intersection(found):
        rules |= _TRIGGER_RULES[w]
    if not rules:
        return None  # most sentences: no cue word of any rule
    typed = _match(sentence, rules, set(found))
    if typed is None or non_event(sentence):
        return None
    if typed[1] in ("Attack", "Shelling/artillery/missile attack") and _SMALL_ARMS_RE.search(
        sentence
    ):
        return "Battles", "Armed clash", "small arms"
    if typed[1] == "Attack" and _armed_target(sentence, typed[2]):
        return "Battles", "Armed clash", typed[2]
    if typed[1] == "Armed clash" and typed[2].lower().startswith("ambush"):
        armed, civilian = _target_share(sentence, typed[2])
        if civilian > armed:  # "gunmen ambushed and killed four youths": no one fought back
            return VAC, "Attack", typed[2]
    return typed


def _match(sentence: str, rules: int, words: set[str]) -> Typed | None:
    # "... involving" is what every counted burst says: most sentences skip the search
    observed = _OBSERVED_RE.search(sentence) if "involving" in folded(sentence) else None
    if observed:
        if _SMALL_ARMS_RE.search(sentence):
            return "Battles", "Armed clash", observed.group(0)
        return EXPLOSIONS, "Shelling/artillery/missile attack", observed.group(0)
    for i in _FIRST:
        if rules >> i & 1:
            m = STRONG_RES[i].search(sentence)
            if m and i == _SUICIDE and _STOPPED_RE.search(sentence, 0, m.start()):
                # the stopped bomber's words are no other weapon ("killed 2 suicide bombers")
                sentence = sentence[: m.start()] + " " * (m.end() - m.start()) + sentence[m.end() :]
                words = set(_WORDS_RE.findall(sentence.lower()))
            elif m:
                return TYPE_RULES[i][0], TYPE_RULES[i][1], m.group(0)
    # the violence verb is looked for only when a weak cue needs one (most sentences have
    # none): ``searched`` says whether ``violent`` holds the answer yet
    violent: re.Match[str] | None = None
    searched = False
    for i in _REMOTE:
        weak = WEAK_RES[i]
        if weak is None or not rules >> i & 1 or words.isdisjoint(TRIGGERS[i][1]):
            continue
        if TYPE_RULES[i][1] == "Remote explosive/landmine/IED" and (
            not words.isdisjoint(_AIR_WORDS) or not words.isdisjoint(_ACCIDENT_WORDS)
        ):
            continue
        if not searched:
            violent, searched = VIOLENCE_RE.search(sentence), True
        if violent is None:
            break  # no weak cue counts without a violence verb
        cue = weak.search(sentence)
        if cue:
            return TYPE_RULES[i][0], TYPE_RULES[i][1], f"{cue.group(0)} … {violent.group(0)}"
    if rules >> _ATTACK & 1:
        m = STRONG_RES[_ATTACK].search(sentence)
        if m:
            return VAC, "Attack", m.group(0)
        weak = WEAK_RES[_ATTACK]
        if weak is not None and not searched:
            violent, searched = VIOLENCE_RE.search(sentence), True
        cue = weak.search(sentence) if weak is not None and violent is not None else None
        if cue and violent is not None and not _IN_THE_AIR_RE.search(sentence):
            return VAC, "Attack", f"{cue.group(0)} … {violent.group(0)}"
    for i in _LAST:
        if rules >> i & 1:
            m = STRONG_RES[i].search(sentence)
            if m:
                return TYPE_RULES[i][0], TYPE_RULES[i][1], m.group(0)
    return None


_VICTIM_BEFORE_RE = re.compile(
    r"((?:\b[\w'’-]+\s+){1,5}?)(?:was|were|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:kil+ed|shot|wounded|injured|attacked|ambushed|targeted|abducted|beaten)\b",
    re.I,
)


def _armed_target(sentence: str, cue: str) -> bool:
    """Were the people hit armed (soldiers, police, militants) or a post (a checkpoint, a base)?

    Read: the words after the attack word (its object) and before "were killed" (the
    people it happened to).
    """
    armed, civilian = _target_share(sentence, cue)
    return armed > civilian


_CLAUSE_END_RE = re.compile(r"[.;]|\b(?:by|with|in|at|near|while|as|after|when)\b")


def _target_share(sentence: str, cue: str) -> tuple[int, int]:
    """``(armed, civilian)`` people nouns among those hit: after the attack word and before
    "were killed"; the ones before "were killed" count first (", including a leader" adds
    no civilian to "12 fighters were killed")."""
    at = sentence.find(cue.split(" … ")[0])
    after = sentence[at + len(cue) : at + len(cue) + 70] if at >= 0 else ""
    after = _CLAUSE_END_RE.split(after, maxsplit=1)[0]
    victims = " ".join(m.group(1) for m in _VICTIM_BEFORE_RE.finditer(sentence))
    armed, civilian = armed_share(victims)
    if armed != civilian:
        return armed, civilian
    return armed_share(after + " " + victims)


#: what a sentence reports when it is no new event
_NON_EVENTS: tuple[tuple[str, str], ...] = (
    (
        "a funeral or burial",
        r"\b(?:funerals?|burials?|buried|mourners|mourned|memorial\s+service)\b",
    ),
    ("an anniversary", r"\b(?:anniversary|commemorat\w+|remembrance)\b"),
    (
        "a court case",
        r"\b(?:sentenced|convicted|acquitted|indicted|charged\s+with|(?:went|stood|goes|go)\s+on\s+"
        r"trial|trial\s+of|court\s+(?:ruled|sentenced|convicted|heard|ordered|found))\b",
    ),
    (
        "an accident",
        r"\b(?:accidents?|accidental(?:ly)?|crash(?:ed|es)?|collision|collided|derail\w*|"
        r"drown(?:ed|ing)|electrocut\w*|stampede|landslides?|floods?|flooding|earthquake|"
        r"gas\s+(?:leak|explosion|cylinder)|fire\s+broke\s+out|blaze|overturned|capsized)\b",
    ),
    (
        "a threat or a plan",
        r"\b(?:threaten\w*|vow\w*|warn\w*|plan(?:s|ned|ning)?|intend\w*|pledg\w*|will|would|"
        r"could|might|going)\s+(?:to\s+)?(?:\w+\s+){0,2}?(?:kill|attack|bomb|strike|shell|target|"
        r"abduct|behead|execute|fight|retaliate|destroy|storm|invade|launch)\b",
    ),
    ("a denial", r"\b(?:den(?:y|ies|ied)|refuted?|rejected\s+(?:the\s+)?(?:claims?|reports?))\b"),
)
_NON_EVENT_RES = tuple((label, guarded(p, re.I)) for label, p in _NON_EVENTS)
#: an attack in the sentence itself: a funeral or an accident site can be attacked
_ATTACK_RE = guarded(
    r"\b(?:attack(?:ed|s)?|bomb(?:ed|er|ers|s)?|IEDs?|explosive|opened\s+fire|stormed|gunmen|"
    r"militants|shot\s+dead|shot\s+down|shelled|shelling|airstrikes?|suicide|ambush(?:ed)?|"
    r"grenades?|gunfire|abducted|kidnapped)\b",
    re.I,
)
_NON_EVENT_STEMS = ("funeral", "burial", "buried", "mourn", "memorial", "anniversar", "commemor",
                    "remembrance", "sentenced", "convicted", "acquitted", "indicted", "charged",
                    "trial", "court", "accident", "crash", "collision", "collided", "derail",
                    "drown", "electrocut", "stampede", "landslide", "flood", "earthquake", "gas ",
                    "fire broke", "blaze", "overturned", "capsized", "threat", "vow", "warn",
                    "plan", "intend", "pledg", "will ", "would ", "could ", "might ", "going",
                    "deny", "deni", "refut", "rejected")  # fmt: skip


def non_event(sentence: str) -> str:
    """What the sentence reports instead of an event ("a funeral or burial", "an accident",
    ...), or ``""``.  Funerals and accidents attacked ("a bomb exploded at the funeral") are
    events all the same."""
    low = sentence.lower()
    if not any(stem in low for stem in _NON_EVENT_STEMS):
        return ""
    for label, rx in _NON_EVENT_RES:
        if rx.search(sentence):
            if label not in ("a threat or a plan", "a denial") and _ATTACK_RE.search(sentence):
                continue
            return label
    return ""
