"""The points of a dataset's row groups, in memory, in pages: which rows lie in a box.

The rows of a row group follow a Hilbert curve, so a run of
:data:`PAGE_ROWS` consecutive rows (a page) covers a small area.  A query
tests every page box of the row groups it may touch in one vectorised step,
and then only the points of the pages it meets.  Row groups are added as
queries first need them; the index then answers from memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Box = tuple[float, float, float, float]  # (min_lon, max_lon, min_lat, max_lat)

#: Rows of a page: the unit a query tests points in.
PAGE_ROWS = 64


class PointIndex:
    """Longitudes and latitudes of the row groups added so far, with page boxes."""

    def __init__(self) -> None:
        import numpy as np

        self.groups: list[int] = []  # the row groups added, in order (their entry numbers)
        self._position: dict[int, int] = {}
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.offsets = np.zeros(0, dtype=np.int64)  # first global row of each group added
        self.lons = self.lats = np.zeros(0)
        self._pages = (np.zeros(0),) * 4  # x0, x1, y0, y1
        self._page_start = self._page_stop = self._page_group = np.zeros(0, dtype=np.int64)

    def __contains__(self, group: int) -> bool:
        return group in self._position

    def add(self, items: Sequence[tuple[int, np.ndarray, np.ndarray]]) -> None:
        """Add row groups: (entry number, longitudes, latitudes); NaN is a row with no point."""
        import numpy as np

        for group, lons, lats in items:
            missing = np.isnan(lons) | np.isnan(lats)
            self._position[group] = len(self.groups)
            self.groups.append(group)
            self._parts.append((np.where(missing, np.inf, lons), np.where(missing, np.inf, lats)))
        sizes = np.array([len(x) for x, _y in self._parts], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.lons = np.concatenate([x for x, _y in self._parts])
        self.lats = np.concatenate([y for _x, y in self._parts])
        self._paginate(sizes)

    def _paginate(self, sizes: np.ndarray) -> None:
        import numpy as np

        starts, stops, owners = [], [], []
        for position, (offset, size) in enumerate(zip(self.offsets, sizes, strict=True)):
            begin = np.arange(offset, offset + size, PAGE_ROWS, dtype=np.int64)
            starts.append(begin)
            stops.append(np.minimum(begin + PAGE_ROWS, offset + size))
            owners.append(np.full(len(begin), self.groups[position], dtype=np.int64))
        self._page_start, self._page_stop = np.concatenate(starts), np.concatenate(stops)
        self._page_group = np.concatenate(owners)
        located_x = np.where(np.isinf(self.lons), np.nan, self.lons)
        located_y = np.where(np.isinf(self.lats), np.nan, self.lats)
        boxes = []
        for values in (located_x, located_y):
            with np.errstate(invalid="ignore"):
                low = np.fmin.reduceat(values, self._page_start) if len(values) else values
                high = np.fmax.reduceat(values, self._page_start) if len(values) else values
            boxes += [np.nan_to_num(low, nan=np.inf), np.nan_to_num(high, nan=-np.inf)]
        self._pages = (boxes[0], boxes[1], boxes[2], boxes[3])

    def inside(
        self, boxes: Sequence[Box], groups: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(group, row within it, row in the index) of every point inside a box, of the
        row groups ``groups`` (a mask over entry numbers).  Rows in the index count over
        the groups in the order they were added (:attr:`groups`)."""
        import numpy as np

        if not len(self._page_start):
            return (np.zeros(0, dtype=np.int64),) * 3
        x0, x1, y0, y1 = self._pages
        hit = np.zeros(len(x0), dtype=bool)
        for lo0, lo1, la0, la1 in boxes:
            hit |= (x0 <= lo1) & (x1 >= lo0) & (y0 <= la1) & (y1 >= la0)
        hit &= groups[self._page_group]
        pages = np.flatnonzero(hit)
        rows = (self._page_start[pages][:, None] + np.arange(PAGE_ROWS)).ravel()
        rows = rows[rows < np.repeat(self._page_stop[pages], PAGE_ROWS)]
        lons, lats = self.lons[rows], self.lats[rows]
        found = np.zeros(len(rows), dtype=bool)
        for lo0, lo1, la0, la1 in boxes:
            found |= (lons >= lo0) & (lons <= lo1) & (lats >= la0) & (lats <= la1)
        rows = rows[found]
        position = np.searchsorted(self.offsets, rows, side="right") - 1
        owners = np.asarray(self.groups, dtype=np.int64)[position]
        return owners, rows - self.offsets[position], rows
