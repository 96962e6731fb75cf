"""Reading calendar dates as people and tables write them: one parser for every input."""

from __future__ import annotations

import datetime as dt
import re

#: Spellings accepted besides ISO ``YYYY-MM-DD`` (a time part after it is dropped).
SPELLINGS = ("%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%B %d, %Y", "%b %d, %Y",
             "%Y/%m/%d", "%Y%m%d")  # fmt: skip

_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$")


def parse_date(value: object) -> str | None:
    """The ISO ``YYYY-MM-DD`` of a date, a datetime or a text; None for an empty value.

    Texts may be ISO (a time part is dropped) or one of :data:`SPELLINGS`
    ("30 September 2015", "Sep 30, 2015", "2015/09/30", "20150930"), with
    surrounding quotes.  Raises :class:`ValueError` for anything else; callers
    turn it into their own message, naming the input.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip().strip("'\"").strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return dt.date.fromisoformat(m.group(1)).isoformat()
        except ValueError:
            raise ValueError(f"not a date: {text!r}") from None
    for fmt in SPELLINGS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")
