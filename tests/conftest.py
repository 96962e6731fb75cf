"""Shared fixtures: every test gets its own data directory, cache and store.

The offline gazetteer is expensive to build, so one copy is built per
checkout (``data/gazetteer.sqlite``, the same file ``make setup`` builds) and
shared read-only by all tests through ``GEOMAP_GAZETTEER``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

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


class CliResult(NamedTuple):
    """What ``geomap ARGS`` gave: its exit code, standard output and standard error."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Run ``geomap ARGS`` in-process with click's CliRunner.

    The ``geomap`` group turns errors into one line and an exit code itself, so
    the result is what a user of the console script sees.
    """
    from click.testing import CliRunner

    from geomap.cli import cli as geomap

    runner = CliRunner()

    def run(*args: str) -> CliResult:
        result = runner.invoke(geomap, list(args), catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run
