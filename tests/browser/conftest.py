"""Headless Debian Chromium through Playwright; every test skips cleanly without them.

Maps the tests open are written once per module (``write_map``) and opened
in a fresh page each time; :class:`Page` records console errors, page errors
and every request, and has the few gestures the tests share.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GEOMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Page:
    """A page that records console errors, page errors and every request."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path) -> None:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.geomap && geomap.ready", timeout=30_000)

    def outside_requests(self, path: Path) -> list[str]:
        own = path.resolve().as_uri()
        return [u for u in self.requests if u != own and not u.startswith(("data:", "blob:"))]

    def js(self, expression: str, arg: object = None):
        """The value of a JavaScript expression (a function when ``arg`` is given)."""
        return self.page.evaluate(expression, arg) if arg is not None else self.page.evaluate(
            expression)

    def shown(self) -> int:
        return self.js("geomap.shown")

    def click_at(self, lat: float, lon: float) -> None:
        """A mouse click on the map at a point."""
        xy = self.js("p => { var q = geomap.map.latLngToContainerPoint(p);"
                     " var r = geomap.map.getContainer().getBoundingClientRect();"
                     " return [q.x + r.left, q.y + r.top]; }", [lat, lon])
        self.page.mouse.click(xy[0], xy[1])

    def click_event(self, index: int, zoom: int = 11) -> str:
        """Zoom to event ``index`` and click its marker; returns the popup text."""
        lat, lon = self.js("i => [geomap.data.lat[i], geomap.data.lon[i]]", index)
        self.js("p => { geomap.map.closePopup();"
                " geomap.map.setView([p[0], p[1]], p[2], { animate: false }); }", [lat, lon, zoom])
        # a closed popup fades out for 200 ms before it leaves the page
        self.page.wait_for_function("!document.querySelector('.leaflet-popup')")
        self.page.wait_for_timeout(100)
        self.click_at(lat, lon)
        self.page.wait_for_selector(".leaflet-popup-content", timeout=5000)
        return self.page.inner_text(".leaflet-popup-content")

    def toggle(self, label: str) -> None:
        """Tick or untick a checkbox of the layers panel by its text."""
        self.page.locator(".gm-layers label", has_text=label).locator("input").click()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    yield Page(context)
    context.close()


@pytest.fixture
def small_page(browser):
    """A phone-sized page."""
    context = browser.new_context(viewport={"width": 390, "height": 700}, accept_downloads=True)
    yield Page(context)
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def write_map(tmp_path_factory) -> Callable[..., Path]:
    """``write_map(name, events, **build_options)``: a self-contained map file, made once."""
    from geomap.render import build_map, save_map

    folder = tmp_path_factory.mktemp("maps")
    made: dict[str, Path] = {}

    def write(name: str, events, **options) -> Path:
        if name not in made:
            options.setdefault("self_contained", True)
            made[name] = save_map(build_map(events, **options), folder / f"{name}.html")
        return made[name]

    return write


@pytest.fixture(scope="session")
def seed_map(tmp_path_factory, gazetteer_file) -> Path:
    """What `geomap map` writes with no input and an empty store: the demo seed article."""
    from geomap.mapping import make_map
    from geomap.workspace import Workspace

    folder = tmp_path_factory.mktemp("seed")
    with Workspace(gazetteer=gazetteer_file, cache=folder / "cache.sqlite",
                   store=folder / "events.sqlite") as ws:
        return make_map(output=folder / "seed.html", workspace=ws).path
