"""Event types: the coarse classes that let reports from different sources meet.

ACLED names an air strike "Explosions/Remote violence / Air/drone strike",
a names table says "airstrike" or "air raid", UCDP only "state-based
violence".  :func:`type_class` maps each onto one coarse class, and
:func:`types_compatible` says which classes may describe the same event.
Filters (``--type airstrike``) and deduplication both use them.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VIOLENT = {"airstrike", "shelling", "explosion", "battle", "violence", "attack", "massacre"}
_NON_VIOLENT = {"protest", "riot", "strategic"}


@lru_cache(maxsize=4096)
def type_class(event_type: str, sub_event_type: str = "") -> str:
    """Coarse class used to compare event types across sources.

    "" means unknown (matches anything); "violence" is UCDP's generic class.
    """
    text = f"{event_type} {sub_event_type}".lower().strip()
    if not text:
        return ""
    if re.search(
        r"\b(air|drone|aerial)\b.*\b(strike|raid|bomb|attack)"
        r"|airstrike|air-strike|bombing raid|aerial weapon",
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
