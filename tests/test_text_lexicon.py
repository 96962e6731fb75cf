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


def test_demonyms_in_lists_each_demonym_with_its_country_once_per_text():
    from geomap.text.lexicon import demonyms_in

    text = "Syrian and Russian jets; South Korean aid; Martian dust; syrian"
    found = demonyms_in(text)
    assert found == (("Syrian", "SY"), ("Russian", "RU"), ("South Korean", "KR"))
    assert demonyms_in(text) is found  # asked again for the same text: not searched again
    assert demonyms_in("Afghan forces") == (("Afghan", "AF"),)
