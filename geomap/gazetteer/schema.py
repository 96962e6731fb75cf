"""The gazetteer file's layout: its tables, format version, feature and name-kind
codes, the packed list of name keys, the packed key index built from it, and the
test for a complete file.

Admin-2 districts are places (feature ``admin2``) whose names sit in their own
table, ``district_names``: a plain name lookup never returns a district, so a
district never outranks a town of the same name in ordinary text; only a
caller that asks for districts (:meth:`~geomap.gazetteer.Gazetteer.districts`)
sees them.

The builder writes this layout and :class:`~geomap.gazetteer.Gazetteer` reads it.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from geomap import config
from geomap.errors import GazetteerError

#: Bumped whenever the file layout or the name keys change; an older file is
#: treated as not built.
FORMAT_VERSION = "6"

FEATURES = ("country", "admin1", "city", "continent", "admin2")
FEATURE_CODE = {name: i for i, name in enumerate(FEATURES)}

# kinds of name match, best first
KIND_NAME = 0  # the place's own (primary) name or a curated common name
KIND_ALT = 1  # one of its alternate names
KIND_DERIVED = 2  # a key derived from a name (article or apostrophes removed)
KIND_WEIGHT = {KIND_NAME: 1.0, KIND_ALT: 0.9, KIND_DERIVED: 0.8}

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE places(
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, latitude REAL NOT NULL,
    longitude REAL NOT NULL, feature INTEGER NOT NULL, country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL, population INTEGER NOT NULL);
CREATE TABLE names(
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY(key, geonameid)) WITHOUT ROWID;
CREATE TABLE countries(code TEXT PRIMARY KEY, geonameid INTEGER, name TEXT) WITHOUT ROWID;
CREATE TABLE admin1(country_code TEXT, admin1_code TEXT, geonameid INTEGER, name TEXT,
    PRIMARY KEY(country_code, admin1_code)) WITHOUT ROWID;
CREATE TABLE admin2(geonameid INTEGER PRIMARY KEY, admin2_code TEXT NOT NULL,
    members INTEGER NOT NULL);
CREATE TABLE district_names(
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY(key, geonameid)) WITHOUT ROWID;
CREATE TABLE blobs(name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
"""


def key_rows(con: sqlite3.Connection) -> Iterator[tuple[str, int]]:
    """Each name key with the largest population among the places it names."""
    yield from con.execute(
        "SELECT n.key, max(p.population) FROM names n"
        " JOIN places p ON p.geonameid = n.geonameid GROUP BY n.key"
    )


def pack_keys(rows: Iterable[tuple[str, int]]) -> bytes:
    """Keys joined by newlines (keys never hold one) + int64 populations, zlib'd."""
    keys: list[str] = []
    populations = array("q")
    for key, population in rows:
        keys.append(key)
        populations.append(int(population or 0))
    text = "\n".join(keys).encode("utf-8")
    header = struct.pack("<QQ", len(keys), len(text))
    return zlib.compress(header + text + populations.tobytes(), 6)


def unpack_keys(blob: bytes) -> Iterator[tuple[str, int]]:
    """The rows :func:`pack_keys` packed; a damaged blob raises GazetteerError."""
    data = zlib.decompress(blob)
    count, size = struct.unpack_from("<QQ", data)
    keys = data[16 : 16 + size].decode("utf-8").split("\n") if count else []
    populations = array("q")
    populations.frombytes(data[16 + size :])
    if len(keys) != count or len(populations) != count:
        raise GazetteerError(
            "The gazetteer's key list is damaged. Fix: run: geomap gazetteer build --force"
        )
    return zip(keys, populations, strict=True)


#: The most words of a key :data:`KeyIndex`'s ``max_words`` counts.
MAX_KEY_WORDS = 6

#: ``(population, max_words, reach)``: every key -> the largest population among its places;
#: first word of a key of 2..:data:`MAX_KEY_WORDS` words -> most words in a key starting
#: with it; the same over keys of any length.  Keys in scripts without case are left out.
KeyIndex = tuple[dict[str, int], dict[str, int], dict[str, int]]


def index_keys(rows: Iterable[tuple[str, int]], into: KeyIndex | None = None) -> KeyIndex:
    """The :data:`KeyIndex` of ``(key, population)`` rows, added to ``into`` when given
    (the rows are taken in order, so ``into`` then ``rows`` is the index of both)."""
    population, max_words, reach = into if into is not None else ({}, {}, {})
    for key, pop in rows:
        # recognition starts at a capitalised word, so names in scripts without
        # case (Arabic, Chinese, ...) could never match: leave them out
        if len(key) < 2 or key[0].upper() == key[0]:
            continue
        if (pop or 0) >= population.get(key, 0):
            population[key] = pop or 0
        words = key.count(" ") + 1
        if words == 1:
            continue
        first = key.split(" ", 1)[0]
        if reach.get(first, 0) < words:
            reach[first] = words
        if words <= MAX_KEY_WORDS and max_words.get(first, 0) < words:
            max_words[first] = words
    return population, max_words, reach


# marshal loads the three dicts about three times faster than they are built from the
# key list, but its output is only sure to read back in the Python that wrote it
_INDEX_TAG = f"marshal {marshal.version} python {sys.version_info[0]}.{sys.version_info[1]}\n"


def pack_key_index(index: KeyIndex) -> bytes:
    """``index`` as stored in the file: a tag naming the Python that wrote it, zlib'd marshal."""
    return _INDEX_TAG.encode("ascii") + zlib.compress(marshal.dumps(index), 1)


def key_index_readable(blob: bytes) -> bool:
    """Whether a stored index was written by this Python (so it loads rather than being
    built again), by its tag alone."""
    return blob.startswith(_INDEX_TAG.encode("ascii"))


def unpack_key_index(blob: bytes) -> KeyIndex | None:
    """The index :func:`pack_key_index` packed; ``None`` when another Python wrote it or
    it does not read back whole (the caller then builds it from the key list)."""
    tag = _INDEX_TAG.encode("ascii")
    if not blob.startswith(tag):
        return None
    try:
        index = marshal.loads(zlib.decompress(blob[len(tag) :]))
    except (ValueError, EOFError, TypeError, zlib.error):
        return None
    if not (isinstance(index, tuple) and len(index) == 3
            and all(isinstance(part, dict) for part in index)):  # fmt: skip
        return None
    return index


def how_to_build(path: Path) -> str:
    """The "Fix:" sentence of every error about a missing or unusable file."""
    return f"Fix: run: geomap gazetteer build  (or `make setup`), which writes {str(path)!r}"


def is_built(path: str | os.PathLike[str] | None = None) -> bool:
    """True when ``path`` is a complete gazetteer of the current format."""
    path = Path(path) if path is not None else config.gazetteer_path()
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = dict(con.execute("SELECT key, value FROM meta"))
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return rows.get("complete") == "1" and rows.get("format") == FORMAT_VERSION
