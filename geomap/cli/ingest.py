"""``geomap ingest``: load event tables, extract output and articles into the store."""

from __future__ import annotations

import click

from geomap.cli.options import store_option


@click.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    default="auto",
    show_default=True,
    type=click.Choice(
        ["auto", "acled", "ucdp", "gdelt", "csv", "xlsx", "extract", "article"],
        case_sensitive=False,
    ),
    help="Input format (auto guesses from the name and header).",
)
@click.option(
    "--location-column",
    default=None,
    metavar="NAME",
    help="Column holding place names (names-only tables).",
)
@click.option(
    "--country",
    default=None,
    metavar="CC",
    help="ISO alpha-2 country to geocode names in (e.g. SY).",
)
@click.option(
    "--date",
    default=None,
    metavar="YYYY-MM-DD",
    help="Publication date for articles that carry none.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
@store_option
def ingest(files, fmt, location_column, country, date, progress, store):
    """Ingest FILE... (ACLED/UCDP/GDELT/CSV/XLSX tables, extract JSON, articles).

    Rows are deduplicated against the store; a bad row is reported and skipped.
    """  # fmt: skip
    import geomap

    report = geomap.ingest(files, store=store, format=fmt, location_column=location_column,
                           country=country, date=date, progress=progress)  # fmt: skip
    click.echo(report.summary())
    if report.errors:
        for message in report.errors[:-1]:
            click.echo(f"Error: {message}", err=True)
        raise geomap.InputError(report.errors[-1])
