"""Where geomap keeps its files.

Everything lives under one data directory:

* ``$GEOMAP_DATA_DIR`` when set;
* otherwise ``$XDG_DATA_HOME/geomap`` (``~/.local/share/geomap``).

The Makefile points ``GEOMAP_DATA_DIR`` at the checkout's ``data/`` folder.
Individual files can be moved with ``GEOMAP_GAZETTEER``, ``GEOMAP_CACHE``
and ``GEOMAP_STORE`` (tests use these to share one built gazetteer while
keeping caches and stores in temporary folders).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    env = os.environ.get("GEOMAP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "geomap"


def _path(env_name: str, default_name: str) -> Path:
    env = os.environ.get(env_name)
    if env:
        return Path(env).expanduser()
    return data_dir() / default_name


def gazetteer_path() -> Path:
    return _path("GEOMAP_GAZETTEER", "gazetteer.sqlite")


def cache_path() -> Path:
    return _path("GEOMAP_CACHE", "geocode-cache.sqlite")


def store_path() -> Path:
    return _path("GEOMAP_STORE", "events.sqlite")
