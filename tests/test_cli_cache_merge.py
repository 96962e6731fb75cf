"""``geomap cache merge SHARD... [--into CACHE]``: the union, conflicts one line each, pins kept."""

from __future__ import annotations

import pytest

from geomap.gazetteer import normalize
from geomap.geocoding.cache import CacheEntry, GeocodeCache
from tests.places import PLACES


def put(path, query: str, place: str) -> None:
    at = PLACES[place]
    with GeocodeCache.open(path) as cache:
        cache.put(CacheEntry(key=normalize(query), query=query, name_key=normalize(query),
                             latitude=at.latitude, longitude=at.longitude,
                             geonameid=at.geonameid, found=True))  # fmt: skip


def test_merge_into_the_default_cache(cli, tmp_path, geomap_env):
    put(tmp_path / "a.sqlite", "Rastan", "Rastan")
    put(tmp_path / "b.sqlite", "Homs", "Homs")
    result = cli("cache", "merge", str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite"))
    assert result.code == 0, result.err
    assert result.out.strip().endswith("2 added, 0 unchanged, 0 conflicts")
    with GeocodeCache.open(geomap_env / "geocode-cache.sqlite") as cache:
        assert {e.key for e in cache.entries()} == {"rastan", "homs"}


def test_conflicts_are_listed_one_line_each_and_a_pin_is_kept(cli, tmp_path):
    target = tmp_path / "into.sqlite"
    with GeocodeCache.open(target) as cache:
        cache.pin("Rastan", 35.0, 36.7)
    put(tmp_path / "a.sqlite", "Rastan", "Rastan")
    put(tmp_path / "a.sqlite", "Homs", "Homs")
    put(tmp_path / "b.sqlite", "Homs", "Talbiseh")
    result = cli("cache", "merge", str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite"),
                 "--into", str(target))  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.rstrip().splitlines()
    conflicts = [line for line in lines if line.startswith("  conflict: ")]
    assert [c.split(":")[1].strip() for c in conflicts] == ["rastan", "homs"]
    assert "1 added, 0 unchanged, 2 conflicts" in lines[-1]
    with GeocodeCache.open(target) as cache:
        assert cache.get("rastan").pinned and cache.get("rastan").latitude == 35.0
        assert cache.get("homs").geonameid == PLACES["Homs"].geonameid


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("not a database, just text" * 100), "geocode cache"),
    ],
)
def test_a_bad_shard_is_one_line_and_nothing_is_merged(cli, tmp_path, make, message):
    good = tmp_path / "good.sqlite"
    put(good, "Rastan", "Rastan")
    bad = tmp_path / "bad.sqlite"
    make(bad)
    target = tmp_path / "into.sqlite"
    result = cli("cache", "merge", str(good), str(bad), "--into", str(target))
    assert result.code == 1
    assert result.err.startswith("Error: ") and message in result.err and "Fix:" in result.err
    assert len(result.err.strip().splitlines()) == 1
    if target.exists():
        with GeocodeCache.open(target) as cache:
            assert len(cache) == 0


def test_the_target_is_not_a_shard_of_itself(cli, tmp_path):
    put(tmp_path / "a.sqlite", "Rastan", "Rastan")
    result = cli("cache", "merge", str(tmp_path / "a.sqlite"), "--into", str(tmp_path / "a.sqlite"))
    assert result.code == 1 and "is the cache being merged into" in result.err
