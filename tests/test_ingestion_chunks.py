"""A chunk of located rows reads as each row alone reads: same events, same messages, in order."""

from __future__ import annotations

import gc

import pytest

from geomap import countries
from geomap.errors import CoordinateError
from geomap.ingestion import chunks
from geomap.ingestion.acled import acled_row
from geomap.ingestion.chunks import GC_THRESHOLDS, fewer_collections, parse_chunk, parse_table
from geomap.ingestion.report import Rejected
from geomap.ingestion.tables import read_table
from geomap.ingestion.ucdp import ucdp_row
from geomap.ingestion.values import RowError


def _acled(ident: str, lat: str, lon: str, country: str = "Syria", **more: str) -> dict:
    return {"event_id_cnty": ident, "event_date": "2016-02-03", "latitude": lat,
            "longitude": lon, "fatalities": "2", "country": country, **more}  # fmt: skip


_ROWS = [
    _acled("S1", "34.95", "36.70"),  # inside Syria
    _acled("S2", "48.50", "2.30"),  # in France, said to be Syria
    _acled("S3", "36.70", "34.95"),  # swapped
    _acled("S4", "48.50", "2.30", event_date="soon"),  # outside AND a bad date
    _acled("S5", "34.95", "36.70", fatalities="many"),  # a bad count only
    _acled("F1", "48.50", "2.30", country="France"),
    _acled("U1", "10.00", "10.00", country="Atlantis"),  # no outline: not tested
    _acled("N1", "", "36.70"),
]


def _alone(row: dict, reader=acled_row) -> object:
    try:
        return reader(dict(row))
    except RowError as exc:
        return str(exc)


def test_chunk_matches_rows_read_alone() -> None:
    lines = list(enumerate(_ROWS, start=2))
    got = parse_chunk(lines, "acled", "t.csv")
    want = [_alone(r) for r in _ROWS]
    assert [g.line if isinstance(g, Rejected) else g[0] for g in got] == [n for n, _r in lines]
    for g, w in zip(got, want, strict=True):
        if isinstance(w, str):
            assert isinstance(g, Rejected) and g.reason == w
        else:
            assert not isinstance(g, Rejected) and g[1] == w
    reasons = [g.reason for g in got if isinstance(g, Rejected)]
    assert "outside Syria" in reasons[0] and "swapped" in reasons[1]
    assert "outside Syria" in reasons[2]  # the country is named before the date
    assert "fatalities" in reasons[3]


def test_ucdp_chunk_tests_the_country_too() -> None:
    row = {"id": "7", "date_start": "2016-02-03", "latitude": "48.5", "longitude": "2.3",
           "country": "Syria", "best": "1", "where_prec": "1"}  # fmt: skip
    (got,) = parse_chunk([(2, row)], "ucdp", "g.csv")
    assert isinstance(got, Rejected) and got.reason == _alone(row, ucdp_row)


def test_outside_country_agrees_with_the_one_point_test() -> None:
    points = [(34.95, 36.7, "Syria"), (48.5, 2.3, "Syria"), (48.5, 2.3, "France"),
              (0.0, 0.0, ""), (0.0, 0.0, "Atlantis"), (33.5, 36.3, "Syria")]  # fmt: skip
    refused = []
    for i, (lat, lon, name) in enumerate(points):
        try:
            countries.check_in_country(lat, lon, name)
        except CoordinateError:
            refused.append(i)
    assert refused == [1]
    lats, lons, names = zip(*points, strict=True)
    assert countries.outside_country(lats, lons, names) == refused


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_table_in_small_chunks_reads_the_same(tmp_path, monkeypatch, size) -> None:
    path = tmp_path / "a.csv"
    header = ["event_id_cnty", "event_date", "latitude", "longitude", "fatalities", "country"]
    body = [",".join(r.get(c, "") for c in header) for r in _ROWS]
    path.write_text("\n".join([",".join(header), *body]) + "\n", encoding="utf-8")
    monkeypatch.setattr(chunks, "CHUNK_ROWS", size)
    got = list(parse_table(read_table(path, stream=True), "acled"))
    assert [g.line if isinstance(g, Rejected) else g[0] for g in got] == list(range(2, 10))
    assert sum(not isinstance(g, Rejected) for g in got) == 3


def test_fewer_collections_sets_the_thresholds_and_puts_the_callers_back() -> None:
    old = gc.get_threshold()
    try:
        gc.set_threshold(123, 4, 5)
        with pytest.raises(RuntimeError, match="boom"), fewer_collections():
            assert gc.get_threshold() == GC_THRESHOLDS
            raise RuntimeError("boom")
        assert gc.get_threshold() == (123, 4, 5)
    finally:
        gc.set_threshold(*old)
