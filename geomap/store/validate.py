"""One check for every value that enters the event store, whatever file it came from.

Each event column has a *kind*; the kind says what Python accepts (and how
it is normalised) and which SQL ``CHECK`` the store's tables carry, so the
store enforces the same rule on every write and no reader can meet a bad
value:

============  =====================================  ==========================================
kind          columns                                accepted
============  =====================================  ==========================================
id            event_id                               text, 1-256 characters
date          event_date                             an ISO date (other spellings are parsed)
text          types, actors, places, provenance      text (a number is written out), control
                                                     characters removed, cut at 1,000
long text     source, notes, quote, source_url       as text; tabs and line breaks kept; cut
                                                     at 100,000
coordinate    latitude, longitude                    finite, in range, both or neither
precision     geo_precision                          1, 2 or 3
count         fatalities, deaths_*, injured_*        a whole number 0..10,000,000
flag          civilians, children, is_context, ...   true/false (or 1/0)
integer       geonameid, span_start, span_end        a whole number 0..2^53
fraction      confidence                             a number 0..1
============  =====================================  ==========================================

``extra`` must serialise to JSON of at most 100,000 characters (keys beyond
that are dropped and ``extra["extra_truncated"]`` says how many).  A value
that cannot be used raises :class:`InvalidValue`, whose message names the
column and quotes the value (clipped); the row is then rejected.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from geomap import dates
from geomap.errors import CoordinateError, quote
from geomap.formats.limits import clip
from geomap.geo import check_coordinates
from geomap.model import Article, Event, Mention, Place

#: Largest count (deaths, injured) a row may give.
MAX_COUNT = 10_000_000
MAX_ID_CHARS = 256
MAX_TEXT_CHARS = 1_000
MAX_LONG_TEXT_CHARS = 100_000
MAX_EXTRA_CHARS = 100_000
MAX_INTEGER = 2**53

# C0/C1 controls, DEL, lone surrogates (SQLite cannot store them as UTF-8), and
# the line and paragraph separators; tab and line feed are kept in long text.
_SPACE_LIKE = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_WHOLE = re.compile(r"\s*\+?\d{1,16}\s*")


class InvalidValue(ValueError):
    """A value the store cannot hold; the message names the column and the value."""


def _bad(column: str, value: object, wanted: str) -> InvalidValue:
    return InvalidValue(f"{column} must be {wanted}, instead got: {clip(value)}")


def clean_text(value: object, column: str, *, cap: int = MAX_TEXT_CHARS,
               multiline: bool = False) -> str:  # fmt: skip
    """Text without control characters, stripped, cut at ``cap`` characters ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            text = str(value)
        except ValueError:  # more digits than Python writes out
            raise _bad(column, value, "text") from None
    elif isinstance(value, float) and math.isfinite(value):
        text = str(value)
    else:
        raise _bad(column, value, "text")
    if _ANY_CONTROL.search(text):
        if multiline:
            text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            text = _CONTROL.sub("", _SPACE_LIKE.sub(" ", text))
    text = text.strip()
    if len(text) > cap:
        text = text[: cap - 1].rstrip() + "\u2026"
    return text


def _id(value: object, column: str) -> str:
    text = clean_text(value, column, cap=MAX_ID_CHARS + 1)
    if not text or len(text) > MAX_ID_CHARS:
        raise _bad(column, value, f"an id of 1 to {MAX_ID_CHARS} characters")
    return text


def check_date(value: object, column: str) -> str | None:
    """The ISO date of ``value`` (None when empty); :class:`InvalidValue` when it is none."""
    if isinstance(value, str) or value is None or isinstance(value, dt.date):
        try:
            return dates.parse_date(value)
        except ValueError:
            pass
    raise _bad(column, value, "a date like 2015-09-30")


def _whole(value: object, column: str, low: int, high: int, wanted: str) -> int | None:
    if value is None or value == "":
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value == int(value):
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.replace(",", "")):
        number = int(value.replace(",", ""))
    if number is None or not low <= number <= high:
        raise _bad(column, value, wanted)
    return number


def _count(value: object, column: str) -> int | None:
    return _whole(value, column, 0, MAX_COUNT, f"a whole number from 0 to {MAX_COUNT:,}")


def _fatalities(value: object, column: str) -> int:
    return _count(value, column) or 0


def _precision(value: object, column: str) -> int | None:
    return _whole(value, column, 1, 3, "1, 2 or 3")


def _integer(value: object, column: str) -> int | None:
    return _whole(value, column, 0, MAX_INTEGER, "a whole number >= 0")


def _flag(value: object, column: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or value == "" or value == 0:
        return False
    if value == 1:
        return True
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.strip().lower() in ("true", "1", "yes")
    raise _bad(column, value, "true or false")


def _fraction(value: object, column: str) -> float | None:
    if value is None or value == "":
        return None
    number = _float(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise _bad(column, value, "a number from 0 to 1")
    return number


def _float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # a whole number beyond any float
            return None
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _coordinate(value: object, column: str) -> float | None:
    if value is None or value == "":
        return None
    number = _float(value)
    if number is None:
        raise _bad(column, value, "a finite decimal number")
    return number


def _long(value: object, column: str) -> str:
    return clean_text(value, column, cap=MAX_LONG_TEXT_CHARS, multiline=True)


def _short(value: object, column: str) -> str:
    return clean_text(value, column)


@dataclass(frozen=True)
class Kind:
    """How one kind of column is checked in Python and in SQL (``{c}`` is the column)."""

    name: str
    check: Callable[[Any, str], Any]
    sql: str


def _nullable(condition: str) -> str:
    return "{c} IS NULL OR (" + condition + ")"


def _typed(sql_type: str, low: float, high: float) -> str:
    return f"typeof({{c}}) = '{sql_type}' AND {{c}} BETWEEN {low} AND {high}"


_NUMBER = "typeof({c}) IN ('integer', 'real') AND {c} BETWEEN "
_ID_SQL = f"typeof({{c}}) = 'text' AND length({{c}}) BETWEEN 1 AND {MAX_ID_CHARS}"
KINDS: dict[str, Kind] = {
    "id": Kind("id", _id, _ID_SQL),
    "date": Kind("date", check_date,
                 _nullable("typeof({c}) = 'text' AND date({c}, '+0 days') IS {c}")),
    "text": Kind("text", _short,
                 _nullable(f"typeof({{c}}) = 'text' AND length({{c}}) <= {MAX_TEXT_CHARS}")),
    "long text": Kind(
        "long text", _long,
        _nullable(f"typeof({{c}}) = 'text' AND length({{c}}) <= {MAX_LONG_TEXT_CHARS}"),
    ),
    "latitude": Kind("latitude", _coordinate, _nullable(_NUMBER + "-90 AND 90")),
    "longitude": Kind("longitude", _coordinate, _nullable(_NUMBER + "-180 AND 180")),
    "precision": Kind("precision", _precision, _nullable("{c} IN (1, 2, 3)")),
    "count": Kind("count", _count, _nullable(_typed("integer", 0, MAX_COUNT))),
    "fatalities": Kind("fatalities", _fatalities, _typed("integer", 0, MAX_COUNT)),
    "flag": Kind("flag", _flag, "typeof({c}) = 'integer' AND {c} IN (0, 1)"),
    "integer": Kind("integer", _integer, _nullable(_typed("integer", 0, MAX_INTEGER))),
    "fraction": Kind("fraction", _fraction, _nullable(_NUMBER + "0 AND 1")),
}  # fmt: skip

_LONG = ("source", "notes", "quote", "source_url")
_COUNTS = ("deaths_low", "deaths_best", "deaths_high", "deaths_civilians", "injured_low",
           "injured_best", "injured_high")  # fmt: skip
_FLAGS = ("civilians", "children", "is_context", "coords_from_source")

#: The kind of every event column (the rest of the columns are short text).
COLUMN_KINDS: dict[str, str] = {
    "event_id": "id", "event_date": "date", "latitude": "latitude", "longitude": "longitude",
    "geo_precision": "precision", "fatalities": "fatalities", "geonameid": "integer",
    "span_start": "integer", "span_end": "integer", "confidence": "fraction",
    **{c: "long text" for c in _LONG}, **{c: "count" for c in _COUNTS},
    **{c: "flag" for c in _FLAGS},
}  # fmt: skip


def kind_of(column: str) -> Kind:
    """The kind of an event column."""
    return KINDS[COLUMN_KINDS.get(column, "text")]


def column_check(column: str, expression: str | None = None) -> str:
    """The SQL condition a stored value of ``column`` meets (``expression`` in place of the
    column itself, when given)."""
    return kind_of(column).sql.format(c=expression or column)


#: The SQL condition a whole stored row meets beyond its columns' own.
ROW_CHECK = (
    "(latitude IS NULL) = (longitude IS NULL) "
    "AND (deaths_low IS NULL OR deaths_high IS NULL OR deaths_low <= deaths_high) "
    "AND (injured_low IS NULL OR injured_high IS NULL OR injured_low <= injured_high)"
)


def _checked_columns() -> list[tuple[str, Callable[[Any, str], Any]]]:
    from geomap.model import EVENT_COLUMNS

    return [(c, kind_of(c).check) for c in EVENT_COLUMNS]


#: (column, check) for every event column, in column order.
CHECKS = _checked_columns()
_CHECKS = CHECKS
#: The columns whose check leaves "" as it is (text) and those whose check leaves None
#: (nullable numbers): such values need no call.
_EMPTY_KEPT = frozenset(c for c, _check in _CHECKS if COLUMN_KINDS.get(c, "text") in
                        ("text", "long text"))  # fmt: skip
_NONE_KEPT = frozenset(c for c, _check in _CHECKS if COLUMN_KINDS.get(c, "text") in
                       ("latitude", "longitude", "precision", "count", "integer", "fraction",
                        "date"))  # fmt: skip


#: The most characters a text column keeps, by column (text and long text).
TEXT_CAPS = {c: MAX_LONG_TEXT_CHARS if COLUMN_KINDS.get(c, "text") == "long text" else
             MAX_TEXT_CHARS for c in _EMPTY_KEPT}  # fmt: skip
_TEXT_CAPS = TEXT_CAPS


def clean_already(text: str, cap: int) -> bool:
    """Whether :func:`clean_text` leaves ``text`` as it is: printable (so no control
    character), nothing to strip, within ``cap``."""
    return not text or (
        len(text) <= cap and text.isprintable() and len(text.strip()) == len(text)
    )


def clean_event(event: Event) -> Event:
    """Check and normalise every field of ``event`` in place; returns it.

    Raises :class:`InvalidValue` for the first field the store cannot hold.
    """
    caps = _TEXT_CAPS
    for column, check in _CHECKS:
        value = getattr(event, column)
        if value is None and column in _NONE_KEPT:
            continue
        if value.__class__ is str and column in caps and clean_already(value, caps[column]):
            continue
        setattr(event, column, check(value, column))
    _check_point(event)
    check_ranges(event)
    event.extra = clean_extra(event.extra)
    return event


def check_ranges(event: Event) -> None:
    """Raise :class:`InvalidValue` when a low figure is above its high one."""
    _check_range(event, "deaths")
    _check_range(event, "injured")


def _check_point(event: Event | Mention) -> None:
    lat, lon = event.latitude, event.longitude
    if (lat is None) != (lon is None):
        raise InvalidValue(
            "latitude and longitude must be given together,"
            f" instead got: {quote(lat)}, {quote(lon)}"
        )
    if lat is not None and lon is not None:
        try:
            check_coordinates(lat, lon)
        except CoordinateError as exc:
            raise InvalidValue(str(exc).split(" Fix:")[0]) from None


def _check_range(event: Event, what: str) -> None:
    low, high = getattr(event, f"{what}_low"), getattr(event, f"{what}_high")
    if low is not None and high is not None and low > high:
        raise InvalidValue(f"{what}_low {low} is above {what}_high {high}")


def clean_extra(extra: object) -> dict[str, Any]:
    """``extra`` as a dict whose JSON fits :data:`MAX_EXTRA_CHARS` (keys beyond are dropped)."""
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise _bad("extra", extra, "an object")
    if _fits_whole(extra):
        if _CLEAN_KEYS.issuperset(extra):  # the same columns row after row
            return dict(extra)
        return {_extra_key(key): value for key, value in extra.items()}
    return extra_key_by_key(extra)


#: Extra keys met already clean (a table gives the same keys in every row).
_CLEAN_KEYS: set[str] = set()


def _extra_key(key: object) -> str:
    if type(key) is str and clean_already(key, MAX_TEXT_CHARS):
        if len(_CLEAN_KEYS) > 10_000:
            _CLEAN_KEYS.clear()
        _CLEAN_KEYS.add(key)
        return key
    return clean_text(key, "extra key")


def extra_key_by_key(extra: dict[Any, Any]) -> dict[str, Any]:
    """``extra`` with its keys cleaned, keeping keys while their JSON sizes, counted key
    by key, fit :data:`MAX_EXTRA_CHARS` (``extra_truncated`` counts the rest)."""
    out: dict[str, Any] = {}
    used = 2
    dropped = 0
    for key, value in extra.items():
        name = clean_text(key, "extra key")
        try:
            size = len(json.dumps(value, default=str)) + len(name) + 6
        except (TypeError, ValueError, RecursionError):
            raise _bad(f"extra[{name!r}]", value, "a value JSON can hold") from None
        if used + size > MAX_EXTRA_CHARS:
            dropped += 1
            continue
        out[name] = value
        used += size
    if dropped:
        out["extra_truncated"] = dropped
    return out


def _fits_whole(extra: dict[Any, Any]) -> bool:
    """Whether no key of ``extra`` can be dropped: text keys whose whole JSON is small.

    The JSON of the whole object is never shorter than the sum of the sizes
    :func:`extra_key_by_key` counts, less 2, so this only answers yes
    where the key-by-key count keeps every key.
    """
    if set(map(type, extra)) != {str} and not all(isinstance(key, str) for key in extra):
        return False
    if _short_json(extra):
        return True
    try:
        return len(json.dumps(extra, default=str)) + 2 <= MAX_EXTRA_CHARS
    except (TypeError, ValueError, RecursionError):
        return False


def _short_json(extra: dict[str, Any]) -> bool:
    """Whether the JSON of ``extra`` (text keys) is surely short, without writing it."""
    size = 2 + 12 * sum(map(len, extra)) + 6 * len(extra) + values_json_size(extra.values())
    return size + 2 <= MAX_EXTRA_CHARS


#: The types of values whose JSON :func:`values_json_size` bounds without writing it.
_SIMPLE = frozenset({str, int, float, bool, type(None)})


def values_json_size(values: Collection[Any]) -> int:
    """The most characters of JSON the values take (text up to 12 a character, the
    escapes of a surrogate pair, and 2 quotes; any other value up to 32), or
    :data:`MAX_EXTRA_CHARS` for a value of another type or a whole number of 21 digits
    or more."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return 12 * sum(map(len, values)) + 2 * len(values)
    if not kinds <= _SIMPLE or not all(-(10**20) < v < 10**20 for v in values
                                       if v.__class__ is int):  # fmt: skip
        return MAX_EXTRA_CHARS
    texts = [v for v in values if v.__class__ is str]
    return 12 * sum(map(len, texts)) + 2 * len(texts) + 32 * (len(values) - len(texts))


def clean_mention(mention: Mention) -> Mention:
    """Check and normalise a place mention in place (as :func:`clean_event` does an event)."""
    mention.doc_id = _id(mention.doc_id, "doc_id")
    mention.text = clean_text(mention.text, "mention text")
    for column in ("span_start", "span_end"):
        value = _integer(getattr(mention, column), column)
        if value is None:
            raise _bad(column, getattr(mention, column), "a whole number >= 0")
        setattr(mention, column, value)
    mention.latitude = _coordinate(mention.latitude, "latitude")
    mention.longitude = _coordinate(mention.longitude, "longitude")
    _check_point(mention)
    mention.geo_precision = _precision(mention.geo_precision, "geo_precision")
    mention.confidence = _fraction(mention.confidence, "confidence") or 0.0
    mention.reason = clean_text(mention.reason, "reason")
    mention.cache_key = clean_text(mention.cache_key, "cache_key")
    if mention.role not in ("event", "mentioned"):
        raise _bad("role", mention.role, "'event' or 'mentioned'")
    if mention.place is not None:
        _check_place(mention.place)
    return mention


def _check_place(place: Place) -> None:
    """A mention's gazetteer entry: whole id, finite point in range, text names."""
    if _integer(place.geonameid, "place geonameid") is None:
        raise _bad("place geonameid", place.geonameid, "a whole number >= 0")
    lat = _coordinate(place.latitude, "place latitude")
    lon = _coordinate(place.longitude, "place longitude")
    try:
        check_coordinates(lat, lon)
    except CoordinateError as exc:
        raise InvalidValue(str(exc).split(" Fix:")[0]) from None
    for name in ("name", "feature", "country_code", "country", "admin1_code", "admin1"):
        value = getattr(place, name)
        if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS:
            raise _bad(f"place {name}", value, "text")
    if _integer(place.population, "place population") is None:
        raise _bad("place population", place.population, "a whole number >= 0")


def clean_article(article: Article) -> Article:
    """Check and normalise a document's fields in place (its text is kept whole)."""
    article.doc_id = _id(article.doc_id, "doc_id")
    article.date = check_date(article.date, "date")
    for column in ("title", "source", "path"):
        setattr(article, column, clean_text(getattr(article, column), column))
    article.url = _long(article.url, "url")
    if not isinstance(article.text, str):
        raise _bad("text", article.text, "text")
    # mention offsets count characters of this text: a bad one is replaced, never removed
    if _UNSTORABLE.search(article.text):
        article.text = _UNSTORABLE.sub("\ufffd", article.text)
    return article
