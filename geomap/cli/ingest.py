"""``geomap ingest``: load event tables, extract output and articles into the store."""

from __future__ import annotations

import click

from geomap.cli.options import cluster_options, store_option


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
@cluster_options
@click.option(
    "--dataset",
    default=None,
    type=click.Path(),
    metavar="DIR",
    help="With --cluster/--scheduler: the GeoParquet dataset folder to write (a new one; "
    "read it with near/export/map --store DIR).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="With --dataset: replace a dataset already there, once the new one is complete "
    "(without it an existing dataset is refused: a cluster ingest never adds to one).",
)
def ingest(files, fmt, location_column, country, date, progress, replace, create, store,
           cluster, scheduler, dataset, overwrite):  # fmt: skip
    """Ingest FILE... (ACLED/UCDP/GDELT/CSV/XLSX tables, extract JSON, articles).

    Every value is checked on the way in; rows are deduplicated against the
    store; a bad row is reported and skipped; a stored row is never replaced
    without --replace.  Only ingest creates a store.

    With --cluster local:N or --scheduler tcp://HOST:8786, ACLED, UCDP and
    GDELT tables (UTF-8 CSV/TSV) are ingested on a Dask cluster into a new
    GeoParquet dataset (--dataset DIR) instead of the store: the same checks
    and bad-row reports, and rows of one event merged as the store merges
    them.  An existing dataset is refused unless --overwrite.
    """  # fmt: skip
    import geomap

    if cluster is not None or scheduler is not None or dataset is not None or overwrite:
        unused = {"--store": store, "--location-column": location_column, "--country": country,
                  "--date": date, "--create": create}  # fmt: skip
        _cluster_ingest(files, fmt, cluster=cluster, scheduler=scheduler, dataset=dataset,
                        overwrite=overwrite, replace=replace, unused=unused)  # fmt: skip
        return
    report = geomap.ingest(files, store=store, format=fmt, location_column=location_column,
                           country=country, date=date, progress=progress, replace=replace,
                           create=create)  # fmt: skip
    click.echo(report.summary())
    if report.errors:
        for message in report.errors[:-1]:
            click.echo(f"Error: {message}", err=True)
        raise geomap.InputError(report.errors[-1])


def _cluster_ingest(files, fmt, *, cluster, scheduler, dataset, overwrite, replace, unused):
    """``ingest --cluster/--scheduler --dataset DIR``."""
    import geomap

    if cluster is None and scheduler is None:
        raise geomap.ConfigurationError(
            "--dataset and --overwrite write a dataset on a cluster, and no cluster was named."
            " Fix: add --cluster local:N (or --scheduler tcp://HOST:8786), or ingest into the"
            " store and write a dataset with `geomap export --to dataset DIR`."
        )
    if dataset is None:
        raise geomap.ConfigurationError(
            "ingest on a cluster writes a GeoParquet dataset, and no --dataset was given."
            " Fix: pass --dataset DIR (then read it with `geomap near --store DIR`)."
        )
    given = [name for name, value in unused.items() if value]
    if given:
        raise geomap.ConfigurationError(
            f"{', '.join(given)} cannot be combined with --cluster/--scheduler (a cluster"
            " ingests ACLED, UCDP and GDELT tables into --dataset). Fix: leave"
            f" {'it' if len(given) == 1 else 'them'} out, or ingest without --cluster."
        )
    run = geomap.ingest_cluster(files, dataset=dataset, cluster=cluster, scheduler=scheduler,
                                format=fmt, replace=replace, overwrite=overwrite)  # fmt: skip
    click.echo(run.summary())
    if run.report.errors:
        for message in run.report.errors[:-1]:
            click.echo(f"Error: {message}", err=True)
        raise geomap.InputError(run.report.errors[-1])
