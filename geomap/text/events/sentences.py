"""Sentences with their character offsets into the article text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = frozenset(
    "mr mrs ms dr st gen lt col sgt capt maj cpl pvt rev prof sen rep gov pres jr sr inc ltd co "
    "corp "
    "no vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx dept est govt".split()
)
_INITIALS_RE = re.compile(r"(?:[a-z]\.)*[a-z]")
# one branch starting with a character set, so the regex engine can skip ahead quickly
_BOUNDARY_RE = re.compile(r"[.!?…\n](?:(?<=\n)\n*|[.!?…]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]))")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into ``text`` (whitespace trimmed)."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        at, after = m.span()
        first = text[at]
        if first == ".":
            head = text[max(start, at - 24) : at]
            cut = max(head.rfind(" "), head.rfind("\n"))
            bare = head[cut + 1 :].lstrip("\"'“‘(").lower()
            # "U.S.", "U.N.", "Dr.", single initials: not a sentence end
            if bare in _ABBREV or _INITIALS_RE.fullmatch(bare):
                continue
        _add_sentence(out, text, start, at if first == "\n" else after)
        start = after
    _add_sentence(out, text, start, len(text))
    return out


def _add_sentence(out: list[Sentence], text: str, s: int, e: int) -> None:
    seg = text[s:e]
    stripped = seg.strip()
    if stripped:
        # only white space stands before the first character of ``stripped``
        s += seg.find(stripped[0])
        out.append(Sentence(len(out), s, s + len(stripped), stripped))
