"""Casualty figures in one sentence: how many were killed or injured, and who.

``parse_casualties("raids killed at least 33 civilians, including children")``
gives one :class:`CasualtyFigure` (killed, low 33, civilians, children).

How a figure is found: a *quantity* ("33", "at least 33", "twenty-five",
"between 10 and 15", "dozens") becomes a figure only when a casualty cue sits
right before it ("killed 33", "the death toll rose to 40", "wounding 12") or
shortly after it in the same clause ("33 people were killed", "12 dead",
"five deaths").  A quantity introduced by "including" / "among them" / "of
whom" is a part of the figure before it ("33 people, including 5 children")
and only adds to its civilian/child counts.

Cumulative or background figures ("the war has killed more than 250,000 people
since March 2011", "so far this year", "in total") are returned with
``is_context=True`` and the cue that made them context; callers must never
count them as a new event's deaths.  Quantities and the ranges they give are
:mod:`geomap.text.quantities`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from geomap.model import Casualties
from geomap.text.quantities import NUMBER_WORDS, QUANTITY_RE, quantity_to_casualties

CasualtyKind = Literal["killed", "injured"]

_KILL_WORDS = (
    r"killed|killing|kills|kill|shot\s+dead|gunned\s+down|shot\s+and\s+killed|"
    r"claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of|took\s+the\s+lives\s+of"
)
_HURT_WORDS = r"wounded|wounding|wounds|wound|injured|injuring|injures|injure|hurt|hurting|maimed"
#: a cue that sits just before the quantity ("killed at least 33", "death toll rose to 40")
_BEFORE_RE = re.compile(
    rf"(?:\b(?P<k>{_KILL_WORDS})"
    rf"|\b(?P<toll>death\s+toll|toll|deaths\s+of|dead\s+numbered)(?:\s+\w+){{0,3}}?\s+(?:to|at|of|reached|hit|is|was|stood|stands)"
    rf"|\b(?P<w>{_HURT_WORDS}))\s+(?:the\s+lives\s+of\s+)?$",
    re.IGNORECASE,
)
#: a cue shortly after the quantity ("33 people were killed", "12 dead", "five deaths")
_AFTER_RE = re.compile(
    r"\b(?:(?P<k>killed|dead|died|dies|die|deaths|death|lost\s+their\s+lives|fatalities|perished|slain)"
    r"|(?P<w>wounded|injured|hurt|injuries|maimed))\b",
    re.IGNORECASE,
)
_AFTER_MAX = 90  # characters between quantity and an after-cue

#: a quantity that introduces a part of the figure before it
_PART_RE = re.compile(
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|mostly)\s*$", re.I
)
#: words right after a quantity that mean it is not a count of people
_NOT_PEOPLE_RE = re.compile(
    r"[\s-]*(?:more\s+|other\s+)?(?:years?|year-old|decades?|centuries|months?|weeks?|days?|hours?|minutes?|seconds?"
    r"|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|percent|per\s+cent|%|times|"
    r"jets?|planes?|aircraft|warplanes|helicopters|drones?|rockets?|missiles?|bombs?|shells?|"
    r"(?:air)?strikes|raids?|sorties|villages?|towns?|buildings?|homes?|houses?|"
    r"dollars?|euros?|pounds|tons?|tonnes?|a\.m\.|p\.m\.|am\b|pm\b|o'clock)\b",
    re.IGNORECASE,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_PEOPLE_NEXT_RE = re.compile(
    r"\s+(?:people|persons|civilians|children|soldiers|troops|fighters|militants|men|women|residents|"
    r"killed|dead|died|deaths|wounded|injured|were|have|had)\b",
    re.I,
)
_YEAR_PREFIX_RE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?|\bin|\bsince|\bof|\bby|\bfrom|\buntil)\s+$", re.I
)

_CHILD_RE = re.compile(
    r"\b(?:children|child|kids|boys|girls|minors|infants|babies|toddlers|schoolchildren|"
    r"pupils|schoolboys|schoolgirls|teenagers)\b",
    re.IGNORECASE,
)
_CIVILIAN_RE = re.compile(
    r"\b(?:civilians?|residents|villagers|worshippers|worshipers|passengers|shoppers|"
    r"women|pilgrims|farmers|patients|refugees|bystanders|non-combatants)\b",
    re.IGNORECASE,
)

#: cues that make a figure cumulative / background rather than one event
_CONTEXT_AFTER = [
    (r"\bsince\s+(?:the\s+)?(?:start|beginning|outbreak|onset)\b", "since the start"),
    (
        r"\bsince\s+(?:the\s+)?(?:\w+\s+){0,2}(?:war|conflict|uprising|fighting|crisis|revolution|insurgency|violence)\b",
        "since the conflict began",
    ),  # noqa: E501
    (rf"\bsince\s+(?:(?:{_MONTHS})\.?\s+)?(?:\d{{1,2}},?\s+)?(?:19|20)\d\d\b", "since a past date"),
    (r"\bso\s+far\b", "so far"),
    (r"\b(?:this|last)\s+year\b", "over a year"),
    (r"\bin\s+total\b", "in total"),
    (r"\b(?:overall|to\s+date|cumulative(?:ly)?|in\s+all)\b", "cumulative"),
    (
        r"\b(?:over|during|in)\s+(?:the\s+)?(?:past|last)\s+(?:\w+\s+)?(?:years|months|decades?|weeks)\b",
        "over a past period",
    ),  # noqa: E501
    (
        r"\b(?:over|during|across|throughout)\s+(?:the\s+)?(?:\w+\s+){0,2}(?:years|decades|months)\b",
        "over a past period",
    ),  # noqa: E501
    (r"\b(?:in|during|throughout)\s+(?:19|20)\d\d\b", "a whole year"),
]
_CONTEXT_BEFORE = [
    (
        r"\b(?:war|conflict|uprising|insurgency|fighting|violence|crisis|revolution)\b[^.;]{0,120}?\b(?:has|have|had)\s+(?:so\s+far\s+|now\s+|already\s+)?(?:killed|claimed|left|taken|cost)\b",
        "the conflict as a whole",
    ),  # noqa: E501
    (
        r"\b(?:bringing|brought|raising|raised|pushing)\s+the\s+(?:\w+\s+)?(?:toll|total|number)\b",
        "a running total",
    ),  # noqa: E501
    (r"\b(?:a\s+total\s+of|in\s+total|total(?:ling)?|cumulative|overall|so\s+far)\b", "in total"),
    (
        r"\b(?:since\s+(?:the\s+)?(?:war|conflict|uprising|fighting)\s+(?:began|started|erupted|broke\s+out))\b",
        "since the conflict began",
    ),  # noqa: E501
]
_CONTEXT_AFTER_RE = [(re.compile(p, re.I), label) for p, label in _CONTEXT_AFTER]
_CONTEXT_BEFORE_RE = [(re.compile(p, re.I), label) for p, label in _CONTEXT_BEFORE]


#: substrings of every casualty cue (plain `in` tests are far cheaper than a regex here)
_CUE_STEMS = (
    "kill",
    "dead",
    "gunned",
    "died",
    "die",
    "death",
    "wound",
    "injur",
    "hurt",
    "toll",
    "lives",
    "fatalit",
    "perish",
    "slain",
    "maim",
)


_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"[a-z]+")


@dataclass(slots=True)
class CasualtyFigure:
    """One reported figure in a sentence; offsets are into that sentence."""

    kind: CasualtyKind
    count: Casualties
    start: int  # start of the quantity (incl. its qualifier)
    end: int  # end of the phrase (quantity through its cue)
    cue: str = ""  # the word that made it a casualty figure: "killed", "death toll", ...
    civilians: bool = False
    children: bool = False
    civilians_count: int | None = None
    children_count: int | None = None
    is_context: bool = False
    context_cue: str = ""  # why it is context: "since a past date", "in total", ...


def _group_flags(text: str) -> tuple[bool, bool]:
    children = bool(_CHILD_RE.search(text))
    civilians = children or bool(_CIVILIAN_RE.search(text))
    return civilians, children


def _clause_end(sentence: str, start: int, stop: int) -> int:
    m = re.compile(r"[,;:()]|\s[-–—]\s").search(sentence, start, stop)
    return m.start() if m else stop


def _context_cue(sentence: str, before_from: int, start: int, end: int, after_to: int) -> str:
    after = sentence[end : _clause_end(sentence, end, after_to)]
    for rx, label in _CONTEXT_AFTER_RE:
        if rx.search(after):
            return label
    before = sentence[before_from:start]
    for rx, label in _CONTEXT_BEFORE_RE:
        if rx.search(before):
            return label
    return ""


def cue_stem_spans(text: str) -> list[tuple[int, int]] | None:
    """Sorted ``(start, end)`` of every casualty cue stem in ``text.lower()``, or ``None``
    when lowercasing changes the text's length (so offsets would not line up).

    A sentence ``text[a:b]`` with no span inside ``[a, b)`` gets no figures from
    :func:`parse_casualties`: one pass over an article instead of a test per sentence.
    """
    low = text.lower()
    if len(low) != len(text):
        return None
    spans = []
    for stem in _CUE_STEMS:
        size = len(stem)
        i = low.find(stem)
        while i >= 0:
            spans.append((i, i + size))
            i = low.find(stem, i + 1)
    spans.sort()
    return spans


def parse_casualties(sentence: str) -> list[CasualtyFigure]:
    """All killed/injured figures in ``sentence``, in order (parts folded in)."""
    low = sentence.lower()
    for stem in _CUE_STEMS:
        if stem in low:
            break
    else:
        return []  # most sentences: no casualty word at all, skip the number parsing
    if not _DIGIT_RE.search(sentence) and NUMBER_WORDS.isdisjoint(_WORD_RE.findall(low)):
        return []
    quantities = _people_counts(sentence)
    figures: list[CasualtyFigure] = []
    prev_end = 0
    last_was_figure = False
    for i, (m, count) in enumerate(quantities):
        next_start = quantities[i + 1][0].start() if i + 1 < len(quantities) else len(sentence)
        prefix = sentence[prev_end : m.start()]
        if last_was_figure and _PART_RE.search(prefix):
            _add_part(
                figures[-1], sentence[m.start() : _clause_end(sentence, m.end(), next_start)], count
            )
            prev_end = max(prev_end, m.end())
            continue
        last_was_figure = False
        # a part ("33 people, including 5 children, were killed") does not end the window
        j = i + 1
        while j < len(quantities) and _PART_RE.search(
            sentence[quantities[j - 1][0].end() : quantities[j][0].start()]
        ):
            j += 1
        next_start = quantities[j][0].start() if j < len(quantities) else len(sentence)
        kind, cue, end = _kind_and_cue(sentence, prefix, m, next_start, j < len(quantities))
        if kind is None:
            prev_end = m.end()
            continue
        figures.append(_figure(sentence, m, count, kind, cue, end, prev_end, next_start))
        prev_end = m.end() if end > m.end() and j > i + 1 else end
        last_was_figure = True
    return figures


def _people_counts(sentence: str) -> list[tuple[re.Match[str], Casualties]]:
    """The quantities of ``sentence`` that can count people (not years, "one of", "no one")."""
    quantities: list[tuple[re.Match[str], Casualties]] = []
    for m in QUANTITY_RE.finditer(sentence):
        c = quantity_to_casualties(m)
        if c is None:
            continue
        if _NOT_PEOPLE_RE.match(sentence, m.end()):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", m.group(0)) and (
            _YEAR_PREFIX_RE.search(sentence[: m.start()])
            or not _PEOPLE_NEXT_RE.match(sentence, m.end())
        ):
            continue  # a year ("in 2011", "the 1984 convention"), not "2000 people"
        if re.fullmatch(r"one", m.group(0), re.I) and re.match(r"\s+of\b", sentence[m.end() :]):
            continue  # "one of the factors"
        if re.search(r"\bno\s*$", sentence[max(0, m.start() - 4) : m.start()], re.I):
            continue  # "no one was killed"
        quantities.append((m, c))
    return quantities


def _kind_and_cue(
    sentence: str, prefix: str, m: re.Match[str], next_start: int, more: bool
) -> tuple[CasualtyKind | None, str, int]:
    """``(kind, cue, end)`` of the quantity ``m``: a cue before it ("killed 5") or after it
    within the window ("5 were killed"); ``(None, "", m.end())`` when it has none.
    ``more``: another quantity follows (at ``next_start``)."""
    b = _BEFORE_RE.search(prefix)
    if b:
        return (
            ("injured" if b.group("w") else "killed"),
            re.sub(r"\s+", " ", b.group(0).strip()),
            m.end(),
        )
    window = sentence[m.end() : min(next_start, m.end() + _AFTER_MAX)]
    a = _AFTER_RE.search(window)
    if a and not (more and not window[a.end() :].strip() and next_start <= m.end() + _AFTER_MAX):
        if not re.search(r"[.;:]|--|\s[—–]\s|—", window[: a.start()]):
            return ("injured" if a.group("w") else "killed"), a.group(0), m.end() + a.end()
    return None, "", m.end()


def _figure(
    sentence: str,
    m: re.Match[str],
    count: Casualties,
    kind: CasualtyKind,
    cue: str,
    end: int,
    prev_end: int,
    next_start: int,
) -> CasualtyFigure:
    """The figure of quantity ``m`` with the flags of the words around it."""
    group_text = sentence[max(prev_end, m.start() - 40) : _clause_end(sentence, end, next_start)]
    # "killed 33 civilians, including children": the part clause after the comma belongs too
    tail = re.match(
        r"\s*,\s*(?:including|among\s+them|mostly|many\s+of\s+them)\b[^,;.]*",
        sentence[_clause_end(sentence, end, next_start) : next_start],
    )
    if tail:
        group_text += tail.group(0)
    civilians, children = _group_flags(group_text)
    context = _context_cue(sentence, prev_end, m.start(), end, next_start)
    return CasualtyFigure(
        kind=kind,
        count=count,
        start=m.start(),
        end=end,
        cue=cue,
        civilians=civilians,
        children=children,
        civilians_count=count.best if _CIVILIAN_RE.match(sentence, m.end() + 1) else None,
        children_count=count.best if _CHILD_RE.match(sentence, m.end() + 1) else None,
        is_context=bool(context),
        context_cue=context,
    )


def _add_part(figure: CasualtyFigure, part_text: str, count: Casualties) -> None:
    civilians, children = _group_flags(part_text)
    if children:
        figure.children = True
        figure.children_count = count.best
    if civilians:
        figure.civilians = True
        if not children:
            figure.civilians_count = count.best
