"""Hilbert-curve order of points on a fixed world grid (so every file sorts the same way)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Cells per side of the grid: 2**16 (about 600 m of latitude a cell).
ORDER = 16


def hilbert_keys(lats: np.ndarray, lons: np.ndarray, order: int = ORDER) -> np.ndarray:
    """The Hilbert distance of each point on a 2**order grid over the whole world.

    Points without coordinates (NaN) sort last.
    """
    import numpy as np

    side = 1 << order
    missing = np.isnan(lats) | np.isnan(lons)
    x = np.clip(((np.nan_to_num(lons) + 180.0) / 360.0 * side).astype(np.int64), 0, side - 1)
    y = np.clip(((np.nan_to_num(lats) + 90.0) / 180.0 * side).astype(np.int64), 0, side - 1)
    d = np.zeros(len(x), dtype=np.int64)
    s = side >> 1
    while s > 0:
        rx = ((x & s) > 0).astype(np.int64)
        ry = ((y & s) > 0).astype(np.int64)
        d += s * s * ((3 * rx) ^ ry)
        # rotate the quadrant so the curve stays continuous
        flip = ry == 0
        swap_back = flip & (rx == 1)
        x = np.where(swap_back, side - 1 - x, x)
        y = np.where(swap_back, side - 1 - y, y)
        x, y = np.where(flip, y, x), np.where(flip, x, y)
        s >>= 1
    d[missing] = np.iinfo(np.int64).max
    return d
