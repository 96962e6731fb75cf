"""``geomap extract``: located events from article files (text or HTML, or folders of them)."""

from __future__ import annotations

import math
import sys

import click

from geomap import MAX_ARTICLE_BYTES, InputError, parse_date


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value, what="--date")
    except InputError as exc:
        raise click.BadParameter(str(exc)) from None


def _check_size(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A finite size in MiB: "nan" and "inf" parse as floats but bound nothing."""
    if not math.isfinite(value):
        raise click.BadParameter(
            f"must be a finite number of MiB, instead got: {value!r}. Fix: pass e.g. 5."
        )
    return value


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--date",
    callback=_check_date,
    metavar="YYYY-MM-DD",
    help="Publication date of the articles; 'Wednesday', 'yesterday' are resolved against it. "
    "Without it: front matter, HTML metadata, then a YYYY-MM-DD in the file name; "
    "else events have no date.",
)
@click.option("--source", default=None, help="Publisher of the articles (e.g. 'CBC News').")
@click.option("--url", default=None, help="URL of the article.")
@click.option(
    "--title", default=None, help="Title (default: first line, front matter or HTML title)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "geojson", "csv"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="Write here instead of standard output (written whole, at the end).",
)
@click.option(
    "--no-cache", is_flag=True, help="Do not record resolved places in the geocode cache."
)
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001),
    callback=_check_size,
    default=MAX_ARTICLE_BYTES / 1048576,
    show_default=True,
    metavar="MIB",
    help="Refuse article files larger than this (MiB).",
)
@click.option(
    "--cluster",
    metavar="local:N",
    default=None,
    help="Run on a Dask LocalCluster of N worker processes (needs geomap[dask]).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="Run on the Dask cluster of this scheduler (workers must see the files).",
)
def extract(files, date, source, url, title, fmt, output, no_cache, max_size, cluster, scheduler):
    """Extract located events from article FILES (plain text or HTML) and folders of them.

    The first line of a text file is its title; an optional front-matter block
    (--- / key: value / ---) can give date, source, url and title.  A file that
    cannot be read is reported on stderr and skipped; the exit code is 1 only
    when every input failed.
    """
    import geomap

    options = dict(date=date, source=source, url=url, title=title, use_cache=not no_cache,
                   max_bytes=int(max_size * 1048576))  # fmt: skip
    if cluster is not None or scheduler is not None:
        run = geomap.extract_cluster(files, cluster=cluster, scheduler=scheduler, **options)
        items = run.items
        if run.merge is not None:
            for line in run.merge.conflicts:
                click.echo(f"cache conflict: {line}", err=True)
            click.echo(run.merge.summary(), err=True)
    else:
        items = geomap.extract(files, **options)
    results, errors = [], []
    for item in items:
        if isinstance(item, InputError):
            errors.append(item)
            click.echo(f"skipped: {item}", err=True)
            continue
        results.append(item)
        for msg in item.errors:
            click.echo(f"warning: {msg}", err=True)
        a = item.article
        if a.date_basis == "file name":
            click.echo(
                f"note: {a.path}: date {a.date} taken from the file name (use --date to set it).",
                err=True,
            )
        elif a.date is None:
            click.echo(
                f"note: {a.path}: no date; its events have an unknown date (use --date).", err=True
            )

    geomap.write_results(results, output or sys.stdout, fmt=fmt, errors=errors)

    events = [e for r in results for e in r.events]
    n_ctx = sum(e.is_context for e in events)
    click.echo(
        f"extract: {len(results)} article(s), {len(events) - n_ctx} event(s), "
        f"{n_ctx} context figure(s), "
        f"{len(errors)} file(s) failed" + (f"; wrote {output}" if output else ""),
        err=True,
    )
    if not results:
        if not errors:
            raise InputError(
                f"no article files found in {', '.join(files)!r}. "
                "Fix: give .txt/.html files or folders holding them."
            )
        sys.exit(1)
