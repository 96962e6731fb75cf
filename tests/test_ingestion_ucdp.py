"""UCDP GED rows: one precision scale, low/best/high deaths."""

from __future__ import annotations

import pytest

from geomap.ingestion.ucdp import PRECISION as UCDP_PRECISION
from geomap.ingestion.ucdp import ucdp_row
from geomap.ingestion.values import RowError


@pytest.mark.parametrize("where_prec, geo_precision", sorted(UCDP_PRECISION.items()))
def test_ucdp_precision_scale(where_prec, geo_precision):
    row = {
        "id": "1",
        "date_start": "2015-09-30",
        "latitude": "34.9267",
        "longitude": "36.7324",
        "best": "3",
        "where_prec": str(where_prec),
        "country": "Syria",
    }
    e = ucdp_row(row)
    assert e.geo_precision == geo_precision and e.precision_source == f"ucdp:{where_prec}"
    assert e.geo_precision in (1, 2, 3)


def test_ucdp_deaths_mapping():
    u = ucdp_row(
        {
            "id": "7",
            "date_start": "2015-09-30",
            "date_end": "2015-10-02",
            "latitude": "34.9",
            "longitude": "36.7",
            "low": "30",
            "best": "36",
            "high": "45",
            "deaths_civilians": "33",
            "where_prec": "1",
            "type_of_violence": "1",
        }
    )
    assert (u.deaths_low, u.deaths_best, u.deaths_high, u.fatalities) == (30, 36, 45, 36)
    assert u.extra["date_end"] == "2015-10-02" and u.civilians and u.deaths_civilians == 33
    with pytest.raises(RowError, match="low 50 is above high 45"):
        ucdp_row(
            {
                "date_start": "2015-09-30",
                "latitude": "34.9",
                "longitude": "36.7",
                "low": "50",
                "best": "50",
                "high": "45",
            }
        )
