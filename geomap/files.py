"""Writing files so that readers never see half of one.

Every file geomap writes for a user (maps, exports, cache exports, extract
output, the gazetteer) is written to a temporary sibling and renamed over
the target only when complete: an error or a kill leaves the old file, or
none, never a truncated one.  A target that is not a file but a device or a
pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written in place: renaming
over it would put a plain file where the device was.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh temporary path beside ``target``; rename it over ``target``
    when the block ends without an error, delete it otherwise.

    The temporary name keeps ``target``'s suffix (some writers choose the
    format by it) and does not exist yet when yielded.  The finished file gets
    the usual permissions (``0o666`` less the umask): maps and exports are for
    sharing.  A ``target`` that is a device or a pipe (through a symlink too) is
    yielded itself and written in place.
    """
    target = Path(target)
    if _is_stream(target):
        yield target
        return
    unique = f"{os.getpid()}-{secrets.token_hex(4)}"
    tmp = target.with_name(f".{target.stem}.{unique}.tmp{target.suffix}")
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _is_stream(target: Path) -> bool:
    """Whether ``target`` is (or links to) something other than a file or a folder:
    a character or block device, a pipe or a socket."""
    try:
        mode = os.stat(target).st_mode  # follows a symlink such as /dev/stdout
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextmanager
def open_replacing(
    target: str | os.PathLike[str],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    errors: str | None = None,
) -> Iterator[IO[str]]:
    """A text file handle whose content replaces ``target`` atomically (see :func:`replacing`)."""
    with replacing(target) as tmp:
        with open(tmp, "w", encoding=encoding, newline=newline, errors=errors) as fh:
            yield fh
