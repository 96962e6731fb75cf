"""``geomap store check``: the event store's health, and ``--repair`` for rows stored badly."""

from __future__ import annotations

import click

from geomap.cli.options import store_option


@click.group("store")
def store() -> None:
    """Look after the event store."""


@store.command("check")
@click.option(
    "--repair",
    is_flag=True,
    help="Upgrade an older store and move rows stored badly to the quarantine table "
    "(nothing is deleted); their events are recomputed.",
)
@store_option
def check(repair, store):
    """Check the event store: integrity, indexes, rows stored badly.

    Without --repair nothing is written (a store in a read-only folder can be
    checked).  Exits 1 when a problem remains.
    """
    import geomap

    result = geomap.check_store(repair=repair, store=store)
    click.echo(result.summary())
    if not result.ok:
        fix = "restore a backup of the file" if result.integrity != "ok" else (
            "run `geomap store check --repair`")  # fmt: skip
        raise geomap.StoreError(f"The event store {str(result.path)!r} has problems (above). "
                                f"Fix: {fix}.")  # fmt: skip
