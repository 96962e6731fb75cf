"""Word tokens, runs of capitalised tokens ("chunks") and the parts of a place phrase.

A mention such as "northern Homs countryside" is split by :func:`parse_phrase`
into a direction, the name and a region word, with a "near"-type word found
just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.text.lexicon import DIRECTIONS, HYPHEN_PARTICLES, PARTICLES, place_heads, trie_regex

#: Lowercase words just before a name that mean "somewhere near it".
NEAR_WORDS = (
    "near",
    "nearby",
    "outside",
    "outside of",
    "outskirts of",
    "suburbs of",
    "around",
    "close to",
    "countryside of",
    "vicinity of",
    "north of",
    "south of",
    "east of",
    "west of",
    "northeast of",
    "northwest of",
    "southeast of",
    "southwest of",
    "km from",
    "kilometres from",
    "kilometers from",
    "miles from",
)
_NEAR_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(NEAR_WORDS, key=len, reverse=True))
    + r")\s+(?:the\s+)?$"
)

#: what the text just before a mention ends with, stripped, when _NEAR_RE can match there
_NEAR_ENDINGS = tuple(sorted({w.split()[-1] for w in NEAR_WORDS} | {"the"}))

_WORD_RE = re.compile(r"\S+")

TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}"  # initialisms: U.S., B.C., U.S.A.
    r"|[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*"  # words, "d'Ivoire" kept whole, "'s" not
)


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str  # normalised form
    cap: bool  # starts with an uppercase letter
    initial: bool  # first word of a sentence, line or quotation


_ABBREVIATED = frozenset({"St", "Ste", "Mt", "Ft", "Pt"})
_QUOTES_AND_SPACE = " \t\r\"'“”‘’()[]—–-"
_INITIAL_STOPS = ".!?:;\n"


def scan_pattern(keep: frozenset[str]) -> re.Pattern[str]:
    """A token pattern that finds only what recognition looks at: initialisms,
    words starting with a capital (or any non-ASCII letter, checked after) and the
    ``keep`` words; ordinary lowercase words are skipped by the regex engine."""
    words = trie_regex(keep)
    return re.compile(
        r"(?<!\w)(?:"
        r"(?:[^\W\d_]\.){2,}"
        r"|[^\W\d_a-z][^\W\d_]*(?:['’](?![sS]\b)[^\W\d_]+)*"
        r"|(?:" + words + r")(?!\w)(?!['’](?![sS]\b)[^\W\d_])"
        r")"
    )


#: capitalised word -> its folded key (``normalize``), for every document read
_KEYS: dict[str, str] = {}


def tokenize(
    text: str, *, keep: frozenset[str] | None = None, pattern: re.Pattern[str] = TOKEN_RE
) -> list[Token]:
    """Word tokens of ``text``; only capitalised ones get the full folded key.

    With ``keep``, lowercase words outside it are skipped (the recogniser only
    looks at capitalised words and a few lowercase ones; two tokens with a
    skipped word between them are never adjacent, since the gap is not blank).
    ``pattern=scan_pattern(keep)`` has the regex engine skip them, which is faster.
    """
    from geomap.gazetteer import normalize

    tokens: list[Token] = []
    append = tokens.append
    keys = _KEYS  # a name recurs in a document and across documents: fold it once
    if len(keys) > 100_000:
        keys.clear()
    stops = _INITIAL_STOPS
    skip = _QUOTES_AND_SPACE
    for m in pattern.finditer(text):
        word = m.group()
        if word[0].isupper():
            start, end = m.span()
            key = keys.get(word)
            if key is None:
                key = keys[word] = normalize(word)
            # initial: the word opens a sentence, line or quotation
            i = start - 1
            while i >= 0 and text[i] in skip:
                i -= 1
            append(Token(start, end, word, key, True, i < 0 or text[i] in stops))
        elif keep is None or word in keep:
            start, end = m.span()
            append(Token(start, end, word, word, False, False))
    return tokens


def joined(text: str, left: Token, right: Token) -> bool:
    """Do two neighbouring tokens belong to one name (only a space or hyphen between)?"""
    gap = text[left.end : right.start]
    if gap == ". " and (left.text in _ABBREVIATED or (len(left.text) == 1 and left.cap)):
        return True  # "St. Petersburg", "Ft. Worth", "Tyrise M. Bell"
    if gap == "." and len(left.text) == 1 and left.cap:
        return True  # "W.Va.", "D.C" written as letters and dots
    return gap in (" ", "-", "‐", "'", "’") or (gap.strip(" \t") == "" and "\n" not in gap)


def chunks(text: str, tokens: list[Token]) -> list[list[int]]:
    """Index runs of capitalised tokens, particles allowed inside."""
    out: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.cap:
            inside = True
        elif current:
            key = tok.key
            inside = key in PARTICLES or (
                key in HYPHEN_PARTICLES and text[tok.start - 1 : tok.start] == "-"
            )
        else:
            inside = False
        if inside and current:
            last = tokens[current[-1]]
            a, b = last.end, tok.start
            # answered without the call: a single space joins (the common case), a longer gap
            # joins only when all blank ("Syria has warned Russia": words between)
            if (b - a != 1 or text[a] != " ") and (
                (b - a > 2 and (text[a] not in " \t" or text[a + 1] not in " \t"))
                or not joined(text, last, tok)
            ):
                inside = tok.cap
                out.append(current)
                current = []
        if inside:
            current.append(i)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    # particles cannot end a chunk
    cleaned = []
    for chunk in out:
        while chunk and not tokens[chunk[-1]].cap:
            chunk.pop()
        if chunk:
            cleaned.append(chunk)
    return cleaned


@dataclass(frozen=True, slots=True)
class Phrase:
    """How a mention's text splits into modifier, name and region word."""

    name: str  # the place name itself ("Homs"), what is looked up
    name_start: int
    name_end: int
    direction: str = ""  # "northern", "" when none
    head: str = ""  # "province", "countryside", "" when none
    near: str = ""  # "near", "outskirts of", ... found just before the mention
    label_start: int = -1  # the proper name as written: "Laurel County", but "Homs" of
    label_end: int = -1  # "Homs province" (a capitalised region word is part of the name)


def parse_phrase(text: str, start: int, end: int) -> Phrase:
    """Split the mention ``text[start:end]`` into direction, name and region word,
    and look just before it for a "near"-type word."""
    seg = text[start:end]
    if len(seg.split(None, 1)) == 1 and not seg[:1].isspace() and not seg[-1:].isspace():
        words = [(start, end, seg)]  # one word, as most mentions are
    else:
        words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD_RE.finditer(seg)]
    direction = head = ""
    if len(words) > 1 and words[0][2] in DIRECTIONS:  # lowercase only: "West Bank" is a name
        direction = words[0][2].lower()
        words = words[1:]
    heads = place_heads()
    if len(words) > 1 and words[-1][2].lower() in heads:
        head = words[-1][2].lower()
        words = words[:-1]
    name_start, name_end = words[0][0], words[-1][1]
    label_end = name_end
    if head and head != "state" and text[name_end:end].strip()[:1].isupper():
        label_end = end  # "Laurel County" is a name; "Ohio State" is mostly a university
    return Phrase(text[name_start:name_end], name_start, name_end, direction, head,
                  near_word(text, start), name_start, label_end)


def near_word(text: str, start: int) -> str:
    """The "near"-type word (:data:`NEAR_WORDS`) just before ``text[start:]``, or ""."""
    before = text[max(0, start - 40) : start].lower()
    # a match ends in white space, after a near word or "the": most mentions follow neither
    if not before[-1:].isspace() or not before.rstrip().endswith(_NEAR_ENDINGS):
        return ""
    found = _NEAR_RE.search(before)
    return found.group(1) if found else ""
