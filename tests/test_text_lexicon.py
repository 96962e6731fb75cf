"""The lexicon's tables and patterns."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    ["Syrian and Syrians; xSyrian, Syrian-led, -Syrian, _Syrian, 1Syrian", "South Koreans", ""],
)
def test_demonym_regex_matches_the_plain_lookaround_form(text):
    import re

    from geomap.text.lexicon import demonym_regex, read_lexicon, trie_regex

    words = sorted((row[0] for row in read_lexicon("demonyms.txt")), key=len, reverse=True)
    plain = re.compile(r"(?=[A-Z])(?<![\w-])" + trie_regex(words) + r"(?![\w-])")
    spans = [(m.span(), m.group()) for m in demonym_regex().finditer(text)]
    assert spans == [(m.span(), m.group()) for m in plain.finditer(text)]
