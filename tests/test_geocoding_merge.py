"""Cache shards merged into one cache (geomap.geocoding.merge): union, conflicts, pins."""

from __future__ import annotations

import pytest

from geomap.gazetteer import normalize
from geomap.geocoding.cache import CacheEntry, GeocodeCache, cache_key
from geomap.geocoding.merge import merge_shards
from tests.places import PLACES


def answer(query: str, place: str | None, **kw) -> CacheEntry:
    """A gazetteer answer for ``query``: the point and id of ``place`` (None: not found)."""
    at = PLACES[place] if place else None
    return CacheEntry(
        key=cache_key(query, country=kw.pop("country", None)),
        query=query,
        name_key=normalize(query),
        latitude=at.latitude if at else None,
        longitude=at.longitude if at else None,
        geonameid=at.geonameid if at else None,
        found=at is not None,
        confidence=0.5,
        raw=kw.pop("raw", {"name": query}),
        **kw,
    )


@pytest.fixture
def caches(tmp_path):
    opened: list[GeocodeCache] = []

    def make(name: str, *entries: CacheEntry) -> GeocodeCache:
        c = GeocodeCache.open(tmp_path / f"{name}.sqlite")
        if entries:
            c.put_many(list(entries))
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.close()


def test_union_of_shards_counts_shared_keys_once(caches):
    target = caches("target", answer("Homs", "Homs"))
    a = caches("a", answer("Rastan", "Rastan"), answer("Homs", "Homs"))
    b = caches("b", answer("Rastan", "Rastan"), answer("Atlantis", None))
    report = merge_shards(target, [a, b])
    assert (report.added, report.unchanged, report.conflicts) == (2, 2, [])
    assert {e.key for e in target.entries()} == {"homs", "rastan", "atlantis"}
    assert target.get("atlantis").found is False
    assert report.summary().startswith("Merged 2 shard(s) into ")


def test_a_key_answered_differently_is_a_conflict_and_the_first_answer_is_kept(caches):
    target = caches("target")
    a = caches("a", answer("Rastan", "Rastan"))
    b = caches("b", answer("Rastan", "Homs"))
    report = merge_shards(target, [a, b])
    (line,) = report.conflicts
    assert line.startswith("rastan: ") and "a.sqlite, kept" in line and "b.sqlite" in line
    assert target.get("rastan").geonameid == PLACES["Rastan"].geonameid


def test_a_pin_in_the_target_is_never_overwritten(caches):
    target = caches("target")
    pin = target.pin("Rastan", 35.0, 36.7)
    shard = caches("a", answer("Rastan", "Rastan"))
    report = merge_shards(target, [shard])
    assert len(report.conflicts) == 1 and "pin" in report.conflicts[0]
    kept = target.get("rastan")
    assert kept.pinned and (kept.latitude, kept.longitude) == (pin.latitude, pin.longitude)


def test_pins_in_shards_are_left_out_unless_the_target_holds_the_same(caches):
    target = caches("target")
    target.pin("Homs", 34.7, 36.7)
    shard = caches("a")
    shard.pin("Homs", 34.7, 36.7)  # the broadcast copy: not reported
    shard.pin("Idlib", 35.9, 36.6)  # a pin the target does not have: left out
    report = merge_shards(target, [shard])
    assert report.added == 0 and len(report.pins_left_out) == 1
    assert report.pins_left_out[0].startswith("idlib: pin")
    assert target.get("idlib") is None


def test_the_same_answer_under_another_spelling_is_no_conflict(caches):
    target = caches("target")
    a = caches("a", answer("Hartford Zz", "Homs", raw={"name": "Homs"}))
    b = caches("b", answer("HARTFORD ZZ", "Homs", raw={"name": "Homs"}))
    report = merge_shards(target, [a, b])
    assert (report.added, report.unchanged, report.conflicts) == (1, 1, [])
    assert target.get("hartford zz").query == "Hartford Zz"  # the first shard's spelling


def test_first_queries_give_the_spelling_an_added_key_is_stored_under(caches):
    target = caches("target")
    a = caches("a", answer("Hartford Zz", "Homs"))
    b = caches("b", answer("HARTFORD ZZ", "Homs"))
    merge_shards(target, [a, b], first_queries={"hartford zz": "HARTFORD ZZ"})
    assert target.get("hartford zz").query == "HARTFORD ZZ"
