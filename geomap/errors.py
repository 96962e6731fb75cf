"""One error hierarchy for geomap, and one way to say what went wrong in one line.

Every error a user can cause descends from :class:`GeomapError` and also from
the matching builtin, so callers may catch either.  Messages name the bad
input and say how to fix it; the CLI prints them as one line.

:meth:`GeomapError.from_exception` turns an exception from the outside world
(the operating system, SQLite, csv, JSON, geopy, requests) into such a
message.  :func:`quote`, :func:`shorten` and :func:`listing` keep a quoted
value or a list short, and :func:`one_line` caps a whole message, so that a
100,000-character name or a million-column header never fills a screen.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence

#: The longest error line geomap prints (characters); the "Fix:" part is kept.
MAX_LINE = 1000
#: How much of a value an error message quotes (characters).
QUOTE_CHARS = 80


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text``, or its first ``limit`` characters and how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``repr`` of a value as a message quotes it: a long one is cut, with its length."""
    text = value if isinstance(value, str) else value_text(value)
    if len(text) <= limit:
        return repr(value) if isinstance(value, str) else text
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def value_text(value: object) -> str:
    """``repr(value)``, or, for a whole number too long for Python to write out (more than
    :func:`sys.get_int_max_str_digits` digits), how many digits it has."""
    try:
        return repr(value)
    except ValueError:
        if not isinstance(value, int):
            raise
        return f"<a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits>"


def listing(items: Sequence[object], limit: int = 10) -> str:
    """The first ``limit`` items, quoted and comma-separated, then how many more."""
    shown = ", ".join(quote(item, 40) for item in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more:,} more" if more > 0 else shown


def one_line(message: str, limit: int = MAX_LINE) -> str:
    """``message`` on one line, at most ``limit`` characters; the ``Fix:`` part is kept."""
    text = " ".join(message.split())
    if len(text) <= limit:
        return text
    head, sep, fix = text.partition(" Fix: ")
    fix = shorten(fix, limit // 3) if sep else ""
    room = max(limit - len(sep) - len(fix), limit // 3)
    return shorten(head, room) + sep + fix


class GeomapError(Exception):
    """Root of all geomap errors."""

    def line(self) -> str:
        """The message as the command line prints it: one line, capped (see :func:`one_line`)."""
        return one_line(str(self))

    @classmethod
    def from_exception(cls, exc: BaseException, *, fix: str) -> GeomapError:
        """``exc`` as a one-line geomap error naming the cause and a fix.

        geomap's own errors come back as they are.  Errors of the outside
        world (files, disks, SQLite, csv, JSON, online services) are
        described; anything else is named with ``fix`` as the remedy.
        """
        if isinstance(exc, GeomapError):
            return exc
        return _describe(exc, fix)


class ConfigurationError(GeomapError, ValueError):
    """A setting, option or service name is wrong or missing."""


class GazetteerError(GeomapError, RuntimeError):
    """The offline gazetteer is missing, half-built or unreadable."""


class GeocodeError(GeomapError, LookupError):
    """A place could not be geocoded."""


class CoordinateError(GeomapError, ValueError):
    """A latitude/longitude is malformed, out of range or suspicious."""


class CacheError(GeomapError, RuntimeError):
    """The geocode cache is corrupt or cannot be written."""


class InputError(GeomapError, ValueError):
    """An input file or value is unreadable, empty or in the wrong format."""


class StoreError(GeomapError, RuntimeError):
    """The event store is corrupt, locked or cannot be written."""


class RenderError(GeomapError, RuntimeError):
    """A map could not be rendered (for example, offline assets are missing)."""


class DataError(GeomapError, RuntimeError):
    """Offline data the package needs (boundaries, map assets) is not installed."""


class FileAccessError(GeomapError, OSError):
    """A file or folder cannot be read or written (missing, full disk, no permission)."""


# -- describing the outside world's exceptions --------------------------------------

#: Describers of a library's exceptions, registered by the geomap module that knows
#: the library (geomap.sqlite registers SQLite's); each returns None for others.
_DESCRIBERS: list[Callable[[BaseException], GeomapError | None]] = []


def register_describer(describe: Callable[[BaseException], GeomapError | None]) -> None:
    """Let :meth:`GeomapError.from_exception` use ``describe`` for the exceptions it knows."""
    if describe not in _DESCRIBERS:
        _DESCRIBERS.append(describe)

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def _detail(exc: BaseException) -> str:
    return shorten(str(exc).strip() or type(exc).__name__, 300)


def _from_module(exc: BaseException, *names: str) -> bool:
    """Whether ``exc`` is an exception of one of the libraries ``names``."""
    return type(exc).__module__.split(".")[0] in names


def describe_os_error(exc: OSError) -> FileAccessError:
    """A full disk, a read-only or forbidden place, or a missing file, told apart."""
    where = f" {quote(exc.filename, 200)}" if exc.filename else ""
    reason = exc.strerror or _detail(exc)
    if exc.errno in _FULL:
        return FileAccessError(
            f"Cannot write{where}: the disk is full ({reason}). Nothing already stored was"
            " lost. Fix: free some space on that disk, or write to another disk."
        )
    if exc.errno in _DENIED:
        return FileAccessError(
            f"Cannot write{where}: the place is read-only or not yours ({reason})."
            " Fix: choose a writable folder, or change its permissions."
        )
    if exc.errno == errno.ENOENT:
        return FileAccessError(
            f"There is no such file or folder{where}. Fix: check the path."
        )
    return FileAccessError(f"Cannot use{where} ({reason}). Fix: check the path and the disk.")


def _describe(exc: BaseException, fix: str) -> GeomapError:
    import csv
    import json

    for describe in _DESCRIBERS:
        found = describe(exc)
        if found is not None:
            return found
    detail = _detail(exc)
    kind = type(exc).__name__
    if _from_module(exc, "geopy", "requests", "urllib3"):
        return GeocodeError(
            f"The online geocoding service failed ({kind}: {detail})."
            " Fix: check the network and the service's address, retry later, or work offline."
        )
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    if isinstance(exc, RecursionError):
        return InputError(
            "The input is nested too deeply to read (JSON nested thousands of levels?)."
            " Fix: check the file is what it should be."
        )
    if isinstance(exc, MemoryError):
        return GeomapError("Out of memory. Fix: give geomap smaller files, or fewer at once.")
    if isinstance(exc, json.JSONDecodeError):
        return InputError(f"The input is not valid JSON ({detail}). Fix: check the file.")
    if isinstance(exc, UnicodeError):
        return InputError(f"The input is not UTF-8 text ({detail}). Fix: save it as UTF-8.")
    if isinstance(exc, csv.Error):
        return InputError(
            f"A CSV file cannot be read ({detail}). Fix: check its quotes and its field sizes."
        )
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return InputError("A number has too many digits to read. Fix: check the numbers in "
                          "the input.")  # fmt: skip
    if isinstance(exc, OverflowError):
        return InputError(f"A number is too large ({detail}). Fix: check the numbers in the input.")
    return GeomapError(f"Unexpected error ({kind}: {detail}). Fix: {fix}")
