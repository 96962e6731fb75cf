"""``geomap extract`` of random and hostile articles, and ``geomap ingest`` of what it wrote.

Whatever an article holds, extract writes its output or says why not in one
line, and that output ingests without harm to the store (:mod:`tests.fuzz.harness`).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz import fuzz_settings
from tests.fuzz.cases import CATEGORIES
from tests.fuzz.harness import Case, assert_survives

pytestmark = pytest.mark.usefixtures("gazetteer_file", "no_network")


@fuzz_settings()
@given(case=CATEGORIES["extract"])
def test_extract_then_ingest(case: Case) -> None:
    """Articles (text, HTML, front matter) with hostile numbers, dates and characters."""
    assert_survives(case)


@fuzz_settings()
@given(case=CATEGORIES["extract bytes"])
def test_extract_random_bytes(case: Case) -> None:
    assert_survives(case)
