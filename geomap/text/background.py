"""Cumulative and background figures: the words that make a death toll context, not an event.

"The war has killed more than 250,000 people since March 2011", "5,000 so far
this year", "Since September 30, Russian strikes have killed more than 370
people", "in retaliation for the killing of 3 members earlier in the week":
each figure is a total over time or an earlier event, never the deaths of
the event the sentence reports.  :func:`context_cue` names the reason, or
gives ``""``.
"""

from __future__ import annotations

import re

from geomap.text.wordstart import guarded

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_CONFLICT = r"(?:war|conflict|uprising|fighting|crisis|revolution|insurgency|violence|offensive)"

#: cues after the figure, in its clause
_CONTEXT_AFTER = [
    (r"\bsince\s+(?:the\s+)?(?:start|beginning|outbreak|onset)\b", "since the start"),
    (rf"\bsince\s+(?:the\s+)?(?:\w+\s+){{0,2}}{_CONFLICT}\b", "since the conflict began"),
    (rf"\bsince\s+(?:(?:{_MONTHS})\.?\s+)?(?:\d{{1,2}},?\s+)?(?:19|20)\d\d\b", "since a past date"),
    (
        rf"\bsince\s+(?:(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS}))\b",
        "since a past date",
    ),
    (r"\bso\s+far\b", "so far"),
    (r"\b(?:this|last)\s+year\b", "over a year"),
    (r"\bin\s+total\b", "in total"),
    (r"\b(?:overall|to\s+date|cumulative(?:ly)?|in\s+all)\b", "cumulative"),
    (
        r"\b(?:over|during|in)\s+(?:the\s+)?(?:past|last)\s+(?:\w+\s+)?(?:years|months|decades?|weeks)\b",
        "over a past period",
    ),
    (
        r"\b(?:over|during|across|throughout)\s+(?:the\s+)?(?:\w+\s+){0,2}(?:years|decades|months)\b",
        "over a past period",
    ),
    (r"\b(?:in|during|throughout)\s+(?:19|20)\d\d\b", "a whole year"),
    (
        r"\b(?:earlier\s+(?:in\s+the|this|that)\s+(?:week|month|year)|(?:last|previous)\s+"
        r"(?:week|month)|(?:a|one|two|three|several)\s+(?:days?|weeks?|months?)\s+(?:earlier|before|ago))\b",
        "an earlier event",
    ),
]
#: cues before the figure, in its sentence
_CONTEXT_BEFORE = [
    (
        rf"\b{_CONFLICT}\b[^.;]{{0,120}}?\b(?:has|have|had)\s+(?:so\s+far\s+|now\s+|already\s+)?"
        r"(?:killed|claimed|left|taken|cost)\b",
        "the conflict as a whole",
    ),
    (
        r"\b(?:bringing|brought|raising|raised|pushing)\s+the\s+(?:\w+\s+)?(?:toll|total|number)\b",
        "a running total",
    ),
    (r"\b(?:a\s+total\s+of|in\s+total|total(?:ling)?|cumulative|overall|so\s+far)\b", "in total"),
    (
        r"\bsince\s+(?:the\s+)?(?:war|conflict|uprising|fighting)\s+(?:began|started|erupted|broke\s+out)\b",
        "since the conflict began",
    ),
    (
        rf"\bsince\s+(?:(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})|(?:{_MONTHS})|"
        rf"(?:19|20)\d\d|(?:last\s+)?(?:{_WEEKDAYS}))\b",
        "since a past date",
    ),
    (
        r"\b(?:in\s+)?(?:retaliation|revenge|reprisal|response)\s+(?:for|to|against)\b"
        r"|\b(?:after|following|over)\s+the\s+(?:killing|murder|death|deaths)\s+of\b",
        "an earlier event",
    ),
]
_CONTEXT_AFTER_RE = [(guarded(p, re.I), label) for p, label in _CONTEXT_AFTER]
_CONTEXT_BEFORE_RE = [(guarded(p, re.I), label) for p, label in _CONTEXT_BEFORE]
_CLAUSE_END_RE = re.compile(r"[,;:()]|\s[-–—]\s")


def clause_end(sentence: str, start: int, stop: int) -> int:
    """Where the clause from ``start`` ends (a comma, colon, bracket or dash), or ``stop``."""
    m = _CLAUSE_END_RE.search(sentence, start, stop)
    return m.start() if m else stop


def context_cue(sentence: str, before_from: int, start: int, end: int, after_to: int) -> str:
    """Why the figure ``sentence[start:end]`` is context, or ``""`` (see the module docs).

    The words after it up to the clause's end (at most ``after_to``) and the words
    from ``before_from`` up to it are read.
    """
    after = sentence[end : clause_end(sentence, end, after_to)]
    for rx, label in _CONTEXT_AFTER_RE:
        if rx.search(after):
            return label
    before = sentence[before_from:start]
    for rx, label in _CONTEXT_BEFORE_RE:
        if rx.search(before):
            return label
    return ""
