"""``geomap export``: write stored events to GeoJSON, CSV, GeoPackage or GeoParquet."""

from __future__ import annotations

import click

from geomap.cli.options import filter_options, store_or_dataset_option


@click.command("export")
@click.argument("file", type=click.Path())
@click.option(
    "--to",
    "to",
    default="file",
    show_default=True,
    type=click.Choice(["file", "dataset", "sqlite"], case_sensitive=False),
    help="file: one GIS file (FILE's format); dataset: a GeoParquet dataset folder FILE "
    "(partitioned by source and year, with an index) that near, export and map read as "
    "--store; sqlite: a new event store file FILE that map and refresh work on.",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["geojson", "csv", "gpkg", "parquet"], case_sensitive=False),
    help="Output format (default: from FILE's extension).",
)
@click.option(
    "--context",
    is_flag=True,
    help="Write the context figures (cumulative or background tolls) instead of the events.",
)
@click.option(
    "--escape-formulas/--no-escape-formulas",
    default=True,
    show_default=True,
    help="In a CSV, put ' before text cells that begin with = + - @, a tab or CR, "
    "so a spreadsheet never runs them as formulas.",
)
@filter_options
@store_or_dataset_option
def export(file, to, fmt, context, escape_formulas, store, **filters):
    """Write the store's (or a dataset's) events, filtered, to FILE.

    Context figures are never exported with the events; --context writes them alone.
    The store must exist (export never creates one).
    """
    import geomap

    report = geomap.export(file, format=fmt, to=to, store=store, context=context,
                           escape_formulas=escape_formulas, **filters)  # fmt: skip
    what = ("context figure" if context else "event") + ("" if report.events == 1 else "s")
    click.echo(f"Wrote {report.events:,} {what} to {report.path} ({report.format})")
    if report.skipped:
        click.echo(f"Note: {report.skipped:,} event(s) could not be stored and were left out.")
