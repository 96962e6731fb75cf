"""The geocode cache key: a normalised name plus its hints, e.g. ``"rastan|cc=SY|a1=11"``.

Every cached answer, stored event (``geocode_key``) and mention (``cache_key``)
names the query that placed it by this key.  :func:`cache_key` writes it and
:func:`parse_key` reads it back; ``cache_key(name, **hints)`` of what
:func:`parse_key` returns gives the same key again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from geomap.gazetteer import normalize


class KeyHints(TypedDict, total=False):
    """The hints a key carries (each one only when the query had it)."""

    country: str  # ISO 3166-1 alpha-2, upper case
    admin1: str  # normalised admin-1 code or name
    bias: tuple[float, float]  # (latitude, longitude), rounded to 0.01 degree


def hints_for(
    *,
    country: str | None = None,
    admin1: str | None = None,
    bias: Sequence[float] | None = None,
) -> dict[str, Any]:
    """The canonical hint dict stored with an entry (empty hints left out).

    This is the JSON form kept in the cache, so ``bias`` is a list here.
    """
    hints: dict[str, Any] = {}
    if country:
        hints["country"] = str(country).strip().upper()
    if admin1:
        hints["admin1"] = normalize(str(admin1))
    if bias is not None:
        lat, lon = bias
        hints["bias"] = [round(float(lat), 2), round(float(lon), 2)]
    return hints


def cache_key(
    query: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    bias: Sequence[float] | None = None,
) -> str:
    """The cache key: the normalised name plus the hints, e.g. ``"rastan|cc=SY"``."""
    return key_of(normalize(query), hints_for(country=country, admin1=admin1, bias=bias))


def key_of(name_key: str, hints: dict[str, Any]) -> str:
    """The key of an already normalised name and hints in :func:`hints_for`'s form."""
    parts = [name_key]
    if "country" in hints:
        parts.append(f"cc={hints['country']}")
    if "admin1" in hints:
        parts.append(f"a1={hints['admin1']}")
    if "bias" in hints:
        parts.append(f"near={hints['bias'][0]:.2f},{hints['bias'][1]:.2f}")
    return "|".join(parts)


def parse_key(key: str) -> tuple[str, KeyHints]:
    """``"rastan|cc=SY|a1=11"`` -> ``("rastan", {"country": "SY", "admin1": "11"})``.

    The name comes back normalised, as the key holds it; ``bias`` comes back as
    a (latitude, longitude) tuple.  Unknown parts and an unreadable ``near=``
    are ignored.
    """
    name, *parts = key.split("|")
    hints: KeyHints = {}
    for part in parts:
        tag, _, value = part.partition("=")
        if tag == "cc":
            hints["country"] = value
        elif tag == "a1":
            hints["admin1"] = value
        elif tag == "near":
            try:
                lat, lon = (float(v) for v in value.split(","))
            except ValueError:
                continue
            hints["bias"] = (lat, lon)
    return name, hints
