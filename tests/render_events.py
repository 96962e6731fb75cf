"""Events and a page-data reader shared by the map tests (tests/ is on sys.path)."""

from __future__ import annotations

import json
import re

import pytest

from geomap.model import Event
from geomap.render import assets

needs_assets = pytest.mark.skipif(not assets.installed(), reason="run: make setup (npm assets)")

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


def rastan(**kw) -> Event:
    """The Rastan airstrike of 2015-09-30, located to the town (precision 1)."""
    base = dict(
        event_id="t-rastan", event_date="2015-09-30", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="Military Forces of Russia", country="Syria",
        admin1="Homs", location="Rastan", latitude=34.927, longitude=36.732, geo_precision=1,
        deaths_low=33, deaths_best=33, civilians=True, children=True, source="Reuters",
        quote="at least 33 civilians", source_url="https://example.org/story",
    )
    base.update(kw)
    return Event(**base)


def homs_region(**kw) -> Event:
    """An event placed at Homs governorate as a whole (precision 3)."""
    base = dict(event_id="t-homs", event_date="2015-09-30", event_type="Explosions/Remote violence",
                country="Syria", admin1="Homs", location="Homs", latitude=34.67,
                longitude=37.5, geo_precision=3)
    base.update(kw)
    return Event(**base)


def page_data(html: str) -> dict:
    """The JSON data block of a rendered map page."""
    match = re.search(r'<script type="application/json" id="geomap-data-[^"]+">(.*?)</script>',
                      html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))
