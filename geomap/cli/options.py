"""Options shared by the commands that read the event store (near, export, map)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from geomap import EventFilter

F = Callable[..., Any]


def store_option(f: F) -> F:
    return click.option(
        "--store",
        "store",
        default=None,
        type=click.Path(dir_okay=False),
        help="Event store file (default: $GEOMAP_STORE or <data dir>/events.sqlite).",
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


def build_filter(
    since: str | None = None,
    until: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    min_fatalities: int | None = None,
    limit: int | None = None,
) -> EventFilter | None:
    """An EventFilter from the shared options (None when no option was given)."""
    from geomap import EventFilter

    values = (since, until, event_type, actor, min_fatalities, limit)
    if all(v is None for v in values):
        return None
    return EventFilter(since=since, until=until, event_type=event_type, actor=actor,
                       min_fatalities=min_fatalities, limit=limit)  # fmt: skip
