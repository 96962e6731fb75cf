"""Synthetic events for map tests and benchmarks (clearly not real reporting)."""

from __future__ import annotations

import random

from geomap.model import Event

TYPES = ["Explosions/Remote violence", "Battles", "Violence against civilians", "Protests",
         "Riots", "Strategic developments"]


def synthetic_events(n: int, *, seed: int = 1, days: int = 365) -> list[Event]:
    """``n`` events scattered over Syria and Iraq, over ``days`` days from 2015-01-01."""
    import datetime as dt

    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    towns = [(f"Town {k}", rng.uniform(32.5, 36.8), rng.uniform(36.0, 44.5)) for k in range(800)]
    actors = [f"Armed group {k}" for k in range(40)]
    out = []
    for i in range(n):
        name, lat, lon = towns[rng.randrange(len(towns))]
        unknown = rng.random() < 0.2
        best = None if unknown else int(rng.expovariate(1 / 4))
        out.append(Event(
            event_id=f"SYN{i}",
            event_date=(start + dt.timedelta(days=rng.randrange(days))).isoformat(),
            event_type=TYPES[rng.randrange(len(TYPES))],
            actor1=actors[rng.randrange(len(actors))],
            actor2=actors[rng.randrange(len(actors))] if rng.random() < 0.5 else "",
            country="Syria" if lon < 42 else "Iraq",
            location=name,
            latitude=lat + rng.uniform(-0.02, 0.02),
            longitude=lon + rng.uniform(-0.02, 0.02),
            geo_precision=rng.choice((1, 1, 1, 2, 3)),
            deaths_low=best, deaths_best=best, fatalities=best or 0,
            source=rng.choice(("Reuters", "AFP", "SOHR", "Local media")),
            quote=f"Synthetic report {i}: shelling near {name}.",
            origin="csv",
        ))
    return out
