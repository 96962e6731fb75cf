"""A chunk of located rows reads as each row alone reads: same events, same messages, in order."""

from __future__ import annotations

import gc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap import countries
from geomap.errors import CoordinateError
from geomap.ingestion import chunks
from geomap.ingestion.acled import REQUIRED, acled_row
from geomap.ingestion.chunks import collector_paused, parse_chunk, parse_table
from geomap.ingestion.pipeline import ingest_paths
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
              (0.0, 0.0, ""), (0.0, 0.0, "Atlantis"), (33.5, 36.3, "Syria"), (36.3, 33.5, "Syria"),
              (34.95, 120.0, "Syria")]  # fmt: skip
    refused = {}
    for i, (lat, lon, name) in enumerate(points):
        try:
            countries.check_in_country(lat, lon, name)
        except CoordinateError as exc:
            refused[i] = str(exc)
    assert list(refused) == [1, 6, 7] and "swapped" in refused[6]
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


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_and_put_back_as_it_was(enabled) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(RuntimeError, match="boom"), collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("boom")
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_reading_and_storing_a_table_makes_no_cycles_to_collect(tmp_path) -> None:
    """What pausing the collector for a whole table relies on: its rows, good or bad,
    leave no cyclic garbage behind (else memory would grow with the table)."""
    header = ["event_id_cnty", "event_date", "latitude", "longitude", "fatalities", "country",
              "notes"]  # fmt: skip
    lines = [",".join(header)]
    for i in range(3000):
        lat, lon = ("34.95", "36.70") if i % 3 else ("48.5", "2.3")  # a third outside Syria
        day = "2016-02-30" if i % 7 == 0 else "2016-02-03"  # some bad dates
        lines.append(f"S{i},{day},{lat},{lon},{i % 5},Syria,note {i}")
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        report = ingest_paths([path], store=tmp_path / "s.sqlite")
        left = gc.collect()
    finally:
        if was:
            gc.enable()
    assert report.stored > 1000 and len(report.rejected) > 1000
    assert left < 300  # a few objects of the run itself, not some per row


# -- ACLED rows read a column at a time ----------------------------------------------------

#: Cells each column may hold: clean, padded, empty, "NA", separated, refused.
_CELLS = {
    "event_id_cnty": ["SYR1", " SYR2 ", "", "SYR1"],
    "event_date": ["2016-02-03", " 3 February 2016", "", "soon", "2016-02-30"],
    "latitude": ["34.95", " 34.9 ", "", "NA", "95", "x", "1,234", "36.70"],
    "longitude": ["36.70", "36", "", "-200", "34.95", "2.30"],
    "geo_precision": ["1", "3", "", "4", "2.0", "x"],
    "fatalities": ["0", "12", "", "-1", "1,000", "2.5", "many"],
    "time_precision": ["", "1", "2", "x"],
    "country": ["Syria", " Syria", "", "France", "Atlantis"],
    "notes": ["", "Shelling.", " padded ", "a\tb"],
    "civilian_targeting": ["", "Civilian targeting"],
    "tags": ["", "crowd size=no report"],
    "data_id": ["", "77"],
}


def _records_vs_rows(header: list[str], records: list[list[str]]) -> None:
    columns = [h.strip() for h in header]
    numbered = list(enumerate(records, start=2))
    rows = [(line, dict(zip(columns, cells, strict=False))) for line, cells in numbered]
    want = parse_chunk(rows, "acled", "t.csv")
    got = chunks.parse_records(numbered, columns, "acled", "t.csv")
    assert got == want


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_records_read_as_the_rows_read_alone(data) -> None:
    more = data.draw(st.lists(st.sampled_from(sorted(set(_CELLS) - set(REQUIRED))), unique=True))
    names = data.draw(st.permutations([*REQUIRED, *more]))
    header = [n.upper() if data.draw(st.booleans()) else n for n in names]
    n_rows = data.draw(st.integers(min_value=0, max_value=12))
    records = []
    for _ in range(n_rows):
        # mostly the first (clean) cell, so that many rows are events
        cells = [_CELLS[n][0] if data.draw(st.integers(0, 2)) else
                 data.draw(st.sampled_from(_CELLS[n])) for n in names]  # fmt: skip
        cut = data.draw(st.sampled_from([len(cells), len(cells), len(cells), 0, 1, -1]))
        records.append(cells[:cut] if cut >= 0 else [*cells, "more"])
    _records_vs_rows(header, records)


def test_records_of_a_whole_acled_row_match_and_name_a_bad_cell() -> None:
    header = ["event_id_cnty", "event_date", "latitude", "longitude", "fatalities", "country",
              "geo_precision", "time_precision", "notes", "civilian_targeting", "tags"]  # fmt: skip
    good = ["SYR9", "2016-02-03", "34.95", "36.70", "3", "Syria", "1", "1", "Shelled.",
            "Civilian targeting", "crowd"]  # fmt: skip
    bad_count = [*good[:4], "many", *good[5:]]
    outside = [good[0], good[1], "48.5", "2.3", *good[4:]]
    _records_vs_rows(header, [good, bad_count, outside])
    (line, event), reject, where = chunks.parse_records(
        [(2, good), (3, bad_count), (4, outside)], header, "acled", "t.csv")  # fmt: skip
    assert (line, event.event_id, event.deaths_best, event.civilians) == (2, "acled:SYR9", 3, True)
    assert event.extra == {"civilian_targeting": "Civilian targeting", "tags": "crowd",
                           "time_precision": 1, "acled_id": "SYR9"}  # fmt: skip
    assert reject.line == 3 and "fatalities" in reject.reason
    assert where.line == 4 and "outside Syria" in where.reason


def test_a_table_whose_names_repeat_in_another_case_is_read_row_by_row(tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("event_id_cnty,event_date,latitude,longitude,fatalities,Notes,notes\n"
                    "S1,2016-02-03,34.95,36.70,1,first,second\n", encoding="utf-8")  # fmt: skip
    ((_line, event),) = parse_table(read_table(path, stream=True), "acled")
    assert event.notes == acled_row({"Notes": "first", "notes": "second", "event_id_cnty": "S1",
                                     "event_date": "2016-02-03", "latitude": "34.95",
                                     "longitude": "36.70", "fatalities": "1"}).notes  # fmt: skip
