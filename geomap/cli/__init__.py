"""The ``geomap`` command line.

One module per subcommand, each importing its library module lazily so that
``geomap geocode`` never pulls in geopandas or folium.  Every error ends as
one line on stderr, ``Error: ... Fix: ...``, and exit code 1: geomap's own
errors as they are, the outside world's (a full disk, a read-only folder, a
locked or corrupt database, a bad file, a failed online service) described
by :meth:`geomap.GeomapError.from_exception`; usage errors exit 2 (click's
convention).  ``--debug`` (or ``GEOMAP_DEBUG=1``) adds the traceback.  The
group itself handles them, so ``CliRunner().invoke(cli, args)`` sees what a
user sees.  Warnings geomap logs (a read-only cache, a retried online
lookup) are printed as one ``Note: ...`` line each.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import traceback
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

#: Set to 1 for the traceback of every error (as ``--debug`` does).
DEBUG_ENV = "GEOMAP_DEBUG"
#: The loggers whose warnings become notes (geopy's and urllib3's too: one line each).
NOTE_LOGGERS = ("geomap", "geopy", "urllib3")
#: What to do about an error geomap has no advice for.
UNEXPECTED_FIX = (
    f"run again with --debug (or {DEBUG_ENV}=1) to see the traceback, and report it."
)


def _debug_from_env() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta["geomap.debug"] = True


DEBUG_HELP = f"Show the full traceback of an error (or set {DEBUG_ENV}=1)."


def _debug_option() -> click.Option:
    return click.Option(["--debug"], is_flag=True, expose_value=False, is_eager=True,
                        callback=_set_debug, help=DEBUG_HELP)  # fmt: skip


def _with_debug(command: click.Command) -> click.Command:
    """``command`` (and each subcommand of a group) with a ``--debug`` option."""
    if not any(p.name == "debug" for p in command.params):
        command.params.append(_debug_option())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_debug(sub)
    return command


class _Notes(logging.Handler):
    """Log records as ``Note: ...`` lines on stderr (with the traceback in debug mode)."""

    def __init__(self, debug: bool) -> None:
        super().__init__(logging.DEBUG if debug else logging.WARNING)
        self.debug = debug

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"Note: {GeomapError(record.getMessage()).line()}", err=True)
        if self.debug and record.exc_info:
            click.echo("".join(traceback.format_exception(*record.exc_info)), err=True, nl=False)


class _NotesInstalled:
    """Routes the warnings of :data:`NOTE_LOGGERS` to one :class:`_Notes` while a command runs."""

    def __init__(self, debug: bool) -> None:
        self.handler = _Notes(debug)
        self.saved: list[tuple[logging.Logger, bool, int]] = []

    def __enter__(self) -> None:
        for name in NOTE_LOGGERS:
            logger = logging.getLogger(name)
            self.saved.append((logger, logger.propagate, logger.level))
            logger.addHandler(self.handler)
            logger.propagate = False
            logger.setLevel(self.handler.level)

    def __exit__(self, *exc: object) -> None:
        for logger, propagate, level in self.saved:
            logger.removeHandler(self.handler)
            logger.propagate = propagate
            logger.setLevel(level)


#: a quoted value in a usage error longer than a reader needs to recognise it
_LONG_QUOTED = re.compile(r"'([^'\n]{81,})'")


def _capped(error: click.UsageError) -> click.UsageError:
    """``error`` with every long value it quotes cut to 80 characters and its length
    (click echoes a 2,000-character ``--format`` value whole)."""
    message = error.format_message()
    capped = _LONG_QUOTED.sub(lambda m: f"'{m[1][:80]}'… ({len(m[1]):,} characters)", message)
    return error if capped == message else click.UsageError(capped, ctx=error.ctx)


class LazyGroup(click.Group):
    """Subcommands imported on first use; their errors end as one line and an exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _capped(exc) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return _with_debug(getattr(importlib.import_module(module_name), attr))

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.meta.get("geomap.debug")) or _debug_from_env()
        try:
            with _NotesInstalled(debug):
                return super().invoke(ctx)
        except click.UsageError as exc:
            raise _capped(exc) from None  # exit 2, click's convention
        except (click.ClickException, click.exceptions.Exit):
            raise  # deliberate exits are click's own
        except KeyboardInterrupt:
            # ends the line the terminal's ^C is on; 130 is the shell's code for Ctrl-C
            click.echo("\nInterrupted.", err=True)
            ctx.exit(130)
        except EOFError:
            click.echo(err=True)
            _abort(ctx)
        except click.exceptions.Abort:
            _abort(ctx)
        except Exception as exc:  # noqa: BLE001 - every error ends as one line
            _fail(exc, debug=debug or bool(ctx.meta.get("geomap.debug")))


def _fail(exc: Exception, *, debug: bool) -> None:
    """Print the traceback in debug mode; end with one ``Error: ... Fix: ...`` line."""
    if debug:
        click.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
    error = GeomapError.from_exception(exc, fix=UNEXPECTED_FIX)
    raise click.ClickException(error.line()) from exc  # "Error: ..." on stderr, exit 1


def _abort(ctx: click.Context) -> None:
    # click itself would say "Aborted!"; geomap's wording and exit code are kept.
    click.echo("Aborted.", err=True)
    ctx.exit(1)


@click.group(cls=LazyGroup, name="geomap")
@click.version_option(package_name="geomap")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
              help=DEBUG_HELP)
def cli() -> None:
    """Turn conflict reporting into located events, maps and answers, offline."""


def main() -> None:
    """The console script: ``geomap ARGS``."""
    cli.main()
