"""An optional progress bar on stderr for long batches."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable
from typing import TypeVar

T = TypeVar("T")

#: Batches longer than this get a bar by default (when stderr is a terminal).
LONG_BATCH = 500


def progress(items: Collection[T], desc: str, *, show: bool | None = None) -> Iterable[T]:
    """``items``, wrapped in a tqdm bar when ``show`` is True, or (None) when the
    batch is long and stderr is a terminal."""
    if show is None:
        show = sys.stderr.isatty() and len(items) > LONG_BATCH
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, total=len(items), desc=desc, unit="row", file=sys.stderr, leave=False)
