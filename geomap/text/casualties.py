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
from geomap.text.background import clause_end, context_cue
from geomap.text.quantities import NUMBER_WORDS, QUANTITY_RE, quantity_to_casualties
from geomap.text.victims import PERSON_NOUNS, implicit_victims
from geomap.text.wordstart import guarded

CasualtyKind = Literal["killed", "injured"]

_KILL_WORDS = (
    r"kil+ed|killing|kills|kill|shot\s+dead|gunned\s+down|shot\s+and\s+kil+ed|"
    r"claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of|took\s+the\s+lives\s+of|"
    r"beheaded|beheading|executed|executing|assassinated|murdered|murdering|massacred|"
    r"massacring|slaughtered|lynched"
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
_AFTER_RE = guarded(
    r"\b(?:(?P<k>kil+ed|dead|died|dies|die|deaths|death|lost\s+their\s+lives|fatalit(?:y|ies)|"
    r"perished|slain|KIA|bodies|beheaded|executed|assassinated|murdered|massacred|lynched)"
    r"|(?P<w>wounded|injured|hurt|injuries|maimed))\b",
    re.IGNORECASE,
)
#: "killed or wounded": the two are not told apart, so the figure is no death toll
_EITHER_RE = re.compile(r"\s+or\s+(?:wounded|injured|hurt|missing)\b", re.I)
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
    r"(?:air)?strikes|raids?|sorties|villages?|towns?|buildings?|homes?|houses?|shops?|stores?|"
    r"dollars?|euros?|pounds|tons?|tonnes?|a\.m\.|p\.m\.|am\b|pm\b|o'clock|mm|cm|kg|"
    r"head|cattle|livestock|goats?|sheep|camels?|cows?|animals?|vehicles?|cars?|trucks?|"
    r"motorcycles?|boats?|rounds?|projectiles?|explosions?|bursts?|shots?|bullets?|weapons?|"
    r"guns?|rifles?|pistols?|hectares?|acres?|litres?|liters?|barrels?|positions?|"
    r"checkpoints?|posts?|bases?|(?:st|nd|rd|th)\b|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?)\b",
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
#: words just before a number that make it a name, a date, a unit size or an age, not a count:
#: "battalion 377", "Resolution 2254", "on May 5", "a unit of 300 soldiers", "aged 45"
_NOT_COUNT_BEFORE_RE = re.compile(
    rf"(?:\b(?:battalion|brigade|division|regiment|resolution|route|highway|road|street|zone|"
    rf"zona|article|section|number|no\.|moo|kilometre|kilometer|km|hill|height|sector|block|"
    rf"flight|phase|squad|platoon|camp|pd|precinct|district|ward|gate|line|level|(?:{_MONTHS}))"
    rf"\.?\s+|\b(?:unit|group|convoy|force|contingent|team|column|company|crowd|delegation|"
    rf"gathering|population|fleet)\s+of\s+|\baged?\s+(?:of\s+)?|[:/])$",
    re.I,
)
#: words after a number that make it a time, a date or an address
_NOT_COUNT_AFTER_RE = re.compile(
    r"(?:[:/]\d|\s*(?:\+\d|years?\s+old)|(?:\s+[A-Z][\w-]*){0,2}\s+"
    r"(?:road|street|avenue|highway|route|boulevard|lane)\b)",
    re.I,
)

_CHILD_RE = guarded(
    r"\b(?:children|child|kids|boys|girls|minors|infants|babies|toddlers|schoolchildren|"
    r"pupils|schoolboys|schoolgirls|teenagers)\b",
    re.IGNORECASE,
)
_CIVILIAN_RE = guarded(
    r"\b(?:civilians?|residents|villagers|worshippers|worshipers|passengers|shoppers|"
    r"women|pilgrims|farmers|patients|refugees|bystanders|non-combatants)\b",
    re.IGNORECASE,
)

#: substrings of every casualty cue (plain `in` tests are far cheaper than a regex here)
_CUE_STEMS = (
    "kil",
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
    "behead",
    "execut",
    "assassin",
    "murder",
    "massacr",
    "slaughter",
    "lynch",
    "bodies",
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
    nouns: tuple[str, ...] = ()  # who: the people nouns of the figure ("soldiers", "militants")
    additive: bool = False  # "2 other policemen", "4 more", "also 13": more deaths, not the same


def _group_flags(text: str) -> tuple[bool, bool]:
    children = bool(_CHILD_RE.search(text))
    civilians = children or bool(_CIVILIAN_RE.search(text))
    return civilians, children


_clause_end = clause_end


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
    """All killed/injured figures in ``sentence``, in order (parts folded in).

    Figures in a list share the cue after the last one ("3 soldiers and 11
    militants were killed"); people named without a number count too ("killed a
    villager", "the officer died": see :func:`geomap.text.victims.implicit_victims`).
    """
    low = sentence.lower()
    for stem in _CUE_STEMS:
        if stem in low:
            break
    else:
        return []  # most sentences: no casualty word at all, skip the number parsing
    figures: list[CasualtyFigure] = []
    if _DIGIT_RE.search(sentence) or not NUMBER_WORDS.isdisjoint(_WORD_RE.findall(low)):
        figures = _numeric_figures(sentence)
    for v in implicit_victims(sentence):
        if any(f.start < v.end and v.start < f.end for f in figures):
            continue
        count = Casualties(low=v.count, best=v.count, high=v.count, qualifier="exact",
                           text=sentence[v.start : v.end])  # fmt: skip
        fig = _figure(sentence, v.start, v.end, count, "killed", "killed", v.end, 0, len(sentence))
        fig.nouns = v.nouns
        figures.append(fig)
    return sorted(figures, key=lambda f: f.start)


def _numeric_figures(sentence: str) -> list[CasualtyFigure]:
    """The figures of the quantities of ``sentence`` (see :func:`parse_casualties`)."""
    quantities = _people_counts(sentence)
    figures: list[CasualtyFigure] = []
    by_index: dict[int, CasualtyFigure] = {}
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
            by_index[i] = figures[-1]
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
        fig = _figure(sentence, m.start(), m.end(), count, kind, cue, end, prev_end, next_start)
        figures.append(fig)
        by_index[i] = fig
        prev_end = m.end() if end > m.end() and j > i + 1 else end
        last_was_figure = True
    figures += _chained(sentence, quantities, by_index)
    return sorted(figures, key=lambda f: f.start)


#: what may stand between two figures of one list: the first one's people, then "and" or a comma
_CHAIN_GAP_RE = re.compile(
    r"\A\s*(?:\([^()]{0,30}\)\s*)?(?:[\w'’-]+\s+){0,4}?(?:[\w'’-]+\s*)?(?:\([^()]{0,30}\)\s*)?"
    r"(?:,\s*(?:and\s+)?|and\s+|as\s+well\s+as\s+|in\s+addition\s+to\s+|plus\s+|along\s+with\s+)\Z",
    re.I,
)
_GAP_VERB_RE = re.compile(
    r"\b(?:was|were|is|are|has|have|had|kil+ed|killing|died|dead|wounded|injured|hurt|arrested|"
    r"abducted|kidnapped|missing|displaced)\b",
    re.I,
)


def _chained(
    sentence: str,
    quantities: list[tuple[re.Match[str], Casualties]],
    by_index: dict[int, CasualtyFigure],
) -> list[CasualtyFigure]:
    """Figures for the quantities of a list that share one cue: "3 soldiers and 11 militants
    were killed" (the cue after the last), "killed 1 official and 3 of his guards" (before
    the first)."""
    out: list[CasualtyFigure] = []
    # a cue after the quantity: the figure's phrase runs past it
    after = {i for i, f in by_index.items() if f.end > quantities[i][0].end()}

    def gap_ok(a: int, b: int) -> bool:
        gap = sentence[quantities[a][0].end() : quantities[b][0].start()]
        return bool(_CHAIN_GAP_RE.match(gap)) and not _GAP_VERB_RE.search(gap)

    for i in range(len(quantities) - 2, -1, -1):  # backwards: a cue after the last one
        if i not in by_index and i + 1 in after and gap_ok(i, i + 1):
            by_index[i] = _like(sentence, quantities[i], by_index[i + 1])
            after.add(i)
            out.append(by_index[i])
    for i in range(1, len(quantities)):  # forwards: a cue before the first one
        prev = by_index.get(i - 1)
        if i in by_index or prev is None or i - 1 in after:
            continue
        if gap_ok(i - 1, i):
            by_index[i] = _like(sentence, quantities[i], prev)
            out.append(by_index[i])
    return out


def _like(
    sentence: str, quantity: tuple[re.Match[str], Casualties], other: CasualtyFigure
) -> CasualtyFigure:
    """The figure of ``quantity`` with the kind and cue of ``other``, a figure of its list."""
    m, count = quantity
    fig = _figure(sentence, m.start(), m.end(), count, other.kind, other.cue, m.end(), 0,
                  len(sentence))  # fmt: skip
    fig.is_context, fig.context_cue = other.is_context, other.context_cue
    return fig


# compiled once: these run for every quantity of a sentence
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_ONE_RE = re.compile(r"one", re.I)
_OF_AFTER_RE = re.compile(r"\s+of\b")
_NO_BEFORE_RE = re.compile(r"\bno\s*$", re.I)


def _people_counts(sentence: str) -> list[tuple[re.Match[str], Casualties]]:
    """The quantities of ``sentence`` that can count people (not years, "one of", "no one")."""
    quantities: list[tuple[re.Match[str], Casualties]] = []
    for m in QUANTITY_RE.finditer(sentence):
        c = quantity_to_casualties(m)
        if c is None:
            continue
        if _NOT_PEOPLE_RE.match(sentence, m.end()) or _NOT_COUNT_AFTER_RE.match(sentence, m.end()):
            continue
        if _NOT_COUNT_BEFORE_RE.search(sentence[max(0, m.start() - 30) : m.start()]):
            continue
        if _YEAR_RE.fullmatch(m.group(0)) and (
            _YEAR_PREFIX_RE.search(sentence[: m.start()])
            or not _PEOPLE_NEXT_RE.match(sentence, m.end())
        ):
            continue  # a year ("in 2011", "the 1984 convention"), not "2000 people"
        if _ONE_RE.fullmatch(m.group(0)) and _OF_AFTER_RE.match(sentence[m.end() :]):
            continue  # "one of the factors"
        if _NO_BEFORE_RE.search(sentence[max(0, m.start() - 4) : m.start()]):
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
            if a.group("k") and _EITHER_RE.match(window, a.end()):
                return None, "", m.end()  # "killed or wounded": neither is known
            return ("injured" if a.group("w") else "killed"), a.group(0), m.end() + a.end()
    return None, "", m.end()


_ADDITIVE_RE = re.compile(
    r"\b(?:other|others|another|more(?!\s+than)|also|additional|further|too|as\s+well)\b", re.I
)
_NOUN_WORDS_RE = re.compile(r"[a-z]+")


def _figure(
    sentence: str,
    start: int,
    q_end: int,
    count: Casualties,
    kind: CasualtyKind,
    cue: str,
    end: int,
    prev_end: int,
    next_start: int,
) -> CasualtyFigure:
    """The figure of the quantity ``sentence[start:q_end]`` with the flags of the words around
    it; ``end`` is where its phrase ends (its cue, when the cue comes after)."""
    group_text = sentence[max(prev_end, start - 40) : _clause_end(sentence, end, next_start)]
    # "killed 33 civilians, including children": the part clause after the comma belongs too
    tail = re.match(
        r"\s*,\s*(?:including|among\s+them|mostly|many\s+of\s+them)\b[^,;.]*",
        sentence[_clause_end(sentence, end, next_start) : next_start],
    )
    if tail:
        group_text += tail.group(0)
    civilians, children = _group_flags(group_text)
    context = context_cue(sentence, prev_end, start, end, next_start)
    own = sentence[start : max(end, min(len(sentence), q_end + 40))]
    nouns = tuple(w for w in _NOUN_WORDS_RE.findall(own.lower()) if w in PERSON_NOUNS)
    return CasualtyFigure(
        kind=kind,
        count=count,
        start=start,
        end=end,
        cue=cue,
        civilians=civilians,
        children=children,
        civilians_count=count.best if _CIVILIAN_RE.match(sentence, q_end + 1) else None,
        children_count=count.best if _CHILD_RE.match(sentence, q_end + 1) else None,
        is_context=bool(context),
        context_cue=context,
        nouns=nouns[:3],
        additive=bool(
            _ADDITIVE_RE.search(sentence[start:end])
            or _ADDITIVE_RE.search(sentence[max(0, start - 25) : start])
        ),
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
