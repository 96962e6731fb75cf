"""Shared fixtures: every test gets its own data directory, cache and store.

The offline gazetteer is expensive to build, so one copy is built per
checkout (``data/gazetteer.sqlite``, the same file ``make setup`` builds) and
shared read-only by all tests through ``GEOMAP_GAZETTEER``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"
SHARED_EVAL = REPO.parent / "shared" / "eval"
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED_GAZETTEER = REPO / "data" / "gazetteer.sqlite"


@pytest.fixture(scope="session")
def gazetteer_file() -> Path:
    """Path of the built gazetteer, building it once if it is missing."""
    from geomap.gazetteer import search as gazetteer

    if not gazetteer.is_built(SHARED_GAZETTEER):
        gazetteer.build(SHARED_GAZETTEER)
    return SHARED_GAZETTEER


@pytest.fixture(autouse=True)
def geomap_env(tmp_path, monkeypatch, request):
    """Isolate every test: temporary data dir, cache and store."""
    data = tmp_path / "geomap-data"
    data.mkdir()
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(data))
    monkeypatch.setenv("GEOMAP_CACHE", str(data / "geocode-cache.sqlite"))
    monkeypatch.setenv("GEOMAP_STORE", str(data / "events.sqlite"))
    # Library code builds a missing gazetteer on first use; point every test at
    # the shared one so that no test builds a private copy (tens of seconds).
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(SHARED_GAZETTEER))
    if "gazetteer_file" in request.fixturenames or request.node.get_closest_marker("gazetteer"):
        request.getfixturevalue("gazetteer_file")
    return data


@pytest.fixture
def gaz(gazetteer_file):
    from geomap.gazetteer.search import Gazetteer

    g = Gazetteer.open(gazetteer_file)
    yield g
    g.close()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``geomap ARGS`` in-process through the real entry point.

    Returns (exit code, stdout, stderr); ``main()`` is what the console script
    calls, so one-line errors and exit codes are exactly what users see.
    """
    import sys

    from geomap.cli import main

    monkeypatch.setattr(sys, "argv", ["geomap", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
