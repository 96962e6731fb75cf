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
``GEOMAP_ASSETS_DIR``  another folder of map assets and boundary data
``GEOMAP_USER_AGENT``  the user agent for online geocoding
``GEOMAP_PROGRESS``    ``1``: show progress even off a terminal; ``0``: never
=====================  ==================================================

The map assets and boundary data ship inside the package, in ``geomap/vendor``
(:func:`assets_dir`; ``geomap/vendor/README.md`` lists every file with its
version and licence).
"""

from __future__ import annotations

import os
import sys
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

#: How to get the map assets and boundary data back when they are missing.
ASSETS_INSTALL_HINT = (
    "reinstall geomap (pip install --force-reinstall geomap), or unset GEOMAP_ASSETS_DIR"
)

#: The map assets and boundary data that ship inside the package.
VENDOR_DIR = Path(__file__).resolve().parent / "vendor"


def assets_dir() -> Path:
    """The folder holding the offline map assets and boundary data.

    ``$GEOMAP_ASSETS_DIR`` wins (a folder laid out like ``geomap/vendor``, or an
    npm ``node_modules`` folder such as the checkout's ``data/npm/node_modules``);
    otherwise the copy inside the package, :data:`VENDOR_DIR`.
    """
    env = os.environ.get("GEOMAP_ASSETS_DIR")
    if env:
        return Path(env).expanduser()
    return VENDOR_DIR


def user_agent() -> str | None:
    """The user agent for online geocoding from ``$GEOMAP_USER_AGENT``, or None."""
    return os.environ.get(USER_AGENT_ENV) or None


def show_progress(asked: bool | None = None) -> bool:
    """Whether a long job draws its progress on stderr.

    ``asked`` decides when given; otherwise ``$GEOMAP_PROGRESS`` (``1`` or
    ``0``); otherwise only when stderr is a terminal.
    """
    if asked is not None:
        return asked
    env = os.environ.get("GEOMAP_PROGRESS", "").strip()
    if env in ("0", "1"):
        return env == "1"
    return sys.stderr is not None and sys.stderr.isatty()
