"""Shared fixtures: every test gets its own data directory, cache and store.

The offline gazetteer is expensive to build, so one copy is built per
checkout (``data/gazetteer.sqlite``, the same file ``make setup`` builds) and
shared read-only by all tests through ``GEOMAP_GAZETTEER``.

Places come from one table (``places``, real gazetteer entries) and events
from one factory (``make_event``).  Files the tests read (the seed article,
``tests/data``, the shared evaluation corpora) are fixtures too; tests never
import this module.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from geomap.model import Event
from tests.fake_gazetteer import FakeGazetteer
from tests.places import PLACES, PlaceTable

REPO = Path(__file__).resolve().parent.parent
SHARED_GAZETTEER = REPO / "data" / "gazetteer.sqlite"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "assets: needs the offline map assets (make setup)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("assets"):
        from geomap.render import assets

        if not assets.installed():
            pytest.skip("run: make setup (npm assets)")


# -- files -----------------------------------------------------------------------------


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
    """The text of the demo article."""
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


# -- places and events -----------------------------------------------------------------


@pytest.fixture(scope="session")
def places() -> PlaceTable:
    """The place table: ``places["Rastan"]`` is a :class:`~geomap.model.Place` as the
    gazetteer has it; ``places.point("Rastan")`` its (latitude, longitude)."""
    return PLACES


@pytest.fixture(scope="session")
def make_event(places) -> Callable[..., Event]:
    """The one event factory: ``make_event(place="Rastan", **overrides) -> Event``.

    By default an ACLED air strike (Explosions/Remote violence, Air/drone
    strike; another ``event_type`` comes without a sub-type) on 2015-09-30 at a
    place of the table: its point, country and admin-1, precision 1 for a town
    and 3 for a region or a country, and ``event_id`` "<origin>:<place>".
    ``place=None`` leaves the event without a location.  Every field of
    :class:`~geomap.model.Event` can be overridden.
    """

    def make(place: str | None = "Rastan", **overrides: Any) -> Event:
        fields: dict[str, Any] = {"event_date": "2015-09-30", "origin": "acled"}
        if "event_type" not in overrides:  # another type has no air-strike sub-type
            fields["event_type"] = "Explosions/Remote violence"
            fields["sub_event_type"] = "Air/drone strike"
        if place is not None:
            at = places[place]
            fields.update(
                location=place,
                latitude=at.latitude,
                longitude=at.longitude,
                geo_precision=1 if at.feature == "city" else 3,
                country=at.country,
                admin1=at.admin1,
            )
        fields.update(overrides)
        slug = (place or "nowhere").lower().replace(" ", "-")
        fields.setdefault("event_id", f"{fields['origin']}:{slug}")
        return Event(**fields)

    return make


@pytest.fixture
def strike_store(geomap_env, make_event):
    """The test's event store (its default file), open, with three ACLED events.

    ``acled:rastan``, the air strike on Rastan of 2015-09-30 (deaths 33, 33, 45;
    Russia); ``acled:homs``, a battle in Homs city on 2015-10-03 (2 deaths; the
    Syrian army), 22.5 km south; ``acled:far``, a strike in Aleppo on 2015-11-01
    (deaths unknown), far from both.
    """
    from geomap.store import EventStore

    with EventStore.open() as store:
        store.upsert_events([
            make_event(deaths_low=33, deaths_best=33, deaths_high=45, fatalities=33,
                       actor1="Military Forces of Russia (2000-)"),
            make_event("Homs", event_date="2015-10-03", event_type="Battles",
                       sub_event_type="Armed clash", deaths_low=2, deaths_best=2, deaths_high=2,
                       fatalities=2, actor1="Syrian army"),
            make_event("Aleppo", event_id="acled:far", event_date="2015-11-01"),
        ])  # fmt: skip
        yield store


# -- an isolated geomap ----------------------------------------------------------------


@pytest.fixture(scope="session")
def gazetteer_file() -> Path:
    """Path of the built gazetteer, building it once if it is missing."""
    from geomap.gazetteer import build, is_built

    if not is_built(SHARED_GAZETTEER):
        build(SHARED_GAZETTEER)
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
    """The built gazetteer, open."""
    from geomap.gazetteer import Gazetteer

    g = Gazetteer.open(gazetteer_file)
    yield g
    g.close()


@pytest.fixture
def cache(geomap_env):
    """The test's own geocode cache (the default file of its data directory)."""
    from geomap.geocoding import GeocodeCache

    with GeocodeCache.open() as c:
        yield c


@pytest.fixture
def fake_gazetteer() -> FakeGazetteer:
    """A small in-memory gazetteer: the place table plus namesakes (tests/fake_gazetteer.py)."""
    return FakeGazetteer()


@pytest.fixture(scope="session")
def alpha_build() -> Callable[..., Callable[[Any], None]]:
    """``alpha_build(lat, lon)``: a gazetteer build step (for ``builder._build_into``)
    that adds one place only, the city Alpha (geonameid 1, in SY) at (lat, lon)."""
    from geomap.gazetteer.schema import KIND_NAME

    def step(lat: float, lon: float = 2.0) -> Callable[[Any], None]:
        def build(builder: Any) -> None:
            builder.add_place(1, "Alpha", lat, lon, "city", "SY", "11", 600)
            builder.add_names(1, [("Alpha", KIND_NAME)])

        return build

    return step


@pytest.fixture
def no_network(monkeypatch) -> None:
    """Any attempt to open a network connection fails loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# -- helpers ---------------------------------------------------------------------------


@pytest.fixture
def write_file(tmp_path) -> Callable[..., Path]:
    """``write_file(name, text, encoding="utf-8")``: writes ``tmp_path / name``, returns it."""

    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def run_at_once() -> Callable[..., None]:
    """Runs Python scripts in processes at the same time; each must succeed.

    ``run_at_once([code, *args], [code, *args], ...)``, as ``python -c code args``.
    """

    def run(*scripts: list[str], timeout: float = 120) -> None:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", *script],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for script in scripts
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=timeout)
            assert proc.returncode == 0, err

    return run


@pytest.fixture(scope="session")
def page_data() -> Callable[[str], dict[str, Any]]:
    """Reads the JSON data block of a rendered map page."""

    def read(html: str) -> dict[str, Any]:
        pattern = r'<script type="application/json" id="geomap-data-[^"]+">(.*?)</script>'
        match = re.search(pattern, html, re.S)
        assert match, "no data block"
        return json.loads(match.group(1))

    return read


@pytest.fixture(scope="session")
def hostile_text() -> str:
    """Markup that runs script if a page ever inserts it as HTML."""
    return '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


# -- the command line ------------------------------------------------------------------


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
