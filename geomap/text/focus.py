"""The document's focus: which countries and admin-1 regions its names point at.

Countries named, demonyms and the countries of unambiguous cities add
evidence; a candidate then gains from the share of the evidence that the
*other* names give its country or region, so a lone name is no evidence for
itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from geomap.text.lexicon import demonyms_in
from geomap.text.ranking import Item, prior

#: A region this populous shares the evidence of a country of its name.
NAMESAKE_REGION = 1_000_000
#: what evidence is for: a country code, or a (country code, admin-1 code) pair
K = TypeVar("K", str, tuple[str, str])


class Evidence(Generic[K]):
    """Weights for countries or admin-1 regions, remembering what each name added
    so that a lone name is no evidence for itself."""

    def __init__(self) -> None:
        self.weights: dict[K, float] = {}
        self.by_name: dict[str, dict[K, float]] = {}
        self._totals: tuple[float, dict[str, float]] | None = None

    def add(self, query: str, what: K, w: float) -> None:
        """Add ``w`` for ``what``, given by the name ``query`` (in any case: "PORTLAND" in a
        dateline is the same name as "Portland")."""
        query = query.casefold()
        self._totals = None
        self.weights[what] = self.weights.get(what, 0.0) + w
        mine = self.by_name.setdefault(query, {})
        mine[what] = mine.get(what, 0.0) + w

    def share(self, query: str, what: K) -> float:
        """Share of the evidence for ``what`` from the names other than ``query``."""
        return self.share_of(query)(what)

    def share_of(self, query: str) -> Callable[[K], float]:
        """``share(query, what)`` as a function of ``what``: what the name ``query`` gave
        and the total without it are looked up once, for the many candidates of one name
        (valid until the next :meth:`add`)."""
        query = query.casefold()
        totals = self._totals
        if totals is None:
            totals = self._totals = (
                sum(self.weights.values()),
                {q: sum(c.values()) for q, c in self.by_name.items()},
            )
        own = self.by_name.get(query)
        total = totals[0] - totals[1].get(query, 0.0)
        weights = self.weights
        if total <= 0:
            return _no_share
        if own:
            return lambda what: (weights.get(what, 0.0) - own.get(what, 0.0)) / total
        return lambda what: weights.get(what, 0.0) / total


def _no_share(what: object) -> float:
    return 0.0


@dataclass(slots=True)
class Context:
    """The document's evidence for countries and for admin-1 regions."""

    countries: Evidence[str]
    admin1s: Evidence[tuple[str, str]]  # keyed by (country code, admin1 code)


def document_focus(items: list[Item], text: str) -> Context:
    """The evidence the resolved ``items`` and the demonyms of ``text`` give."""
    countries: Evidence[str] = Evidence()
    admin1s: Evidence[tuple[str, str]] = Evidence()
    seen: dict[tuple[str, str], list] = {}
    for item in items:
        if item.demonym_country:
            countries.add(item.query, item.demonym_country, 0.5)
            continue
        if not item.candidates:
            continue
        again = seen.get((item.query, item.wanted))
        if again is not None:  # the same name again: the same evidence, once more
            for evidence, what, w in again:
                evidence.add(item.query, what, w)
            continue
        added: list = seen.setdefault((item.query, item.wanted), [])

        def add(evidence: Evidence, what, w: float, item=item, added=added) -> None:
            evidence.add(item.query, what, w)
            added.append((evidence, what, w))

        if item.county_states:
            for st in item.county_states:
                add(admin1s, ("US", st), 1.0 / len(item.county_states))
            add(countries, "US", 1.0)
            continue
        ranked = sorted(item.candidates, key=lambda c: -prior(c.place, c.own_name, item.wanted))
        place = ranked[0].place
        # evidence counts fully only when the name is (nearly) unambiguous
        ccs = {c.place.country_code for c in item.candidates if c.own_name and c.place.country_code}
        # a country's name that is also a big region's elsewhere ("Georgia"): half each
        namesake = next(
            (c.place for c in ranked[1:] if c.own_name and c.place.feature == "admin1"
             and c.place.country_code != place.country_code
             and c.place.population >= NAMESAKE_REGION),
            None,
        ) if place.feature == "country" else None
        if namesake is not None:
            add(countries, place.country_code, 0.5)
            add(countries, namesake.country_code, 0.5)
            add(admin1s, (namesake.country_code, namesake.admin1_code), 0.5)
        elif place.feature == "country":
            add(countries, place.country_code, 1.0)
        elif len(ccs) == 1 and place.country_code:
            add(countries, place.country_code, 1.5 if place.feature == "city" else 1.0)
        elif ccs:
            for cc in ccs:
                add(countries, cc, 0.5 / len(ccs))
        if place.feature == "admin1":
            add(admin1s, (place.country_code, place.admin1_code), 1.0)
        elif place.feature == "city" and place.admin1_code:
            runner = 0.0
            if len(ranked) > 1:
                runner = prior(ranked[1].place, ranked[1].own_name, item.wanted)
            if prior(place, ranked[0].own_name, item.wanted) - runner > 0.15:
                add(admin1s, (place.country_code, place.admin1_code), 0.7)
    # demonyms the recogniser was not asked to return still count toward the focus
    if not any(item.demonym_country for item in items):
        for word, code in demonyms_in(text):
            countries.add(word, code, 0.5)
    return Context(countries, admin1s)
