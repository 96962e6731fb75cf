"""Dedup candidates by partition: (grid cell x month) keys with a halo, and the pairs inside.

Two source rows can only match when their day intervals overlap and, for
rows placed at a town or a point, when they lie within
:data:`~geomap.store.dedupe.MAX_RADIUS_KM` of each other; a region-level
(coarse) row matches any row of its admin-1 whatever the distance.  So:

* a located row is *at home* in the grid cell of its point, and is copied
  into every cell its search box (:func:`geomap.geo.bounding_boxes`, the box
  the store probes its R*Tree with) touches: the halo in space;
* every row is copied into every month its day interval (which already
  holds its time-precision window) touches: two overlapping intervals share
  the month their overlap starts in, the halo in time;
* a coarse row is keyed by its admin-1 instead of a cell, and the rows of
  that admin-1 and month are copied beside it.

Each pair is looked at once, in the partition of the month its overlap
starts in and the cell of one of its rows, and kept only when the store's
own predicates say it matches (:func:`~geomap.store.dedupe.precise_match`,
:func:`~geomap.store.dedupe.coarse_match`).  A matching pair is always
inside some partition, so the pairs found are every pair that matches.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Sequence

from geomap.geo import bounding_boxes
from geomap.store.dedupe import MAX_RADIUS_KM, Node, coarse_match, is_coarse, precise_match

#: Cell side in degrees of latitude and longitude (at least the search box, 0.23 degrees).
CELL_DEGREES = 1.0

#: ("cell", lat index, lon index, month) or ("admin1", admin-1 key, month).
PartitionKey = tuple[str, int | str, int, int] | tuple[str, str, int]
#: One row of a partition: the node, and whether the partition is its home.
Member = tuple[Node, bool]


def month_of(day: int) -> int:
    """Months since year 0 of a proleptic ordinal day."""
    d = dt.date.fromordinal(max(1, min(day, dt.date.max.toordinal())))
    return d.year * 12 + d.month - 1


def months(node: Node) -> range:
    """Every month the row's day interval touches."""
    d0 = node.day_min if node.day_min is not None else 0
    d1 = node.day_max if node.day_max is not None and node.day_max >= d0 else d0
    return range(month_of(d0), month_of(d1) + 1)


def usable(node: Node) -> bool:
    """Whether the row can match at all (dated and located, as the store indexes it)."""
    return node.day_min is not None and node.latitude is not None and node.longitude is not None


def cell_of(latitude: float, longitude: float, cell: float = CELL_DEGREES) -> tuple[int, int]:
    return math.floor(latitude / cell), math.floor(longitude / cell)


def halo_cells(node: Node, cell: float = CELL_DEGREES) -> set[tuple[int, int]]:
    """The cells the row's search box touches (its own cell among them)."""
    out = {cell_of(node.latitude, node.longitude, cell)}  # type: ignore[arg-type]
    for lo0, lo1, la0, la1 in bounding_boxes(node.latitude, node.longitude, MAX_RADIUS_KM):  # type: ignore[arg-type]
        for i in range(math.floor(la0 / cell), math.floor(la1 / cell) + 1):
            for j in range(math.floor(lo0 / cell), math.floor(lo1 / cell) + 1):
                out.add((i, j))
    return out


def partition(
    nodes: Iterable[Node], cell: float = CELL_DEGREES
) -> dict[PartitionKey, list[Member]]:
    """Every usable row in each partition it belongs to (at home or in the halo)."""
    rows = [n for n in nodes if usable(n)]
    parts: dict[PartitionKey, list[Member]] = {}
    coarse_keys: set[tuple[str, int]] = set()
    for n in rows:
        if is_coarse(n.geo_precision):
            if n.admin1_key:  # a coarse row without an admin-1 matches nothing
                for m in months(n):
                    coarse_keys.add((n.admin1_key, m))
                    parts.setdefault(("admin1", n.admin1_key, m), []).append((n, True))
            continue
        home = cell_of(n.latitude, n.longitude, cell)  # type: ignore[arg-type]
        spans = months(n)
        for i, j in halo_cells(n, cell):
            for m in spans:
                parts.setdefault(("cell", i, j, m), []).append((n, (i, j) == home))
    for n in rows:
        if n.admin1_key and not is_coarse(n.geo_precision):
            for m in months(n):
                if (n.admin1_key, m) in coarse_keys:
                    parts[("admin1", n.admin1_key, m)].append((n, False))
    return parts


def _in_boxes(node: Node, other: Node) -> bool:
    """Whether ``other`` lies in ``node``'s search box (the store's R*Tree probe)."""
    lat, lon = other.latitude, other.longitude
    return any(
        lo0 <= lon <= lo1 and la0 <= lat <= la1  # type: ignore[operator]
        for lo0, lo1, la0, la1 in _boxes(node)
    )


_BOX_CACHE: dict[tuple[float, float], list[tuple[float, float, float, float]]] = {}


def _boxes(node: Node) -> list[tuple[float, float, float, float]]:
    key = (node.latitude, node.longitude)
    boxes = _BOX_CACHE.get(key)  # type: ignore[arg-type]
    if boxes is None:
        if len(_BOX_CACHE) > 100_000:
            _BOX_CACHE.clear()
        boxes = bounding_boxes(node.latitude, node.longitude, MAX_RADIUS_KM)  # type: ignore[arg-type]
        _BOX_CACHE[key] = boxes  # type: ignore[index]
    return boxes


def pair_matches(a: Node, b: Node) -> bool:
    """Whether two rows match by the store's predicates (coarse rows by admin-1)."""
    if is_coarse(a.geo_precision):
        return coarse_match(a, b)
    if is_coarse(b.geo_precision):
        return coarse_match(b, a)
    return precise_match(a, b) is not None


def partition_pairs(key: PartitionKey, members: Sequence[Member]) -> list[tuple[int, int]]:
    """The matching pairs (smaller sid first) found from this partition's home rows.

    A pair is looked at in the month its overlap starts in, from the side of
    a row at home here (from the smaller sid's side when both are).
    """
    month, spatial = key[-1], key[0] == "cell"
    order = sorted(members, key=lambda m: _start(m[0]))
    starts = [_start(m[0]) for m in order]
    widest = max((_end(n) - _start(n) for n, _h in order), default=0)
    out: list[tuple[int, int]] = []
    for a, a_home in order:
        if not a_home:
            continue
        a0, a1 = _start(a), _end(a)
        lo = bisect.bisect_left(starts, a0 - widest)
        hi = bisect.bisect_right(starts, a1)
        for b, b_home in order[lo:hi]:
            if b is a or (b_home and b.sid < a.sid) or _end(b) < a0:
                continue
            if month_of(max(a0, _start(b))) != month:
                continue
            if spatial and not _in_boxes(a, b):
                continue
            if pair_matches(a, b):
                out.append((min(a.sid, b.sid), max(a.sid, b.sid)))
    return out


def _start(node: Node) -> int:
    return node.day_min if node.day_min is not None else 0


def _end(node: Node) -> int:
    return node.day_max if node.day_max is not None else node.day_min  # type: ignore[return-value]
