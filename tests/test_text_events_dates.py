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
