"""``geomap eval``: table and JSON output, options, and errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from tests.conftest import SHARED_EVAL
from tests.test_evaluate import LGL_STYLE


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "mini.xml"
    path.write_text(LGL_STYLE, encoding="utf-8")
    return path


@pytest.mark.gazetteer
def test_table_output(corpus):
    result = CliRunner().invoke(cli, ["eval", str(corpus)])
    assert result.exit_code == 0, result.output
    header, _, row = result.output.splitlines()[:3]
    assert "F1" in header and "Acc161" in header and "AUC" in header
    assert row.startswith("mini")


@pytest.mark.gazetteer
def test_json_output_with_options(corpus):
    result = CliRunner().invoke(cli, ["eval", str(corpus), "--format", "json", "--limit", "1",
                                      "--demonyms"])
    assert result.exit_code == 0, result.output
    (score,) = json.loads(result.output)
    assert score["corpus"] == "mini" and score["articles"] == 1 and score["demonyms"] is True
    for key in ("precision", "recall", "f1", "lenient_f1", "acc161", "median_km", "mean_km", "auc"):
        assert 0 <= score[key] <= (20039 if key.endswith("km") else 1)
    assert score["gold"] == 4


@pytest.mark.parametrize(
    "args, message",
    [
        (["eval"], "Missing argument"),
        (["eval", "/no/such/corpus.xml"], "does not exist"),
        (["eval", "{corpus}", "--format", "csv"], "--format"),
        (["eval", "{corpus}", "--limit", "0"], "--limit"),
    ],
)
def test_usage_errors_exit_2(corpus, args, message):
    args = [a.format(corpus=corpus) for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.gazetteer
def test_a_file_that_is_not_a_corpus_is_a_one_line_error(tmp_path):
    bad = tmp_path / "page.xml"
    bad.write_text("<html><body>hi</body></html>", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "geomap", "eval", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: Not a gold corpus") and proc.stderr.count("\n") == 1


@pytest.mark.eval
@pytest.mark.gazetteer
def test_on_the_shared_corpus_directory():
    if not SHARED_EVAL.is_dir():
        pytest.skip(f"{SHARED_EVAL} is absent")
    result = CliRunner().invoke(cli, ["eval", str(SHARED_EVAL), "--limit", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    names = {s["corpus"] for s in json.loads(result.output)}
    assert {"lgl", "TR-News", "GeoVirus"} <= names
