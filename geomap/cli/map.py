"""``geomap map``: draw the stored (or given) events as one layered HTML map."""

from __future__ import annotations

import click

from geomap.cli.options import filter_options, store_option


@click.command("map")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=True))
@click.option(
    "-o",
    "--output",
    default="map.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the HTML map.",
)
@filter_options
@store_option
@click.option(
    "--self-contained",
    is_flag=True,
    help="Inline every JS/CSS asset (npm copies): the page makes no network request.",
)
@click.option("--title", default=None, help="Title shown on the map.")
def map_(inputs, output, store, self_contained, title, **filters):
    """Map the events in the store, ingesting INPUT files (articles, tables) first.

    With no INPUT and an empty store, maps the demo seed article.
    """
    import geomap

    flt = geomap.EventFilter.of(**filters)
    report = geomap.make_map(inputs, output=output, store=store, flt=flt,
                             self_contained=self_contained, title=title)  # fmt: skip
    if report.ingest is not None:
        click.echo(report.ingest.summary())
    what = "the demo seed article" if report.demo else "the store"
    mode = "self-contained, no network" if report.self_contained else "CDN assets + OSM tiles"
    noun = "event" if report.events == 1 else "events"
    click.echo(f"Mapped {report.events} {noun} from {what} ({mode}).")
    for note in report.notes:
        click.echo(f"Note: {note}")
    click.echo(f"Wrote {report.path}")
