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
    for option in ("--self-contained", "--cdn", "--title", "--since", "--min-fatalities",
                   "--store", "-o", "--no-labels"):
        assert option in out
    text = " ".join(out.split())
    assert "--self-contained (the default)" in text and "needs a network connection" in text


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


@pytest.mark.assets
def test_maps_are_self_contained_by_default_and_cdn_when_asked(cli, store_file, tmp_path):
    offline, online = tmp_path / "a.html", tmp_path / "b.html"
    code, out, err = cli("map", "--store", str(store_file), "-o", str(offline), "--no-labels")
    assert code == 0, err
    assert "(self-contained, no network)" in out and "<script src=" not in offline.read_text()
    code, out, err = cli("map", "--store", str(store_file), "-o", str(online), "--cdn",
                         "--no-labels")
    assert code == 0, err
    html = online.read_text()
    assert "(CDN assets + OSM tiles)" in out and "<script src=" in html
    assert "This map needs a network connection" in html


def test_inputs_that_cannot_be_read_are_reported_as_ingest_does(cli, tmp_path, write_file):
    """`map binary.csv empty.csv`: the errors of ingest, exit 1, and no map."""
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02binary\xff\xfe")
    empty = write_file("empty.csv", "")
    page = tmp_path / "m.html"
    code, out, err = cli("map", str(binary), str(empty), "-o", str(page))
    assert code == 1 and not page.exists()
    assert "rows read: 0" in out
    ingest = cli("ingest", str(binary), str(empty))
    assert (code, out, err) == tuple(ingest)
    assert str(binary) in err and str(empty) in err and "Traceback" not in err


@pytest.mark.assets
def test_a_bad_input_beside_good_ones_is_reported_and_the_rest_mapped(cli, tmp_path, write_file,
                                                                      map_data):
    good = write_file("good.csv",
                      "event_id_cnty,event_date,event_type,actor1,country,location,latitude,"
                      "longitude,geo_precision,fatalities\n"
                      "SYR1,2016-03-01,Battles,Group A,Syria,Aleppo,36.2,37.16,1,4\n")
    empty = write_file("empty.csv", "")
    page = tmp_path / "m.html"
    code, out, err = cli("map", str(good), str(empty), "-o", str(page), "--no-labels")
    assert code == 1 and map_data(page)["n"] == 1
    assert "Mapped 1 event from the store" in out and "empty.csv" in err


def test_a_map_that_cannot_be_written_is_a_one_line_error(cli, store_file, tmp_path,
                                                          monkeypatch):
    import errno

    import geomap.render.save

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(geomap.render.save, "open_replacing", full)
    page = tmp_path / "m.html"
    code, out, err = cli("map", "--store", str(store_file), "-o", str(page), "--cdn",
                         "--no-labels")
    assert code == 1 and err.strip().splitlines() == [err.strip()]
    assert f"Cannot write the map to {str(page)!r}: the disk is full" in err


def test_filters_apply(cli, store_file, tmp_path, map_data):
    page = tmp_path / "m.html"
    code, _, err = cli("map", "--store", str(store_file), "-o", str(page), "--type", "Battles",
                       "--cdn")
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
    assert "Mapped 1 event from the demo seed article" in out  # the context figure is not one
    data = map_data(page)
    assert data["n"] == 1 and any("background" in note for note in data["notes"])
    places = [data["strings"][i] for i in (data["loc"] if isinstance(data["loc"], list)
                                           else [data["loc"]["k"]])]
    assert any("rastan" in p.lower() for p in places)
    best = data["d"] if isinstance(data["d"], list) else [data["d"]["k"]]
    assert 33 in best
    assert page.stat().st_size <= 2_000_000


def test_maps_a_dataset_folder(cli, store_file, tmp_path, map_data):
    folder = tmp_path / "ds"
    assert cli("export", str(folder), "--to", "dataset", "--store", str(store_file)).code == 0
    page = tmp_path / "d.html"
    code, out, err = cli("map", "--store", str(folder), "-o", str(page), "--type", "battles")
    assert code == 0, err
    assert "Mapped 1 event from the store" in out
    assert map_data(page)["n"] == 1
    code, out, err = cli("map", str(store_file), "--store", str(folder), "-o", str(page))
    assert code == 1 and "A dataset cannot take inputs" in err
