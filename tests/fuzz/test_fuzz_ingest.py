"""``geomap ingest`` of random and hostile tables, XLSX workbooks, extract JSON and bytes.

Each case ingests into a copy of the baseline store; afterwards the outcome is
one line at most, the store passes its integrity check, answers ``near`` and
``export``, and still holds every baseline row unchanged (:mod:`tests.fuzz.harness`).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz import fuzz_settings
from tests.fuzz.cases import CATEGORIES
from tests.fuzz.harness import Case, assert_survives

pytestmark = pytest.mark.usefixtures("gazetteer_file", "no_network")


@fuzz_settings()
@given(case=CATEGORIES["ingest csv"])
def test_ingest_csv_tables(case: Case) -> None:
    """ACLED-, UCDP- and names-like CSV/TSV: hostile values, quotes, encodings, BOMs."""
    assert_survives(case)


@fuzz_settings()
@given(case=CATEGORIES["ingest xlsx"])
def test_ingest_xlsx_workbooks(case: Case) -> None:
    """Workbooks written with openpyxl: typed cells of every kind, damaged archives."""
    assert_survives(case)


@fuzz_settings()
@given(case=CATEGORIES["ingest json"])
def test_ingest_extract_json_and_geojson(case: Case) -> None:
    """Extract JSON, JSON lines and GeoJSON with wrong types at every level, too deep."""
    assert_survives(case)


@fuzz_settings()
@given(case=CATEGORIES["ingest bytes"])
def test_ingest_random_bytes(case: Case) -> None:
    """Random bytes under every name ingest reads."""
    assert_survives(case)


@fuzz_settings()
@given(case=CATEGORIES["ingest batch"])
def test_ingest_several_files_at_once(case: Case) -> None:
    """Two or three files of any kind in one ingest."""
    assert_survives(case)
