"""The dataset's index: one entry per row group (file, row group, bbox, date range, rows).

The index is one small JSON file at the dataset's root, written atomically
after every Parquet file is complete, so a reader that finds it finds every
file it names.  Readers prune by it: a row group whose bbox misses every
query box, or whose dates miss the filter's, is never opened.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from geomap.errors import InputError
from geomap.files import open_replacing

#: The index file's name, at the dataset's root; its presence makes a folder a dataset.
INDEX_NAME = "_geomap_index.json"
FORMAT = "geomap-events-dataset"
VERSION = 1

Box = tuple[float, float, float, float]  # (min_lon, max_lon, min_lat, max_lat)


@dataclass(frozen=True)
class GroupEntry:
    """One row group: where it is, how many rows, the box of its points, its dates."""

    file: str  # relative to the dataset's root, with "/" separators
    row_group: int
    rows: int
    bbox: tuple[float, float, float, float] | None  # (xmin, ymin, xmax, ymax); None: no point
    dates: tuple[str, str] | None  # (first, last) ISO date; None: no date

    def touches(self, boxes: Sequence[Box]) -> bool:
        """Whether any query box (min_lon, max_lon, min_lat, max_lat) meets this bbox."""
        if self.bbox is None:
            return False
        x0, y0, x1, y1 = self.bbox
        return any(lo0 <= x1 and lo1 >= x0 and la0 <= y1 and la1 >= y0
                   for lo0, lo1, la0, la1 in boxes)  # fmt: skip

    def in_dates(self, since: str | None, until: str | None) -> bool:
        """Whether the row group may hold a date in [since, until] (open ends allowed)."""
        if since is None and until is None:
            return True
        if self.dates is None:
            return False
        first, last = self.dates
        return (since is None or last >= since) and (until is None or first <= until)


def is_dataset(path: str | os.PathLike[str] | None) -> bool:
    """Whether ``path`` is a folder holding a dataset index."""
    return path is not None and (Path(path) / INDEX_NAME).is_file()


def write_index(root: Path, entries: Sequence[GroupEntry]) -> Path:
    """Write the index of ``entries`` at ``root`` (atomically)."""
    payload = {"format": FORMAT, "version": VERSION,
               "groups": [asdict(e) for e in entries]}  # fmt: skip
    with open_replacing(root / INDEX_NAME) as fh:
        json.dump(payload, fh, separators=(",", ":"))
    return root / INDEX_NAME


def read_index(root: Path) -> list[GroupEntry]:
    """The row groups an index lists; a file that is not a geomap index is one clear error."""
    path = root / INDEX_NAME
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != FORMAT or payload.get("version") != VERSION:
            raise ValueError(f"format {payload.get('format')!r} {payload.get('version')!r}")
        return [_entry(g) for g in payload["groups"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"The dataset index {str(path)!r} cannot be read ({type(exc).__name__}: "
            f"{str(exc)[:80]}). Fix: write the dataset again with "
            "`geomap export --to dataset DIR`."
        ) from None


def _entry(g: dict[str, object]) -> GroupEntry:
    bbox, dates = g["bbox"], g["dates"]
    return GroupEntry(
        file=str(g["file"]), row_group=int(g["row_group"]), rows=int(g["rows"]),  # type: ignore[call-overload]
        bbox=tuple(float(v) for v in bbox) if bbox else None,  # type: ignore[arg-type,attr-defined]
        dates=(str(dates[0]), str(dates[1])) if dates else None,  # type: ignore[index]
    )  # fmt: skip
