"""The gazetteer as recognition and resolution read it: the name-key index and
the candidate places of a name, both memoised per gazetteer file.

The name-key index is loaded once per gazetteer file and process (stored in the
file at build time; built from its key list when missing) and reused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geomap.model import Place
from geomap.text.lexicon import alias_table

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer


@dataclass(slots=True)
class NameIndex:
    """Every gazetteer name key, with the longest key starting with each word."""

    population: dict[str, int]  # key -> largest population among its places
    max_words: dict[str, int]  # first word of a key -> most words in a key starting with it
    # first word of a key of several words -> most words in a key starting with it, also
    # counting keys of more than ``MAX_KEY_WORDS`` words (which ``max_words`` leaves out)
    reach: dict[str, int] = field(default_factory=dict)
    # token key -> most tokens a match starting there can span (filled by recognition)
    spans: dict[str, int] = field(default_factory=dict)

    def __contains__(self, key: str) -> bool:
        return key in self.population

    @classmethod
    def from_keys(cls, keys: Iterable[tuple[str, int]]) -> NameIndex:
        """The index of ``(key, population)`` pairs (the gazetteer's and the aliases')."""
        from geomap.gazetteer.schema import index_keys

        return cls(*index_keys(keys))


_INDEXES: dict[str, NameIndex] = {}
_INDEX_LOCK = threading.Lock()


def name_index(gazetteer: Gazetteer) -> NameIndex:
    """The (cached) name-key index of ``gazetteer``, built on first use: the gazetteer's
    stored :meth:`~geomap.gazetteer.Gazetteer.key_index` with the aliases added."""
    ident = str(gazetteer.path) or f"id:{id(gazetteer)}"
    index = _INDEXES.get(ident)
    if index is None:
        with _INDEX_LOCK:
            index = _INDEXES.get(ident)
            if index is None:
                from geomap.gazetteer import normalize
                from geomap.gazetteer.schema import index_keys

                aliases = [(normalize(alias), 0) for alias in alias_table()]
                index = NameIndex(*index_keys(aliases, into=gazetteer.key_index()))
                _INDEXES[ident] = index
    return index


def clear_index_cache() -> None:
    """Forget built indexes (tests; after rebuilding a gazetteer)."""
    _INDEXES.clear()


class CandidateCache:
    """Per-gazetteer memo of name -> [(place, own_name)] (lookups repeat a lot).

    ``own_name`` is false when the name is only one of the place's alternate
    names, or a country's alias that is another candidate's own name ("Wales").
    """

    def __init__(self) -> None:
        self.by_gaz: dict[str, dict[str, list[tuple[Place, bool]]]] = {}
        # the gazetteer asked last and its memo (the same one is asked thousands of times)
        self._last: tuple[Gazetteer | None, dict[str, list[tuple[Place, bool]]]] = (None, {})

    def get(self, gazetteer: Gazetteer, name: str) -> list[tuple[Place, bool]]:
        """The places ``name`` may stand for, each with whether it is their own name."""
        last, memo = self._last
        if last is not gazetteer:
            ident = str(gazetteer.path) or f"id:{id(gazetteer)}"
            memo = self.by_gaz.setdefault(ident, {})
            self._last = (gazetteer, memo)
        found = memo.get(name)
        if found is None:
            from geomap.gazetteer import (
                name_keys,  # only on a miss: an import costs per call
            )

            keys = name_keys(name)
            seen: dict[int, list] = {}  # geonameid -> [place, own_name]
            for key in keys:
                for place in gazetteer.lookup(key):
                    own = key in name_keys(place.name) or (
                        place.feature == "admin1" and key in name_keys(place.admin1)
                    ) or (place.feature == "country" and key in name_keys(place.country))
                    old = seen.get(place.geonameid)
                    if old is None:
                        seen[place.geonameid] = [place, own]
                    elif own:
                        old[1] = True
            owners = any(own for _, own in seen.values())
            for entry in seen.values():
                if not entry[1] and entry[0].feature in ("country", "admin1") and not owners:
                    entry[1] = True  # curated country/region aliases ("U.S.", "Holland")
            found = [(place, own) for place, own in seen.values()]
            if len(memo) > 200_000:
                memo.clear()
            memo[name] = found
        return found


#: ``candidates(gazetteer, name)``: see :meth:`CandidateCache.get`
candidates = CandidateCache().get
