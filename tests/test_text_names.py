"""The name-key index: built once per gazetteer, largest population kept."""

from __future__ import annotations

import pytest

from geomap.text.names import NameIndex, name_index
from tests.fake_gazetteer import FakeGazetteer


@pytest.fixture
def fake():
    return FakeGazetteer()


def test_index_is_built_once_per_gazetteer(fake):
    first = name_index(fake)
    assert name_index(fake) is first
    assert "rastan" in first and "deir ez zor" in first
    assert first.max_words["deir"] == 3


def test_name_index_keeps_the_largest_population():
    index = NameIndex.from_keys([("us", 327), ("us", 0), ("a", 5), ("", 1), ("123", 4)])
    assert index.population == {"us": 327}
