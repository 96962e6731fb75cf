"""``geomap eval``: score the geoparser on gold corpora and event extraction on coded events."""

from __future__ import annotations

import json

import click

from geomap.cli.options import format_option


@click.command("eval")
@click.argument(
    "corpus", required=False, type=click.Path(exists=True, dir_okay=True, file_okay=True)
)
@click.option(
    "--events",
    "events",
    default=None,
    metavar="FILE.jsonl",
    type=click.Path(exists=True, dir_okay=False),
    help="Score event extraction on coded events: JSON Lines, one document a line "
    "(text, doc_date and the gold event_type, sub_event_type, event_date, "
    "date_in_text, fatalities, latitude, longitude, actor1).",
)
@click.option(
    "--details",
    default=None,
    metavar="FILE.jsonl",
    type=click.Path(dir_okay=False, writable=True),
    help="With --events: write one JSON line per row (gold, prediction, verdicts).",
)
@format_option("table", "json")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Score only the first N articles of each corpus (or N rows of --events).",
)
@click.option(
    "--demonyms/--no-demonyms",
    default=False,
    show_default=True,
    help="Count demonyms ('Syrian') as mentions of their country, as TR-News and LGL do.",
)
def eval_cmd(
    corpus: str | None, events: str | None, details: str | None, fmt: str, limit: int | None,
    demonyms: bool,
) -> None:  # fmt: skip
    """Score recognition (P/R/F1, exact and lenient) and resolution (Acc@161, median
    and mean error km, AUC) on LGL, TR-News or GeoVirus XML (a file or a directory),
    and, with --events, event extraction on coded events (found, extra events, type,
    sub-type, date, fatalities, location within 25/100 km, actor1)."""
    import geomap

    if corpus is None and events is None:
        raise click.UsageError("Missing argument 'CORPUS' (or the option '--events FILE.jsonl').")
    if details is not None and events is None:
        raise click.BadParameter("needs --events FILE.jsonl.", param_hint="'--details'")
    out: list[object] = []
    if corpus is not None:
        scores = geomap.evaluate(corpus, demonyms=demonyms, limit=limit)
        if fmt == "json":
            out.extend(scores.summaries())
        else:
            click.echo(scores.table())
    if events is not None:
        scored = geomap.evaluate_events(events, limit=limit)
        if details is not None:
            scored.write_details(details)
        if fmt == "json":
            out.append(scored.summary())
        else:
            click.echo(("\n" if corpus is not None else "") + f"events: {events}")
            click.echo(scored.table())
        for line in scored.skipped:
            click.echo(f"skipped: {events}: {line}", err=True)
    if fmt == "json":
        click.echo(json.dumps(out, indent=2))
