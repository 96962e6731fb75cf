"""Event dates from sentences, against the article date."""

from __future__ import annotations

import pytest

from geomap.text.events import resolve_date


@pytest.mark.parametrize(
    "sentence, article_date, iso",
    [
        (
            "Russia launched airstrikes Wednesday in Syria.",
            "2015-09-30",
            "2015-09-30",
        ),  # a Wednesday
        ("Jets struck on Monday.", "2015-09-30", "2015-09-28"),
        ("what happened today was violent", "2015-09-30", "2015-09-30"),
        ("The town was hit yesterday.", "2015-09-30", "2015-09-29"),
        ("Shelling last night killed two.", "2015-09-30", "2015-09-29"),
        ("The raid on September 27 killed two.", "2015-09-30", "2015-09-27"),
        ("The raid on 3 December killed two.", "2015-09-30", "2014-12-03"),
        ("Three days ago jets hit the town.", "2015-09-30", "2015-09-27"),
        ("Jets struck on Monday.", None, None),
    ],
)
def test_resolve_date(sentence, article_date, iso):
    assert resolve_date(sentence, article_date)[0] == iso


def test_resolve_date_skips_future_days_and_plain_text():
    assert resolve_date("Talks may start next Thursday.", "2015-09-30") is None
    assert resolve_date("No time words here.", "2015-09-30") is None


_SENTENCES = [
    "Russia launched airstrikes Wednesday in Syria.",
    "On 2016-12-19, and again on 13/07/2016 and on 2/12, jets struck.",
    "The raid on Sept. 27th, 2015 killed two; another on 3rd December 2014 and 5 MAY.",
    "Next Monday, not this morning nor earlier today, and not last night or yesterday.",
    "Shelling on TUESDAY and on following Friday; ſunday with a long s.",
    "Two days ago, three day ago, 10 days ago and 4 months ago.",
    "Nothing of the sort happened here.",
    "١٢ March and 12 march and March 12 and mar 3",
]


@pytest.mark.parametrize("sentence", [s for s in _SENTENCES if "ago" not in s.lower()])
def test_the_pattern_without_ago_finds_what_the_whole_finds(sentence):
    """Used on sentences without "ago": its look-ahead must never lose a date expression."""
    from geomap.text.events.dates import _DATE_NO_AGO_RE, _DATE_RE

    def spans(rx):
        return [(m.span(), m.lastgroup, m.groupdict()) for m in rx.finditer(sentence)]

    assert spans(_DATE_NO_AGO_RE) == spans(_DATE_RE)
    assert _DATE_NO_AGO_RE.pattern.startswith(r"\b(?=[\d")  # the quick form was built


def test_a_sentence_with_ago_still_finds_it():
    assert resolve_date("Two DAYS AGO jets hit the town.", "2015-09-30") == (
        "2015-09-28",
        "Two DAYS AGO",
    )


def test_event_date_reads_what_was_found_before(monkeypatch):
    from geomap.text.events import dates
    from geomap.text.events.sentences import split_sentences

    sents = split_sentences("Jets struck the town. The raid on Monday killed two. All calm today.")
    found = [resolve_date(s.text, "2015-09-30") for s in sents]
    assert dates.event_date(sents, "2015-09-30") == ("2015-09-28", "text: 'Monday'")

    def unused(*args):
        raise AssertionError("resolve_date asked again")

    monkeypatch.setattr(dates, "resolve_date", unused)
    assert dates.event_date(sents, "2015-09-30", found=found) == ("2015-09-28", "text: 'Monday'")
    assert dates.event_date(sents[:1], "2015-09-30", found=found[:1]) == (
        "2015-09-30", "article date"
    )
