"""``geomap map``: draw the stored (or given) events as one layered HTML map."""

from __future__ import annotations

import os

import click

from geomap.cli.options import filter_options, store_or_dataset_option


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
@store_or_dataset_option
@click.option(
    "--self-contained/--cdn",
    "self_contained",
    default=True,
    show_default=True,
    help="--self-contained (the default): every asset is inlined, so the page opens with no "
    "network at all, over offline country and region outlines. --cdn: a smaller page that "
    "loads Leaflet and OpenStreetMap tiles from the internet; offline it shows only a "
    "'needs a network connection' message.",
)
@click.option("--title", default=None,
              help="Title shown on the map (default: the count and dates).")
@click.option("--labels/--no-labels", default=True, show_default=True,
              help="Name countries, regions and towns (from the offline gazetteer).")
def map_(inputs, output, store, self_contained, title, labels, **filters):
    """Map the events in the store, ingesting INPUT files (articles, tables) first.

    With no INPUT and an empty store, maps the demo seed article.  Input
    errors are reported as `geomap ingest` reports them; when no INPUT could
    be read, no map is written and the exit code is 1.
    """
    import geomap

    flt = geomap.EventFilter.of(**filters)
    errors = []
    if inputs and store is not None and os.path.isdir(store):
        raise geomap.InputError(
            f"A dataset cannot take inputs; instead got {len(inputs)} with --store {store!r}. "
            "Fix: ingest into an event store file, or map the dataset alone."
        )
    if inputs:
        ingested = geomap.ingest(inputs, store=store)
        click.echo(ingested.summary())
        errors = ingested.errors
        if errors and not (ingested.rows_read or ingested.documents):
            _fail(geomap, errors)
    report = geomap.make_map(output=output, store=store, flt=flt, self_contained=self_contained,
                             title=title, labels=labels, demo=not inputs)  # fmt: skip
    what = "the demo seed article" if report.demo else "the store"
    mode = "self-contained, no network" if report.self_contained else "CDN assets + OSM tiles"
    noun = "event" if report.events == 1 else "events"
    click.echo(f"Mapped {report.events} {noun} from {what} ({mode}).")
    for note in report.notes:
        click.echo(f"Note: {note}")
    click.echo(f"Wrote {report.path}")
    if errors:
        _fail(geomap, errors)


def _fail(geomap, errors: list[str]) -> None:
    """Every input error on its own line, as `geomap ingest` prints them; exit code 1."""
    for message in errors[:-1]:
        click.echo(f"Error: {message}", err=True)
    raise geomap.InputError(errors[-1])
