"""An event's dead and injured: its sentences' figures added up as reporters mean them.

* Both sides of a battle add up: "2 soldiers were killed ... also 13 militants
  were killed" is 15, "3 soldiers and 11 militants were killed" is 14.
* A closing figure ("2 fatalities.", "At least 6 fatalities.", as ACLED's notes
  end) is the total.
* A toll that rose ("the death toll was raised to six") replaces the total.
* Another source's figure ("Other sources report that 2 soldiers were killed")
  is an alternative, not more deaths.
* A later sentence repeating a figure, or giving part of it ("38 people were
  killed ... Eighteen were killed at Todonyang"), adds nothing; "other",
  "also", "more" and other people (militants after soldiers) add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.model import Casualties
from geomap.text.casualties import CasualtyFigure

#: a sentence that only gives the total: "2 fatalities.", "At least 6 fatalities and 1 injured."
_SUMMARY_RE = re.compile(
    r"\A\W*(?:(?:at\s+least|about|around|some|over|more\s+than)\s+)?[\w,-]+\s+fatalit(?:y|ies)\b"
    r"(?:\s+(?:and|,)\s+[\w\s,]+)?\W*\Z",
    re.I,
)
_ALTERNATIVE_RE = re.compile(
    r"\A\W*(?:other|another|some\s+other|conflicting|different|alternative)\s+(?:sources?|reports?|"
    r"accounts?)|\b(?:other|another)\s+sources?\s+(?:report|said|put|gave|state|indicate)",
    re.I,
)
_UPDATE_RE = re.compile(
    r"\b(?:rose|risen|raised|climbed|increased|jumped|reached|revised|now\s+stands|later)\b", re.I
)
_GENERIC = frozenset({"people", "persons", "person", "others", "individuals"})


@dataclass(slots=True)
class Tally:
    """An event's killed and injured totals and the figures they came from."""

    killed: Casualties | None
    injured: Casualties | None
    figures: list[CasualtyFigure]  # every figure counted (killed or injured)
    basis: str = ""  # "a closing total", "a revised toll", "figures added" or ""


def tally(sentences: list[tuple[str, list[CasualtyFigure]]]) -> Tally:
    """The totals of an event told by ``sentences`` (text, figures), in text order."""
    usable = [(text, [f for f in figs if not f.is_context]) for text, figs in sentences]
    main = [(t, f) for t, f in usable if not _ALTERNATIVE_RE.search(t)] or usable
    killed, k_used, k_basis = _total(main, "killed")
    injured, i_used, _ = _total(main, "injured")
    return Tally(killed, injured, k_used + i_used, k_basis)


def _total(
    sentences: list[tuple[str, list[CasualtyFigure]]], kind: str
) -> tuple[Casualties | None, list[CasualtyFigure], str]:
    summary = [
        f for text, figs in sentences if _SUMMARY_RE.match(text) for f in figs if f.kind == kind
    ]
    if summary:
        return summary[-1].count, [summary[-1]], "a closing total"
    used: list[CasualtyFigure] = []
    basis = ""
    for text, figs in sentences:
        for f in (f for f in figs if f.kind == kind):
            if "toll" in f.cue and used and _UPDATE_RE.search(text):
                used, basis = [f], "a revised toll"
                continue
            if not used or _adds(f, used, same_sentence=any(g in figs for g in used)):
                used.append(f)
    if not used:
        return None, [], ""
    if len(used) == 1:
        return used[0].count, used, basis
    return _sum([f.count for f in used]), used, basis or "figures added"


def _adds(f: CasualtyFigure, used: list[CasualtyFigure], *, same_sentence: bool) -> bool:
    """Does ``f`` report more deaths than the figures ``used`` so far?"""
    if f.additive or same_sentence:
        return True
    value = _value(f.count)
    if any(_value(g.count) == value for g in used):
        return False  # the same figure again
    seen = {n for g in used for n in g.nouns}
    own = set(f.nouns) - _GENERIC
    if own and not own & seen:
        return True  # other people: the other side, more victims
    total = sum(_value(g.count) for g in used)
    return value > total  # a part of the total (smaller) adds nothing


def _value(c: Casualties) -> int:
    """ACLED's figure: the lowest count reported, else the best estimate."""
    for v in (c.low, c.best, c.high):
        if v is not None:
            return v
    return 0


def _sum(counts: list[Casualties]) -> Casualties:
    low = sum(_value(c) for c in counts)
    best = sum(c.best if c.best is not None else _value(c) for c in counts)
    highs = [c.high for c in counts]
    high = sum(h for h in highs if h is not None) if all(h is not None for h in highs) else None
    qualifier = "exact" if all(c.qualifier == "exact" for c in counts) else "at least"
    text = " + ".join(c.text for c in counts)
    return Casualties(low=low, best=max(best, low), high=high, qualifier=qualifier, text=text)


def fatalities(count: Casualties | None) -> int:
    """ACLED's ``fatalities`` of a count: the lowest figure reported, 0 when unknown."""
    return 0 if count is None else _value(count)
