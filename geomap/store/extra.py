"""A source row's ``extra`` stored without its key names: ``[keys id, value, value, ...]``.

ACLED and UCDP rows carry a dozen columns the event schema has no place for
(``extra``), under the same key names in every row.  ``event_sources`` keeps
each list of key names once, in ``extra_keys`` (id, JSON array of names), and
a row's ``extra`` as a JSON array: the id of its key list, then the values in
key order.  Nothing is lost: the object reads back with the same keys, order
and values.  Merged events (``events``) and stores older than version 4 keep
plain JSON objects, which :func:`decode` reads as they are.

Coded values (from version 5): most of those columns hold one of a few values
row after row (a year, a region, "National-International").  When the rows
of one write that share a key list repeat the values of a key enough
(:func:`_coded_positions`), each of those values is kept once, in
``extra_values`` (id, JSON text), and the row holds its id; the key list
says which keys are coded by writing their names as one-name arrays
(``[["year"], "acled_id"]``), so a list of names may be stored twice, coded
and not.

Key lists and values are only ever added, inside the write transaction that
first needs them; a reader loads the tables once per read, when it first
meets a keyed ``extra`` (or a coded value), and again if it meets an id
committed since, so a list or value added by a write that was rolled back is
never seen.
"""

from __future__ import annotations

import json
import json.encoder
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    #: The JSON of each of the object's values, without spaces, when made with the text
    #: (:func:`plain_extra`); else None.
    parts: list[str] | None

    def __new__(cls, text: str, data: Mapping[str, Any], parts: list[str] | None = None
                ) -> PlainExtra:  # fmt: skip
        self = super().__new__(cls, text)
        self.data = data
        self.parts = parts
        return self

    @property
    def values(self) -> str | None:
        """The JSON of the object's values, comma-separated without spaces (or None)."""
        return None if self.parts is None else ",".join(self.parts)


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
        values = [_quote(v) if v.__class__ is str else int.__repr__(v) if v.__class__ is int
                  else None for v in data.values()]  # fmt: skip
        if None not in values:
            return PlainExtra(template % tuple(values), data, values)  # type: ignore[arg-type]
    return PlainExtra(_JSON(data), data)


class StoredKeys(Mapping[int, Sequence[str]]):
    """A store's key lists (their names) by id, read when first needed, and read again
    when an id is not among them (a writer may have committed it since they were read);
    with the coded keys of each list and the coded values (:meth:`stored_values`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lists: dict[int, list[str]] | None = None
        self._coded: dict[int, list[int]] = {}
        self._values: dict[int, Any] | None = None

    def _read(self) -> dict[int, list[str]]:
        self._lists = {}
        if has_table(self._conn, "extra_keys"):  # none in a store older than version 4
            for kid, text in self._conn.execute("SELECT id, keys FROM extra_keys"):
                names = json.loads(text)
                coded = [i for i, n in enumerate(names) if type(n) is list]
                if coded:
                    self._coded[kid] = coded
                    names = [n[0] if type(n) is list else n for n in names]
                self._lists[kid] = names
        return self._lists

    def stored_values(self, kid: int, stored: list[Any]) -> list[Any]:
        """The values of a row of key list ``kid`` as stored, its coded ones looked up."""
        self.__getitem__(kid)
        coded = self._coded.get(kid)
        if not coded:
            return stored
        out = list(stored)
        for i in coded:
            if i < len(out):
                out[i] = self._value(out[i])
        return out

    def _value(self, vid: Any) -> Any:
        found = self._values
        if found is None or vid not in found:
            found = self._values = {}
            if has_table(self._conn, "extra_values"):
                rows = self._conn.execute("SELECT id, value FROM extra_values")
                found.update((i, json.loads(v)) for i, v in rows)
        if type(vid) is not int or vid not in found:
            raise StoreError(
                f"A stored extra names a value the store does not hold, instead got: {vid!r}. "
                "Fix: run `geomap store check --repair`, or restore the store."
            )
        return found[vid]

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


#: Coded values (see the module docstring): among at least this many rows of one write
#: with one key list, a key's values are coded when there are at most one in
#: :data:`_CODE_SHARE` as many distinct ones as rows, and their JSON averages at least
#: :data:`_CODE_MIN_CHARS` characters (shorter ones cost no more than their id).
_CODE_MIN_ROWS = 32
_CODE_SHARE = 8
_CODE_MIN_CHARS = 4
#: How many rows of a key list the choice of its coded keys looks at (the first ones).
_CODE_SAMPLE = 1024


def encode_rows(conn: sqlite3.Connection, rows: Sequence[list[Any]], at: int, *,
                copy: bool = True) -> list[list[Any]]:  # fmt: skip
    """The rows with their ``extra`` (position ``at``, a :class:`PlainExtra` or None) keyed
    and their repeated values coded, adding the key lists and values the store lacks.
    A row whose ``extra`` is keyed is a copy, unless ``copy`` is false (the caller's own
    rows, changed in place)."""
    # the rows of each list of key names: (position in rows, JSON of each value)
    by_names: dict[tuple[str, ...], list[tuple[int, list[str]]]] = {}
    # names by an object's own keys, when they are its names (text keys): a text key never
    # equals a key of another type, so such a row is looked up without naming its keys
    by_text_keys: dict[tuple[Any, ...], tuple[str, ...]] = {}
    out = list(rows)
    for k, row in enumerate(rows):
        value = row[at]
        if value.__class__ is PlainExtra or isinstance(value, PlainExtra):
            keys = tuple(value.data)
            names = by_text_keys.get(keys)
            if names is None:
                names = _key_names(value.data)
                if names == keys:
                    by_text_keys[keys] = names
            parts = value.parts
            if parts is None:
                parts = [_COMPACT(v) for v in value.data.values()]
            members = by_names.get(names)
            if members is None:
                members = by_names[names] = []
            members.append((k, parts))
    # the coded keys of each key list, its values column by column, and every coded value
    coding: dict[tuple[str, ...], list[int]] = {}
    columns: dict[tuple[str, ...], list[Iterable[str]]] = {}
    wanted: set[str] = set()
    for names, members in by_names.items():
        rows_parts = [p for _k, p in members]
        coded = coding[names] = _coded_positions(rows_parts)
        if coded:
            columns[names] = list(zip(*rows_parts, strict=True))
            wanted.update(*(columns[names][i] for i in coded))
    ids = _value_ids(conn, wanted)
    for names, members in by_names.items():
        coded = coding[names]
        head = f"[{_key_id(conn, names, coded)}"
        if not names:
            texts = [f"{head}]"] * len(members)
        elif coded:  # each coded column mapped to its ids at once
            mapped = columns[names]
            for i in coded:
                mapped[i] = map(ids.__getitem__, mapped[i])
            texts = [f"{head},{','.join(r)}]" for r in zip(*mapped, strict=True)]
        else:
            texts = [f"{head},{','.join(p)}]" for _k, p in members]
        if copy:
            for (k, _p), text in zip(members, texts, strict=True):
                row = out[k] = list(out[k])
                row[at] = text
        else:
            for (k, _p), text in zip(members, texts, strict=True):
                out[k][at] = text
    return out


def _coded_positions(rows: Sequence[Sequence[str]]) -> list[int]:
    """Where the values of these rows (the JSON of each, one key list) are to be coded,
    judged on the first :data:`_CODE_SAMPLE` of them."""
    n = min(len(rows), _CODE_SAMPLE)
    if n < _CODE_MIN_ROWS:
        return []
    return [i for i, column in enumerate(zip(*rows[:n], strict=True))
            if len(set(column)) * _CODE_SHARE <= n
            and sum(map(len, column)) >= _CODE_MIN_CHARS * n]  # fmt: skip


def _value_ids(conn: sqlite3.Connection, texts: set[str]) -> dict[str, str]:
    """The ``extra_values`` id of each value's JSON text (as text), added when new."""
    if not texts:
        return {}
    ordered = sorted(texts)
    conn.executemany("INSERT INTO extra_values (value) VALUES (?) ON CONFLICT (value) DO NOTHING",
                     [(t,) for t in ordered])  # fmt: skip
    out: dict[str, str] = {}
    for i in range(0, len(ordered), 800):
        chunk = ordered[i : i + 800]
        q = f"SELECT value, id FROM extra_values WHERE value IN ({','.join('?' * len(chunk))})"
        out.update((v, str(vid)) for v, vid in conn.execute(q, chunk))
    return out


def _key_names(data: Mapping[Any, Any]) -> tuple[str, ...]:
    """The object's keys as its JSON text names them (a number key 1 becomes "1")."""
    keys = tuple(data)
    if all(type(k) is str for k in keys):
        return keys
    return tuple(k if type(k) is str else next(iter(json.loads(_JSON({k: 0})))) for k in keys)


def _key_id(conn: sqlite3.Connection, keys: tuple[str, ...], coded: Sequence[int] = ()) -> int:
    wanted = set(coded)
    text = _COMPACT([[k] if i in wanted else k for i, k in enumerate(keys)])
    return text_id(conn, "extra_keys", "keys", text)


def text_id(conn: sqlite3.Connection, table: str, column: str, text: str) -> int:
    """The id of ``text`` in ``table``, whose ``column`` holds each text once (UNIQUE),
    added when the store does not hold it yet."""
    conn.execute(f"INSERT INTO {table} ({column}) VALUES (?) ON CONFLICT ({column}) DO NOTHING",
                 (text,))  # fmt: skip
    return int(conn.execute(f"SELECT id FROM {table} WHERE {column} = ?", (text,)).fetchone()[0])


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
    values = keys.stored_values(value[0], value[1:]) if isinstance(keys, StoredKeys) else value[1:]
    return dict(zip(names, values, strict=False))


def is_keyed(text: object) -> bool:
    """Whether stored ``extra`` text is keyed (not a plain JSON object)."""
    return isinstance(text, str) and text.startswith("[")


def plain(text: str | float | None, keys: KeyLists) -> str | float | None:
    """Stored ``extra`` text as the plain JSON object text it was made from."""
    return _JSON(decode(text, keys)) if isinstance(text, str) and is_keyed(text) else text
