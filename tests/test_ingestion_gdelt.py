"""GDELT event tables, including raw exports without a header."""

from __future__ import annotations

from geomap.ingestion import ingest_paths
from geomap.ingestion.gdelt import V1_COLUMNS, V2_COLUMNS, headerless_columns
from geomap.store import EventStore


def test_gdelt_headerless_export(tmp_path):
    values = dict.fromkeys(V2_COLUMNS, "")
    values.update(
        {
            "GLOBALEVENTID": "410412347",
            "SQLDATE": "20150930",
            "EventCode": "195",
            "EventRootCode": "19",
            "Actor1Name": "RUSSIA",
            "ActionGeo_Type": "4",
            "ActionGeo_FullName": "Ar Rastan, Hims, Syria",
            "ActionGeo_Lat": "34.9267",
            "ActionGeo_Long": "36.7324",
            "SOURCEURL": "http://example.org/a",
        }
    )
    line = "\t".join(values[c] for c in V2_COLUMNS)
    path = tmp_path / "20150930.export.CSV"
    path.write_text(line + "\n")
    report = ingest_paths([path])
    assert report.formats == {str(tmp_path / "20150930.export.CSV"): "gdelt"}
    with EventStore.open() as st:
        (e,) = st.events()
    assert e.event_id == "gdelt:410412347" and e.geo_precision == 1
    assert e.precision_source == "gdelt:4" and e.sub_event_type.startswith("Employ aerial")


def test_headerless_columns():
    first = ["410412347"] + [""] * 57
    assert headerless_columns(first, "\t") == V1_COLUMNS and len(V1_COLUMNS) == 58
    assert headerless_columns(first + ["", "", ""], "\t") == V2_COLUMNS
    assert headerless_columns(first, ",") is None
    assert headerless_columns(["GLOBALEVENTID"] + [""] * 57, "\t") is None
