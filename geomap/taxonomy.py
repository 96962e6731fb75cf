"""Event types: ACLED's taxonomy, free-text types mapped onto it, and coarse classes.

ACLED names an air strike "Explosions/Remote violence / Air/drone strike",
a names table says "airstrike", "air raid" or "barrel bomb", UCDP only
"state-based violence".

* :func:`acled_type` maps a free-text type ("air strike", "shelling",
  "clashes", "IED", "massacre", "protest" ...) onto ACLED's event type and
  sub-event type (:data:`ACLED_TYPES`); a type it does not know becomes
  :data:`OTHER`, and the caller keeps the original text.
* :func:`type_class` maps any type onto one coarse class, and
  :func:`types_compatible` says which classes may describe the same event.
  Filters (``--type airstrike``) and deduplication both use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: ACLED's event types and their sub-event types.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade",
                                   "Chemical weapon"),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}  # fmt: skip

#: The event type of a free-text type that no rule knows.
OTHER = "Other"

_EXPLOSIONS, _VIOLENCE = "Explosions/Remote violence", "Violence against civilians"
#: Free-text rules, most specific first: (pattern, event type, sub-event type).
_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), event_type, sub)
    for pattern, event_type, sub in (
        (r"suicide|\bsvbied\b", _EXPLOSIONS, "Suicide bomb"),
        (r"chemical|\bgas attack|sarin|chlorine", _EXPLOSIONS, "Chemical weapon"),
        (r"barrel[ -]?bomb|air[ -]?(strike|raid|attack)|airstrike|aerial|drone|warplane|jets?\b"
         r"|helicopter|bombing raid|air bombardment", _EXPLOSIONS, "Air/drone strike"),
        (r"shell|artillery|mortar|rocket|missile|bombardment|cannon|howitzer",
         _EXPLOSIONS, "Shelling/artillery/missile attack"),
        (r"\bv?ied\b|landmine|\bmines?\b|roadside|car[ -]?bomb|explosi|blast|bomb",
         _EXPLOSIONS, "Remote explosive/landmine/IED"),
        (r"grenade", _EXPLOSIONS, "Grenade"),
        (r"sexual|\brape", _VIOLENCE, "Sexual violence"),
        (r"abduct|kidnap|disappear|hostage", _VIOLENCE, "Abduction/forced disappearance"),
        (r"massacre|execut|mass killing|killing|murder|shooting of|attack on civilians",
         _VIOLENCE, "Attack"),
        (r"clash|fight|battle|firefight|gunfight|ambush|skirmish|offensive|armed attack"
         r"|assault|exchange of fire", "Battles", "Armed clash"),
        (r"\briot|violent (demonstration|protest)", "Riots", "Violent demonstration"),
        (r"\bmob\b|lynch", "Riots", "Mob violence"),
        (r"protest|demonstrat|\brally|\bmarch\b|sit-in|picket", "Protests", "Peaceful protest"),
        (r"arrest|detain|detention", "Strategic developments", "Arrests"),
        (r"loot|arson|property destruction", "Strategic developments",
         "Looting/property destruction"),
        (r"agreement|ceasefire|cease-fire|truce|peace deal", "Strategic developments", "Agreement"),
    )
)
_ACLED_BY_LOWER = {t.lower(): t for t in ACLED_TYPES}
_SUB_BY_LOWER = {s.lower(): (t, s) for t, subs in ACLED_TYPES.items() for s in subs}


@dataclass(frozen=True, slots=True)
class AcledType:
    """A type in ACLED's taxonomy; ``known`` is False for :data:`OTHER`."""

    event_type: str
    sub_event_type: str
    known: bool = True


@lru_cache(maxsize=4096)
def acled_type(text: str, sub_event_type: str = "") -> AcledType:
    """The ACLED event type and sub-event type of a type as a table writes it.

    An ACLED type is kept (its sub-type too, when it is one of that type's);
    a sub-event type alone brings its type; free text goes through the rules
    ("barrel bomb" -> Explosions/Remote violence, Air/drone strike); anything
    else is ``AcledType("Other", "", known=False)``.  Empty text is
    ``AcledType("", "")``: no type was given.
    """
    key = " ".join(text.split()).lower()
    sub_key = " ".join(sub_event_type.split()).lower()
    if not key and not sub_key:
        return AcledType("", "")
    if key in _ACLED_BY_LOWER:
        event_type = _ACLED_BY_LOWER[key]
        known_sub = _SUB_BY_LOWER.get(sub_key)
        if known_sub is not None and known_sub[0] == event_type:
            return AcledType(event_type, known_sub[1])
        return AcledType(event_type, sub_event_type.strip())
    for candidate in (key, sub_key):
        if candidate in _SUB_BY_LOWER:
            return AcledType(*_SUB_BY_LOWER[candidate])
    for pattern, event_type, sub in _RULES:
        if pattern.search(key or sub_key):
            return AcledType(event_type, sub)
    return AcledType(OTHER, "", known=False)

_VIOLENT = {"airstrike", "shelling", "explosion", "battle", "violence", "attack", "massacre"}
_NON_VIOLENT = {"protest", "riot", "strategic"}


@lru_cache(maxsize=4096)
def type_class(event_type: str, sub_event_type: str = "") -> str:
    """Coarse class used to compare event types across sources.

    "" means unknown (matches anything); "violence" is UCDP's generic class.
    """
    text = f"{event_type} {sub_event_type}".lower().strip()
    if not text or text == OTHER.lower():
        return ""
    if re.search(
        r"\b(air|drone|aerial)\b.*\b(strike|raid|bomb|attack)"
        r"|airstrike|air-strike|bombing raid|aerial weapon|barrel[ -]?bomb",
        text,
    ):
        return "airstrike"
    if re.search(r"shell|artillery|missile|rocket|mortar", text):
        return "shelling"
    if re.search(r"state-based|non-state|one-sided|organi[sz]ed violence", text):
        return "violence"
    if re.search(r"explosi|remote violence|\bied\b|suicide bomb|landmine|grenade", text):
        return "explosion"
    if re.search(r"battle|clash|armed|fighting|offensive", text):
        return "battle"
    if re.search(r"massacre|mass killing", text):
        return "massacre"
    if re.search(r"violence against civilians|attack|abduction|killing|assault", text):
        return "attack"
    if "protest" in text:
        return "protest"
    if "riot" in text:
        return "riot"
    if "strategic" in text:
        return "strategic"
    return re.sub(r"\s+", " ", text)


def types_compatible(a: str, b: str) -> bool:
    """Whether two :func:`type_class` values may describe the same event."""
    if not a or not b or a == b:
        return True
    if "violence" in (a, b):
        other = b if a == "violence" else a
        return other in _VIOLENT
    # An explosion report is often the same event as an air strike or shelling.
    return {a, b} <= _EXPLOSIVE


_EXPLOSIVE = frozenset({"explosion", "airstrike", "shelling"})


@lru_cache(maxsize=4096)
def compatible_classes(tclass: str) -> tuple[str, ...] | None:
    """Every class :func:`types_compatible` accepts with ``tclass`` (None = all)."""
    if not tclass:
        return None
    if tclass == "violence":
        return tuple(sorted(_VIOLENT | {"", "violence"}))
    out = {tclass, ""}
    if tclass in _VIOLENT:
        out.add("violence")
    if tclass in _EXPLOSIVE:
        out |= _EXPLOSIVE
    return tuple(sorted(out))
