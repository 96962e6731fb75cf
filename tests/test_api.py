"""The public API: every name resolves, and every function's docstring example runs."""

from __future__ import annotations

import doctest
import inspect
import subprocess
import sys
import tempfile

import pytest

import geomap
import geomap.api

FUNCTIONS = sorted(
    name for name in geomap.__all__ if inspect.isfunction(getattr(geomap, name))
)


def test_every_public_name_resolves():
    for name in geomap.__all__:
        assert getattr(geomap, name) is not None, name
    assert set(FUNCTIONS) == set(geomap.api.__all__) - {"Article"}
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        geomap.nope  # noqa: B018


def test_importing_geomap_is_light():
    code = "import sys, geomap; print(sorted(m for m in sys.modules if m.startswith('geomap')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['geomap', 'geomap.errors']"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_has_a_numpydoc_example(name):
    doc = inspect.getdoc(getattr(geomap, name)) or ""
    assert "Examples\n--------" in doc and ">>> " in doc, f"geomap.{name} has no example"


@pytest.mark.gazetteer
@pytest.mark.parametrize("name", FUNCTIONS)
def test_docstring_example_runs(name, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the examples' temporary folders
    (test,) = doctest.DocTestFinder().find(getattr(geomap, name), f"geomap.{name}", globs={})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    report = capsys.readouterr().out
    assert runner.failures == 0 and runner.tries > 0, report
