"""``geomap eval CORPUS``: score the geoparser against gold-annotated corpora."""

from __future__ import annotations

import json

import click

from geomap.cli.options import format_option


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@format_option("table", "json")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score only the first N articles of each corpus.")
@click.option("--demonyms/--no-demonyms", default=False, show_default=True,
              help="Count demonyms ('Syrian') as mentions of their country, as TR-News and LGL do.")
def eval_cmd(corpus: str, fmt: str, limit: int | None, demonyms: bool) -> None:
    """Score recognition (P/R/F1, exact and lenient) and resolution (Acc@161, median
    and mean error km, AUC) on LGL, TR-News or GeoVirus XML: a file or a directory."""
    import geomap

    scores = geomap.evaluate(corpus, demonyms=demonyms, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(scores.summaries(), indent=2))
    else:
        click.echo(scores.table())
