"""Quantities in text ("33", "at least 33", "twenty-five", "dozens") and the ranges they give.

How a quantity becomes a range (:class:`~geomap.model.Casualties`):

=================================  ======  ======  ======  ===========
phrase                             low     best    high    qualifier
=================================  ======  ======  ======  ===========
"33"                               33      33      33      exact
"at least 33"                      33      33      None    at least
"more than 250,000", "over"        250001  250001  None    more than
"about / some / around 20"         None    20      None    about
"nearly / almost 20"               None    20      20      nearly
"up to 10", "as many as 10"        None    10      10      up to
"fewer than 10"                    None    9       9       fewer than
"10 to 15", "between 10 and 15"    10      12      15      range
"a dozen"                          None    12      None    about
"dozens" / "scores" / "hundreds"   24/40/200  36/60/300  None  vague
=================================  ======  ======  ======  ===========
"""

from __future__ import annotations

import re

from geomap.model import Casualties
from geomap.text.wordstart import folded

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

#: vague quantity -> (low, best).  "dozens" is at least two dozen, and so on.
VAGUE: dict[str, tuple[int, int]] = {
    "a few": (2, 3),
    "a handful": (3, 5),
    "several": (3, 5),
    "several dozen": (24, 36),
    "dozens": (24, 36),
    "scores": (40, 60),
    "hundreds": (200, 300),
    "thousands": (2_000, 3_000),
    "tens of thousands": (20_000, 30_000),
    "hundreds of thousands": (200_000, 300_000),
    "millions": (2_000_000, 3_000_000),
}

_QUALIFIERS = {
    "at least": "at least", "no fewer than": "at least", "not less than": "at least",
    "a minimum of": "at least",
    "more than": "more than", "over": "more than", "upwards of": "more than",
    "in excess of": "more than",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "an estimated": "about", "estimated": "about", "close to": "about",
    "nearly": "nearly", "almost": "nearly",
    "up to": "up to", "as many as": "up to", "at most": "up to",
    "fewer than": "fewer than", "less than": "fewer than", "under": "fewer than",
}  # fmt: skip

_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_SCALE = "hundred|thousand|million|billion"
_WORDNUM = (
    rf"(?:(?:a|an)\s+(?:{_SCALE})|(?:{_WORD}|{_SCALE}))(?:(?:\s+and\s+|\s+|-)(?:{_WORD}|{_SCALE}))*"
)
_DIGITS = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?![\d,])|\d+(?:\.\d+)?)(?:\s+(?:{_SCALE}))?"
_DOZEN = rf"(?:a|one|half\s+a|{_WORD})\s+dozen"
_NUM = rf"(?:{_DOZEN}|{_DIGITS}|{_WORDNUM})"
_VAGUE = "|".join(
    sorted((re.escape(k).replace(r"\ ", r"\s+") for k in VAGUE), key=len, reverse=True)
)
_QUAL = "|".join(sorted((k.replace(" ", r"\s+") for k in _QUALIFIERS), key=len, reverse=True))

QUANTITY_RE = re.compile(
    rf"(?<![\w.,-])(?:"
    rf"(?P<between>between)\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})"
    rf"|(?:(?P<qual>{_QUAL})\s+)?(?:(?P<vague>{_VAGUE})"
    rf"|(?P<n1>{_NUM})(?:\s*(?:to|-|–|or)\s*(?P<n2>{_NUM}))?)"
    rf")(?![\w])",
    re.IGNORECASE,
)

#: words that can make up a quantity (a cheap test before the quantity pattern)
NUMBER_WORDS = frozenset(
    [
        *_UNITS,
        *_SCALES,
        "dozen",
        "dozens",
        "scores",
        "hundreds",
        "thousands",
        "millions",
        "several",
        "few",
        "handful",
    ]
)


# compiled once: these run for every quantity found
_SPACES_RE = re.compile(r"\s+")
_DIGITS_SCALE_RE = re.compile(rf"(\d+(?:\.\d+)?)(?: ({_SCALE}))?")
_DOZEN_OF_RE = re.compile(r"(.+?) dozen")
_WORD_SPLIT_RE = re.compile(r"[\s-]+")
_A_DOZEN_RE = re.compile(r"a\s+dozen|one\s+dozen", re.I)


def words_to_int(text: str) -> int | None:
    """``"twenty-five"`` -> 25, ``"two hundred and fifty"`` -> 250, ``"1.5 million"`` -> 1500000.

    Returns ``None`` when ``text`` is not a number.
    """
    t = text.lower().replace(",", "").strip()
    t = _SPACES_RE.sub(" ", t)
    if not t:
        return None
    m = _DIGITS_SCALE_RE.fullmatch(t)
    if m:
        value = float(m.group(1)) * (_SCALES[m.group(2)] if m.group(2) else 1)
        return int(round(value))
    m = _DOZEN_OF_RE.fullmatch(t)
    if m:
        head = m.group(1)
        if head in ("a", "one"):
            return 12
        if head == "half a":
            return 6
        inner = words_to_int(head)
        return None if inner is None else inner * 12
    total = 0
    current = 0
    seen = False
    for word in _WORD_SPLIT_RE.split(t):
        if word in ("a", "an"):
            current = max(current, 1)
            continue
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def quantity_to_casualties(match: re.Match[str]) -> Casualties | None:
    """Turn a :data:`QUANTITY_RE` match into a range (see the module table)."""
    text = match.group(0)
    if match.group("between"):
        a, b = words_to_int(match.group("b1")), words_to_int(match.group("b2"))
        if a is None or b is None or b < a:
            return None
        return Casualties(low=a, best=(a + b) // 2, high=b, qualifier="range", text=text)
    qual = _QUALIFIERS.get(_SPACES_RE.sub(" ", (match.group("qual") or "").lower()), "")
    vague = match.group("vague")
    if vague:
        # folded: "dozen\u017f" (long s) matches the pattern case-insensitively as "dozens"
        low, best = VAGUE[_SPACES_RE.sub(" ", folded(vague))]
        return Casualties(low=low, best=best, high=None, qualifier="vague", text=text)
    n = words_to_int(match.group("n1"))
    if n is None:
        return None
    if match.group("n2"):
        m = words_to_int(match.group("n2"))
        if m is not None and m > n:
            return Casualties(low=n, best=(n + m) // 2, high=m, qualifier="range", text=text)
        if m is None or m <= n:
            return None  # "5-2", a score or a date, not a range of people
    if _A_DOZEN_RE.fullmatch(match.group("n1")) and not qual:
        qual = "about"
    if qual == "at least":
        return Casualties(low=n, best=n, high=None, qualifier=qual, text=text)
    if qual == "more than":
        return Casualties(low=n + 1, best=n + 1, high=None, qualifier=qual, text=text)
    if qual == "about":
        return Casualties(low=None, best=n, high=None, qualifier=qual, text=text)
    if qual in ("nearly", "up to"):
        return Casualties(low=None, best=n, high=n, qualifier=qual, text=text)
    if qual == "fewer than":
        return Casualties(
            low=None, best=max(n - 1, 0), high=max(n - 1, 0), qualifier=qual, text=text
        )
    return Casualties(low=n, best=n, high=n, qualifier="exact", text=text)
