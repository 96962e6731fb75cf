"""A map as one HTML page, written atomically; self-contained pages inline every asset.

``save_map(..., self_contained=True)`` replaces each ``<script src>`` and
stylesheet ``<link>`` with the npm copy (:mod:`geomap.render.assets`), so the
page makes no network request at all.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import folium

from geomap.errors import InputError, RenderError
from geomap.files import open_replacing
from geomap.render import assets
from geomap.render.page import EventMap

_SCRIPT_SRC = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')


def _label(asset: assets.Asset) -> str:
    return f"{asset.package}@{assets.package_version(asset.package)}"


def inline_assets(page: str) -> str:
    """Replace every external <script src> and stylesheet <link> with the npm copy."""
    missing: list[str] = []

    def inline(match: re.Match[str], tag: str) -> str:
        asset = assets.asset_for_url(match.group(1))
        if asset is None:
            missing.append(match.group(1))
            return match.group(0)
        text = assets.asset_text(asset.key).replace(f"</{tag}", f"<\\/{tag}")
        return f"<{tag}>/* {_label(asset)} */\n{text}\n</{tag}>"

    page = _SCRIPT_SRC.sub(lambda match: inline(match, "script"), page)
    page = _CSS_LINK.sub(lambda match: inline(match, "style"), page)
    if missing:
        raise RenderError(
            f"Cannot inline these assets for a self-contained map instead got: {missing!r}. "
            "Fix: remove the elements that need them, or save without --self-contained"
        )
    return page


def render_html(m: folium.Map, *, self_contained: bool | None = None) -> str:
    """The map as one HTML page (inlined when self-contained).

    ``self_contained=None`` follows how the map was built (see :class:`EventMap`);
    a plain folium map is then not inlined.
    """
    if self_contained is None:
        self_contained = isinstance(m, EventMap) and m.self_contained
    if self_contained and not assets.installed():
        raise RenderError(
            f"Offline map assets are not installed (looked in {assets.npm_root()}). "
            f"Fix: {assets.INSTALL_HINT}"
        )
    page = m.get_root().render()
    return inline_assets(page) if self_contained else page


def save_map(m: folium.Map, path: str | os.PathLike[str], *,
             self_contained: bool | None = None) -> Path:
    """Write the map to ``path`` atomically; returns the path written.

    ``self_contained=None`` follows how the map was built.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(
            f"Map output path is a directory instead got: {str(target)!r}. "
            "Fix: give a file name such as map.html"
        )
    page = render_html(m, self_contained=self_contained)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # errors="replace": a stray surrogate in one quote must not lose the map
        with open_replacing(target, errors="replace") as fh:
            fh.write(page)
    except OSError as exc:
        raise RenderError(_write_error(target, exc)) from None
    return target


def _write_error(target: Path, exc: OSError) -> str:
    """One line saying why the map could not be written, and what to do."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why, fix = "the disk is full", "free some space, or write the map elsewhere with -o PATH"
    elif exc.errno == errno.EROFS:
        why, fix = "the file system is read-only", "write the map elsewhere with -o PATH"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why, fix = "permission denied", "write the map to a folder you can write to (-o PATH)"
    else:
        why, fix = exc.strerror or type(exc).__name__, "write the map elsewhere with -o PATH"
    return f"Cannot write the map to {str(target)!r}: {why}. Fix: {fix}"
