"""Place names folded into lookup keys, and the type words that follow a name.

Every lookup goes through *name keys* (:func:`name_keys`): a folded, lowercase
form of a name, plus the form without a leading Arabic article and the form
with apostrophes dropped.  The gazetteer builder, its search and the text
pipeline all fold names here, so they agree on what "the same name" means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’‘`´ʹʻʼʽʾʿ′"
_SPACE_CHARS = _APOSTROPHES + '-‐‑‒–—―_"“”„«»,;:/\\()[]{}!?·•|&+*#.،؛'
_TO_SPACE = {ord(c): " " for c in _SPACE_CHARS}
_DROP_APOSTROPHES: dict[int, str | None] = {ord(c): None for c in _APOSTROPHES}
# letters that NFKD does not decompose into a base letter + mark
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ł": "l",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "ng",
        # Arabic: alef wasla, alef maqsura, taa marbuta, tatweel
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ـ": "",
    }
)
# "U.S.", "U.S.A.", "D.C." -> "US", "USA", "DC" (before other dots become spaces)
_INITIALISM = re.compile(r"(?<!\w)(?:\w\.\s?){2,}")
_SPACES = re.compile(r"\s+")
_DROP = frozenset({"Cf", "Co", "Cs"})

_ARABIC_ARTICLES = frozenset("al el ar as ash at ath ad adh az an ed er es esh et ez".split())


def _fold(name: str, table: dict[int, str | None]) -> str:
    text = _INITIALISM.sub(lambda m: m.group().replace(".", "").replace(" ", ""), name)
    text = unicodedata.normalize("NFKD", text.casefold())
    # combining marks (accents, harakat) and invisible format characters (ZWNJ, RLM)
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) not in _DROP
    )
    text = text.translate(_SPECIAL).translate(table).translate(_TO_SPACE)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """The folded lookup form of a name.

    Lowercase, diacritics and combining marks (Arabic harakat too) removed,
    quotes, apostrophes, hyphens and other punctuation turned into spaces,
    whitespace collapsed: ``"Ḩimş" -> "hims"``, ``"Deir ez-Zor" -> "deir ez zor"``.
    """
    return _fold(name, {})


def _strip_article(key: str) -> str | None:
    if key.startswith("ال") and len(key[2:].strip()) >= 2:
        return key[2:].strip()
    head, _, rest = key.partition(" ")
    if rest and (head in _ARABIC_ARTICLES or head == "the"):
        return rest
    return None


@lru_cache(maxsize=65536)
def name_key_tuple(name: str) -> tuple[str, ...]:
    """:func:`name_keys` as a cached tuple (what the builder calls per name)."""
    key = normalize(name)
    if not key:
        return ()
    keys = [key]
    squeezed = _fold(name, _DROP_APOSTROPHES)  # "Ma'arrat" -> "maarrat" as well
    possessive = None
    if key.endswith(" s") and len(key) > 5 and name.rstrip()[-2:-1] in _APOSTROPHES:
        possessive = key[:-2]  # "Russia's" -> "russia"
    for candidate in (squeezed, _strip_article(key), _strip_article(squeezed), possessive):
        if candidate and candidate not in keys:
            keys.append(candidate)
    return tuple(keys)


def name_keys(name: str) -> list[str]:
    """Every lookup key for a name, the plain :func:`normalize` form first.

    Also the form with a leading Arabic article removed (``"Ar Rastan"``,
    ``"al-Rastan"`` -> ``"rastan"``; ``"الرستن"`` -> ``"رستن"``) and the form with
    apostrophes dropped instead of spaced (``"Ma'arrat"`` -> ``"maarrat"``).
    """
    return list(name_key_tuple(name))


# Admin-1 type words ("Homs province", "Governorate of Homs", "Moscow Oblast").
ADMIN_WORDS = frozenset(
    """province governorate region oblast state prefecture muhafazah muhafazat
    wilayah wilayat vilayet department departement krai kray territory district
    canton county voivodeship emirate provincia estado regiao""".split()
)
CITY_WORDS = frozenset({"city", "town", "village"})


def split_type_word(key: str) -> tuple[str, str] | None:
    """``"homs province"`` -> ``("homs", "admin1")``; ``"city of x"`` -> ``("x", "city")``."""
    words = key.split(" ")
    if len(words) < 2:
        return None
    candidates = [(words[-1], words[:-1])]
    if len(words) > 2 and words[1] == "of":
        candidates.append((words[0], words[2:]))
    for word, base in candidates:
        if word in ADMIN_WORDS:
            return " ".join(base), "admin1"
        if word in CITY_WORDS:
            return " ".join(base), "city"
    return None
