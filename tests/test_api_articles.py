"""geomap.extract and friends: the article functions of the public API, on a workspace."""

from __future__ import annotations

import geomap


def test_extract_reads_places_from_the_workspace_gazetteer(tmp_path, fake_gazetteer):
    from geomap.workspace import Workspace

    (tmp_path / "a.txt").write_text("Strike\nJets hit Aleppo, killing 3 people.\n")
    with Workspace(gazetteer=fake_gazetteer) as ws:
        found = geomap.extract([tmp_path], date="2015-09-30", use_cache=False, workspace=ws)
        results = list(found)
    (result,) = results
    assert [(m.text, m.place.geonameid) for m in result.mentions] == [("Aleppo", 170063)]
    assert result.events[0].geonameid == 170063


def test_a_cache_that_cannot_be_opened_is_noted_on_each_place_and_the_batch_goes_on(
    tmp_path, fake_gazetteer
):
    from geomap.workspace import Workspace

    (tmp_path / "a.txt").write_text("Strike\nJets hit Aleppo, killing 3 people.\n")
    (tmp_path / "not-a-folder").write_text("")
    broken = tmp_path / "not-a-folder" / "cache.sqlite"
    with Workspace(gazetteer=fake_gazetteer, cache=broken) as ws:
        (result,) = list(geomap.extract(tmp_path / "a.txt", date="2015-09-30", workspace=ws))
    (aleppo,) = result.mentions
    assert aleppo.place.geonameid == 170063 and "geocode cache not used" in aleppo.reason
    assert result.events[0].geonameid == 170063


def test_extract_builds_a_missing_gazetteer_on_first_use(
    tmp_path, monkeypatch, gazetteer_file, seed_file
):
    """A fresh install has no gazetteer yet: extraction builds it (here the
    build is a copy of the shared one, to keep the test fast) instead of failing."""
    import shutil

    from geomap.gazetteer import search as gazetteer_module

    target = tmp_path / "fresh" / "gazetteer.sqlite"
    built = []

    def fake_build(path=None, **_):
        built.append(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(gazetteer_file, target)
        return target

    monkeypatch.setenv("GEOMAP_GAZETTEER", str(target))
    monkeypatch.setattr(gazetteer_module, "build", fake_build)
    results = list(geomap.extract([seed_file], date="2015-09-30"))
    assert built and target.exists()
    (result,) = results
    assert any(e.geonameid == 172946 for e in result.events)
