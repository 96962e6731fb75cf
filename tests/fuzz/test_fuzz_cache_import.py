"""``geomap cache import`` of random and hostile cache exports (JSON and CSV).

Whatever the file holds, the import succeeds or says why in one line, the
cache passes its integrity check, and the local pin is never changed
(:mod:`tests.fuzz.harness`).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz import fuzz_settings
from tests.fuzz.cases import CATEGORIES
from tests.fuzz.harness import Case, assert_survives

pytestmark = pytest.mark.usefixtures("gazetteer_file", "no_network")


@fuzz_settings()
@given(case=CATEGORIES["cache import"])
def test_cache_import(case: Case) -> None:
    """Exports with hostile fields, wrong types, future times, foreign points, pins."""
    assert_survives(case)


@fuzz_settings()
@given(case=CATEGORIES["cache import bytes"])
def test_cache_import_random_bytes(case: Case) -> None:
    assert_survives(case)
