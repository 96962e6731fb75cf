"""Sentence splitting: offsets, abbreviations and line breaks."""

from __future__ import annotations

from geomap.text.events import split_sentences


def test_split_sentences_keeps_abbreviations_and_offsets():
    text = "U.S. Secretary of State John Kerry spoke. Dr. Smith said no.\nA new line! Then 3 more."
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "U.S. Secretary of State John Kerry spoke.",
        "Dr. Smith said no.",
        "A new line!",
        "Then 3 more.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)
