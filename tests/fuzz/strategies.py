"""Hypothesis strategies for every input geomap reads, plausible and hostile mixed.

Each strategy draws whole files (:class:`~tests.fuzz.harness.InputFile`):
tables (ACLED-like, UCDP-like and names tables, as CSV/TSV in several
encodings, or as XLSX written with openpyxl), extract JSON and GeoJSON, cache
export files (JSON and CSV), articles, and random bytes.  Values are mostly
plausible (so that rows reach the store and later readers meet them) and often
hostile: counts that are huge, negative, NaN, infinite, ``1e400`` or 2**63,
dates that do not parse, control characters, unbalanced quotes, BOMs, UTF-16,
wrong JSON types at every level and nesting far too deep.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime

from hypothesis import strategies as st

from tests.fuzz.harness import InputFile

# -- values ------------------------------------------------------------------------------

HOSTILE_NUMBERS = (
    "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e30", "9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "1" + "0" * 30, "-5", "-1", "0x10", "1_000",
    "12abc", "lots", "3.7", "1,000", "٣٣", "1e-400", "-0", "+7", "", " ", "None", "null", "true",
    "9" * 5000,
)  # fmt: skip
HOSTILE_DATES = (
    "yesterday", "2015-02-30", "0000-00-00", "9999-12-31", "2015-13-01", "0001-01-01",
    "-2015-01-01", "20150930", "2015/09/30", "99999-01-01", "2015-09-30T25:61:00", "1e400",
    "30 Septembre 2015", "2015", "2015-09", "nan", "", "Wednesday", "2015-09-30\x00",
)  # fmt: skip
HOSTILE_COORDS = (
    "nan", "inf", "-inf", "1e400", "91", "-91", "181", "-181", "360", "", "abc", "34,9", "0",
    "-0", "1e-400", "34.9.1", "9223372036854775808",
)  # fmt: skip
HOSTILE_TEXT = (
    "\x00", "\r", "\n", "\t=1+1", "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0",
    "+SUM(1)", "@SUM(1)", "-2+3", '"', 'a"b', '""', "\u202e\u202d", "\ufeff", "\x1b[31m",
    "<script>alert(1)</script>", "Homs\x00Paris", "x" * 2000, "ا" * 300, "\ud7ff", "😀" * 10,
    "{}", "[]", "NULL", "'; DROP TABLE event_sources; --",
)  # fmt: skip
PLACES = ("Rastan", "Ar-Rastan", "Homs", "Aleppo", "Talbiseh", "Hama", "Idlib", "Palmyra",
          "Kafr Zeita", "Nowhereville", "Paris")  # fmt: skip
#: Event ids of the baseline store: a row reusing one must not silently replace it.
BASELINE_IDS = ("FZB0001", "FZB0002", "FZB0003")

text_values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
)


def _num(lo: float, hi: float) -> st.SearchStrategy[str]:
    return st.floats(lo, hi, allow_nan=False).map(lambda x: f"{x:.4f}")


counts = st.one_of(
    st.integers(0, 200).map(str),
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(repr),
)
dates = st.one_of(
    st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(str),
    st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(lambda d: d.strftime("%d %B %Y")),
    st.sampled_from(HOSTILE_DATES),
    text_values,
)
latitudes = st.one_of(_num(32.5, 37.0), st.sampled_from(HOSTILE_COORDS), st.floats().map(repr))
longitudes = st.one_of(_num(35.8, 42.0), st.sampled_from(HOSTILE_COORDS), st.floats().map(repr))
texts = st.one_of(text_values, st.sampled_from(HOSTILE_TEXT), st.sampled_from(PLACES))
places = st.one_of(st.sampled_from(PLACES), st.sampled_from(PLACES), texts)
ids = st.one_of(
    st.integers(1, 99999).map(lambda n: f"FZ{n:05d}"),
    st.sampled_from(BASELINE_IDS),
    texts,
)

# -- tables ------------------------------------------------------------------------------

#: column -> values, for each table layout.
ACLED = {
    "event_id_cnty": ids, "event_date": dates, "year": counts,
    "event_type": st.sampled_from(["Battles", "Explosions/Remote violence", "Riots", ""]) | texts,
    "sub_event_type": st.sampled_from(["Air/drone strike", "Armed clash"]) | texts,
    "actor1": texts, "actor2": texts, "country": st.sampled_from(["Syria", "France"]) | texts,
    "admin1": texts, "location": places, "latitude": latitudes, "longitude": longitudes,
    "geo_precision": st.sampled_from(["1", "2", "3"]) | counts, "source": texts,
    "notes": texts, "fatalities": counts,
}  # fmt: skip
UCDP = {
    "id": st.integers(1, 10**7).map(str) | texts, "year": counts, "type_of_violence": counts,
    "side_a": texts, "side_b": texts, "where_coordinates": places, "where_prec": counts,
    "adm_1": texts, "latitude": latitudes, "longitude": longitudes,
    "country": st.sampled_from(["Syria", "Iraq"]) | texts, "date_prec": counts,
    "date_start": dates, "date_end": dates, "deaths_a": counts, "deaths_b": counts,
    "deaths_civilians": counts, "deaths_unknown": counts, "best": counts, "high": counts,
    "low": counts,
}  # fmt: skip
NAMES = {
    "date": dates, "place": places,
    "event_type": st.sampled_from(["air strike", "shelling"]) | texts,
    "deaths": counts, "source": texts, "notes": texts,
    "country": st.sampled_from(["SY", "Syria"]) | texts,
    "latitude": latitudes, "longitude": longitudes, "actor": texts,
}  # fmt: skip
LAYOUTS = {"acled": ACLED, "ucdp": UCDP, "names": NAMES}


COUNT_COLUMNS = {
    "fatalities", "deaths", "best", "high", "low", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown",
}  # fmt: skip
SMALL_COLUMNS = {"type_of_violence", "where_prec", "date_prec", "geo_precision"}


def plausible(column: str) -> st.SearchStrategy[str]:
    """A value of ``column`` as a good file holds it (a row of these is stored)."""
    if column in ("event_id_cnty", "id"):  # now and then the id of a stored row
        fresh = st.integers(1, 99999).map(lambda n: f"FZ{n:05d}")
        return st.one_of(*[fresh] * 9, st.sampled_from(BASELINE_IDS))
    if column == "year":
        return st.sampled_from(["2015", "2016"])
    if column == "event_date":
        return st.dates(date(2015, 1, 1), date(2016, 12, 31)).map(lambda d: d.strftime("%d %B %Y"))
    if "date" in column:
        return st.dates(date(2015, 1, 1), date(2016, 12, 31)).map(str)
    if column == "latitude":
        return _num(32.5, 37.0)
    if column == "longitude":
        return _num(35.8, 42.0)
    if column in COUNT_COLUMNS:
        return st.integers(0, 60).map(str)
    if column in SMALL_COLUMNS:
        return st.sampled_from(["1", "2", "3"])
    if column in ("location", "place", "where_coordinates"):
        return st.sampled_from(PLACES)
    if column == "country":
        return st.sampled_from(["Syria", "SY"])
    if column in ("event_type", "sub_event_type"):
        return st.sampled_from(["Battles", "Explosions/Remote violence", "Air/drone strike"])
    return st.sampled_from(["", "Army", "Reuters", "A short note."])


@st.composite
def table(draw: st.DrawFn, layout: str | None = None) -> tuple[str, list[str], list[list[str]]]:
    """(layout, header, rows) of a table: mostly its own columns, sometimes one missing,
    repeated or foreign; plausible rows with a few hostile values, sometimes ragged."""
    layout = layout or draw(st.sampled_from(sorted(LAYOUTS)))
    columns = LAYOUTS[layout]
    header = list(columns)
    if layout == "names":  # names tables carry only some of these columns
        header = ["date", "place", *draw(st.lists(st.sampled_from(header[2:]), unique=True))]
    mutation = draw(st.sampled_from(["none"] * 6 + ["drop", "repeat", "foreign", "shuffle"]))
    if mutation == "drop":
        header.pop(draw(st.integers(0, len(header) - 1)))
    elif mutation == "repeat":
        header.append(draw(st.sampled_from(header)))
    elif mutation == "foreign":
        header.append(draw(texts))
    elif mutation == "shuffle":
        header = draw(st.permutations(header))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = [draw(plausible(name)) for name in header]
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):  # a few hostile cells
            at = draw(st.integers(0, len(row) - 1))
            row[at] = draw(columns.get(header[at], texts))
        if draw(st.integers(0, 9)) == 0:  # ragged: a cell short or a cell too many
            row = row[:-1] if row and draw(st.booleans()) else [*row, draw(texts)]
        rows.append(row)
    return layout, header, rows


ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252")


@st.composite
def csv_files(draw: st.DrawFn, layout: str | None = None) -> InputFile:
    """A table as CSV/TSV text: quoting, delimiters, line ends and encodings vary; sometimes
    a quote is left open or a huge field is put in."""
    _, header, rows = draw(table(layout))
    delimiter = draw(st.sampled_from([",", ",", ",", "\t", ";"]))
    buf = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting,
                        lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))  # fmt: skip
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    damage = draw(st.sampled_from(["none"] * 5 + ["quote", "huge", "nul", "truncate"]))
    if damage == "quote" and text:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + '"' + text[at:]
    elif damage == "huge":
        text += f'FZ99999,"{"x" * draw(st.sampled_from([131073, 200000]))}"\n'
    elif damage == "nul":
        text = text.replace(delimiter, "\x00" + delimiter, 1)
    elif damage == "truncate" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    suffix = ".tsv" if delimiter == "\t" and draw(st.booleans()) else ".csv"
    return InputFile(f"input{suffix}", data)


# -- XLSX ----------------------------------------------------------------------------------

cell_values = st.one_of(
    texts,
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.booleans(),
    st.none(),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    counts,
    dates,
)


@st.composite
def xlsx_files(draw: st.DrawFn) -> InputFile:
    """A workbook written with openpyxl: a table on its first sheet (sometimes below a
    title row, sometimes on a later sheet), typed cells of every kind."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def storable(value: object) -> object:  # openpyxl refuses control characters in text
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        return value

    _, header, rows = draw(table())
    wb = Workbook()
    ws = wb.active
    if draw(st.integers(0, 5)) == 0:
        ws.append(["A title row"])
    if draw(st.integers(0, 5)) == 0:
        ws = wb.create_sheet("data")
    ws.append([storable(h) for h in header])
    for row in rows:  # the row's text, with some cells typed (numbers, dates, booleans)
        ws.append([storable(draw(cell_values)) if draw(st.integers(0, 3)) == 0 else storable(c)
                   for c in row])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if draw(st.integers(0, 9)) == 0:  # a damaged or truncated archive
        data = data[: int(len(data) * draw(st.floats(0, 1)))]  # (its length varies with the clock)
    return InputFile("input.xlsx", data)


# -- JSON ----------------------------------------------------------------------------------

#: Stand for numbers JSON can write but Python's json cannot (replaced after dumping):
#: one beyond any float, and one of more digits than Python reads.
HUGE = "\x00HUGE\x00"
DIGITS = "\x00DIGITS\x00"
#: What each stands for.
UNREADABLE = {HUGE: "1e400", DIGITS: "9" * 5000}
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), texts,
    st.just(HUGE), st.just(DIGITS),
)  # fmt: skip
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def _or_junk(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """``strategy`` most of the time, any JSON value otherwise (a wrong type at this level)."""
    return st.one_of(strategy, strategy, strategy, json_values)


def _event_values(name: str) -> st.SearchStrategy[object]:
    if name in ("latitude",):
        return st.one_of(st.floats(32.5, 37), latitudes, json_scalars)
    if name in ("longitude",):
        return st.one_of(st.floats(35.8, 42), longitudes, json_scalars)
    if name == "event_date":
        return st.one_of(dates, json_scalars)
    if name == "event_id":
        return st.one_of(ids.map(lambda i: f"json:{i}"), ids.map(lambda i: f"acled:{i}"),
                         json_scalars)  # fmt: skip
    if name in ("fatalities", "geo_precision", "geonameid", "span_start", "span_end") or (
        name.startswith(("deaths", "injured")) or name in ("civilians", "children")
    ):
        return st.one_of(st.integers(0, 100), counts, json_scalars)
    return st.one_of(texts, json_scalars)


@st.composite
def event_records(draw: st.DrawFn) -> object:
    """An event record (:data:`geomap.model.EVENT_COLUMNS`): plausible with a few fields
    hostile or of the wrong type, or junk."""
    from geomap.model import EVENT_COLUMNS

    record: dict[str, object] = {
        "event_id": draw(st.one_of(
            *[st.integers(1, 99999).map(lambda n: f"json:FZ{n:05d}")] * 9,
            st.sampled_from(BASELINE_IDS).map(lambda i: f"acled:{i}"),
        )),
        "event_date": str(draw(st.dates(date(2015, 1, 1), date(2016, 12, 31)))),
        "latitude": draw(st.floats(32.5, 37)), "longitude": draw(st.floats(35.8, 42)),
        "fatalities": draw(st.integers(0, 60)), "location": draw(st.sampled_from(PLACES)),
        "country": "Syria",
    }  # fmt: skip
    names = st.sampled_from(sorted(set(record) | set(EVENT_COLUMNS)))
    for name in draw(st.lists(names, max_size=3, unique=True)):
        if draw(st.integers(0, 5)) == 0:
            record.pop(name, None)
        else:
            record[name] = draw(_event_values(name))
    if draw(st.integers(0, 5)) == 0:
        record["extra"] = draw(json_values)
    return draw(st.one_of(*[st.just(record)] * 5, json_values))


def _geojson(events: list[object], draw: st.DrawFn) -> object:
    features = []
    for e in events:
        point = [draw(st.floats(35.8, 42) | json_scalars), draw(st.floats(32.5, 37) | json_scalars)]
        geometry = draw(_or_junk(st.just({"type": "Point", "coordinates": point})))
        features.append(draw(_or_junk(st.just(
            {"type": "Feature", "geometry": geometry, "properties": e}))))  # fmt: skip
    return {"type": "FeatureCollection", "features": draw(_or_junk(st.just(features)))}


def _dump(doc: object) -> str:
    text = json.dumps(doc, ensure_ascii=False)
    for mark, number in UNREADABLE.items():
        text = text.replace(json.dumps(mark), number)
    return text


@st.composite
def extract_json_files(draw: st.DrawFn) -> InputFile:
    """Extract JSON (documents, results, bare events, JSON lines) or GeoJSON of events."""
    events = draw(st.lists(event_records(), max_size=4))
    layout = draw(st.sampled_from(["documents", "result", "bare", "geojson", "lines", "junk"]))
    if layout == "documents":
        doc = {"doc_id": draw(_or_junk(texts)), "title": draw(_or_junk(texts)),
               "date": draw(_or_junk(dates)), "events": draw(_or_junk(st.just(events))),
               "mentions": draw(_or_junk(st.lists(json_values, max_size=2)))}  # fmt: skip
        body: object = {"documents": draw(_or_junk(st.just([draw(_or_junk(st.just(doc)))])))}
    elif layout == "result":
        body = {"article": draw(json_values), "events": draw(_or_junk(st.just(events)))}
    elif layout == "bare":
        body = events
    elif layout == "geojson":
        body = _geojson(events, draw)
    elif layout == "lines":
        text = "\n".join(_dump({"events": [e]}) for e in events)
        return InputFile("input.jsonl", text.encode("utf-8"))
    else:
        body = draw(json_values)
    text = _dump(body)
    damage = draw(st.sampled_from(["none"] * 6 + ["deep", "truncate", "bom", "utf16"]))
    if damage == "deep":
        depth = draw(st.sampled_from([1000, 200_000]))
        text = '{"events": ' + "[" * depth + "]" * depth + "}"
    elif damage == "truncate" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    data = text.encode("utf-8")
    if damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif damage == "utf16":
        data = text.encode("utf-16")
    suffix = ".geojson" if layout == "geojson" and draw(st.booleans()) else ".json"
    return InputFile(f"input{suffix}", data)


# -- cache exports -------------------------------------------------------------------------

CACHE_COLUMNS = (
    "key", "query", "name_key", "hints", "latitude", "longitude", "geonameid", "found",
    "provider", "confidence", "created", "updated", "pinned", "raw",
)  # fmt: skip
_CACHE_PLACES = {"rastan": ("Rastan", 34.92667, 36.73241, 172946),
                 "homs": ("Homs", 34.72682, 36.72339, 169577),
                 "paris": ("Paris", 48.85341, 2.3488, 2988507)}  # fmt: skip


@st.composite
def cache_records(draw: st.DrawFn) -> object:
    """A cache entry as an export holds it, plausible with some fields hostile, or junk."""
    name = draw(st.sampled_from(sorted(_CACHE_PLACES)))
    query, lat, lon, gid = _CACHE_PLACES[draw(st.sampled_from([name, name, "paris"]))]
    country = draw(st.sampled_from(["SY", "SY", "FR", "", "ZZ"]))
    key = f"{name}|cc={country}" if country else name
    stamp = "2026-01-01T00:00:00Z"
    record: dict[str, object] = {
        "key": key, "query": query, "name_key": name,
        "hints": {"country": country} if country else {}, "latitude": lat, "longitude": lon,
        "geonameid": gid, "found": True, "provider": "gazetteer", "confidence": 0.5,
        "created": stamp, "updated": stamp, "pinned": False, "raw": {"name": query},
    }  # fmt: skip
    hostile: dict[str, st.SearchStrategy[object]] = {
        "key": texts, "query": texts, "name_key": texts, "hints": json_values,
        "latitude": latitudes | json_scalars, "longitude": longitudes | json_scalars,
        "geonameid": counts | json_scalars, "found": json_scalars, "provider": texts,
        "confidence": counts | json_scalars, "created": dates | json_scalars,
        "updated": st.sampled_from(["9999-12-31T00:00:00Z", "2100-01-01T00:00:00Z"]) | dates,
        "pinned": json_scalars, "raw": json_values,
    }  # fmt: skip
    for field in draw(st.lists(st.sampled_from(CACHE_COLUMNS), max_size=3, unique=True)):
        if draw(st.integers(0, 4)) == 0:
            record.pop(field, None)
        else:
            record[field] = draw(hostile[field])
    return draw(_or_junk(st.just(record)))


def _cache_csv(records: list[object], draw: st.DrawFn) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = list(CACHE_COLUMNS)
    if draw(st.integers(0, 5)) == 0:
        header = header[:-1]
    writer.writerow(header)
    for rec in records:
        if not isinstance(rec, dict):
            writer.writerow([_dump(rec)])
            continue
        row = []
        for name in header:
            value = rec.get(name)
            if isinstance(value, (dict, list)) or name in ("hints", "raw"):
                row.append(_dump(value))
            elif isinstance(value, bool):
                row.append("1" if value else "0")
            else:
                row.append("" if value is None else str(value))
        writer.writerow(row)
    text = buf.getvalue()
    for mark, number in UNREADABLE.items():
        text = text.replace(mark, number)
    return text


@st.composite
def cache_files(draw: st.DrawFn) -> InputFile:
    """A cache export (JSON or CSV) with plausible, hostile and junk rows."""
    records = draw(st.lists(cache_records(), max_size=3))
    if draw(st.booleans()):
        body = {"format": draw(_or_junk(st.just("geomap-geocode-cache"))),
                "version": draw(_or_junk(st.just(1))),
                "entries": draw(_or_junk(st.just(records)))}  # fmt: skip
        text = _dump(draw(_or_junk(st.just(body))))
        if draw(st.integers(0, 9)) == 0:
            depth = draw(st.sampled_from([1000, 200_000]))
            text = '{"entries": ' + "[" * depth + "]" * depth + "}"
        return InputFile("import.json", text.encode("utf-8"))
    text = _cache_csv(records, draw)
    if draw(st.integers(0, 9)) == 0:
        text += "x" * 1_100_000 + "\n"
    return InputFile("import.csv", text.encode(draw(st.sampled_from(ENCODINGS)), "replace"))


# -- articles ------------------------------------------------------------------------------

SENTENCES = (
    "An air strike on {place} killed {n} civilians on {date}.",
    "At least {n} people were killed in {place} yesterday.",
    "Shelling hit {place}; {n} were wounded and {n} dead.",
    "The war has killed more than {n} people since {date}.",
    "Fighting near {place} and {place} continued on Wednesday.",
)  # fmt: skip


@st.composite
def articles(draw: st.DrawFn) -> InputFile:
    """An article (text or HTML, maybe with front matter) of strike reports with hostile
    numbers, dates, places and characters."""
    lines = [draw(texts)]
    for _ in range(draw(st.integers(0, 4))):
        sentence = draw(st.sampled_from(SENTENCES) | texts)
        lines.append(sentence.replace("{place}", draw(places)).replace("{n}", draw(counts))
                     .replace("{date}", draw(dates)))  # fmt: skip
    text = "\n".join(lines)
    if draw(st.integers(0, 3)) == 0:
        front = f"date: {draw(dates)}\nsource: {draw(texts)}\ntitle: {draw(texts)}"
        text = f"---\n{front}\n---\n{text}"
    suffix = ".txt"
    if draw(st.integers(0, 3)) == 0:
        text = f"<html><head><title>{draw(texts)}</title></head><body><p>{text}</p></body></html>"
        suffix = ".html"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return InputFile(f"article{suffix}", text.encode(encoding, "replace"))


# -- anything ------------------------------------------------------------------------------

SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".geojson", ".xlsx", ".txt", ".html", "")


@st.composite
def random_files(draw: st.DrawFn) -> InputFile:
    """Random bytes under any name geomap reads (sometimes a CSV or JSON prefix first)."""
    prefix = draw(st.sampled_from([b"", b"", b"event_id_cnty,event_date,latitude\n",
                                   b'{"events": [', b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf"]))
    data = prefix + draw(st.binary(max_size=600))
    return InputFile(f"blob{draw(st.sampled_from(SUFFIXES))}", data)
