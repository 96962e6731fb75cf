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
