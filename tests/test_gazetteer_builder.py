"""The one-time gazetteer build (geomap.gazetteer.builder): atomic writes and meta rows."""

from __future__ import annotations

import pytest

from geomap.gazetteer import builder as build_module
from geomap.gazetteer.schema import KIND_ALT, KIND_NAME, is_built, key_rows
from geomap.gazetteer.search import Gazetteer


def test_build_failure_leaves_no_file(tmp_path, monkeypatch):
    def boom(builder):
        raise RuntimeError("source exploded")

    monkeypatch.setattr(build_module, "_build_into", boom)
    folder = tmp_path / "gaz"
    with pytest.raises(RuntimeError, match="exploded"):
        build_module.build(folder / "g.sqlite")
    assert list(folder.iterdir()) == []


def test_build_writes_temp_then_renames(tmp_path, monkeypatch):
    """A tiny build (two cities) shows the atomic write and the meta rows."""

    def tiny(builder):
        builder.add_place(1, "Alpha", 1.0, 2.0, "city", "SY", "11", 600)
        builder.add_names(1, [("Alpha", KIND_NAME), ("Al-Alfa", KIND_ALT)])
        builder.add_place(2, "Alpha", 3.0, 4.0, "city", "SY", "11", 9000)
        builder.add_names(2, [("Alpha", KIND_NAME)])

    monkeypatch.setattr(build_module, "_build_into", tiny)
    target = tmp_path / "gaz" / "tiny.sqlite"
    target.parent.mkdir()
    target.write_text("old half-written junk")
    assert build_module.build(target) == target
    assert is_built(target)
    assert [p.name for p in target.parent.iterdir()] == ["tiny.sqlite"]
    with Gazetteer.open(target) as g:
        assert [p.geonameid for p in g.lookup("alfa")] == [1]
        assert sorted(p.geonameid for p in g.lookup("alpha")) == [1, 2]
        assert g.search("al alfa")[0].place.geonameid == 1
        assert g.search("alpha")[0].place.geonameid == 2  # the larger namesake first
        assert g.meta["count_city"] == "2"
        # each key with the largest population among the places it names
        assert sorted(g.iter_keys()) == [("al alfa", 600), ("alfa", 600), ("alpha", 9000)]
        # the stored list and the query it replaces agree
        assert sorted(g.iter_keys()) == sorted(key_rows(g._con))


@pytest.mark.parametrize(
    ("primary", "alternates", "expected"),
    [
        ("Ḩimş", ["Homs Governorate", "Homs", "Hims"], ("Homs", "Homs Governorate")),
        ("California", ["Golden State", "State of California"], ("California", "California")),
        (
            "Dimashq",
            ["Damascus Governorate", "Damascus City"],
            ("Damascus", "Damascus Governorate"),
        ),
        ("Ḩalab", [], ("Ḩalab", "Ḩalab")),
    ],
)
def test_english_admin_name(primary, alternates, expected):
    assert build_module._english_admin_name(primary, alternates) == expected


def test_robust_centre_ignores_a_far_outlier_and_wraps_180():
    points = [(10.0 + i / 100, 20.0) for i in range(30)] + [(80.0, 20.0)]
    lat, lon = build_module._robust_centre(points)
    assert 10.0 < lat < 10.3 and lon == 20.0
    assert build_module._robust_centre([(0.0, 179.0), (0.0, -179.0)])[1] in (180.0, -180.0)
