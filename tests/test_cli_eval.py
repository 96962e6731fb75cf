"""``geomap eval``: table and JSON output, options, and errors."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def corpus(test_data):
    return test_data / "mini-lgl.xml"


@pytest.mark.gazetteer
def test_table_output(cli, corpus):
    code, out, err = cli("eval", str(corpus))
    assert code == 0, err
    header, _, row = out.splitlines()[:3]
    assert "F1" in header and "Acc161" in header and "AUC" in header
    assert row.startswith("mini-lgl ")


@pytest.mark.gazetteer
def test_json_output_with_options(cli, corpus):
    code, out, err = cli("eval", str(corpus), "--format", "json", "--limit", "1", "--demonyms")
    assert code == 0, err
    (score,) = json.loads(out)
    assert score["corpus"] == "mini-lgl" and score["articles"] == 1 and score["demonyms"] is True
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
def test_usage_errors_exit_2(cli, corpus, args, message):
    code, _, err = cli(*(a.format(corpus=corpus) for a in args))
    assert code == 2
    assert message in err


@pytest.mark.gazetteer
def test_a_file_that_is_not_a_corpus_is_a_one_line_error(cli, tmp_path):
    bad = tmp_path / "page.xml"
    bad.write_text("<html><body>hi</body></html>", encoding="utf-8")
    code, _, err = cli("eval", str(bad))
    assert code == 1
    assert err.startswith("Error: Not a gold corpus") and err.count("\n") == 1


@pytest.mark.eval
@pytest.mark.gazetteer
def test_on_the_shared_corpus_directory(cli, shared_eval):
    if not shared_eval.is_dir():
        pytest.skip(f"{shared_eval} is absent")
    code, out, err = cli("eval", str(shared_eval), "--limit", "3", "--format", "json")
    assert code == 0, err
    names = {s["corpus"] for s in json.loads(out)}
    assert {"lgl", "TR-News", "GeoVirus"} <= names


@pytest.mark.gazetteer
def test_events_table_and_details(cli, test_data, tmp_path):
    details = tmp_path / "details.jsonl"
    code, out, err = cli("eval", "--events", str(test_data / "coded-events.jsonl"),
                         "--details", str(details))  # fmt: skip
    assert code == 0, err
    assert "event found (recall)" in out and "actor1" in out
    lines = details.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["id"] == "gm-1"


@pytest.mark.gazetteer
def test_events_json(cli, test_data):
    code, out, err = cli("eval", "--events", str(test_data / "coded-events.jsonl"),
                         "--format", "json", "--limit", "2")  # fmt: skip
    assert code == 0, err
    (summary,) = json.loads(out)
    assert summary["rows"] == 2 and 0 <= summary["recall"] <= 1
    assert set(summary["within_25km"]) == {"hits", "scored", "share"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["eval", "--details", "x.jsonl", "{corpus}"], "--details"),
        (["eval", "--events", "/no/such/coded.jsonl"], "--events"),
    ],
)
def test_events_usage_errors_exit_2(cli, corpus, args, message):
    code, _, err = cli(*(a.format(corpus=corpus) for a in args))
    assert code == 2 and message in err


@pytest.mark.gazetteer
def test_events_file_with_no_readable_row_is_a_one_line_error(cli, tmp_path):
    bad = tmp_path / "coded.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    code, _, err = cli("eval", "--events", str(bad))
    assert code == 1
    assert err.startswith("Error: No readable row") and err.count("\n") == 1


@pytest.mark.eval
@pytest.mark.gazetteer
def test_events_on_the_shared_dev_set(cli, shared_eval):
    dev = shared_eval / "events-dev" / "acled-notes-dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"{dev} is absent")
    code, out, err = cli("eval", "--events", str(dev), "--limit", "30", "--format", "json")
    assert code == 0, err
    (summary,) = json.loads(out)
    assert summary["rows"] == 30 and summary["skipped"] == 0
