"""``geomap cache``: inspect, share, pin and refresh the persistent geocode cache."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from geomap import USER_AGENT_ENV
from geomap.cli.options import format_option, looks_numeric

if TYPE_CHECKING:
    from geomap import Workspace


def _workspace() -> Workspace:
    from geomap import Workspace

    return Workspace()


@click.group("cache")
def cache() -> None:
    """Inspect, share, pin and refresh the geocode cache."""


@cache.command("stats")
@format_option("table", "json")
def stats(fmt: str) -> None:
    """Show how many entries the cache holds, by outcome and provider."""
    with _workspace() as ws:
        info = ws.cache.stats()
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    mode = ", read-only" if info["read_only"] else ""
    click.echo(f"cache:     {info['path']} ({info['size_bytes']:,} bytes{mode})")
    click.echo(
        f"entries:   {info['entries']} ({info['found']} found, "
        f"{info['not_found']} not found, {info['pinned']} pinned)"
    )
    for provider, count in info["providers"].items():
        click.echo(f"  {provider}: {count}")
    if info["entries"]:
        click.echo(f"updated:   {info['oldest']} .. {info['newest']}")


@cache.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def export(file: str) -> None:
    """Write every cache entry to FILE (.csv or .json) to share it."""
    with _workspace() as ws:
        count = ws.cache.export(file)
    click.echo(f"Exported {count} entries to {file}")


@cache.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--accept-pins", is_flag=True,
              help="Also take the file's pins (manual answers that win everywhere).")
def import_(file: str, accept_pins: bool) -> None:
    """Merge a cache export FILE (.csv or .json); local pins always win.

    The whole file is checked first, as ingest checks a table (each key matches
    its name and hints, each point lies in its key's country, no time in the
    future): a bad row imports nothing.  Pins in the file are listed and left
    out unless --accept-pins is given.
    """
    with _workspace() as ws:
        report = ws.cache.import_(file, accept_pins=accept_pins)
    left_out = f", {len(report.pins)} pins left out" if report.pins else ""
    click.echo(
        f"Imported {file}: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts{left_out}"
    )
    for conflict in report.conflicts:
        click.echo(f"  conflict: {conflict}")
    for pin in report.pins:
        click.echo(f"  pin left out: {pin}")
    if report.pins:
        click.echo("  (check them, then import again with --accept-pins to take them)")


class _SignedNumbers(click.Command):
    """Takes "-12.05" as an argument, yet still refuses an unknown option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = set(ctx.help_option_names)
        for param in self.params:
            known.update(getattr(param, "opts", ()), getattr(param, "secondary_opts", ()))
        for arg in args:
            if arg == "--":
                break
            if arg.startswith("-") and not looks_numeric(arg) and arg.split("=")[0] not in known:
                raise click.NoSuchOption(arg, ctx=ctx)
        return super().parse_args(ctx, args)


@cache.command("pin", cls=_SignedNumbers, context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("lat")
@click.argument("lon")
@click.option(
    "--country",
    metavar="CC",
    default=None,
    help="Pin only for this country (ISO alpha-2); otherwise for every query of NAME.",
)
@click.option("--force", is_flag=True,
              help="Pin a point outside --country anyway (it is refused otherwise).")
def pin(name: str, lat: str, lon: str, country: str | None, force: bool) -> None:
    """Pin NAME to LAT LON: a manual answer that wins over everything else.

    Negative coordinates may be written as they are: geomap cache pin Lima -12.05 -77.04

    The point is checked as ingest checks a row: it must be in range and, with
    --country, inside that country (a point whose swap is inside is reported
    as swapped); --force pins a point outside the country anyway.
    """
    with _workspace() as ws:
        entry = ws.cache.pin(name, lat, lon, country=country, force=force)
    scope = f" in {entry.country}" if entry.country else ""
    click.echo(f"Pinned {name!r}{scope} at ({entry.latitude}, {entry.longitude})")


@cache.command("unpin")
@click.argument("name")
@click.option("--country", metavar="CC", default=None, help="The country the pin was made for.")
def unpin(name: str, country: str | None) -> None:
    """Remove the pin for NAME."""
    with _workspace() as ws:
        removed = ws.cache.unpin(name, country=country)
    if not removed:
        from geomap import InputError

        raise InputError(f"There is no pin for {name!r}. Fix: see `geomap cache export` for pins.")
    click.echo(f"Removed the pin for {name!r}")


@cache.command("refresh")
@click.option(
    "--offline/--allow-online",
    "offline",
    default=True,
    show_default=True,
    help="Use only pins and the offline gazetteer (no network at all).",
)
@click.option(
    "--online",
    metavar="SERVICE",
    default=None,
    help="With --allow-online: the geopy service to ask for unresolved names.",
)
@click.option(
    "--user-agent", default=None, help=f"User agent for --online (default: ${USER_AGENT_ENV})."
)
@click.option("--cluster", metavar="local:N", default=None,
              help="Ask the gazetteer on a Dask LocalCluster of N processes (geomap[dask]).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Ask the gazetteer on the Dask cluster of this scheduler.")
def refresh(
    offline: bool, online: str | None, user_agent: str | None, cluster: str | None,
    scheduler: str | None,
) -> None:  # fmt: skip
    """Re-resolve every unpinned entry from the current gazetteer; print what changed.

    Answers from the gazetteer are re-derived; answers from an online service or
    an import are kept (with --allow-online and --online, that service answers
    again).  Pins are never changed.
    """
    import geomap

    if cluster is not None or scheduler is not None:
        report = geomap.refresh_cache_cluster(
            cluster=cluster, scheduler=scheduler, offline=offline,
            online=None if offline else online, user_agent=user_agent,
        )  # fmt: skip
    else:
        report = geomap.refresh_cache(
            offline=offline, online=None if offline else online, user_agent=user_agent
        )
    for change in report.changes:
        click.echo(f"changed {change.describe()}")
    for skipped in report.skipped:
        click.echo(f"skipped {skipped}")
    mode = "offline" if offline else "online allowed"
    click.echo(f"Refreshed {report.entries} entries ({mode}): {len(report.changes)} changed")


@cache.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--into", metavar="CACHE", type=click.Path(dir_okay=False), default=None,
              help="The cache to merge into (default: the geocode cache, $GEOMAP_CACHE).")
def merge(shards: tuple[str, ...], into: str | None) -> None:
    """Union cache SHARDS (files with the cache's schema, as cluster workers write) into one.

    A key answered differently by two files is a conflict: printed one line
    each, and the answer already there is kept.  A pin is never overwritten,
    and pins in the shards are listed and left out.
    """
    import geomap

    report = geomap.merge_caches(list(shards), into=into)
    for line in report.conflicts:
        click.echo(f"  conflict: {line}")
    for line in report.pins_left_out:
        click.echo(f"  pin left out: {line}")
    click.echo(report.summary())
