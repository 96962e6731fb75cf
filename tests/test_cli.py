"""Every ``geomap`` command: documented, and usage errors exit 2 naming the option."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from geomap.cli import COMMANDS, cli

# some commands geocode their arguments: point them at the shared built gazetteer
pytestmark = pytest.mark.gazetteer


def walk(command: click.Command, path: tuple[str, ...]):
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), (*path, name))


def all_commands():
    ctx = click.Context(cli)
    out = []
    for name in sorted(COMMANDS):
        out.extend(walk(cli.get_command(ctx, name), (name,)))
    return out


COMMAND_PATHS = [path for path, _ in all_commands()]


def test_foundation_commands_are_registered():
    assert {"geocode", "cache", "gazetteer"} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_help(path):
    command = dict(all_commands())[path]
    assert (command.help or "").strip(), f"`geomap {' '.join(path)}` has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts} has no help"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_unknown_option_exits_2_and_names_it(path):
    result = CliRunner().invoke(cli, [*path, "--no-such-option"])
    assert result.exit_code == 2
    assert "--no-such-option" in result.output


def test_unknown_command_exits_2():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2 and "no-such-command" in result.output


def test_top_level_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_console_entry_point_runs():
    out = subprocess.run(
        [sys.executable, "-m", "geomap", "--version"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and "version" in out.stdout
