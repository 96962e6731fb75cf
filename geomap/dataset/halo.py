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

Rows of one curated dataset never match, nor rows of one file unless
identical (the store's rule): a partition whose rows
all come from one such source holds no pair and is left out
(:func:`candidate_parts`), and so is every partition of a run whose rows all
do (one ACLED export, say).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from geomap.geo import bounding_boxes
from geomap.store.dedupe import (
    CURATED,
    MAX_RADIUS_KM,
    Node,
    coarse_match,
    is_coarse,
    precise_match,
)

if TYPE_CHECKING:
    import numpy as np

#: Cell side in degrees of latitude and longitude (at least the search box, 0.23 degrees).
CELL_DEGREES = 1.0

#: ("cell", lat index, lon index, month) or ("admin1", admin-1 key, month).
PartitionKey = tuple[str, int | str, int, int] | tuple[str, str, int]
#: One row of a partition: the node, and whether the partition is its home.
Member = tuple[Node, bool]


@lru_cache(maxsize=1 << 16)
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


def may_pair(nodes: Iterable[Node]) -> bool:
    """Whether any two of ``nodes`` could match; False when the store's rules keep every
    two apart: all of one curated dataset, or all of one file with no two identical
    (a row without a content hash is identical to none)."""
    origins: set[str] = set()
    files: set[str] = set()
    hashes: set[str] = set()
    repeated = False
    for n in nodes:
        origins.add(n.origin)
        files.add(n.input_file)
        if n.content_hash:
            repeated = repeated or n.content_hash in hashes
            hashes.add(n.content_hash)
    if len(origins) == 1 and next(iter(origins)) in CURATED:
        return False
    return not (len(files) == 1 and "" not in files and not repeated)


def candidate_parts(
    nodes: Sequence[Node], cell: float = CELL_DEGREES
) -> dict[PartitionKey, list[Member]]:
    """The partitions of :func:`partition` that may hold a matching pair (see
    :func:`may_pair`); none when no two of the rows could match."""
    if not may_pair(n for n in nodes if usable(n)):
        return {}
    return {key: members for key, members in partition(nodes, cell).items()
            if len(members) > 1 and may_pair(n for n, _home in members)}  # fmt: skip


@lru_cache(maxsize=65536)
def _boxes(latitude: float, longitude: float) -> list[tuple[float, float, float, float]]:
    return bounding_boxes(latitude, longitude, MAX_RADIUS_KM)


def pair_matches(a: Node, b: Node) -> bool:
    """Whether two rows match by the store's predicates (coarse rows by admin-1)."""
    if is_coarse(a.geo_precision):
        return coarse_match(a, b)
    if is_coarse(b.geo_precision):
        return coarse_match(b, a)
    return precise_match(a, b) is not None


#: Home rows compared with the rest of their partition at once (bounds the masks' memory).
BLOCK = 256


def partition_pairs(key: PartitionKey, members: Sequence[Member]) -> list[tuple[int, int]]:
    """The matching pairs (smaller sid first) found from this partition's home rows.

    A pair is looked at in the month its overlap starts in, from the side of
    a row at home here (from the smaller sid's side when both are).  The day,
    month and search-box tests run on arrays; the store's predicates only on
    what passes them.
    """
    import numpy as np

    nodes = [n for n, _h in members]
    home = np.array([h for _n, h in members], dtype=bool)
    sid = np.array([n.sid for n in nodes], dtype=np.int64)
    d0 = np.array([_start(n) for n in nodes], dtype=np.int64)
    d1 = np.array([_end(n) for n in nodes], dtype=np.int64)
    lat = np.array([n.latitude for n in nodes], dtype=float)
    lon = np.array([n.longitude for n in nodes], dtype=float)
    first, last = _month_days(key[-1])
    homes = np.nonzero(home)[0]
    out: list[tuple[int, int]] = []
    for block in range(0, len(homes), BLOCK):
        h = homes[block : block + BLOCK]
        a0, a1, asid = d0[h][:, None], d1[h][:, None], sid[h][:, None]
        start = np.maximum(d0[None, :], a0)
        mask = (d0[None, :] <= a1) & (d1[None, :] >= a0) & (start >= first) & (start <= last)
        mask &= (sid[None, :] != asid) & ~(home[None, :] & (sid[None, :] < asid))
        if key[0] == "cell":
            mask &= _box_mask([nodes[i] for i in h], lat, lon)
        for row, col in zip(*np.nonzero(mask), strict=True):
            a, b = nodes[h[row]], nodes[col]
            if pair_matches(a, b):
                out.append((min(a.sid, b.sid), max(a.sid, b.sid)))
    return out


def _month_days(month: int) -> tuple[int, int]:
    """The first and last proleptic ordinal day of a month of :func:`month_of`."""
    year, m = divmod(month, 12)
    first = dt.date(year, m + 1, 1).toordinal()
    return first, first + calendar.monthrange(year, m + 1)[1] - 1


def _box_mask(rows: Sequence[Node], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Which points lie in each row's search box (rows x points)."""
    import numpy as np

    boxes = [_boxes(n.latitude, n.longitude) for n in rows]  # type: ignore[arg-type]
    mask = np.zeros((len(rows), len(lat)), dtype=bool)
    for k in (0, 1):  # a box split at the antimeridian is two
        b = np.array([bx[k] if len(bx) > k else (1.0, -1.0, 1.0, -1.0) for bx in boxes])
        mask |= ((lon[None, :] >= b[:, 0:1]) & (lon[None, :] <= b[:, 1:2])
                 & (lat[None, :] >= b[:, 2:3]) & (lat[None, :] <= b[:, 3:4]))  # fmt: skip
    return mask


def _start(node: Node) -> int:
    return node.day_min if node.day_min is not None else 0


def _end(node: Node) -> int:
    return node.day_max if node.day_max is not None else node.day_min  # type: ignore[return-value]
