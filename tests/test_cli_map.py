"""``geomap map``: options, store input, table input, the demo seed map."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from render_events import needs_assets
from render_events import page_data as html_data

from geomap.cli import cli
from geomap.model import Event


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def page_data(path) -> dict:
    return html_data(path.read_text(encoding="utf-8"))


@pytest.fixture
def store_file(tmp_path):
    from geomap.store.db import EventStore

    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as st:
        st.upsert_events([
            Event(event_id="s1", event_date="2016-01-02", event_type="Battles", actor1="Group A",
                  country="Syria", location="Aleppo", latitude=36.2, longitude=37.16,
                  geo_precision=1, deaths_best=5, origin="csv", coords_from_source=True),
            Event(event_id="s2", event_date="2016-02-03", event_type="Protests", actor1="Group B",
                  country="Syria", location="Idlib", latitude=35.93, longitude=36.63,
                  geo_precision=2, origin="csv", coords_from_source=True),
        ])
    return path


def test_help_documents_the_command():
    result = run("map", "--help")
    assert result.exit_code == 0
    for option in ("--self-contained", "--title", "--since", "--min-fatalities", "--store", "-o"):
        assert option in result.output


@pytest.mark.parametrize(("args", "names"), [
    (["--min-fatalities", "-1"], "--min-fatalities"),
    (["--bogus"], "--bogus"),
    (["no/such/input.csv"], "no/such/input.csv"),
])
def test_usage_errors_exit_2_and_name_the_option(args, names):
    result = CliRunner().invoke(cli, ["map", *args])
    assert result.exit_code == 2
    assert names in result.output


def test_output_directory_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["map", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "directory" in result.output


@needs_assets
def test_maps_the_store_self_contained(store_file, tmp_path):
    out = tmp_path / "m.html"
    result = run("map", "--store", str(store_file), "-o", str(out), "--self-contained",
                 "--title", "Two events")
    assert result.exit_code == 0, result.output
    assert "Mapped 2 events from the store (self-contained" in result.output
    assert f"Wrote {out}" in result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>Two events</title>" in html and "<script src=" not in html
    assert page_data(out)["n"] == 2


def test_filters_apply(store_file, tmp_path):
    out = tmp_path / "m.html"
    result = run("map", "--store", str(store_file), "-o", str(out), "--type", "Battles")
    assert result.exit_code == 0, result.output
    data = page_data(out)
    assert data["n"] == 1 and [t["name"] for t in data["types"]] == ["Battles"]


@needs_assets
def test_table_inputs_are_ingested_on_the_way(tmp_path):
    table = tmp_path / "events.csv"
    table.write_text(
        "event_id_cnty,event_date,event_type,actor1,country,location,latitude,longitude,"
        "geo_precision,fatalities\n"
        "SYR1,2016-03-01,Battles,Group A,Syria,Aleppo,36.2,37.16,1,4\n"
        "SYR2,2016-03-02,Protests,Group B,Syria,Idlib,35.93,36.63,1,0\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.html"
    store = tmp_path / "s.sqlite"
    result = run("map", str(table), "--store", str(store), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Mapped 2 events from the store" in result.output
    assert page_data(out)["n"] == 2


@needs_assets
@pytest.mark.gazetteer
def test_no_input_and_empty_store_maps_the_demo_seed(tmp_path):
    out = tmp_path / "seed.html"
    result = run("map", "-o", str(out), "--self-contained")
    assert result.exit_code == 0, result.output
    assert "from the demo seed article" in result.output
    data = page_data(out)
    places = [data["strings"][i] for i in (data["loc"] if isinstance(data["loc"], list)
                                           else [data["loc"]["k"]])]
    assert any("rastan" in p.lower() for p in places)
    best = data["d"] if isinstance(data["d"], list) else [data["d"]["k"]]
    assert 33 in best
    assert out.stat().st_size <= 2_000_000
