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


def test_offsets_skip_every_kind_of_leading_white_space():
    text = (
        "  \tFirst one here. \u00a0\u2003Second one.\n\n \n  Third: a line\n"
        "\u3000Fourth \"quoted.\"  (Fifth) one! ... 6 six?   "
    )
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "First one here.", "Second one.", "Third: a line", 'Fourth "quoted."',
        "(Fifth) one! ...", "6 six?",
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text
