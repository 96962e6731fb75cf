"""Actor phrases: strong when tied to an attack word."""

from __future__ import annotations

from geomap.text.events import find_actors


def test_find_actors_strong_and_weak():
    hits = find_actors(
        "Jets flying higher than the Syrian air force emitted no noise, unlike Russian airstrikes."
    )
    by_name = {h.name: h.strong for h in hits}
    assert by_name["Military Forces of Syria"] is False
    assert by_name["Military Forces of Russia"] is True
    (h,) = find_actors("Some rebel groups said they were hit by Russian airstrikes.")[1:]
    assert h.strong
