"""Name matches inside a run of capitalised words: the longest run of tokens whose
folded form is a gazetteer name key, a demonym, a world region or an abbreviation.

Recognition (:mod:`geomap.text.toponyms`) then judges each match in its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geomap.text.lexicon import (
    DIRECTIONS,
    HYPHEN_PARTICLES,
    PARTICLES,
    alias_table,
    comma_aliases,
    demonym_table,
    place_heads,
    region_table,
    word_set,
)
from geomap.text.names import NameIndex
from geomap.text.tokens import TOKEN_RE, Token, scan_pattern

SPEECH_VERBS = frozenset(
    "said says told added stated wrote argued asked noted explained warned insisted".split()
)

#: a match in a chunk: first and last (exclusive) token index, and "place" or "demonym"
Match = tuple[int, int, str]


def is_acronym(word: str) -> bool:
    """Two to four capitals, dots aside ("UN", "ISIS", "U.N.")."""
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isupper()


@dataclass(slots=True)
class Lexicons:
    """The word lists recognition reads, loaded once per process (:meth:`get`)."""

    stop: frozenset[str]
    titles: frozenset[str]
    given: frozenset[str]
    orgs: frozenset[str]
    media: frozenset[str]
    heads: dict[str, tuple[int, str]]
    demonyms: dict[str, str]
    aliases: dict[str, str]
    comma_aliases: frozenset[str]
    region_keys: frozenset[str]
    lowercase_keep: frozenset[str]  # the lowercase words recognition looks at
    alias_heads: frozenset[str]  # first tokens of the aliases ("U.S.", "W" of "W.Va.")
    scan: re.Pattern[str]  # finds the tokens recognition needs (see scan_pattern)
    # first word of a demonym or world region -> most words of one starting with it
    first_words: dict[str, int]

    @classmethod
    @lru_cache(maxsize=1)
    def get(cls) -> Lexicons:
        titles = word_set("titles.txt")
        keep = frozenset(PARTICLES | HYPHEN_PARTICLES | DIRECTIONS | SPEECH_VERBS
                         | set(place_heads()))
        return cls(
            stop=word_set("stopwords.txt") | titles,
            titles=titles,
            given=word_set("first_names.txt"),
            orgs=word_set("org_words.txt"),
            media=word_set("media_words.txt"),
            heads=place_heads(),
            demonyms=demonym_table(),
            aliases=alias_table(),
            comma_aliases=comma_aliases(),
            region_keys=frozenset(region_table()),
            alias_heads=frozenset(
                m.group() for m in (TOKEN_RE.search(a) for a in alias_table()) if m
            ),
            lowercase_keep=keep,
            scan=scan_pattern(keep),
            first_words=_first_words([*demonym_table(), *region_table()]),
        )


def _first_words(keys: list[str]) -> dict[str, int]:
    """First word of each key -> most words of a key starting with it."""
    out: dict[str, int] = {}
    for key in keys:
        words = key.split(" ")
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


def starts_key(index: NameIndex, tokens: list[Token], chunk: list[int]) -> bool:
    """Is the chunk's first word the start of a longer gazetteer name ("The Hague")?"""
    first = tokens[chunk[0]].key
    n = index.max_words.get(first, 0)
    for size in range(min(n, len(chunk)), 1, -1):
        if " ".join(tokens[i].key for i in chunk[:size]) in index.population:
            return True
    return False


def _alias_at(text: str, tokens: list[Token], ids: list[int], lex: Lexicons) -> int:
    """End offset of an abbreviation alias spanning ``ids`` ("Ky." after "Town, "), or -1."""
    start, end = tokens[ids[0]].start, tokens[ids[-1]].end
    surface = text[start:end]
    if not surface.endswith(".") and text[end : end + 1] == "." and surface + "." in lex.aliases:
        surface, end = surface + ".", end + 1  # "Ky." (but "the US." is "US" and a full stop)
    if surface not in lex.aliases:
        return -1
    if surface in lex.comma_aliases and not text[max(0, start - 2) : start] == ", ":
        return -1
    return end


def _limit(index: NameIndex, lex: Lexicons, key: str) -> int:
    """How many tokens from a token with ``key`` on a match can span: at most 3 or the
    most words of an index key starting with its first word, and no more than the most
    words of anything starting with that word (an index key of any length, a demonym, a
    world region): a token has at least one word, so a longer span has too many.  (An
    abbreviation of two tokens is allowed for apart.)"""
    first = key.split(" ", 1)[0]
    limit = max(index.max_words.get(first, 0), 3)
    return min(limit, max(index.reach.get(first, 1), lex.first_words.get(first, 1)))


def longest_matches(
    text: str, tokens: list[Token], chunk: list[int], index: NameIndex, lex: Lexicons
) -> list[Match]:
    """Greedy longest matches in a chunk: list of (first, last, kind)."""
    found = []
    limits = index.spans
    if len(limits) > 200_000:
        limits.clear()
    population, demonyms, alias_heads = index.population, lex.demonyms, lex.alias_heads
    region_keys, stop, comma_aliases = lex.region_keys, lex.stop, lex.comma_aliases
    n = len(chunk)
    i = 0
    while i < n:
        at = chunk[i]
        tok = tokens[at]
        match = None
        if tok.cap:
            left = n - i
            limit = 1
            if left > 1:
                limit = limits.get(tok.key, 0)
                if not limit:
                    limit = limits[tok.key] = _limit(index, lex, tok.key)
                if limit < 2 and tok.text in alias_heads:
                    limit = 2
            for size in range(min(limit, left), 0, -1):
                if size == 1:  # the common case, without a slice of the chunk
                    last, key = at, tok.key
                else:
                    ids = chunk[i : i + size]
                    last = ids[-1]
                    if not tokens[last].cap:
                        continue
                    key = " ".join([tokens[j].key for j in ids])
                if (size <= 2 and tok.text in alias_heads
                        and _alias_at(text, tokens, chunk[i : i + size], lex) >= 0):
                    match = (at, last + 1, "place")
                    break
                if key in demonyms:
                    match = (at, last + 1, "demonym")
                    break
                if size == 1 and (len(tok.text) < 3 or (
                        is_acronym(tok.text)  # "UN", "ISIS"; but "IRAN", "HOMS" in capitals
                        and population.get(key, 0) < 1_000_000)):
                    continue
                if key in population or key in region_keys:
                    if size == 1 and (key in stop or key in DIRECTIONS):
                        continue
                    if tok.key in comma_aliases:
                        continue
                    match = (at, last + 1, "place")
                    break
        if match:
            found.append(match)
            i += match[1] - match[0]
        else:
            i += 1
    return found
