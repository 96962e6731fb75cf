"""The ``geomap`` command line.

One module per subcommand, each importing its library module lazily so that
``geomap geocode`` never pulls in geopandas or folium.  Errors from the
:class:`~geomap.errors.GeomapError` hierarchy become one line on stderr and
exit code 1; usage errors exit 2 (click's convention).
"""

from __future__ import annotations

import importlib
import sys

import click

from geomap import GeomapError

#: subcommand name -> "module:attribute" of its click command.
COMMANDS: dict[str, str] = {
    "cache": "geomap.cli.cache:cache",
    "gazetteer": "geomap.cli.gazetteer:gazetteer",
    "geocode": "geomap.cli.geocode:geocode",
    "extract": "geomap.cli.extract:extract",
    "eval": "geomap.cli.eval:eval_cmd",
    "export": "geomap.cli.export:export",
    "ingest": "geomap.cli.ingest:ingest",
    "near": "geomap.cli.near:near",
    "map": "geomap.cli.map:map_",
    "refresh": "geomap.cli.refresh:refresh",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup)
@click.version_option(package_name="geomap")
def cli() -> None:
    """Turn conflict reporting into located events, maps and answers, offline."""


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except GeomapError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
