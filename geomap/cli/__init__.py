"""The ``geomap`` command line.

One module per subcommand, each importing its library module lazily so that
``geomap geocode`` never pulls in geopandas or folium.  Errors from the
:class:`~geomap.errors.GeomapError` hierarchy become one line on stderr and
exit code 1; usage errors exit 2 (click's convention).  The group itself
handles them, so ``CliRunner().invoke(cli, args)`` sees what a user sees.
"""

from __future__ import annotations

import importlib
from typing import Any

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
    "store": "geomap.cli.store:store",
}


class LazyGroup(click.Group):
    """Subcommands imported on first use; their errors end as one line and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GeomapError as exc:
            raise click.ClickException(str(exc)) from exc  # "Error: ..." on stderr, exit 1
        except KeyboardInterrupt:
            # ends the line the terminal's ^C is on; 130 is the shell's code for Ctrl-C
            click.echo("\nInterrupted.", err=True)
            ctx.exit(130)
        except EOFError:
            click.echo(err=True)
            _abort(ctx)
        except click.exceptions.Abort:
            _abort(ctx)


def _abort(ctx: click.Context) -> None:
    # click itself would say "Aborted!"; geomap's wording and exit code are kept.
    click.echo("Aborted.", err=True)
    ctx.exit(1)


@click.group(cls=LazyGroup, name="geomap")
@click.version_option(package_name="geomap")
def cli() -> None:
    """Turn conflict reporting into located events, maps and answers, offline."""


def main() -> None:
    """The console script: ``geomap ARGS``."""
    cli.main()
