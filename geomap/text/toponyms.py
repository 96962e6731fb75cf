"""Toponym recognition: find place names in text, with character offsets.

A gazetteer-driven matcher with context rules, no model needed:

1. The text is cut into word tokens; runs of capitalised tokens (with name
   particles such as "ez", "al", "de", "of" between them) form *chunks*.
2. Inside each chunk the longest run of tokens whose folded form is a name key
   of the gazetteer is a candidate ("Deir ez-Zor", "New York", "U.S.").
3. Context rules throw out person names (a title or given name before it,
   "Ashton Carter", "Secretary Kerry"), organisations and newspapers ("Security
   Council", "Washington Post"), acronyms ("UN"), common words ("We", "As",
   months, weekdays) and words the same document also writes in lowercase.
   A surname seen once in a person's name is not a place anywhere else in the
   document ("Carter said").
4. A direction word before and a region word after widen the mention to the
   whole phrase: "northern Homs countryside", "Homs province".

Demonyms ("Syrian", "Russians") are recognised only when asked for
(``demonyms=True``): they name no event location, but TR-News and LGL annotate
them as the country.

Tokens and phrases are in :mod:`geomap.text.tokens`, the word lists in
:mod:`geomap.text.lexicon`, the name-key index in :mod:`geomap.text.names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geomap.model import Mention
from geomap.text.lexicon import DIRECTIONS, PARTICLES, alias_table
from geomap.text.matches import (
    SPEECH_VERBS,
    Lexicons,
    Match,
    is_acronym,
    longest_matches,
    starts_key,
)
from geomap.text.names import NameIndex, candidates, name_index
from geomap.text.tokens import Token, chunks, joined, tokenize

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

_STREET_WORDS = frozenset(
    """street st road rd avenue ave boulevard blvd drive dr lane ln highway hwy
    way court ct place pl parkway pkwy circle terrace trail pike square
    plaza""".split()
)
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]+(?![\w'’])")
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


class _LowercaseWords:
    """``word in words``: does ``text`` write ``word`` as a lowercase word of its own
    (what ``set(_LOWER_WORD.findall(text))`` holds)?  Asked for a few dozen words per
    document, so each is searched for on demand instead of listing every word."""

    __slots__ = ("text", "memo")

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        found = self.memo.get(word)
        if found is None:
            found = self.memo[word] = (
                bool(word) and _ASCII_LOWER.issuperset(word) and self._find(word)
            )
        return found

    def _find(self, word: str) -> bool:
        text, n, size = self.text, len(self.text), len(word)
        i = text.find(word)
        while i >= 0:
            before = text[i - 1] if i else ""
            after = text[i + size] if i + size < n else ""
            if not (before and _word_or_apostrophe(before)) and not (
                after and _word_or_apostrophe(after)
            ):
                return True
            i = text.find(word, i + 1)
        return False


def _word_or_apostrophe(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’"

_FUNCTION_WORDS = frozenset("a an the and or but in on at to as by for from with".split())
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december today
    tonight yesterday tomorrow morning afternoon evening night""".split()
)


# --------------------------------------------------------------------------
# recognition
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Hit:
    first: int  # token indexes, inclusive-exclusive
    last: int
    kind: str  # "place" or "demonym"
    start: int = 0
    end: int = 0


# anything but letters, digits, whitespace and everyday punctuation (and "_", counted apart:
# one character class is scanned much faster than a choice of two)
_ODD_CHAR = re.compile(r"[^\w\s.,;:'\"()\[\]\-!?%$&/—–’“”‘…*#@+=<>|]")


#: the ASCII characters ``_ODD_CHAR`` does not count, and the other ones it does not count
_PLAIN_ASCII = bytes(c for c in range(128) if not _ODD_CHAR.match(chr(c)))
_PLAIN_OTHER = "—–’“”‘…"


def looks_binary(text: str, *, sample: int = 4000) -> bool:
    """Is ``text`` mostly not prose (binary junk decoded as text)?"""
    head = text[:sample]
    return odd_characters(head) + head.count("_") > 0.1 * len(head)


def odd_characters(text: str) -> int:
    """How many characters of ``text`` :data:`_ODD_CHAR` finds.  A text whose only non-ASCII
    characters are dashes, curly quotes and ellipses (most English prose) is counted on its
    bytes, without the regex engine's test of every character."""
    ascii_part = text.encode("ascii", "ignore")
    others = len(text) - len(ascii_part)
    if others and others != sum(text.count(c) for c in _PLAIN_OTHER):
        return len(_ODD_CHAR.findall(text))
    return len(ascii_part.translate(None, _PLAIN_ASCII))


def find_toponyms(
    text: str, *, gazetteer: Gazetteer, demonyms: bool = False, doc_id: str = ""
) -> list[Mention]:
    """Place-name mentions in ``text`` (unresolved), in text order.

    ``demonyms=True`` also returns demonyms ("Syrian") as mentions of their
    country.  Never raises on odd input: empty, binary or placeless text gives
    an empty list.
    """
    if not isinstance(text, str) or not text.strip() or looks_binary(text):
        return []
    index = name_index(gazetteer)
    hits = _recognise(text, index, demonyms=demonyms, gazetteer=gazetteer)
    return [Mention(doc_id=doc_id, text=text[h.start : h.end], span_start=h.start,
                    span_end=h.end) for h in hits]


def _recognise(
    text: str, index: NameIndex, *, demonyms: bool, gazetteer: Gazetteer | None = None
) -> list[_Hit]:
    """The accepted matches of ``text``, widened to their whole phrase."""
    lex = Lexicons.get()
    tokens = tokenize(text, keep=lex.lowercase_keep, pattern=lex.scan)
    if not tokens:
        return []
    lowercase_words = _LowercaseWords(text)

    hits: list[_Hit] = []
    persons: set[str] = set()  # names seen as part of a person's name in this document
    stop, aliases = lex.stop, lex.aliases
    for chunk in chunks(text, tokens):
        # chunk-initial common words ("The", "In", "Some") are not part of a name
        while (chunk and tokens[chunk[0]].key in stop
               and tokens[chunk[0]].text not in aliases):
            if len(chunk) > 1 and starts_key(index, tokens, chunk):
                break
            chunk = chunk[1:]
        if not chunk:
            continue
        found = longest_matches(text, tokens, chunk, index, lex)
        if not found:
            continue
        verdicts = [
            _judge(text, tokens, chunk, found, pos, lex=lex, lowercase_words=lowercase_words,
                   index=index)
            for pos in range(len(found))
        ]
        for (a, b, kind), verdict in zip(found, verdicts, strict=True):
            if verdict == "person":
                persons.add(tokens[chunk[-1]].key)
                head = tokens[chunk[0]]
                if len(chunk) == 2 and not head.initial and not head.text.isupper():
                    persons.add(head.key)  # "Georgia Stevens": Georgia is a name here
            elif verdict == "ok":
                hits.append(_Hit(a, b, kind))

    out: list[_Hit] = []
    for hit in hits:
        toks = tokens[hit.first : hit.last]
        single = hit.last - hit.first == 1
        key = toks[0].key if single else " ".join([t.key for t in toks])
        if single and key in persons:
            continue
        if hit.kind == "place" and single and _speaker(text, tokens, hit):
            if index.population.get(key, 0) < 1_000_000:
                continue
        if hit.kind == "demonym" and not demonyms:
            continue
        if hit.kind == "place" and _not_a_place_after(text, toks[-1].end):
            continue
        if hit.kind == "place" and single and gazetteer is not None and key not in lex.region_keys:
            if not _plausible(gazetteer, toks[0], lex):
                continue
        hit.start, hit.end = _widen(text, tokens, hit, lex.heads, gazetteer)
        out.append(hit)
    return out


_DISEASE_WORDS = re.compile(
    r"[ -](?:virus|viruses|fever|flu|influenza|ebolavirus|encephalitis|disease|strain|"
    r"variant|syndrome|agent)\b"
)


def _not_a_place_after(text: str, end: int) -> bool:
    """Is the name part of a currency ("US$10") or a disease ("West Nile virus",
    "Marburg fever")?"""
    nxt = text[end : end + 14]
    return nxt[:1] == "$" or bool(_DISEASE_WORDS.match(nxt))


def _paired(tokens: list[Token], left: Match, right: Match) -> bool:
    """Are two hyphen-joined names a pair of places ("Fargo-Moorhead", "Russia-Turkey")
    rather than one word ("Wal-Mart")?  Both parts must be real words of 4+ letters."""
    return all(len(tokens[hit[1] - 1].text) >= 4 and hit[2] == "place" for hit in (left, right))


def _is_country(gazetteer: Gazetteer | None, name: str) -> bool:
    if gazetteer is None:
        return False
    return any(own and p.feature == "country" for p, own in candidates(gazetteer, name))


def _plausible(gazetteer: Gazetteer, tok: Token, lex: Lexicons) -> bool:
    """Is a one-word name really the name of a place, not just an alternate spelling
    of a small one ("Hamas", "Obama")?"""
    if tok.text in lex.aliases or tok.text + "." in lex.aliases:
        return True
    found = candidates(gazetteer, tok.text)
    if not found:
        return False
    # some own name with a population >= 0 (stops at the first; towns can have hundreds)
    if any(own and p.population >= 0 for p, own in found):
        return True
    # only an alternate name: a big place, and not a short word ("Sam" is Damascus in Arabic)
    return len(tok.text) > 3 and max(p.population for p, _ in found) >= 1_000_000


def _judge(
    text: str,
    tokens: list[Token],
    chunk: list[int],
    found: list[Match],
    pos: int,
    *,
    lex: Lexicons,
    lowercase_words: _LowercaseWords,
    index: NameIndex,
) -> str:
    """"ok", "person" or a reason to drop the match ``found[pos]`` of ``chunk``."""
    a, b, kind = found[pos]
    first = tokens[a]
    single = b - a == 1
    key = first.key if single else " ".join([t.key for t in tokens[a:b]])
    i = chunk.index(a)
    j = chunk.index(b - 1) + 1
    left, right = chunk[:i], chunk[j:]
    prev_hit = found[pos - 1] if pos > 0 and found[pos - 1][1] == a else None
    next_hit = found[pos + 1] if pos + 1 < len(found) and found[pos + 1][0] == b else None
    dateline = first.text.isupper() and len(first.text) > 3
    if left and not dateline:
        prev = tokens[left[-1]]
        opening = len(left) == 1 and prev.initial  # "Although Edmonton", "Overall Edmonton"
        if prev.key in lex.titles:
            return "person"
        if prev.key in lex.given and not (prev_hit and prev_hit[2] == "demonym"):
            return "person"
        if prev_hit is not None:
            hyphen = (text[tokens[prev_hit[1] - 1].end : first.start] == "-"  # "Fargo-Moorhead"
                      and _paired(tokens, prev_hit, found[pos]))
            if prev_hit[2] != "demonym" and not tokens[prev_hit[0]].text.isupper() and not hyphen:
                return "person"  # "Christopher Steele", "Georgia Stevens"
        elif prev.key == "of" or prev.key in PARTICLES:
            pass  # "University of Texas", "Bay of Pigs": the place after "of" counts
        elif prev.key in DIRECTIONS or prev.key in lex.stop or opening:
            pass  # "North Georgia", "Overall Edmonton"
        elif prev.key in lex.orgs or is_acronym(prev.text):
            pass  # "Police Gainesville", "CBC Toronto", "CTV Edmonton"
        elif kind == "place":
            return "person" if not right else "inside a longer name"
    if right and not tokens[right[0]].cap:
        right = []  # "Homs of old", "Moscow de facto": a lowercase particle ends the name
    if right:
        nxt = tokens[right[0]]
        later = {tokens[k].key for k in right}
        if tokens[right[-1]].key in lex.media:
            return "newspaper"  # "Washington Post", "Gainesville Times"
        if later & lex.orgs:
            pass  # "Texas Forest Service", "Dublin City Council": the place in an organisation
        elif nxt.key in lex.heads:
            pass
        elif nxt.key in lex.media:
            return "newspaper"
        elif nxt.key in _STREET_WORDS:
            return "street"
        elif nxt.key in lex.titles or nxt.key in lex.orgs:
            pass  # "U.S. Secretary", "Syrian Army", "Homs Police"
        elif next_hit is not None:
            hyphen = (text[tokens[b - 1].end : tokens[next_hit[0]].start] == "-"  # "Russia-Turkey"
                      and _paired(tokens, found[pos], next_hit))
            if kind == "place" and next_hit[2] != "demonym" and not dateline and not hyphen:
                return "person"
        elif nxt.key in _TIME_WORDS or nxt.key in _FUNCTION_WORDS:
            pass  # "Toronto Saturday", "AUSTIN, Texas A white nationalist"
        elif kind == "place" and not dateline and not (single and first.text in lex.aliases):
            return "inside a longer name"
    if kind == "demonym":
        return "ok"
    if single:
        if first.key in lex.stop and first.text not in lex.aliases:
            return "common word"
        if index.population.get(key, 0) < 1_000_000 and first.text.lower() in lowercase_words:
            return "written in lowercase elsewhere"
        if first.initial and index.population.get(key, 0) < 1000:
            return "sentence-initial small place"
    return "ok"


def _speaker(text: str, tokens: list[Token], hit: _Hit) -> bool:
    """Is the match the subject or object of a speech verb ("Carter said", "said Kerry")?"""
    if hit.last - hit.first != 1:
        return False
    first, last = tokens[hit.first], tokens[hit.last - 1]
    after = before = ""
    if hit.last < len(tokens) and text[last.end : tokens[hit.last].start].strip(" ,") == "":
        after = tokens[hit.last].key
    if hit.first > 0 and text[tokens[hit.first - 1].end : first.start].strip() == "":
        before = tokens[hit.first - 1].key
    closing = text[last.end : last.end + 1] in ("", ",", ".", ";")  # "..., said Kerry."
    return after in SPEECH_VERBS or (before in SPEECH_VERBS and closing)


def _widen(
    text: str,
    tokens: list[Token],
    hit: _Hit,
    heads: dict[str, tuple[int, str]],
    gazetteer: Gazetteer | None = None,
) -> tuple[int, int]:
    """Span of the hit, widened over a direction word before and a region word after."""
    start, end = tokens[hit.first].start, tokens[hit.last - 1].end
    if hit.kind != "place":
        return start, end
    if text[end : end + 1] == "." and text[start : end + 1] in alias_table():
        return start, end + 1  # "Ky.", "U.S." written without its last period
    if hit.last < len(tokens):
        nxt = tokens[hit.last]
        after = tokens[hit.last + 1] if hit.last + 1 < len(tokens) else None
        # "Dublin City Council", "Kentucky State Police" name Dublin and Kentucky
        # ("Laurel County Sheriff" keeps "Laurel County": the county is the name)
        in_org = (after is not None and after.cap and after.key in Lexicons.get().orgs
                  and nxt.key not in ("county", "parish"))
        of_follows = after is not None and after.key == "of"  # "the U.S. state of Texas"
        if nxt.key in heads and text[end : nxt.start] == " " and not (
            in_org or of_follows or _is_country(gazetteer, text[start:end])
        ):
            end = nxt.end
    if hit.first > 0:
        prev = tokens[hit.first - 1]
        if prev.text in DIRECTIONS and joined(text, prev, tokens[hit.first]):
            if prev.text not in ("upper", "lower", "greater"):
                start = prev.start
    # "north-western": two tokens joined by a hyphen
    if hit.first > 1 and start == tokens[hit.first - 1].start:
        pre = tokens[hit.first - 2]
        combined = text[pre.start : tokens[hit.first - 1].end]
        if combined in DIRECTIONS:
            start = pre.start
    return start, end
