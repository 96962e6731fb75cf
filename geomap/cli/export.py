"""``geomap export``: write stored events to GeoJSON, CSV, GeoPackage or GeoParquet."""

from __future__ import annotations

import click

from geomap.cli.options import filter_options, store_option


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["geojson", "csv", "gpkg", "parquet"], case_sensitive=False),
    help="Output format (default: from FILE's extension).",
)
@filter_options
@store_option
def export(file, fmt, store, **filters):
    """Write the store's events (filtered) to FILE."""
    import geomap

    report = geomap.export(file, format=fmt, store=store, **filters)
    click.echo(f"Wrote {report.events} events to {report.path} ({report.format})")
