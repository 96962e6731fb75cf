"""Every ``geomap`` command: documented, and usage errors exit 2 naming the option."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

import geomap
from geomap.cli import COMMANDS
from geomap.cli import cli as group
from geomap.errors import ConfigurationError

# some commands geocode their arguments: point them at the shared built gazetteer
pytestmark = pytest.mark.gazetteer


def walk(command: click.Command, path: tuple[str, ...]):
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), (*path, name))


def all_commands():
    ctx = click.Context(group)
    out = []
    for name in sorted(COMMANDS):
        out.extend(walk(group.get_command(ctx, name), (name,)))
    return out


COMMAND_PATHS = [path for path, _ in all_commands()]


def test_foundation_commands_are_registered():
    assert {"geocode", "cache", "gazetteer"} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_help(cli, path):
    command = dict(all_commands())[path]
    assert (command.help or "").strip(), f"`geomap {' '.join(path)}` has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts} has no help"
    code, out, err = cli(*path, "--help")
    assert code == 0, err
    assert out.startswith(f"Usage: geomap {' '.join(path)} ")


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_unknown_option_exits_2_and_names_it(cli, path):
    code, _, err = cli(*path, "--no-such-option")
    assert code == 2
    assert "--no-such-option" in err


def test_unknown_command_exits_2(cli):
    code, _, err = cli("no-such-command")
    assert code == 2 and "no-such-command" in err


def test_top_level_help_lists_commands(cli):
    code, out, _ = cli("--help")
    assert code == 0
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize(
    ("raised", "code", "err"),
    [
        (ConfigurationError("bad 'x'. Fix: use 'y'."), 1, "Error: bad 'x'. Fix: use 'y'.\n"),
        (KeyboardInterrupt(), 130, "\nInterrupted.\n"),  # Ctrl-C: the shell's code for SIGINT
        (EOFError(), 1, "\nAborted.\n"),
        (click.exceptions.Abort(), 1, "Aborted.\n"),
    ],
    ids=["GeomapError", "KeyboardInterrupt", "EOFError", "Abort"],
)
def test_errors_in_a_command_end_as_one_line(cli, monkeypatch, raised, code, err):
    def fail(*args, **kwargs):
        raise raised

    monkeypatch.setattr(geomap, "geocode_many", fail)
    assert cli("geocode", "Rastan") == (code, "", err)


def test_console_entry_point_runs():
    """The installed ``geomap`` script (``python -m geomap`` where it is not installed)."""
    script = Path(sys.executable).with_name("geomap")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "geomap"]
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "version" in version.stdout
    error = subprocess.run([*command, "cache", "unpin", "Nowhere"], capture_output=True,
                           text=True, timeout=60)  # fmt: skip
    assert (error.returncode, error.stdout) == (1, "")
    assert error.stderr.startswith("Error: There is no pin for 'Nowhere'. Fix: ")
    assert error.stderr.count("\n") == 1


# -- one error path: the outside world's exceptions end as one line too ----------------


def _geopy_error():
    from geopy.exc import GeocoderUnavailable

    return GeocoderUnavailable("HTTPSConnectionPool(host='nominatim.openstreetmap.org'): down")


def _requests_error():
    import requests

    return requests.exceptions.ConnectionError("Max retries exceeded with url: /search")


@pytest.mark.parametrize(
    ("raised", "says"),
    [
        (lambda: OSError(28, "No space left on device", "out/map.html"),
         "Cannot write 'out/map.html': the disk is full"),
        (lambda: OSError(30, "Read-only file system", "/data/x"), "read-only or not yours"),
        (lambda: __import__("sqlite3").OperationalError("database or disk is full"),
         "The database cannot be written: the disk is full (database or disk is full)"),
        (lambda: __import__("sqlite3").OperationalError("database is locked"),
         "The database is locked by another process"),
        (lambda: __import__("csv").Error("field larger than field limit (131072)"),
         "A CSV file cannot be read (field larger than field limit (131072))"),
        (lambda: __import__("json").JSONDecodeError("Expecting value", "x", 0),
         "not valid JSON"),
        (lambda: RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (lambda: OverflowError("int too large to convert to float"), "A number is too large"),
        (lambda: ValueError("Exceeds the limit (4300 digits) for integer string conversion"),
         "A number has too many digits to read"),
        (lambda: UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
         "not UTF-8 text"),
        (_geopy_error, "The online geocoding service failed (GeocoderUnavailable"),
        (_requests_error, "The online geocoding service failed (ConnectionError"),
        (lambda: ValueError("x" * 100_000), "Unexpected error (ValueError: xxx"),
    ],
    ids=["disk-full", "read-only", "sqlite-full", "sqlite-locked", "csv", "json", "depth",
         "overflow", "digits", "utf8", "geopy", "requests", "unexpected"],
)  # fmt: skip
def test_outside_errors_end_as_one_capped_line(cli, monkeypatch, raised, says):
    import geomap.sqlite  # noqa: F401 - as every command that opens a database has

    def fail(*args, **kwargs):
        raise raised()

    monkeypatch.setattr(geomap, "geocode_many", fail)
    code, out, err = cli("geocode", "Rastan")
    assert (code, out) == (1, "")
    assert err.startswith("Error: ") and says in err and " Fix: " in err
    assert err.count("\n") == 1 and len(err) <= 1010 and "Traceback" not in err


@pytest.mark.parametrize("how", ["group option", "command option", "environment"])
def test_debug_adds_the_traceback(cli, monkeypatch, how):
    def fail(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(geomap, "geocode_many", fail)
    args = {"group option": ["--debug", "geocode", "Rastan"],
            "command option": ["geocode", "Rastan", "--debug"],
            "environment": ["geocode", "Rastan"]}[how]  # fmt: skip
    if how == "environment":
        monkeypatch.setenv("GEOMAP_DEBUG", "1")
    code, _, err = cli(*args)
    assert code == 1 and err.startswith("Traceback (most recent call last):")
    assert "ValueError: boom" in err
    assert err.splitlines()[-1].startswith("Error: Unexpected error (ValueError: boom). Fix: run")


def test_geomaps_warnings_are_notes(cli, monkeypatch):
    import logging

    def warn(*args, **kwargs):
        logging.getLogger("geomap.geocoding.cache").warning("New answers are not stored:\n x")
        logging.getLogger("geopy").warning("a geopy warning", exc_info=ValueError("hidden"))
        return []

    monkeypatch.setattr(geomap, "geocode_many", warn)
    code, _, err = cli("geocode", "Rastan")
    assert code == 0
    assert err == "Note: New answers are not stored: x\nNote: a geopy warning\n"


def test_a_huge_message_is_capped_and_keeps_its_fix(cli, monkeypatch):
    """The report: a 1,000,000-column header was listed in full (an error line of 100 KB)."""
    from geomap.errors import InputError

    header = ",".join(f"col{i}" for i in range(1_000_000))

    def fail(*args, **kwargs):
        raise InputError(
            f"no place-name column in {header}. Fix: name the column with --location-column."
        )

    monkeypatch.setattr(geomap, "geocode_many", fail)
    code, _, err = cli("geocode", "Rastan")
    assert code == 1 and err.count("\n") == 1 and len(err) < 1100
    assert "characters)" in err and err.endswith(" Fix: name the column with --location-column.\n")
