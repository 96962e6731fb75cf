"""What any input may hold, and how much of a bad value a message repeats.

Every reader of user files keeps to these bounds, so a hostile or broken file
ends in a one-line error instead of exhausting memory or time:

=========================  ==============  ===========================================
bound                      value           where
=========================  ==============  ===========================================
CSV field                  1 MiB           a longer field stops the file with its line
XLSX uncompressed size     256 MiB         checked from the archive before parsing
XLSX rows                  1,048,576       Excel's own sheet limit
XLSX cell                  1 MiB           like a CSV field
JSON nesting               64 levels       extract JSON, GeoJSON, JSON lines
shown in a message         80 characters   a quoted value is clipped with "..."
listed in a message        10 items        then "(and N more)"
=========================  ==============  ===========================================
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from geomap.errors import InputError, shorten, value_text

#: Longest CSV field (characters) and XLSX cell, 1 MiB.
MAX_FIELD_CHARS = 1 << 20
#: Largest total uncompressed size of an XLSX archive, 256 MiB.
MAX_XLSX_BYTES = 256 << 20
#: Most rows read from an XLSX sheet (Excel's own limit).
MAX_XLSX_ROWS = 1_048_576
#: Deepest nesting of JSON arrays and objects.
MAX_JSON_DEPTH = 64
#: Characters of a bad value quoted back in a message.
SHOWN_CHARS = 80
#: Items (columns, names, rows) listed in one message.
SHOWN_ITEMS = 10


def clip(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value quoted for a message (``repr``), clipped to about ``limit`` characters."""
    text = value if isinstance(value, str) else value_text(value)
    if len(text) <= limit:
        return repr(value) if isinstance(value, str) else text
    return f"{text[:limit]!r}... ({len(text):,} characters)"


def listing(items: Iterable[object], limit: int = SHOWN_ITEMS, width: int = 40) -> str:
    """``"a, b, c (and 7 more)"``: the first ``limit`` items, each clipped to ``width``."""
    shown: list[str] = []
    more = 0
    for item in items:
        if len(shown) < limit:
            text = str(item)
            shown.append(text if len(text) <= width else text[: width - 3] + "...")
        else:
            more += 1
    return ", ".join(shown) + (f" (and {more:,} more)" if more else "")


def json_depth(value: object) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        stack.extend((child, depth) for child in children)
    return deepest


def too_long(exc: ValueError) -> str:
    """What :func:`json.loads` said of a number it would not read, without its advice to
    raise Python's limit."""
    return shorten(str(exc).split("; use sys.set_int_max_str_digits")[0], 120)


def load_json(text: str, source: str) -> object:
    """Parse JSON text, refusing nesting deeper than :data:`MAX_JSON_DEPTH`.

    Raises :class:`~geomap.errors.InputError` naming ``source`` for text that
    is not JSON or nests too deeply.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The file {source!r} is not valid JSON (line {exc.lineno}: {exc.msg}). "
            "Fix: pass the output of `geomap extract --format json`."
        ) from exc
    except ValueError as exc:  # a number of more digits than Python reads
        raise InputError(
            f"The file {source!r} holds a number too long to read ({too_long(exc)}). "
            "Fix: pass the output of `geomap extract --format json`."
        ) from exc
    except RecursionError:
        value = None
        depth = MAX_JSON_DEPTH + 1
    else:
        depth = json_depth(value)
    if depth > MAX_JSON_DEPTH:
        raise InputError(
            f"The file {source!r} nests JSON deeper than {MAX_JSON_DEPTH} levels. "
            "Fix: pass the output of `geomap extract --format json`."
        )
    return value
