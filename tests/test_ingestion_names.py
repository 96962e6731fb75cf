"""Tables of place names: one geocoding batch, unresolved names kept, stable row ids."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geomap.ingestion import ingest_paths
from geomap.model import Place
from geomap.store import EventStore
from tests.places import PLACES


@dataclass
class FakeResult:
    query: str
    key: str
    place: Place | None
    latitude: float | None
    longitude: float | None
    from_cache: bool = False
    provider: str = "gazetteer"
    confidence: float | None = 0.9


class FakeGeocoder:
    """Stands in for geomap.geocode.Geocoder.resolve_many: records the batch it gets."""

    def __init__(self):
        self.calls = []

    def resolve_many(self, queries, *, country=None):
        self.calls.append((list(queries), country))
        out = []
        for q in self.calls[-1][0]:
            if q == "Ar Rastan":
                p = PLACES["Rastan"]
                out.append(FakeResult(q, "rastan|cc=SY", p, p.latitude, p.longitude,
                                      from_cache=True))  # fmt: skip
            else:
                out.append(FakeResult(q, q.lower(), None, None, None))
        return out


def test_names_csv_geocodes_in_one_batch(write_file):
    text = (
        "date,place,deaths\n2015-09-30,Ar Rastan,33\n2015-09-30,Ar Rastan,33\n"
        "2015-10-01,Nowhere,1\n2015-10-02,,1\n"
    )
    geocoder = FakeGeocoder()
    report = ingest_paths([write_file("n.csv", text)], geocoder=geocoder, country="SY")
    assert geocoder.calls == [(["Ar Rastan", "Nowhere"], "SY")]  # unique names, one batch
    assert report.geocoded == 2 and report.from_cache == 2  # rows placed (two rows, one name)
    assert [u.name for u in report.unresolved] == ["Nowhere"]
    assert [(r.line, r.reason) for r in report.rejected] == [(5, "empty 'place'")]
    with EventStore.open() as st:
        located = [e for e in st.events() if e.latitude is not None]
        assert [e.geocode_key for e in located] == ["rastan|cc=SY"]
        assert located[0].coords_from_source is False and located[0].geo_precision == 1
        # the unresolved name is kept (no coordinates) so a later pin can place it
        assert any(e.location == "Nowhere" and e.latitude is None for e in st.events())


@pytest.mark.gazetteer
def test_names_csv_with_real_geocoder_and_location_column(write_file):
    text = "when,town,killed\n2015-09-30,Rastan,4\n2015-10-01,Jisr ash Shughur,2\n"
    report = ingest_paths([write_file("n.csv", text)], location_column="town", country="SY")
    assert report.geocoded == 2 and report.unresolved == []
    again = ingest_paths(
        [write_file("n2.csv", text.replace("4", "5"))], location_column="town", country="SY"
    )
    assert again.from_cache == 2  # the second run comes from the geocode cache
    with EventStore.open() as st:
        assert {e.location for e in st.events()} == {"Rastan", "Jisr ash Shughur"}


def test_reingesting_an_edited_names_sheet_updates_rows_only_with_replace(tmp_path):
    geocoder = FakeGeocoder()
    path = tmp_path / "n.csv"
    path.write_text("date,place,deaths\n2015-09-30,Ar Rastan,33\n2015-09-30,Ar Rastan,2\n")
    ingest_paths([path], geocoder=geocoder)
    path.write_text("date,place,deaths\n2015-09-30,Ar Rastan,35\n2015-09-30,Ar Rastan,2\n")
    report = ingest_paths([path], geocoder=geocoder)  # no silent overwrite
    assert (report.stored, report.unchanged, len(report.not_replaced)) == (0, 1, 1)
    assert "pass --replace" in str(report.not_replaced[0]) and ":2:" in str(report.not_replaced[0])
    report = ingest_paths([path], geocoder=geocoder, replace=True)
    assert (report.stored, report.updated, report.unchanged) == (1, 1, 1)
    assert "updated: 1, unchanged: 1" in report.summary()
    with EventStore.open() as st:
        assert sorted(e.deaths_best for e in st.sources()) == [2, 35]  # updated, not added
        # two rows of one file are two events: a table lists each event once
        assert sorted(e.deaths_best for e in st.events()) == [2, 35]
