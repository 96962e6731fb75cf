"""Candidate ranking helpers: the nearest other pick."""

from __future__ import annotations


def test_nearest_is_the_minimum_distance_to_any_other_pick():
    import random

    from geomap.geo import equirectangular_km
    from geomap.model import Place
    from geomap.text.ranking import Nearest

    def _km(a, b):
        return equirectangular_km(a.latitude, a.longitude, b.latitude, b.longitude)

    rng = random.Random(7)

    def town(lat, lon):
        return Place(1, "x", lat, lon, "city", "US", "", "", "", 5)

    for scale in (0.01, 1.0, 10.0, 89.0):
        others = [town(rng.uniform(-scale, scale), rng.uniform(-180, 180)) for _ in range(25)]
        others += others[:2]  # two names picking the same place
        near = Nearest(others)
        for _ in range(50):
            p = town(rng.uniform(-scale, scale), rng.uniform(-180, 180))
            assert near.km(p) == min(_km(p, o) for o in others)
    assert Nearest([town(0.0, 179.0)]).km(town(0.0, -179.0)) == _km(
        town(0.0, -179.0), town(0.0, 179.0)
    )


def test_nearest_leaves_out_the_mentions_own_name():
    import random

    from geomap.geo import equirectangular_km
    from geomap.model import Place
    from geomap.text.ranking import Nearest

    rng = random.Random(11)

    def town(lat, lon):
        return Place(1, "x", lat, lon, "city", "US", "", "", "", 5)

    others = [town(rng.uniform(-30, 30), rng.uniform(-60, 60)) for _ in range(12)]
    names = [f"name{i % 5}" for i in range(12)]
    near = Nearest(others, names)
    for _ in range(100):
        p = town(rng.uniform(-30, 30), rng.uniform(-60, 60))
        skip = f"name{rng.randrange(6)}"
        want = min(
            equirectangular_km(p.latitude, p.longitude, o.latitude, o.longitude)
            for o, n in zip(others, names, strict=True)
            if n != skip
        )
        assert near.km(p, skip) == want
    # every point skipped: nothing is near
    assert Nearest([town(1.0, 1.0)], ["a"]).km(town(2.0, 2.0), "a") == float("inf")
    # a NaN coordinate falls back to measuring every point but the skipped ones
    nan = town(float("nan"), 0.0)
    assert Nearest([town(1.0, 1.0), nan], ["a", "b"]).km(town(1.0, 1.0), "b") == 0.0


def test_nearest_answers_a_repeated_question_alike():
    from geomap.model import Place
    from geomap.text.ranking import Nearest

    def town(lat, lon, gid=1):
        return Place(gid, "x", lat, lon, "city", "US", "", "", "", 5)

    near = Nearest([town(10.0, 10.0), town(10.0, 12.0)], ["a", "b"])
    first = near.km(town(10.0, 11.0), "a")
    # the same point as another place, and again with another name left out
    assert near.km(town(10.0, 11.0, gid=2), "a") == first
    assert near.km(town(10.0, 11.0), "b") == first  # both picks are as far
    assert near.km(town(10.0, 12.0), "a") == 0.0
    assert near.km(town(10.0, 12.0), "b") > 200
    nan = town(float("nan"), 0.0)
    assert near.km(nan) != near.km(nan)  # NaN in, NaN out, asked twice
