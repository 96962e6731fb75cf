"""Quantities: number words and digits to integers."""

from __future__ import annotations

import pytest

from geomap.text.quantities import words_to_int


@pytest.mark.parametrize(
    "text, value",
    [
        ("33", 33),
        ("250,000", 250_000),
        ("1.5 million", 1_500_000),
        ("three", 3),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("two hundred and fifty", 250),
        ("a hundred", 100),
        ("a dozen", 12),
        ("two dozen", 24),
        ("three thousand", 3000),
        ("banana", None),
        ("", None),
    ],
)
def test_words_to_int(text, value):
    assert words_to_int(text) == value


def test_vague_quantity_with_a_long_s_reads_as_the_plain_word():
    from geomap.text.casualties import parse_casualties

    (fig,) = parse_casualties("Dozen\u017f of villagers were killed in the raid.")
    assert (fig.kind, fig.count.qualifier, fig.count.low) == ("killed", "vague", 24)
