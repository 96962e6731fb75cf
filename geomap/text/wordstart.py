"""Long alternations of words, matched only at word starts, tried by their first letter.

A pattern ``(?<![\\w-])(?:A1|A2|...|An)...`` with many alternatives is slow in
Python's regex engine: at every word start it tries every alternative in turn.
:class:`WordStartIndex` gives the same matches, in the same order, as
``full.finditer(text)``: at each word start it runs a pattern made of the
alternatives that can begin with that letter (their order kept), so an
alternative that cannot match there is never tried.

:func:`first_chars` says which characters an alternative can begin with (read
from the regex parser); ``None`` means it cannot tell, and such an alternative
is kept for every letter.  A word start whose character is not ASCII is
matched by the full pattern (case-insensitive matching pairs a few non-ASCII
characters with ASCII letters, such as the Kelvin sign with "k").
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

# the parser of the standard library's regex engine (``re._parser``; ``sre_parse`` is
# its deprecated name)
_PARSER = importlib.import_module("re._parser")
_C = importlib.import_module("re._constants")

#: positions where ``(?<![\w-])`` holds and a word character starts
WORD_START_RE = re.compile(r"(?<![\w-])\w")


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The lowercased ASCII word characters a match of ``pattern`` can begin with, or
    ``None`` when that cannot be told (a class like ``\\w``, an empty match, a non-ASCII
    or non-word first character)."""
    chars, nullable = _first(_PARSER.parse(pattern, flags))
    if chars is None or nullable:
        return None
    low = {c.lower() for c in chars}
    if not all(c.isascii() and (c.isalnum() or c == "_") for c in low):
        return None
    return frozenset(low)


def _first(items: object) -> tuple[set[str] | None, bool]:
    """(first characters or None for any, whether the sequence can match empty)."""
    out: set[str] = set()
    for op, av in items:  # type: ignore[attr-defined]
        if op == _C.ASSERT_NOT and not av[1]:  # type: ignore[index]
            return out, False  # (?!) never matches: nothing after it can begin a match
        if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
            continue  # zero-width: the next item gives the first character
        if op == _C.LITERAL:
            out.add(chr(av))
            return out, False
        if op == _C.IN:
            chars = _in_chars(av)
            if chars is None:
                return None, False
            return out | chars, False
        if op == _C.SUBPATTERN:
            sub, nullable = _first(av[-1])
        elif op == _C.BRANCH:
            sub, nullable = set(), False
            for branch in av[1]:
                got, empty = _first(branch)
                if got is None:
                    return None, False
                sub |= got
                nullable = nullable or empty
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            sub, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


def _in_chars(av: list[tuple[object, object]]) -> set[str] | None:
    chars: set[str] = set()
    for op, v in av:
        if op == _C.LITERAL:
            chars.add(chr(v))  # type: ignore[arg-type]
        elif op == _C.RANGE and v[1] - v[0] <= 64:  # type: ignore[index, operator]
            chars.update(chr(i) for i in range(v[0], v[1] + 1))  # type: ignore[index, operator]
        else:
            return None
    return chars


_GROUP_RE = re.compile(r"\(\?P<(\w+)>")
#: the same alternatives are read for every letter
_first_chars = lru_cache(maxsize=512)(first_chars)


def starting_with(c: str, alternatives: list[str], flags: int = 0) -> str:
    """``"|".join(alternatives)`` as tried at a word start whose first character is ``c``
    (a lowercase ASCII word character): an alternative that cannot begin with ``c`` is
    replaced by one that never matches but keeps its named groups (so ``m.group(name)``
    still answers, ``None``).  At such a word start it matches what the whole does."""
    kept = []
    for alt in alternatives:
        chars = _first_chars(alt, flags)
        if chars is None or c in chars:
            kept.append(alt)
        else:
            kept.append("(?!)" + "".join(f"(?P<{g}>)" for g in _GROUP_RE.findall(alt)))
    return "|".join(kept)


def narrowed(c: str, alternatives: list[str], flags: int = 0) -> str:
    """``(?:A1|...|An)`` keeping only the alternatives that can begin with ``c`` (a
    lowercase ASCII word character), in their order; ``(?!)`` when none can.  Where a
    match begins with ``c`` it matches what the whole alternation does."""
    kept = [alt for alt in alternatives
            if (chars := _first_chars(alt, flags)) is None or c in chars]  # fmt: skip
    return f"(?:{'|'.join(kept)})" if kept else "(?!)"


class WordStartIndex:
    """``finditer(text)``: the matches of ``full`` (a pattern that matches only at word
    starts, ``(?<![\\w-])``, beginning with a word character), found with ``bucket(c)``,
    the pattern of the alternatives that can begin with the letter ``c``."""

    def __init__(self, full: re.Pattern[str], bucket: Callable[[str], str]) -> None:
        self.full = full
        self._bucket = bucket
        self._compiled: dict[str, re.Pattern[str]] = {}
        for c in "abcdefghijklmnopqrstuvwxyz0123456789_":
            self.pattern_for(c)  # compiled once, up front, not in the middle of a batch
        #: the pattern to try at a word start, by its character as written (an ASCII word
        #: character; any other one is tried with ``full``): ``by_char.get(c, full)``
        self.by_char: dict[str, re.Pattern[str]] = {
            **self._compiled,
            **{c.upper(): rx for c, rx in self._compiled.items() if c.isalpha()},
        }

    def pattern_for(self, c: str) -> re.Pattern[str]:
        rx = self._compiled.get(c)
        if rx is None:
            rx = self._compiled[c] = re.compile(self._bucket(c), self.full.flags)
        return rx

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for w in WORD_START_RE.finditer(text):
            p = w.start()
            if p < end:
                continue
            m = self.by_char.get(text[p], self.full).match(text, p)
            if m is not None:
                yield m
                end = m.end()


#: the non-ASCII characters that case-insensitive matching takes for ASCII letters, beside
#: those that ``str.lower`` already lowers to one (the Kelvin sign)
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def folded(text: str) -> str:
    """``text`` lowercased so that a word an ``re.I`` pattern of ASCII letters matches in
    ``text`` is a substring of it: a cheap, exact test before running the pattern."""
    if text.isascii():
        return text.lower()
    return text.translate(_ASCII_FOLDS).lower()


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, quicker: a pattern that opens with ``\\b`` gets a
    look-ahead for the characters its matches can begin with (``\\b(?=[abs])...``), so the
    regex engine gives up at most word starts at once.  The matches are the same."""
    chars = first_chars(pattern, flags) if pattern.startswith(r"\b") else None
    if chars:
        pattern = rf"\b(?=[{''.join(sorted(chars))}])" + pattern[2:]
    return re.compile(pattern, flags)
