"""Where geomap keeps its files.

Everything lives under one data directory:

* ``$GEOMAP_DATA_DIR`` when set;
* otherwise ``$XDG_DATA_HOME/geomap`` (``~/.local/share/geomap``).

The Makefile points ``GEOMAP_DATA_DIR`` at the checkout's ``data/`` folder.
Individual files can be moved with ``GEOMAP_GAZETTEER``, ``GEOMAP_CACHE``
and ``GEOMAP_STORE`` (tests use these to share one built gazetteer while
keeping caches and stores in temporary folders).

Every environment variable geomap reads is read here:

=====================  ==================================================
``GEOMAP_DATA_DIR``    the data directory
``GEOMAP_GAZETTEER``   the offline gazetteer file
``GEOMAP_CACHE``       the geocode cache file
``GEOMAP_STORE``       the event store file
``GEOMAP_ASSETS_DIR``  the ``node_modules`` folder of the offline map assets
``GEOMAP_USER_AGENT``  the user agent for online geocoding
=====================  ==================================================
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


USER_AGENT_ENV = "GEOMAP_USER_AGENT"

#: How to install the offline map assets and boundary data.
ASSETS_INSTALL_HINT = "run: make setup (or: npm ci --prefix data/npm)"

#: The checkout's npm folder (only exists when running from a clone).
_CHECKOUT_NPM = Path(__file__).resolve().parent.parent / "data" / "npm"


def assets_dir() -> Path:
    """The ``node_modules`` folder holding the offline map assets and boundary data.

    ``$GEOMAP_ASSETS_DIR`` wins; then ``<data dir>/npm/node_modules``; then the
    checkout's ``data/npm/node_modules``.
    """
    env = os.environ.get("GEOMAP_ASSETS_DIR")
    if env:
        return Path(env).expanduser()
    for base in (data_dir() / "npm", _CHECKOUT_NPM):
        if (base / "node_modules" / "leaflet" / "package.json").is_file():
            return base / "node_modules"
    return _CHECKOUT_NPM / "node_modules"


def user_agent() -> str | None:
    """The user agent for online geocoding from ``$GEOMAP_USER_AGENT``, or None."""
    return os.environ.get(USER_AGENT_ENV) or None
