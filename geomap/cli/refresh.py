"""``geomap refresh``: carry refreshed geocodes (pins, imports, a rebuilt gazetteer) to events."""

from __future__ import annotations

import json

import click

from geomap import USER_AGENT_ENV
from geomap.cli.options import format_option, store_option


@click.command("refresh")
@click.argument("more_names", nargs=-1, metavar="[NAME]...")
@click.option("--offline", is_flag=True,
              help="Use only pins, the geocode cache and the offline gazetteer "
                   "(no network at all).")
@click.option("--dry-run", is_flag=True, help="Print the diff and change nothing.")
@click.option("--names", "names", multiple=True, metavar="NAME",
              help="Only these place names (repeat, or separate with commas; more may follow).")
@click.option("--online", metavar="SERVICE", default=None,
              help="Without --offline: a geopy service to ask for names the gazetteer "
                   "cannot place.")
@click.option("--user-agent", default=None,
              help=f"User agent for --online (default: ${USER_AGENT_ENV}).")
@format_option("table", "json", help="Output format of the diff.")
@store_option
def refresh(more_names, offline, dry_run, names, online, user_agent, fmt, store):
    """Re-resolve the geocodes the stored events use and move the events that depend on them.

    Pins always win; events that came with their own coordinates (ACLED, UCDP
    rows) never move.  Prints each move: event id, name, old -> new
    coordinates, km moved and the precision change.  To take in a colleague's
    geocodes: `geomap cache import FILE` then `geomap refresh --offline`.
    """
    import geomap

    wanted = [*names, *more_names] or None
    report = geomap.refresh(store=store, offline=offline, dry_run=dry_run, names=wanted,
                            online=online, user_agent=user_agent)  # fmt: skip
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(report.lines()))
