"""Events as a GeoParquet 1.1 dataset that ``near``, ``export`` and ``map`` read directly.

:func:`write_dataset` writes events (from the store, or any list of events or
frame) as ``events/source=.../year=.../part-*.parquet`` with an index of its
row groups; :class:`EventDataset` reads it back through that index.  The
dataset sits beside the store: it holds merged events, the same columns a
result frame has (:mod:`geomap.dataset.columns`).
"""

from geomap.dataset.columns import ALL_COLUMNS, LEAN_COLUMNS, RESULT_COLUMNS, choose_columns
from geomap.dataset.index import INDEX_NAME, GroupEntry, is_dataset
from geomap.dataset.read import EventDataset, table_events
from geomap.dataset.write import ROW_GROUP_SIZE, DatasetReport, write_dataset

__all__ = [
    "ALL_COLUMNS",
    "INDEX_NAME",
    "LEAN_COLUMNS",
    "RESULT_COLUMNS",
    "ROW_GROUP_SIZE",
    "DatasetReport",
    "EventDataset",
    "GroupEntry",
    "choose_columns",
    "is_dataset",
    "table_events",
    "write_dataset",
]
