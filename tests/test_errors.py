"""geomap.errors: the hierarchy, short quotes and lists, capped lines, outside errors described."""

from __future__ import annotations

import errno

import pytest

from geomap.errors import (
    MAX_LINE,
    FileAccessError,
    GeocodeError,
    GeomapError,
    InputError,
    listing,
    one_line,
    quote,
    shorten,
)


def test_short_values_are_quoted_as_they_are():
    assert quote("Rastan") == "'Rastan'" and quote(12) == "12" and shorten("abc") == "abc"


def test_a_long_value_is_cut_with_its_length():
    name = "x" * 100_000
    assert quote(name) == f"{'x' * 80!r}… (100,000 characters)"
    assert shorten(name, 10) == "xxxxxxxxxx… (100,000 characters)"


def test_a_long_list_shows_its_first_items_and_a_count():
    header = [f"col{i}" for i in range(1_000_000)]
    assert listing(header, 3) == "'col0', 'col1', 'col2' and 999,997 more"
    assert listing(["a", "b"]) == "'a', 'b'"


def test_one_line_keeps_the_fix():
    message = "Bad header: " + ", ".join(f"c{i}" for i in range(100_000)) + ". Fix: use a name."
    line = one_line(message)
    assert len(line) <= MAX_LINE + 40 and line.endswith(" Fix: use a name.")
    assert "\n" not in one_line("two\nlines. Fix: x") and GeomapError("a\nb").line() == "a b"


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only or not yours"),
     (errno.EACCES, "read-only or not yours"), (errno.ENOENT, "no such file or folder"),
     (errno.EIO, "Cannot use 'out.html'")],
)  # fmt: skip
def test_os_errors_are_described(code, says):
    error = GeomapError.from_exception(OSError(code, "simulated", "out.html"), fix="x")
    assert isinstance(error, FileAccessError) and isinstance(error, OSError)
    assert says in str(error) and "Fix:" in str(error)


def test_geomap_errors_come_back_as_they_are():
    error = InputError("bad. Fix: good.")
    assert GeomapError.from_exception(error, fix="x") is error


def test_an_online_failure_is_a_geocode_error():
    from geopy.exc import GeocoderRateLimited  # also an OSError: not taken for a disk problem

    error = GeomapError.from_exception(GeocoderRateLimited("429 Too Many Requests"), fix="x")
    assert isinstance(error, GeocodeError) and "online geocoding service failed" in str(error)


def test_anything_else_is_unexpected_with_the_given_fix():
    error = GeomapError.from_exception(KeyError("k"), fix="report it.")
    assert str(error) == "Unexpected error (KeyError: 'k'). Fix: report it."
