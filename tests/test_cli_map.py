"""``geomap map``: options, store input, table input, the demo seed map."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def map_data(page_data):
    """The data block of a map page written to ``path``."""
    return lambda path: page_data(path.read_text(encoding="utf-8"))


@pytest.fixture
def store_file(tmp_path, make_event):
    from geomap.store import EventStore

    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as st:
        st.upsert_events([
            make_event("Aleppo", event_id="s1", event_date="2016-01-02", event_type="Battles",
                       actor1="Group A", deaths_best=5, origin="csv", coords_from_source=True),
            make_event("Idlib", event_id="s2", event_date="2016-02-03", event_type="Protests",
                       actor1="Group B", geo_precision=2, origin="csv", coords_from_source=True),
        ])  # fmt: skip
    return path


def test_help_documents_the_command(cli):
    code, out, _ = cli("map", "--help")
    assert code == 0
    for option in ("--self-contained", "--title", "--since", "--min-fatalities", "--store", "-o"):
        assert option in out


@pytest.mark.parametrize(("args", "names"), [
    (["--min-fatalities", "-1"], "--min-fatalities"),
    (["--bogus"], "--bogus"),
    (["no/such/input.csv"], "no/such/input.csv"),
])
def test_usage_errors_exit_2_and_name_the_option(cli, args, names):
    code, _, err = cli("map", *args)
    assert code == 2
    assert names in err


def test_output_directory_is_a_usage_error(cli, tmp_path):
    code, _, err = cli("map", "-o", str(tmp_path))
    assert code == 2 and "directory" in err


@pytest.mark.assets
def test_maps_the_store_self_contained(cli, store_file, tmp_path, map_data):
    page = tmp_path / "m.html"
    code, out, err = cli("map", "--store", str(store_file), "-o", str(page), "--self-contained",
                         "--title", "Two events")
    assert code == 0, err
    assert "Mapped 2 events from the store (self-contained" in out
    assert f"Wrote {page}" in out
    html = page.read_text(encoding="utf-8")
    assert "<title>Two events</title>" in html and "<script src=" not in html
    assert map_data(page)["n"] == 2


def test_filters_apply(cli, store_file, tmp_path, map_data):
    page = tmp_path / "m.html"
    code, _, err = cli("map", "--store", str(store_file), "-o", str(page), "--type", "Battles")
    assert code == 0, err
    data = map_data(page)
    assert data["n"] == 1 and [t["name"] for t in data["types"]] == ["Battles"]


@pytest.mark.assets
def test_table_inputs_are_ingested_on_the_way(cli, tmp_path, map_data):
    table = tmp_path / "events.csv"
    table.write_text(
        "event_id_cnty,event_date,event_type,actor1,country,location,latitude,longitude,"
        "geo_precision,fatalities\n"
        "SYR1,2016-03-01,Battles,Group A,Syria,Aleppo,36.2,37.16,1,4\n"
        "SYR2,2016-03-02,Protests,Group B,Syria,Idlib,35.93,36.63,1,0\n",
        encoding="utf-8",
    )
    page = tmp_path / "m.html"
    store = tmp_path / "s.sqlite"
    code, out, err = cli("map", str(table), "--store", str(store), "-o", str(page))
    assert code == 0, err
    assert "Mapped 2 events from the store" in out
    assert map_data(page)["n"] == 2


@pytest.mark.assets
@pytest.mark.gazetteer
def test_no_input_and_empty_store_maps_the_demo_seed(cli, tmp_path, map_data):
    page = tmp_path / "seed.html"
    code, out, err = cli("map", "-o", str(page), "--self-contained")
    assert code == 0, err
    assert "from the demo seed article" in out
    data = map_data(page)
    places = [data["strings"][i] for i in (data["loc"] if isinstance(data["loc"], list)
                                           else [data["loc"]["k"]])]
    assert any("rastan" in p.lower() for p in places)
    best = data["d"] if isinstance(data["d"], list) else [data["d"]["k"]]
    assert 33 in best
    assert page.stat().st_size <= 2_000_000
