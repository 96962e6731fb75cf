"""geomap.mapping: the map job (ingest, read the store, draw, save) and its report."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.mapping import make_map
from geomap.model import EventFilter
from geomap.store import EventStore
from geomap.workspace import Workspace


@pytest.fixture
def store(tmp_path, make_event):
    with EventStore.open(tmp_path / "events.sqlite") as st:
        st.upsert_events([
            make_event(deaths_best=33),
            make_event("Homs Governorate", event_type="Battles"),
            make_event(None, deaths_best=33),  # no coordinates: not mapped
        ])  # fmt: skip
        yield st


def test_maps_the_workspace_store_and_leaves_it_open(store, tmp_path, page_data):
    report = make_map(output=tmp_path / "m.html", workspace=Workspace(store=store))
    assert (report.events, report.demo, report.ingest) == (2, False, None)
    assert report.notes == ["1 event without usable coordinates is not shown."]
    assert store.count() == 3  # still open: the caller's store is the caller's to close
    data = page_data(report.path.read_text(encoding="utf-8"))
    assert data["n"] == 2 and data["notes"] == report.notes


def test_the_default_title_gives_the_count_and_dates(store, tmp_path):
    html = make_map(output=tmp_path / "m.html", workspace=Workspace(store=store),
                    flt=EventFilter(event_type="Battles")).path.read_text(encoding="utf-8")
    assert "<title>1 event, 2015-09-30</title>" in html


def test_maps_are_self_contained_unless_asked(store, tmp_path):
    ws = Workspace(store=store)
    offline = make_map(output=tmp_path / "a.html", workspace=ws, labels=False)
    online = make_map(output=tmp_path / "b.html", workspace=ws, labels=False,
                      self_contained=False)
    assert offline.self_contained and "<script src=" not in offline.path.read_text()
    assert not online.self_contained and "<script src=" in online.path.read_text()


def test_context_figures_are_never_mapped_or_counted(tmp_path, make_event, page_data):
    with EventStore.open(tmp_path / "ctx.sqlite") as st:
        st.upsert_events([make_event(deaths_best=33),
                          make_event("Homs", event_id="ctx", is_context=True,
                                     deaths_best=250_001, notes="since 2011")])
        report = make_map(output=tmp_path / "m.html", workspace=Workspace(store=st), labels=False)
    html = report.path.read_text(encoding="utf-8")
    data = page_data(html)
    assert report.events == data["n"] == 1 and "<title>1 event, 2015-09-30</title>" in html
    assert 250_001 not in (data["d"] if isinstance(data["d"], list) else [data["d"]["k"]])
    homs = [f for f in data["admin"]["features"] if f["properties"]["name"].startswith("Hom")]
    assert sum(f["properties"]["deaths"] for f in homs) == 33


def test_without_the_demo_an_empty_store_maps_nothing(tmp_path):
    report = make_map(output=tmp_path / "m.html", store=tmp_path / "empty.sqlite", demo=False,
                      labels=False)
    assert (report.demo, report.events) == (False, 0)


@pytest.mark.gazetteer
def test_places_are_named_from_the_gazetteer(store, tmp_path, page_data):
    report = make_map(output=tmp_path / "m.html", workspace=Workspace(store=store))
    labels = page_data(report.path.read_text(encoding="utf-8"))["labels"]
    named = {(name, ["country", "admin1", "city", "event"][k])
             for name, k in zip(labels["name"], labels["k"], strict=True)}
    assert {("Syria", "country"), ("Lebanon", "country"), ("Homs Governorate", "admin1"),
            ("Homs", "city"), ("Aleppo", "city"), ("Rastan", "event")} <= named
    assert ("Tallbīsah", "city") in named  # a neighbour of the events' town, 9 km away


def test_a_store_path_is_opened_and_closed(store, tmp_path):
    report = make_map(output=tmp_path / "m.html", store=store.path,
                      flt=EventFilter(min_fatalities=1), title="Deadly")
    assert report.events == 1
    assert "<title>Deadly</title>" in report.path.read_text(encoding="utf-8")


def test_a_missing_demo_article_says_how_to_fix_it(tmp_path, monkeypatch):
    import geomap.mapping

    monkeypatch.setattr(geomap.mapping, "DEMO_SEED", tmp_path / "gone.txt")
    with pytest.raises(InputError, match="give an INPUT file"):
        make_map(output=tmp_path / "m.html", store=tmp_path / "empty.sqlite")


@pytest.mark.gazetteer
def test_the_demo_is_filtered_like_the_store(tmp_path):
    """"airstrike" is a type class: it keeps the demo's airstrikes, as the store's filter does."""
    report = make_map(output=tmp_path / "m.html", store=tmp_path / "empty.sqlite",
                      flt=EventFilter(event_type="airstrike"))
    assert report.demo and report.events >= 1 and report.mentions >= 1
