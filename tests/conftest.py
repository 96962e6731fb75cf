"""Shared fixtures: every test gets its own data directory, cache and store.

The offline gazetteer is expensive to build, so one copy is built per
checkout (``data/gazetteer.sqlite``, the same file ``make setup`` builds) and
shared read-only by all tests through ``GEOMAP_GAZETTEER``.

Files the tests read (the seed article, ``tests/data``, the shared evaluation
corpora) are fixtures too; tests never import this module.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_GAZETTEER = REPO / "data" / "gazetteer.sqlite"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "assets: needs the offline map assets (make setup)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("assets"):
        from geomap.render import assets

        if not assets.installed():
            pytest.skip("run: make setup (npm assets)")


# -- files ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout the tests run from."""
    return REPO


@pytest.fixture(scope="session")
def test_data() -> Path:
    """``tests/data``: small input files, each described in its README."""
    return REPO / "tests" / "data"


@pytest.fixture(scope="session")
def seed_file() -> Path:
    """The demo article: Russian airstrikes in Syria, 2015-09-30 (Rastan, 33 civilians)."""
    return REPO / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"


@pytest.fixture
def seed_text(seed_file) -> str:
    return seed_file.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold(test_data) -> dict[str, Any]:
    """What the seed article states: its places, events and non-places (``seed-gold.json``)."""
    return json.loads((test_data / "seed-gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def acceptance_inputs(test_data, seed_file) -> list[Path]:
    """One input of every kind that reports the Rastan strike: ACLED, UCDP, names, the seed."""
    names = ("acled-sample.csv", "ucdp-sample.csv", "names-sample.csv")
    return [*(test_data / name for name in names), seed_file]


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The shared evaluation corpora (``../shared/eval``); absent on most machines."""
    return REPO.parent / "shared" / "eval"


# -- an isolated geomap -----------------------------------------------------------


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


# -- the command line -------------------------------------------------------------


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
