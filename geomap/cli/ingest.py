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
@click.option(
    "--replace",
    is_flag=True,
    help="Let a row replace the stored row of its id when both come from the same format "
    "(an ACLED revision); without it such rows are only reported.",
)
@click.option(
    "--create",
    is_flag=True,
    help="Create the --store file's missing folders (inside the data directory they "
    "are always created).",
)
@store_option
def ingest(files, fmt, location_column, country, date, progress, replace, create, store):
    """Ingest FILE... (ACLED/UCDP/GDELT/CSV/XLSX tables, extract JSON, articles).

    Every value is checked on the way in; rows are deduplicated against the
    store; a bad row is reported and skipped; a stored row is never replaced
    without --replace.  Only ingest creates a store.
    """  # fmt: skip
    import geomap

    report = geomap.ingest(files, store=store, format=fmt, location_column=location_column,
                           country=country, date=date, progress=progress, replace=replace,
                           create=create)  # fmt: skip
    click.echo(report.summary())
    if report.errors:
        for message in report.errors[:-1]:
            click.echo(f"Error: {message}", err=True)
        raise geomap.InputError(report.errors[-1])
