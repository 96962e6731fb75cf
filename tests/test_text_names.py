"""The name-key index: built once per gazetteer, largest population kept."""

from __future__ import annotations

from geomap.text.names import NameIndex, name_index


def test_index_is_built_once_per_gazetteer(fake_gazetteer):
    first = name_index(fake_gazetteer)
    assert name_index(fake_gazetteer) is first
    assert "rastan" in first and "deir ez zor" in first
    assert first.max_words["deir"] == 3


def test_name_index_keeps_the_largest_population():
    index = NameIndex.from_keys([("us", 327), ("us", 0), ("a", 5), ("", 1), ("123", 4)])
    assert index.population == {"us": 327}


def test_candidates_follow_the_gazetteer_asked(fake_gazetteer):
    from geomap.text.names import candidates
    from tests.fake_gazetteer import PLACES, FakeGazetteer

    [(rastan, _own)] = candidates(fake_gazetteer, "Rastan")
    other = FakeGazetteer([p for p in PLACES if p[0].geonameid != rastan.geonameid])
    for _ in range(2):  # asked in turn: each answers from its own places
        assert [p for p, _own in candidates(fake_gazetteer, "Rastan")] == [rastan]
        assert candidates(other, "Rastan") == []
