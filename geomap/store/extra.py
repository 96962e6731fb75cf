"""A source row's ``extra`` stored without its key names: ``[keys id, value, value, ...]``.

ACLED and UCDP rows carry a dozen columns the event schema has no place for
(``extra``), under the same key names in every row.  ``event_sources`` keeps
each list of key names once, in ``extra_keys`` (id, JSON array of names), and
a row's ``extra`` as a JSON array: the id of its key list, then the values in
key order.  Nothing is lost: the object reads back with the same keys, order
and values.  Merged events (``events``) and stores older than version 4 keep
plain JSON objects, which :func:`decode` reads as they are.

Key lists are only ever added, inside the write transaction that first needs
them; a reader loads the table (a few rows) once per read, when it first meets
a keyed ``extra``, and again if it meets an id committed since, so a list
added by a write that was rolled back is never seen.
"""

from __future__ import annotations

import json
import json.encoder
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from geomap.errors import StoreError
from geomap.store.schema import has_table

#: Key lists by id, as :func:`key_lists` reads them.
KeyLists = Mapping[int, Sequence[str]]


def json_encoder(*, ensure_ascii: bool = True, compact: bool = False) -> Callable[[Any], str]:
    """``json.JSONEncoder(default=str, ...).encode``, giving the same text, with the
    encoder of lists and objects made once rather than at every call (a row's values
    are encoded a few times each).  Without the reference-cycle test: the store's checks
    (:func:`geomap.store.validate.clean_extra`) refuse a value that holds itself."""
    separators = (",", ":") if compact else (", ", ": ")
    whole = json.JSONEncoder(default=str, ensure_ascii=ensure_ascii, separators=separators)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return whole.encode
    quote = json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring
    parts = make(None, str, quote, None, separators[1], separators[0], False, False, True)

    def encode(value: Any) -> str:
        if value.__class__ is list or value.__class__ is dict:
            return "".join(parts(value, 0))
        return whole.encode(value)

    return encode


_JSON = json_encoder()
#: Keyed values and key lists are written without spaces (the plain text keeps its own).
_COMPACT = json_encoder(compact=True)


class PlainExtra(str):
    """A source row's ``extra`` as plain JSON text (what its content hash covers), with the
    object it was made from: :func:`encode_rows` stores it keyed, inside the transaction."""

    data: Mapping[str, Any]
    #: The JSON of the object's values, comma-separated without spaces, when made with
    #: the text (:func:`plain_extra`); else None.
    values: str | None

    def __new__(cls, text: str, data: Mapping[str, Any], values: str | None = None) -> PlainExtra:
        self = super().__new__(cls, text)
        self.data = data
        self.values = values
        return self


_quote = json.encoder.encode_basestring_ascii
#: The plain JSON text of an object of text keys with "%s" for each value (a "%" of a
#: key doubled), by its keys (an input's rows share their keys); None for other keys.
_TEMPLATES: dict[tuple[str, ...], str | None] = {}


def plain_extra(data: Mapping[str, Any]) -> PlainExtra:
    """``data`` as its plain JSON text (:data:`_JSON`), with it.  An object of text keys and
    text or whole-number values, as a table's rows give, is written value by value into
    its keys' template, so that the JSON of its values comes with it for :func:`encode_rows`."""
    keys = tuple(data)
    template = _TEMPLATES.get(keys)  # type: ignore[arg-type]
    if template is None and keys not in _TEMPLATES:
        if len(_TEMPLATES) > 1_000:  # the keys of many inputs: start again
            _TEMPLATES.clear()
        template = _TEMPLATES[keys] = (  # type: ignore[index]
            "{" + ", ".join(_quote(k).replace("%", "%%") + ": %s" for k in keys) + "}"
            if all(k.__class__ is str for k in keys) else None
        )  # fmt: skip
    if template is not None:
        values: list[str] = []
        for value in data.values():
            kind = value.__class__
            if kind is str:
                values.append(_quote(value))
            elif kind is int:
                values.append(int.__repr__(value))
            else:
                break
        else:
            return PlainExtra(template % tuple(values), data, ",".join(values))
    return PlainExtra(_JSON(data), data)


class StoredKeys(Mapping[int, Sequence[str]]):
    """A store's key lists by id, read when first needed, and read again when an id is
    not among them (a writer may have committed it since they were read)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lists: dict[int, list[str]] | None = None

    def _read(self) -> dict[int, list[str]]:
        self._lists = {}
        if has_table(self._conn, "extra_keys"):  # none in a store older than version 4
            rows = self._conn.execute("SELECT id, keys FROM extra_keys")
            self._lists = {i: json.loads(k) for i, k in rows}
        return self._lists

    def __getitem__(self, kid: int) -> Sequence[str]:
        lists = self._lists
        if lists is None or kid not in lists:
            lists = self._read()
        return lists[kid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._lists if self._lists is not None else self._read())

    def __len__(self) -> int:
        return len(self._lists if self._lists is not None else self._read())


def key_lists(conn: sqlite3.Connection) -> StoredKeys:
    """The store's key lists by id (read lazily: no query when no keyed extra is read)."""
    return StoredKeys(conn)


def encode_rows(conn: sqlite3.Connection, rows: Sequence[list[Any]], at: int) -> list[list[Any]]:
    """The rows with their ``extra`` (position ``at``, a :class:`PlainExtra` or None) keyed,
    adding the key lists the store does not hold yet."""
    ids: dict[tuple[str, ...], int] = {}  # by key names
    # the same by an object's own keys, when they are its names (text keys): a text key
    # never equals a key of another type, so such a row is looked up without naming its keys
    by_text_keys: dict[tuple[Any, ...], int] = {}
    out: list[list[Any]] = []
    for row in rows:
        value = row[at]
        if isinstance(value, PlainExtra):
            keys = tuple(value.data)
            kid = by_text_keys.get(keys)
            if kid is None:
                names = _key_names(value.data)
                kid = ids.get(names)
                if kid is None:
                    kid = ids[names] = _key_id(conn, names)
                if names == keys:
                    by_text_keys[keys] = kid
            values = value.values
            if values is None:
                values = _COMPACT(list(value.data.values()))[1:-1]
            row = list(row)
            row[at] = f"[{kid},{values}]" if values else f"[{kid}]"
        out.append(row)
    return out


def _key_names(data: Mapping[Any, Any]) -> tuple[str, ...]:
    """The object's keys as its JSON text names them (a number key 1 becomes "1")."""
    keys = tuple(data)
    if all(type(k) is str for k in keys):
        return keys
    return tuple(k if type(k) is str else next(iter(json.loads(_JSON({k: 0})))) for k in keys)


def _key_id(conn: sqlite3.Connection, keys: tuple[str, ...]) -> int:
    text = _COMPACT(list(keys))
    conn.execute("INSERT INTO extra_keys (keys) VALUES (?) ON CONFLICT (keys) DO NOTHING", (text,))
    return int(conn.execute("SELECT id FROM extra_keys WHERE keys = ?", (text,)).fetchone()[0])


def decode(text: str, keys: KeyLists) -> dict[str, Any]:
    """The ``extra`` object of stored text: a plain JSON object, or keyed."""
    value = json.loads(text)
    if isinstance(value, dict):
        return value
    names = keys.get(value[0]) if value and type(value[0]) is int else None
    if names is None:
        raise StoreError(
            f"A stored extra names a key list the store does not hold, instead got: "
            f"{text[:80]!r}. Fix: run `geomap store check --repair`, or restore the store."
        )
    return dict(zip(names, value[1:], strict=False))


def is_keyed(text: object) -> bool:
    """Whether stored ``extra`` text is keyed (not a plain JSON object)."""
    return isinstance(text, str) and text.startswith("[")


def plain(text: str | float | None, keys: KeyLists) -> str | float | None:
    """Stored ``extra`` text as the plain JSON object text it was made from."""
    return _JSON(decode(text, keys)) if isinstance(text, str) and is_keyed(text) else text
