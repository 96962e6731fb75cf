"""Options and argument parsing shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

F = Callable[..., Any]


def store_option(f: F) -> F:
    return click.option(
        "--store",
        "store",
        default=None,
        type=click.Path(dir_okay=False),
        help="Event store file (default: $GEOMAP_STORE or <data dir>/events.sqlite).",
    )(f)


def store_or_dataset_option(f: F) -> F:
    """``--store``: an event store file or a dataset folder (``export --to dataset``)."""
    return click.option(
        "--store",
        "store",
        default=None,
        type=click.Path(),
        help="Event store file, or a dataset folder written by `geomap export --to dataset` "
        "or `geomap ingest --cluster` "
        "(default: $GEOMAP_STORE or <data dir>/events.sqlite).",
    )(f)


def filter_options(f: F) -> F:
    """--since/--until/--type/--actor/--min-fatalities/--limit (see geomap.EventFilter)."""
    for decorator in reversed(
        [
            click.option("--since", default=None, metavar="DATE",
                         help="Only events on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY)."),
            click.option("--until", default=None, metavar="DATE",
                         help="Only events on or before DATE (inclusive)."),
            click.option("--type", "event_type", default=None, metavar="TYPE",
                         help="Only this event type, sub-type or class (e.g. airstrike)."),
            click.option("--actor", default=None, metavar="NAME",
                         help="Only events with an actor containing NAME."),
            click.option("--min-fatalities", default=None, type=click.IntRange(min=0),
                         metavar="N", help="Only events with at least N deaths (best estimate)."),
            click.option("--limit", default=None, type=click.IntRange(min=0), metavar="N",
                         help="At most N events."),
        ]
    ):  # fmt: skip
        f = decorator(f)
    return f


def format_option(
    *choices: str, default: str = "table", help: str = "Output format."
) -> Callable[[F], F]:
    """``--format`` (stored as ``fmt``) with ``choices``."""
    return click.option("--format", "fmt", type=click.Choice(list(choices), case_sensitive=False),
                        default=default, show_default=True, help=help)  # fmt: skip


def looks_numeric(text: str) -> bool:
    """Whether ``text`` reads as a number (a negative coordinate, not an option)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def cluster_options(f: F) -> F:
    """``--cluster local:N`` and ``--scheduler tcp://HOST:PORT`` (a Dask cluster)."""
    for decorator in reversed(
        [
            click.option("--cluster", metavar="local:N", default=None,
                         help="Run on a Dask LocalCluster of N worker processes "
                         "(needs geomap[dask])."),
            click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                         help="Run on the Dask cluster of this scheduler (workers must see "
                         "the files)."),
        ]
    ):  # fmt: skip
        f = decorator(f)
    return f
