"""Fuzz suite: random and hostile inputs against ingest, extract, cache import and the CLI.

Every case runs in a fresh data directory (a copy of a small baseline store and
cache) under the system's temporary folder, and afterwards the outcome and the
store are checked (:mod:`tests.fuzz.harness`).  Strategies for every input format
are in :mod:`tests.fuzz.strategies`.

Hypothesis profiles, chosen with ``GEOMAP_FUZZ_PROFILE``: ``ci`` (the default;
bounded and derandomized, so that ``pytest -q`` stays within a few minutes),
``shrink`` (the same cases, shrinking a failure to its smallest input) and
``long`` (many examples).  ``benchmarks/fuzz_long.py --minutes 30`` runs the
long campaign and prints a table of cases, failures, tracebacks and data lost.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

PROFILE_ENV = "GEOMAP_FUZZ_PROFILE"

_COMMON = dict(
    deadline=None,
    database=None,  # nothing written beside the checkout
    suppress_health_check=list(HealthCheck),
)
#: Without shrinking: on this suite's slow cases it can take many minutes; the
#: ``shrink`` profile turns it back on to find the smallest failing input.
_NO_SHRINK = [Phase.explicit, Phase.generate]
settings.register_profile("ci", max_examples=30, derandomize=True, phases=_NO_SHRINK, **_COMMON)
settings.register_profile("shrink", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=2000, derandomize=False, phases=_NO_SHRINK,
                          **_COMMON)  # fmt: skip


def fuzz_settings(share: float = 1.0) -> settings:
    """The settings of the fuzz profile in force (``$GEOMAP_FUZZ_PROFILE``, default ``ci``),
    with ``share`` of its examples (for a category whose cases are slow).

    Applied per test rather than loaded globally, so that the other property
    tests keep their own settings.
    """
    profile = settings.get_profile(os.environ.get(PROFILE_ENV, "ci"))
    return settings(parent=profile, max_examples=max(1, round(profile.max_examples * share)))
