"""One request per second to an online service, across every process on the machine.

The Nominatim usage policy allows one request a second from a user, not
from each of their processes.  :class:`Pacer` keeps the time of the last
request in a small lock file beside the geocode cache: a process takes the
file's lock, waits until the last request is ``min_delay`` seconds old,
writes the new time and lets go, so three processes together still send
one request a second.  Without a file (no cache, or a read-only folder) the
pace holds within the process only.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_file_for(cache_path: Path) -> Path:
    """The pacing lock file beside a geocode cache file."""
    return cache_path.with_name(cache_path.name + ".online-lock")


class Pacer:
    """Waits so that requests start at least ``min_delay`` seconds apart (see the module)."""

    def __init__(self, min_delay: float, path: Path | None = None) -> None:
        self.min_delay = min_delay
        self.path = path
        self._last = 0.0  # the last request of this process (time.time())

    def wait(self) -> float:
        """Block until the next request may start, count it as started and return that time.

        The returned times (``time.time()``) of any two calls sharing a lock file are at
        least ``min_delay`` apart.
        """
        if self.path is not None:
            try:
                self._wait_shared(self.path)
                return self._last
            except OSError as exc:
                log.warning(
                    "Online requests are paced in this process only: the lock file %s cannot"
                    " be used (%s).", self.path, exc,
                )  # fmt: skip
                self.path = None
        self._sleep_after(self._last)
        self._last = time.time()
        return self._last

    def _sleep_after(self, last: float) -> None:
        # a clock set back never makes a process wait longer than one delay
        delay = min(last + self.min_delay - time.time(), self.min_delay)
        if delay > 0:
            time.sleep(delay)

    def _wait_shared(self, path: Path) -> None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                text = os.read(fd, 64).decode("ascii", "replace").strip()
                try:
                    last = float(text) if text else 0.0
                except ValueError:
                    last = 0.0  # a damaged file only costs one wait
                self._sleep_after(max(last, self._last))
                self._last = time.time()
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, f"{self._last:.6f}\n".encode("ascii"))
            finally:
                _unlock(fd)
        finally:
            os.close(fd)
