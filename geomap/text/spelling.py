"""Other spellings of a transliterated place name: "Urozgan" is "Uruzgan", "Idleb" is
"Idlib", "Misrata" is "Misratah".

Names from Arabic, Pashto, Somali or Russian reach English in several
spellings: vowels differ (o/u, e/i, a/e), a final "h" comes and goes, letters
are doubled or not, "q" is "k", "y" is "i", "ou" is "u".  :func:`variants`
lists the spellings one such change away, which a caller looks up in the
gazetteer where the text says the place lies (never on its own: a variant is
a guess).
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = "aeiou"
#: letter groups that stand for one another in transliterations
_SWAPS: tuple[tuple[str, str], ...] = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("k", "q"),
    ("y", "i"),
    ("i", "y"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "h"),
    ("sh", "ch"),
    ("ch", "sh"),
    ("j", "dj"),
    ("dj", "j"),
    ("w", "ou"),
    ("ei", "ai"),
    ("ai", "ei"),
    ("aa", "a"),
    ("uu", "u"),
    ("ii", "i"),
    ("-", " "),
    (" ", "-"),
)
MAX_VARIANTS = 80


@lru_cache(maxsize=4096)
def variants(name: str) -> tuple[str, ...]:
    """Spellings of ``name`` (lowercased) one transliteration change away, the nearest first.

    >>> "uruzgan" in variants("Urozgan") and "idlib" in variants("Idleb")
    True
    """
    word = name.lower().strip()
    if len(word) < 4:
        return ()
    out: dict[str, None] = {}
    if word.endswith("ah") or word.endswith("eh"):
        out[word[:-1]] = None
        out[word[:-2] + "a"] = None
    elif word[-1] in "ae":
        out[word + "h"] = None
    for i, ch in enumerate(word):
        if ch in _VOWELS and 0 < i:
            for v in _VOWELS:
                if v != ch:
                    out[word[:i] + v + word[i + 1 :]] = None
    for i in range(1, len(word)):
        if word[i] == word[i - 1] and word[i].isalpha():
            out[word[:i] + word[i + 1 :]] = None  # "Taizz" -> "Taiz"
        elif word[i].isalpha() and word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            out[word[:i] + word[i] + word[i:]] = None  # "Tilabery" -> "Tillabery"
    for a, b in _SWAPS:
        start = word.find(a)
        while start >= 0:
            out[word[:start] + b + word[start + len(a) :]] = None
            start = word.find(a, start + 1)
    out.pop(word, None)
    return tuple(out)[:MAX_VARIANTS]
