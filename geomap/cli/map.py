"""``geomap map``: draw the stored (or given) events as one layered HTML map."""

from __future__ import annotations

import click


def _filter(since, until, event_type, actor, min_fatalities):
    """An EventFilter from the shared filter options (geomap.query)."""
    from geomap.query import EventFilter

    return EventFilter(since=since, until=until, event_type=event_type, actor=actor,
                       min_fatalities=min_fatalities)


@click.command("map")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=True))
@click.option("-o", "--output", default="map.html", show_default=True,
              type=click.Path(dir_okay=False, writable=True), help="Where to write the HTML map.")
@click.option("--store", "store", default=None, type=click.Path(dir_okay=False),
              help="Event store file (default: the configured store).")
@click.option("--since", default=None, help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only events on or before this date (YYYY-MM-DD).")
@click.option("--type", "event_type", default=None, help="Only this event type (or sub-type).")
@click.option("--actor", default=None, help="Only events with an actor containing this text.")
@click.option("--min-fatalities", default=None, type=click.IntRange(min=0),
              help="Only events with at least this many deaths (best estimate).")
@click.option("--self-contained", is_flag=True,
              help="Inline every JS/CSS asset: the page makes no network request.")
@click.option("--title", default=None, help="Title shown on the map.")
def map_(inputs, output, store, since, until, event_type, actor, min_fatalities,
         self_contained, title):
    """Map the events in the store, ingesting INPUT files (articles, tables) first.

    With no INPUT and an empty store, maps the demo seed article.
    """
    from geomap.render import make_map

    flt = None
    if any(v is not None for v in (since, until, event_type, actor, min_fatalities)):
        flt = _filter(since, until, event_type, actor, min_fatalities)
    report = make_map(inputs, output=output, store=store, flt=flt,
                      self_contained=self_contained, title=title)
    if report.ingest is not None:
        click.echo(str(report.ingest))
    what = "demo seed article" if report.demo else "store"
    mode = "self-contained" if report.self_contained else "uses CDN assets and OSM tiles"
    click.echo(f"Mapped {report.events} events from the {what} ({mode}).")
    for note in report.notes:
        click.echo(f"Note: {note}")
    click.echo(f"Wrote {report.path}")
