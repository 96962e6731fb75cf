"""geomap.render.save: the page written atomically, self-contained pages inlined."""

from __future__ import annotations

import errno
import os
import re

import folium
import pytest

from geomap.errors import InputError, RenderError
from geomap.render import build_map, render_html, save_map
from geomap.render.save import inline_assets


@pytest.mark.assets
def test_self_contained_page_has_no_external_assets(tmp_path, make_event):
    m = build_map([make_event(), make_event("Homs Governorate")], title="Seed", self_contained=True)
    path = save_map(m, tmp_path / "sub" / "map.html")
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "tile_layer_" not in html  # no tile layer: the page makes no request
    assert "/* leaflet@1.9.3 */" in html and "/* leaflet.heat@0.2.0 */" in html
    assert path.stat().st_size <= 2_000_000


def test_a_plain_folium_map_is_not_inlined_unless_asked():
    assert "<script src=" in render_html(folium.Map(tiles=None))


def test_self_contained_without_assets_says_how_to_get_them(tmp_path, monkeypatch, make_event):
    m = build_map([make_event()], boundaries=False, self_contained=True)
    monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(tmp_path / "none"))
    with pytest.raises(RenderError, match="reinstall geomap"):
        save_map(m, tmp_path / "m.html")
    assert not (tmp_path / "m.html").exists()


def test_inline_refuses_unknown_assets():
    with pytest.raises(RenderError, match="other.js"):
        inline_assets('<script src="https://example.invalid/other.js"></script>')


def test_a_broken_character_in_one_quote_does_not_lose_the_map(tmp_path, make_event, page_data):
    events = [make_event(quote="bad \ud800 char"), make_event("Homs Governorate")]
    m = build_map(events, boundaries=False)
    path = save_map(m, tmp_path / "m.html")
    assert page_data(path.read_text(encoding="utf-8"))["n"] == 2


def test_save_to_a_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="directory"):
        save_map(build_map([], boundaries=False), tmp_path)


@pytest.mark.parametrize(("code", "says"), [
    (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "the file system is read-only"),
    (errno.EACCES, "permission denied"),
])
def test_a_map_that_cannot_be_written_is_one_line_naming_the_path(tmp_path, monkeypatch, code,
                                                                   says):
    import geomap.render.save

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(geomap.render.save, "open_replacing", refuse)
    target = tmp_path / "m.html"
    with pytest.raises(RenderError) as info:
        save_map(build_map([], boundaries=False), target)
    message = str(info.value)
    assert message.splitlines() == [message]
    assert repr(str(target)) in message and says in message and "Fix: " in message
    assert not target.exists()
