"""Event dates from sentences: the first date expression, resolved against the article date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from geomap.text.events.sentences import Sentence
from geomap.text.quantities import words_to_int
from geomap.text.wordstart import first_chars, folded

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_AGO = r"\b(?P<ago>\w+)\s+days?\s+ago\b"
#: the date expressions, one alternative each (the first that matches at a place wins)
_DATE_ALTERNATIVES = (
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)",
    rf"\b(?P<md_m>{_MONTH_RE})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{{4}}))?",
    rf"\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm_m>{_MONTH_RE})(?:,?\s+(?P<dm_y>\d{{4}}))?",
    r"(?P<next>\b(?:next|coming|following)\s+)?\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",  # noqa: E501
    r"\b(?P<today>today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b",
    r"\b(?P<yday>yesterday|last\s+night)\b",
    _AGO,
    r"\bon\s+(?P<n1>\d{1,2})/(?P<n2>\d{1,2})(?:/(?P<n3>(?:19|20)?\d\d))?(?![\d/])",
)
_DATE_RE = re.compile("|".join(_DATE_ALTERNATIVES), re.I)


def _without_ago() -> re.Pattern[str]:
    """``_DATE_RE`` for a sentence without "ago": the same matches, found faster.

    "N days ago" starts with any word (every word start would try it and give up); the
    others start with a digit or one of a few letters, which a look-ahead at each word
    boundary checks at once (every alternative starts at a word boundary).  The "ago"
    group stays, never matching, so that ``m.group("ago")`` still answers ``None``.
    """
    kept = [alt if alt != _AGO else "(?!)(?P<ago>)" for alt in _DATE_ALTERNATIVES]
    letters: set[str] = set()
    for alt in _DATE_ALTERNATIVES:
        chars = first_chars(alt, re.I)
        if chars is not None:
            letters |= chars
        elif alt != _AGO and not _DIGIT_LED_RE.match(alt):
            return re.compile("|".join(kept), re.I)  # cannot tell: no look-ahead
    return re.compile(rf"\b(?=[\d{''.join(sorted(letters))}])(?:{'|'.join(kept)})", re.I)


#: an alternative that starts with a digit (``\d``, which first_chars does not spell out)
_DIGIT_LED_RE = re.compile(r"(?:\(\?P<\w+>)?\\b(?:\(\?P<\w+>)?\\d")


_DATE_NO_AGO_RE = _without_ago()


_DATE_STEMS = (
    "day",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "tonight",
    "this ",
    "last night",
    "ago",
)
_ISO_HINT_RE = re.compile(r"\d{4}-\d\d-\d\d|\d/\d")


def resolve_date(sentence: str, article_date: str | None) -> tuple[str | None, str] | None:
    """The first date expression in ``sentence`` as ``(iso_or_None, expression)``, or ``None``."""
    low = sentence.lower()
    if not any(stem in low for stem in _DATE_STEMS) and not _ISO_HINT_RE.search(sentence):
        return None  # no weekday, month, "today", "ago", ... : skip the big pattern
    base = dt.date.fromisoformat(article_date) if article_date else None
    pattern = _DATE_RE if "ago" in folded(sentence) else _DATE_NO_AGO_RE
    for m in pattern.finditer(sentence):
        expr = m.group(0)
        if m.group("iso"):
            try:
                return dt.date.fromisoformat(m.group("iso")).isoformat(), expr
            except ValueError:
                continue
        if m.group("md_m") or m.group("dm_m"):
            mon = (m.group("md_m") or m.group("dm_m")).lower().rstrip(".")[:3]
            month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(mon))
            day = int(m.group("md_d") or m.group("dm_d"))
            year_s = m.group("md_y") or m.group("dm_y")
            if year_s:
                year = int(year_s)
            elif base:
                year = base.year if (month, day) <= (base.month, base.day) else base.year - 1
            else:
                return None, expr
            try:
                return dt.date(year, month, day).isoformat(), expr
            except ValueError:
                continue
        if m.group("wd"):
            if m.group("next"):
                continue  # a future day is not when something happened
            if base is None:
                return None, expr
            back = (base.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
            return (base - dt.timedelta(days=back)).isoformat(), expr
        if m.group("today"):
            return (base.isoformat() if base else None), expr
        if m.group("yday"):
            return ((base - dt.timedelta(days=1)).isoformat() if base else None), expr
        if m.group("ago"):
            n = words_to_int(m.group("ago"))
            if n is None:
                continue
            return ((base - dt.timedelta(days=n)).isoformat() if base else None), expr
        if m.group("n1"):
            numeric = _numeric_date(m, base)
            if numeric is None:
                continue
            return numeric, expr
    return None


def _numeric_date(m: re.Match[str], base: dt.date | None) -> str | None:
    """"on 13/07", "on 2/12/2014": day/month or month/day, whichever is valid and nearest on
    or before the article date (notes write day first, American papers month first)."""
    a, b = int(m.group("n1")), int(m.group("n2"))
    year_s = m.group("n3")
    years: list[int] = []
    if year_s:
        years = [int(year_s) + (2000 if len(year_s) == 2 else 0)]
    elif base is not None:
        years = [base.year, base.year - 1]
    found: list[dt.date] = []
    for day, month in ((a, b), (b, a)):
        for year in years:
            try:
                found.append(dt.date(year, month, day))
            except ValueError:
                continue
    if base is not None:
        before = [d for d in found if d <= base]
        return max(before).isoformat() if before else None
    return found[0].isoformat() if len(set(found)) == 1 else None


def event_date(
    sents: list[Sentence],
    article_date: str | None,
    lead: tuple[str, str] | None = None,
    *,
    found: Iterable[tuple[str | None, str] | None] | None = None,
) -> tuple[str | None, str]:
    """``(date, basis)``: the first date expression of ``sents``, else the date the article's
    first sentence states (``lead``, see :func:`lead_date`), else the article date.

    ``found``: what :func:`resolve_date` gives for each of ``sents`` with ``article_date``,
    when already known (it is not asked again).
    """
    date = article_date
    basis = "article date" if article_date else "unknown"
    if lead is not None:
        date, basis = lead[0], f"the first sentence: {lead[1]!r}"
    if found is None:
        found = (resolve_date(s.text, article_date) for s in sents)
    for r in found:
        if r is not None:
            if r[0] is not None:
                date, basis = r[0], f"text: {r[1]!r}"
            break
    return date, basis


def lead_date(
    sents: list[Sentence], article_date: str | None, title: str = ""
) -> tuple[str, str] | None:
    """``(date, expression)`` of a calendar date ("On 5 May 2020, ...", "September 27") in the
    article's first sentence (after the title), which holds for every event the article
    reports unless another date is given; ``None`` without one."""
    body = [s for s in sents[:2] if s.text != title.strip()] if title else sents[:1]
    for s in body[:1]:
        r = resolve_date(s.text, article_date)
        if r is not None and r[0] is not None and _is_calendar(r[1]):
            return r[0], r[1]
    return None


def _is_calendar(expr: str) -> bool:
    """Is ``expr`` a calendar date (a day of a month), not "Wednesday" or "today"?"""
    m = _DATE_RE.match(expr)
    return bool(m and (m.group("iso") or m.group("md_m") or m.group("dm_m") or m.group("n1")))
